import Foundation
import Synchronization

/// bd's (or br's) CLI (contracts.md section 1, contracts-update.md sections 1-2): every call with
/// `--json`, list/ready with `--limit 0`, serialised (see `BeadsConfig.lockPath`), the tool's JSON
/// errors turned into `BeadsError`/`ToolError`. Where the eras differ (`BeadsEra`), the era comes
/// from `bd version`, asked once per client.
public final class BeadsClient: Sendable {
    public let config: BeadsConfig
    private let knownVersion = Mutex<(version: String, era: BeadsEra)?>(nil)

    public init(_ config: BeadsConfig) {
        self.config = config
    }

    public var isInstalled: Bool {
        ToolRunner.locate(config.executable, environment: config.environment) != nil
    }

    /// `bd version`: the version number and the era it implies; br is told apart by the name it
    /// prints. Only `bd version` is asked: probing `bd sync` would run a sync. Asked once.
    public func version() async throws -> (version: String, era: BeadsEra) {
        if let known = knownVersion.withLock({ $0 }) { return known }
        let invocation = self.invocation(["version"], actor: nil, json: false)
        let output = try await run(invocation)
        let text = String(decoding: output.stdout, as: UTF8.self)
        guard let number = BeadsEra.versionNumber(in: text), let era = BeadsEra(versionOutput: text) else {
            throw ToolRunner.undecodable(invocation, output, cause: "no version number such as 1.0.5 in it")
        }
        knownVersion.withLock { $0 = (number, era) }
        return (number, era)
    }

    public func era() async throws -> BeadsEra { try await version().era }

    /// `bd ready --json --limit 0 [--label L]...`: open issues with no open blockers (labels ANDed).
    public func ready(labels: [String] = []) async throws -> [BeadsIssue] {
        try await call([BeadsIssue].self, ["ready", "--limit", "0"] + labels.map { "--label=\($0)" })
    }

    /// `bd list --json --limit 0`: bd's default hides closed and pinned issues unless `status`
    /// or `all` says otherwise; labels are ANDed.
    public func list(status: [String]? = nil, labels: [String] = [], all: Bool = false) async throws -> [BeadsIssue] {
        var arguments = ["list", "--limit", "0"]
        if let status, !status.isEmpty { arguments.append("--status=" + status.joined(separator: ",")) }
        arguments += labels.map { "--label=\($0)" }
        if all { arguments.append("--all") }
        return try await call([BeadsIssue].self, arguments)
    }

    /// `bd show ID... --json` (an array; a single object is accepted too).
    /// - Throws: `BeadsError.notFound` when an id is unknown.
    public func show(_ ids: [String]) async throws -> [BeadsIssue] {
        guard !ids.isEmpty else { return [] }
        return try await call(OneOrMany<BeadsIssue>.self, ["show"] + ids, ids: ids).items
    }

    /// `bd create --title=T --json ...`; the issue as bd stored it.
    public func create(title: String, description: String? = nil, type: String = "task", priority: Int? = nil,
                       labels: [String] = [], parent: String? = nil) async throws -> BeadsIssue {
        var arguments = ["create", "--title=\(title)", "--type=\(type)"]
        if let description { arguments.append("--description=\(description)") }
        if let priority { arguments.append("--priority=\(priority)") }
        // br documents only `-l` for labels (contracts-update.md section 2).
        if !labels.isEmpty { arguments += try await era() == .rust ? ["-l", labels.joined(separator: ",")]
                                                                   : ["--labels=" + labels.joined(separator: ",")] }
        if let parent { arguments.append("--parent=\(parent)") }
        return try await call(BeadsIssue.self, arguments)
    }

    /// `bd update ID --claim --actor=A --json`: atomically sets assignee and `in_progress`; claiming
    /// again as the same actor succeeds.
    /// - Throws: `BeadsError.alreadyClaimed(by:)`, `.notClaimable(status:)`, `.notFound`.
    public func claim(_ id: String, actor: String) async throws -> BeadsIssue {
        let issues = try await call(OneOrMany<BeadsIssue>.self, ["update", id, "--claim"], actor: actor, ids: [id]).items
        guard let issue = issues.first(where: { $0.id == id }) ?? issues.first else {
            throw BeadsError.notFound(id)
        }
        return issue
    }

    /// `bd update ID --json` with the given changes; nothing to change = no call.
    public func update(_ id: String, addLabels: [String] = [], removeLabels: [String] = [], status: String? = nil,
                       appendNotes: String? = nil) async throws {
        var arguments = ["update", id]
        arguments += addLabels.map { "--add-label=\($0)" }
        arguments += removeLabels.map { "--remove-label=\($0)" }
        if let status { arguments.append("--status=\(status)") }
        if let appendNotes { arguments.append("--append-notes=\(appendNotes)") }
        guard arguments.count > 2 else { return }
        _ = try await call(arguments, ids: [id])
    }

    /// `bd close ID --reason=R --json`. Closing a closed issue succeeds: bd <= 1.2 exits 1 for it
    /// (the reason it was closed with stays), bd >= 1.3 counts it as a success, br lists it
    /// under `skipped`.
    public func close(_ id: String, reason: String) async throws {
        let invocation = self.invocation(["close", id, "--reason=\(reason)"], actor: nil)
        let output = try await runAllowingFailure(invocation)
        guard output.exitCode != 0 else { return }
        if BeadsFailure.isAlreadyClosed(output) { return }
        throw BeadsFailure.error(invocation, output, ids: [id])
    }

    /// `bd dep add ISSUE DEPENDS-ON --type=T --json`: `issue` depends on (is blocked by) `dependsOn`.
    public func addDependency(_ issue: String, dependsOn: String, type: String = "blocks") async throws {
        _ = try await call(["dep", "add", issue, dependsOn, "--type=\(type)"], ids: [issue, dependsOn])
    }

    /// Legacy era (<= 0.55): `bd sync --json` (exports `.beads/issues.jsonl`, and per bd's config
    /// commits, pulls and pushes it). Other eras: see `federate`, `flush` and `export(to:)`.
    public func sync() async throws {
        _ = try await call(["sync"])
    }

    /// Legacy bd and br: `sync --flush-only`, which only writes `.beads/issues.jsonl` from the
    /// database (no import, no git commit or push), so bv sees the current issues.
    public func flush() async throws {
        _ = try await call(["sync", "--flush-only"])
    }

    /// Dolt eras (bd >= 0.56): `bd export -o PATH --json`, e.g. `.beads/issues.jsonl` for bv.
    public func export(to path: String) async throws {
        _ = try await call(["export", "-o", path])
    }

    /// bd >= 1.3: `bd heartbeat ID --actor=A --json`, which moves the claim's lease forward.
    /// - Throws: `BeadsError.noLease` when leases are disarmed, `.claimLost` when the claim was
    ///   reclaimed, closed or is another actor's, `.frozen` during a migration.
    public func heartbeat(_ id: String, actor: String) async throws {
        let invocation = self.invocation(["heartbeat", id], actor: actor)
        let output = try await runAllowingFailure(invocation)
        guard output.exitCode != 0 else { return }
        if BeadsFailure.isFrozen(output) { throw BeadsError.frozen(command: invocation.commandLine) }
        let messages = BeadsFailure.messages(in: output)
        let reason = messages.isEmpty ? ToolError.tail(output.stderr) : messages.map(\.error).joined(separator: "; ")
        throw reason.contains("no lease") ? BeadsError.noLease(id) : BeadsError.claimLost(id: id, reason: reason)
    }

    /// bd >= 1.3: the Dolt remotes' names (`bd dolt remote list --json`); empty when there are none.
    /// - Throws: `BeadsError.refused` in proxied-server mode (one shared server: nothing to sync).
    public func doltRemotes() async throws -> [String] {
        let remotes = try await call([DoltRemote].self, ["dolt", "remote", "list"])
        return remotes.map(\.name)
    }

    /// bd >= 1.3: `bd sync --json [--remote R]`: pull, check for conflicts, push, retried by bd on
    /// push races. Exit 0-4 is an outcome, not a failure (`BeadsSyncOutcome`); anything else throws.
    public func federate(remote: String? = nil) async throws -> BeadsSyncOutcome {
        var arguments = ["sync"]
        if let remote { arguments.append("--remote=\(remote)") }
        let invocation = self.invocation(arguments, actor: nil)
        let output = try await runAllowingFailure(invocation)
        if let outcome = BeadsSyncOutcome(exitCode: output.exitCode, stdout: output.stdout) { return outcome }
        throw BeadsFailure.error(invocation, output, ids: [])
    }

    private struct DoltRemote: Decodable { let name: String }

    // MARK: - Calls

    func invocation(_ arguments: [String], actor: String?, json: Bool = true) -> ToolInvocation {
        var all = arguments
        if let actor = actor ?? config.actor { all.append("--actor=\(actor)") }
        if json { all.append("--json") }
        return ToolInvocation(tool: config.executable, arguments: all, workingDirectory: config.workingDirectory,
                              environment: config.environment, timeout: config.timeout)
    }

    /// Runs the call under the lock; a non-zero exit becomes a `BeadsError` or `ToolError`.
    @discardableResult
    func call(_ arguments: [String], actor: String? = nil, ids: [String] = []) async throws -> ToolOutput {
        try await run(invocation(arguments, actor: actor), ids: ids)
    }

    func call<T: Decodable>(_ type: T.Type, _ arguments: [String], actor: String? = nil,
                            ids: [String] = []) async throws -> T {
        let invocation = self.invocation(arguments, actor: actor)
        let output = try await run(invocation, ids: ids)
        return try ToolRunner.decode(BeadsPayload<T>.self, from: output, invocation).value
    }

    private func run(_ invocation: ToolInvocation, ids: [String] = []) async throws -> ToolOutput {
        let output = try await runAllowingFailure(invocation)
        guard output.exitCode == 0 else { throw BeadsFailure.error(invocation, output, ids: ids) }
        return output
    }

    /// Runs the call under the lock and returns its output whatever the exit code.
    private func runAllowingFailure(_ invocation: ToolInvocation) async throws -> ToolOutput {
        let key = config.lockPath ?? "bd:" + (config.workingDirectory as NSString).standardizingPath
        return try await BeadsLock.with(key: key, file: config.lockPath, timeout: config.timeout,
                                        command: invocation.commandLine) {
            try await ToolRunner.run(invocation)
        }
    }
}
