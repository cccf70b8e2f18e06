import Foundation

/// bd's CLI (contracts.md section 1): every call with `--json`, list/ready with `--limit 0`,
/// serialised (see `BeadsConfig.lockPath`), bd's JSON errors turned into `BeadsError`/`ToolError`.
public final class BeadsClient: Sendable {
    public let config: BeadsConfig

    public init(_ config: BeadsConfig) {
        self.config = config
    }

    public var isInstalled: Bool {
        ToolRunner.locate(config.executable, environment: config.environment) != nil
    }

    /// `bd version`: the version number and the era it implies (<= 0.55 legacy). Only `bd version`
    /// is asked: probing `bd sync` would run a sync.
    public func version() async throws -> (version: String, era: BeadsEra) {
        let invocation = self.invocation(["version"], actor: nil, json: false)
        let output = try await run(invocation)
        let text = String(decoding: output.stdout, as: UTF8.self)
        guard let number = BeadsEra.versionNumber(in: text), let era = BeadsEra(version: number) else {
            throw ToolRunner.undecodable(invocation, output, cause: "no version number such as 1.0.5 in it")
        }
        return (number, era)
    }

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
        if !labels.isEmpty { arguments.append("--labels=" + labels.joined(separator: ",")) }
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

    /// `bd close ID --reason=R --json`. Closing a closed issue succeeds (bd exits 1 for it: the
    /// reason it was closed with stays).
    public func close(_ id: String, reason: String) async throws {
        do {
            _ = try await call(["close", id, "--reason=\(reason)"], ids: [id])
        } catch let error as ToolError where BeadsFailure.isAlreadyClosed(error.stderr) {
            return
        }
    }

    /// `bd dep add ISSUE DEPENDS-ON --type=T --json`: `issue` depends on (is blocked by) `dependsOn`.
    public func addDependency(_ issue: String, dependsOn: String, type: String = "blocks") async throws {
        _ = try await call(["dep", "add", issue, dependsOn, "--type=\(type)"], ids: [issue, dependsOn])
    }

    /// Legacy era (<= 0.55): `bd sync --json` (exports `.beads/issues.jsonl`, and per bd's config
    /// commits, pulls and pushes it). The Dolt era has no `bd sync`: use `export(to:)`.
    public func sync() async throws {
        _ = try await call(["sync"])
    }

    /// Legacy era: `bd sync --flush-only`, which only writes `.beads/issues.jsonl` from the
    /// database (no import, no git commit or push), so bv sees the current issues.
    public func flush() async throws {
        _ = try await call(["sync", "--flush-only"])
    }

    /// Dolt era (>= 0.56): `bd export -o PATH --json`, e.g. `.beads/issues.jsonl` for bv.
    public func export(to path: String) async throws {
        _ = try await call(["export", "-o", path])
    }

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
        let key = config.lockPath ?? "bd:" + (config.workingDirectory as NSString).standardizingPath
        let output = try await BeadsLock.with(key: key, file: config.lockPath, timeout: config.timeout,
                                              command: invocation.commandLine) {
            try await ToolRunner.run(invocation)
        }
        guard output.exitCode == 0 else { throw BeadsFailure.error(invocation, output, ids: ids) }
        return output
    }
}
