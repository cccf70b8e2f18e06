import Foundation
import GitKit

/// The reused validation worktree, `.git/gorch/validate/` (detached HEAD), kept open for a whole
/// merge run and brought to each merged commit incrementally.
///
/// What a validation sees, decided here: exactly the merged commit's tree, plus ignored files
/// (build caches: `target/`, `node_modules/`, `.build/` survive between tasks, which is the point
/// of reusing one worktree), plus whatever the bootstrap (gorch.copy, gorch.setup) left when the
/// worktree was created. Everything else a previous validation left behind is removed first:
/// untracked files that are not ignored, and tracked files it changed or deleted are restored,
/// so one task's build output can never make another task's validation pass or fail. The
/// bootstrap's untracked files are remembered in `.git/gorch/validate.keep` (JSON array of
/// paths) when it runs; a worktree made by an older gorch, without that file, keeps the
/// untracked files it has the first time it is reused.
///
/// A merge train with several lanes has one such worktree per lane (`validate`, `validate-2`,
/// ...), each with its own keep file, port and bootstrap.
final class ValidationWorktree {
    let workspace: Workspace
    /// 1-based; lane 1 is the serial run's worktree.
    let lane: Int
    private var handle: Repository?
    private var kept: Set<String>?

    init(workspace: Workspace, lane: Int = 1) {
        self.workspace = workspace
        self.lane = lane
    }

    var path: String { workspace.paths.validationWorktree(lane: lane) }
    private var keepFile: String {
        (workspace.paths.root as NSString).appendingPathComponent(lane <= 1 ? "validate.keep" : "validate-\(lane).keep")
    }

    /// Brings the worktree to `commit`, (re)creating it if needed. `created` means the bootstrap
    /// is due (then call `recordBootstrap` after it).
    func prepare(at commit: OID) throws -> (path: String, created: Bool) {
        if let handle {
            try reset(handle, to: commit)
            return (path, false)
        }
        let repository = workspace.repository
        let name = GorchPaths.validationWorktreeName(lane: lane)
        if let existing = try repository.worktree(named: name) {
            if existing.isValid && Workspace.trimmingSlash(existing.path) == path {
                let opened = try Repository.open(at: path)
                // Locks a killed gorch left here would fail every later checkout.
                _ = StaleLocks(workspace: workspace).validationLocks()
                try reset(opened, to: commit)
                handle = opened
                return (path, false)
            }
            try repository.pruneWorktree(name: name, valid: true, locked: true, workingTree: false)
        }
        if FileManager.default.fileExists(atPath: path) {
            // Leftovers of a validation worktree whose record is gone: gorch's own scratch space.
            try FileManager.default.removeItem(atPath: path)
        }
        AtomicFile.remove(keepFile)
        kept = nil
        try repository.addDetachedWorktree(name: name, path: path, commit: commit)
        // Its `.git` link is a file gorch wrote into .git/gorch (the checkout keeps git's modes).
        PrivateState.restrict(file: (path as NSString).appendingPathComponent(".git"))
        handle = try Repository.open(at: path)
        return (path, true)
    }

    /// Remembers what the bootstrap of a new worktree left untracked, so later resets keep it.
    func recordBootstrap(_ outcome: WorktreeBootstrap.Outcome) throws {
        let ran = !outcome.copied.isEmpty || !outcome.setup.isEmpty
        let files = ran ? try handle?.untrackedFiles() ?? [] : []
        try save(Set(files))
    }

    private func reset(_ worktree: Repository, to commit: OID) throws {
        let keep = try kept ?? load() ?? {
            let adopted = Set(try worktree.untrackedFiles())
            try save(adopted)
            return adopted
        }()
        kept = keep
        Fault.point(.mergeValidationLocked, holding: (worktree.gitDirectory as NSString).appendingPathComponent("HEAD.lock"))
        try worktree.resetDetached(to: commit, keepingUntracked: keep)
    }

    private func load() throws -> Set<String>? {
        guard let data = FileManager.default.contents(atPath: keepFile) else { return nil }
        guard let paths = try? JSONDecoder().decode([String].self, from: data) else { return nil }
        return Set(paths)
    }

    private func save(_ paths: Set<String>) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicFile.write(try encoder.encode(paths.sorted()), to: keepFile)
        kept = paths
    }
}
