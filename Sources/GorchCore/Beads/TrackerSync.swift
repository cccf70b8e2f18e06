import Adapters
import Foundation

/// Tracker bookkeeping after merges (DESIGN.md `sync`), by Beads era (`BeadsEra`):
/// - legacy bd (<= 0.55, JSONL in git) wants `bd sync`;
/// - Dolt bd (0.56 - 1.2) has no sync and is exported for bv instead;
/// - bd >= 1.3 is exported too, and when its database has a Dolt remote, `bd sync` (pull, conflict
///   check, push) runs; a run out of push retries (exit 3) is retried here, a conflict (2) or a
///   stuck working set (4) is reported, never resolved. No remote, or a proxied server (one shared
///   database): no `bd sync` at all;
/// - br flushes `.beads/issues.jsonl` (`br sync --flush-only`), which people commit; br never runs git.
/// The export goes to gorch's scratch folder `.git/gorch/bv/.beads/issues.jsonl`, where gorch runs
/// bv, so the main checkout never gets an untracked or modified file from it.
public enum TrackerSync {
    /// Rounds of `bd sync` when bd reports its push retries exhausted (exit 3), and the pause
    /// before each further round.
    static let federationRounds = 3
    static let federationPause: Duration = .seconds(2)

    /// What was run, e.g. "bd sync (bd 0.49.6)"; nil outside Beads mode.
    /// - Throws: `GorchFailure` (stopped) when `bd sync` reports a conflict or a stuck working set,
    ///   or keeps failing on push races.
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
        case .leased:
            let path = try await exportAsync(workspace, client)
            let federation = try await federate(client)
            return "bd export -o \(path); \(federation) (bd \(version))"
        case .rust:
            try await client.flush()
            return "br sync --flush-only (br \(version)): .beads/issues.jsonl is current; commit it as usual"
        }
    }

    /// bd >= 1.3 with a Dolt remote: `bd sync`, again while bd runs out of push retries.
    static func federate(_ client: BeadsClient) async throws -> String {
        let remotes: [String]
        do {
            remotes = try await client.doltRemotes()
        } catch BeadsError.refused {
            return "no bd sync: a proxied Dolt server is shared, nothing to push"
        }
        guard !remotes.isEmpty else { return "no bd sync: the Beads database has no Dolt remote" }
        var round = 1
        while true {
            let outcome = try await client.federate()
            switch outcome.status {
            case .ok:
                return "bd sync: \(outcome.word)\(outcome.pushed ? ", pushed" : "")"
                    + (round > 1 ? " after \(round) rounds" : "")
            case .retriesExhausted where round < federationRounds:
                round += 1
                try await Task.sleep(for: federationPause)
            case .retriesExhausted:
                throw GorchFailure(.stopped, "bd sync ran out of push retries \(round) times"
                                   + (outcome.lastError.map { " (last: \($0))" } ?? ""),
                                   hint: "the Dolt remote is busy or unreachable; run `gorch sync` (or `bd sync`) later")
            case .conflict:
                let named = outcome.conflicts.isEmpty ? "" : ": " + outcome.conflicts.prefix(5).joined(separator: ", ")
                throw GorchFailure(.stopped, "bd sync found a conflict with the Dolt remote\(named); nothing was pushed",
                                   hint: "resolve it with bd (`bd dolt pull`, `bd conflicts`), then `gorch sync`")
            case .dirtyStuck:
                throw GorchFailure(.stopped, "bd sync left the Beads working set dirty; nothing was pushed",
                                   hint: "commit or discard it with bd (`bd dolt status`), then `gorch sync`")
            }
        }
    }

    /// The folder bv runs in: its `.beads/issues.jsonl` is a fresh export in the Dolt era, a copy
    /// of the tracked JSONL in the legacy era.
    public static func viewerDirectory(_ workspace: Workspace) async throws -> String {
        let directory = (workspace.paths.root as NSString).appendingPathComponent("bv")
        guard let client = workspace.beads, let main = workspace.paths.mainWorkTree else { return directory }
        let (_, era) = try await client.version()
        if era.keepsJSONL {
            // Legacy bd writes the JSONL lazily (br keeps it current, flushed to be sure): flush
            // it so bv sees the issues as bd does.
            try await client.flush()
            let source = (main as NSString).appendingPathComponent(".beads/issues.jsonl")
            let target = (directory as NSString).appendingPathComponent(".beads/issues.jsonl")
            try PrivateState.createDirectory((target as NSString).deletingLastPathComponent)
            try? FileManager.default.removeItem(atPath: target)
            if FileManager.default.fileExists(atPath: source) { try FileManager.default.copyItem(atPath: source, toPath: target) }
            PrivateState.restrict(file: target) // the copy took the tracked file's mode
        } else {
            _ = try await exportAsync(workspace, client)
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
