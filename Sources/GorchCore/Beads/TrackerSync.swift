import Adapters
import Foundation

/// Tracker bookkeeping after merges (DESIGN.md `sync`): the legacy bd era (<= 0.55, JSONL in git)
/// wants `bd sync`; the Dolt era has no sync and is exported for bv instead. The export goes to
/// gorch's scratch folder `.git/gorch/bv/.beads/issues.jsonl`, where gorch runs bv, so the main
/// checkout never gets an untracked or modified file from it.
public enum TrackerSync {
    /// What was run, e.g. "bd sync (bd 0.49.6)"; nil outside Beads mode.
    @discardableResult
    public static func afterMerges(_ workspace: Workspace) async throws -> String? {
        guard let client = workspace.beads else { return nil }
        let (version, era) = try await client.version()
        switch era {
        case .legacy:
            try await client.sync()
            return "bd sync (bd \(version), legacy era)"
        case .dolt:
            let path = try await exportAsync(workspace, client)
            return "bd export -o \(path) (bd \(version), Dolt era: no bd sync)"
        }
    }

    /// The folder bv runs in: its `.beads/issues.jsonl` is a fresh export in the Dolt era, a copy
    /// of the tracked JSONL in the legacy era.
    public static func viewerDirectory(_ workspace: Workspace) async throws -> String {
        let directory = (workspace.paths.root as NSString).appendingPathComponent("bv")
        guard let client = workspace.beads, let main = workspace.paths.mainWorkTree else { return directory }
        let (_, era) = try await client.version()
        switch era {
        case .dolt:
            _ = try await exportAsync(workspace, client)
        case .legacy:
            // Legacy bd writes the JSONL lazily; flush it so bv sees the issues as bd does.
            try await client.flush()
            let source = (main as NSString).appendingPathComponent(".beads/issues.jsonl")
            let target = (directory as NSString).appendingPathComponent(".beads/issues.jsonl")
            try PrivateState.createDirectory((target as NSString).deletingLastPathComponent)
            try? FileManager.default.removeItem(atPath: target)
            if FileManager.default.fileExists(atPath: source) { try FileManager.default.copyItem(atPath: source, toPath: target) }
            PrivateState.restrict(file: target) // the copy took the tracked file's mode
        }
        return directory
    }

    private static func exportForViewer(_ workspace: Workspace, _ client: BeadsClient) throws -> String {
        (workspace.paths.root as NSString).appendingPathComponent("bv/.beads/issues.jsonl")
    }

    private static func exportAsync(_ workspace: Workspace, _ client: BeadsClient) async throws -> String {
        let path = try exportForViewer(workspace, client)
        try PrivateState.createDirectory((path as NSString).deletingLastPathComponent)
        try await client.export(to: path)
        PrivateState.restrict(file: path) // bd wrote it with its own mode
        return path
    }
}
