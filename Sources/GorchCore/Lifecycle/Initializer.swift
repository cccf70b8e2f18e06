import Foundation
import GitKit

/// `gorch init`: the worktree folder excluded from `git status`, `gorch.target` recorded, the
/// task store created. Safe to run again.
public struct Initializer {
    let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    public struct Result: Sendable {
        public let target: String
        /// What changed; empty when everything was already in place.
        public let changes: [String]
        public let store: String
        public let root: String
    }

    /// `gorchPath`: the executable the hooks should call; nil installs no hooks (the demo).
    public func run(gorchPath: String? = nil) async throws -> Result {
        _ = try workspace.requireMainWorkTree(for: "gorch init")
        let target = try workspace.target()
        var changes: [String] = []
        if try workspace.repository.configString("gorch.target") != target {
            try workspace.repository.setConfigString("gorch.target", target)
            changes.append("gorch.target = \(target)")
        }
        if try Self.excludeWorktrees(workspace) {
            changes.append("/\(GorchPaths.worktreesFolder)/ added to .git/info/exclude")
        }
        if let gorchPath {
            // DESIGN.md: init installs the hooks that run gorch's sync, chained with existing ones.
            for change in try HookInstaller(workspace: workspace).install(gorchPath: gorchPath) where change.changed {
                changes.append("hook \(change.hook): \(change.action.rawValue)")
            }
        }
        if try await workspace.store.prepare() {
            changes.append("task store created in \(workspace.paths.root)")
        }
        return Result(target: target, changes: changes, store: workspace.store.kind, root: workspace.paths.root)
    }

    /// Adds `/.worktrees/` to the common `info/exclude` so task worktrees never show up in the
    /// main checkout's `git status`. Returns whether the file changed.
    @discardableResult
    static func excludeWorktrees(_ workspace: Workspace) throws -> Bool {
        let path = (workspace.repository.commonDirectory as NSString).appendingPathComponent("info/exclude")
        let line = "/\(GorchPaths.worktreesFolder)/"
        let existing = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        let lines = existing.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        if lines.contains(line) || lines.contains("\(GorchPaths.worktreesFolder)/") || lines.contains("/\(GorchPaths.worktreesFolder)") {
            return false
        }
        let separator = existing.isEmpty || existing.hasSuffix("\n") ? "" : "\n"
        let text = existing + separator + "# gorch task worktrees\n" + line + "\n"
        try AtomicFile.write(Data(text.utf8), to: path, access: .ordinary) // git's file, not gorch's state
        return true
    }
}
