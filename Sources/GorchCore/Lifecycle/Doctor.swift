import Adapters
import Foundation
import GitKit

/// `gorch doctor`: every dependency and piece of state gorch relies on, each with the fix.
public struct Doctor {
    let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    public struct Check: Sendable {
        public enum Status: String, Sendable { case ok, warning, missing, error }
        public let name: String
        public let status: Status
        public let detail: String
        public let fix: String?
        /// A failing required check makes doctor exit 3.
        public let required: Bool
    }

    public func run(libgit2: String) async -> [Check] {
        var checks: [Check] = []
        let repository = workspace.repository
        checks.append(Check(name: "repository", status: .ok, detail: workspace.paths.mainWorkTree ?? repository.commonDirectory,
                            fix: nil, required: true))
        checks.append(Check(name: "libgit2", status: .ok, detail: libgit2, fix: nil, required: true))
        do {
            let target = try workspace.target()
            checks.append(Check(name: "target", status: .ok, detail: target, fix: nil, required: true))
        } catch {
            checks.append(Check(name: "target", status: .error, detail: "\(error)", fix: "`gorch init --target BRANCH`", required: true))
        }
        checks.append(Check(name: "tracker", status: .ok, detail: workspace.tracker.rawValue
                            + (workspace.tracker == .embedded ? " (tasks in \(workspace.paths.root))" : ""), fix: nil, required: false))
        checks.append(await beads())
        let viewer = BeadsViewerClient(workingDirectory: workspace.paths.root)
        checks.append(await tool(viewer.isInstalled, name: "bv", version: viewer.version,
                                 detail: "contract bv 0.9 - 0.25: batch uses --robot-plan's parallel tracks (only `plan` is read)",
                                 fix: "install beads_viewer (bv) for parallel tracks; without it batch uses bd ready"))
        let openspec = OpenSpecClient(workingDirectory: workspace.paths.root)
        checks.append(await tool(openspec.isInstalled, name: "openspec", version: openspec.version,
                                 detail: "contract OpenSpec 1.x - 1.10: plan validates changes with it and checks task numbers as 1.9+ does",
                                 fix: "install OpenSpec (npm i -g @fission-ai/openspec) to validate changes; gorch parses tasks.md without it"))
        checks.append(await agentMail())
        checks.append(hooks())
        checks.append(staleWorktrees())
        checks.append(interruptedRun())
        checks.append(leftLocks())
        return checks
    }

    private func tool(_ installed: Bool, name: String, version: () async throws -> String, detail: String, fix: String) async -> Check {
        guard installed else { return Check(name: name, status: .missing, detail: "not on PATH", fix: fix, required: false) }
        let shown = (try? await version()).map { "\(name) \($0)" } ?? "installed (`\(name) --version` told no version)"
        return Check(name: name, status: .ok, detail: "\(shown); " + detail, fix: nil, required: false)
    }

    private func beads() async -> Check {
        let required = workspace.tracker == .beads
        guard let client = workspace.beads else {
            return Check(name: "bd", status: required ? .missing : .ok,
                         detail: "not used (embedded tracker)", fix: nil, required: required)
        }
        do {
            let (version, era) = try await client.version()
            return Check(name: "bd", status: .ok, detail: "\(era.tool) \(version): contract \(era.versions); \(Self.meaning(era))",
                         fix: nil, required: true)
        } catch {
            return Check(name: "bd", status: .error, detail: "`bd version` failed: \(error)",
                         fix: "check the bd installation (`bd version`)", required: true)
        }
    }

    /// What gorch does differently for each Beads era, in the user's terms.
    static func meaning(_ era: BeadsEra) -> String {
        switch era {
        case .legacy: "legacy era: gorch runs `bd sync` after merges"
        case .dolt: "Dolt era: no bd sync; gorch exports for bv"
        case .leased: "bd 1.3 era: gorch heartbeats each claim while its agent runs, exports for bv, "
            + "and runs `bd sync` after merges only when the database has a Dolt remote"
        case .rust: "br: gorch flushes .beads/issues.jsonl after merges (commit it as usual); "
            + "a claim conflict is br's validation error"
        }
    }

    private func agentMail() async -> Check {
        let choice = await Reservations.choose(workspace)
        guard let url = choice.url else {
            return Check(name: "agent-mail", status: .ok, detail: "not configured: reservations in gorch's embedded store",
                         fix: nil, required: false)
        }
        if let reason = choice.fallbackReason {
            return Check(name: "agent-mail", status: .warning,
                         detail: "\(url): \(reason); reservations fall back to gorch's embedded store",
                         fix: "start the server or fix gorch.agentMail.url / GORCH_AGENT_MAIL_TOKEN", required: false)
        }
        guard let client = choice.client, let server = try? await client.identify() else {
            return Check(name: "agent-mail", status: .ok, detail: "\(url): reachable, token accepted", fix: nil, required: false)
        }
        return Check(name: "agent-mail", status: .ok,
                     detail: "\(url): reachable, token accepted; \(server.name) \(server.version), contract Agent Mail "
                         + "\(server.contract.rawValue): \(server.contract.meaning)",
                     fix: nil, required: false)
    }

    private func hooks() -> Check {
        guard let states = try? HookInstaller(workspace: workspace).status() else {
            return Check(name: "hooks", status: .warning, detail: "cannot read the hooks directory", fix: "`gorch hooks status`", required: false)
        }
        let missing = states.filter { $0.state != .installed }.map(\.hook)
        if !missing.isEmpty {
            return Check(name: "hooks", status: .warning,
                         detail: "\(missing.joined(separator: ", ")) do not run gorch: a person's git merge is not synced",
                         fix: "`gorch hooks install` (or run `gorch sync` after merging by hand)", required: false)
        }
        // A hook runs the gorch binary recorded at install. Once that file is gone (a deleted
        // build folder, a reinstall elsewhere) the hook quietly falls back to whatever gorch is
        // on PATH, or does nothing when there is none, so the hooks look installed but may not sync.
        let gone = Set(states.compactMap { state in
            state.gorchPath.flatMap { FileManager.default.isExecutableFile(atPath: $0) ? nil : $0 }
        }).sorted()
        if !gone.isEmpty {
            return Check(name: "hooks", status: .warning,
                         detail: "the hooks run \(gone.joined(separator: ", ")), which is gone: they fall back to gorch on PATH, if any",
                         fix: "`gorch hooks install` (points them at this gorch)", required: false)
        }
        return Check(name: "hooks", status: .ok, detail: "\(states.map(\.hook).joined(separator: ", ")) run gorch", fix: nil, required: false)
    }

    private func staleWorktrees() -> Check {
        let stale = ((try? workspace.repository.worktrees()) ?? []).filter { !$0.isValid }
        if stale.isEmpty { return Check(name: "worktrees", status: .ok, detail: "no stale worktree records", fix: nil, required: false) }
        return Check(name: "worktrees", status: .warning,
                     detail: "\(stale.count) worktree record(s) without a folder: \(stale.map(\.name).joined(separator: ", "))",
                     fix: "`gorch cleanup --stale`", required: false)
    }

    private func interruptedRun() -> Check {
        guard let journal = try? Journal.load(workspace.paths) else {
            return Check(name: "merge run", status: .ok, detail: "none open", fix: nil, required: false)
        }
        let failure = MergeCoordinator.openRunFailure(journal)
        return Check(name: "merge run", status: .warning, detail: failure.message, fix: failure.hint, required: false)
    }
}
