import Foundation
import MCP

/// A typed client for MCP Agent Mail's file reservations and messages, over MCP JSON-RPC on HTTP
/// (tool names and arguments as in mcp-agent-mail 0.1.0, contracts.md §4, and the servers of
/// contracts-update.md §5: Python 0.3 wants the `registration_token` that `register_agent`
/// returns on every agent-scoped call; the Rust server grants only the paths without conflicts).
/// Which optional arguments a server takes is read from its tool list, not guessed from versions.
///
/// Every call is bounded by `config.timeout`, connection and MCP handshake included: a slow or
/// silent server yields `.unreachable` rather than a hang. One MCP session is opened lazily and
/// reused; any transport failure or timeout drops it so the next call starts afresh.
public actor AgentMailClient {
    let config: AgentMailConfig
    /// The session being opened or in use; nil until the first call and after a failure.
    var session: Task<OpenSession, any Error>?
    /// Whether the server hides the reservation tools behind `call_extended_tool` (0.1.0's default).
    var extendedViaProxy = false
    /// The server's `initialize` answer, once a session opened.
    var serverInfo: (name: String, version: String)?
    /// Each listed tool's argument names (`tools/list`), read once per client; nil until asked.
    var toolArguments: [String: Set<String>]?

    public init(_ config: AgentMailConfig) {
        self.config = config
    }

    /// Succeeds when the server answers and accepts the token (`health_check` reports `ok`).
    /// 401/403 → `.unauthorized`; no answer → `.unreachable`.
    public func health() async throws {
        let health: AgentMailWire.Health = try await call("health_check", [:])
        guard health.status == "ok" else {
            throw AgentMailError.toolFailed(tool: "health_check", message: "server reports status \"\(health.status)\"")
        }
    }

    /// Creates the project (idempotent) and returns its slug, which every later call may pass as
    /// `projectKey`. Pass the main repository's absolute path, never a worktree's.
    public func ensureProject(humanKey: String) async throws -> String {
        let project: AgentMailWire.Project = try await call("ensure_project", ["human_key": .string(humanKey)])
        return project.slug
    }

    /// Registers (or refreshes) an agent and returns the name the server uses for it.
    /// 0.1.0 keeps only letters and digits of `name`; nil (or a name with neither) lets the
    /// server pick an adjective+noun name. A name active in another project is taken over.
    public func registerAgent(projectKey: String, name: String?, taskDescription: String) async throws -> String {
        try await register(projectKey: projectKey, name: name, taskDescription: taskDescription).name
    }

    /// Registers (or refreshes) an agent: the name the server chose (Python 0.3 may rename an
    /// invalid one: always use this one) and, from servers that issue one, the token that proves
    /// it is this agent on later calls (never printed or logged).
    public func register(projectKey: String, name: String?, taskDescription: String, token: String? = nil) async throws -> AgentIdentity {
        var arguments: [String: Value] = [
            "project_key": .string(projectKey),
            "program": .string("gorch"),
            "model": .string("unspecified"),
            "task_description": .string(taskDescription),
        ]
        if let name, let sanitized = Self.sanitizedAgentName(name) {
            arguments["name"] = .string(sanitized)
        }
        // Re-registering an existing name on Python 0.3 must prove it owns the name.
        try await addToken(token, as: "registration_token", for: "register_agent", to: &arguments)
        let agent: AgentMailWire.Agent = try await call("register_agent", arguments)
        return AgentIdentity(name: agent.name, token: agent.registration_token ?? token)
    }

    /// Reserves paths or globs (project-relative) for `agent`. Servers differ (contracts-update.md
    /// §5): Python grants every path and reports overlaps in `conflicts` (advisory); Rust grants
    /// only the paths without conflicts, and on a database race grants nothing at all. So the
    /// answer is never taken as all-or-nothing: a requested path that is neither granted nor
    /// reported comes back as a conflict without holders.
    /// No paths: nothing is asked and nothing is granted.
    public func reserve(
        projectKey: String, agent: String, paths: [String], ttlSeconds: Int, exclusive: Bool = true, reason: String,
        token: String? = nil
    ) async throws -> ReservationResult {
        guard !paths.isEmpty else { return ReservationResult(granted: [], conflicts: []) }
        var arguments: [String: Value] = [
            "project_key": .string(projectKey),
            "agent_name": .string(agent),
            "paths": .array(paths.map { .string($0) }),
            "ttl_seconds": .int(ttlSeconds),
            "exclusive": .bool(exclusive),
            "reason": .string(reason),
        ]
        try await addToken(token, as: "registration_token", for: "file_reservation_paths", to: &arguments)
        let answer: AgentMailWire.Reservations = try await call("file_reservation_paths", arguments)
        let granted = answer.granted.map {
            Reservation(id: $0.id, pathPattern: $0.path_pattern, exclusive: $0.exclusive, expires: $0.expires_ts)
        }
        var conflicts = answer.conflicts.map { conflict in
            ReservationConflict(path: conflict.path, holders: conflict.holders.map(\.agent))
        }
        let accounted = Set(granted.map(\.pathPattern)).union(conflicts.map(\.path))
        for path in paths where !accounted.contains(path) {
            conflicts.append(ReservationConflict(path: path, holders: []))
        }
        return ReservationResult(granted: granted, conflicts: conflicts)
    }

    /// Extends every active reservation of `agent` by `extendSeconds`; returns how many.
    public func renew(projectKey: String, agent: String, extendSeconds: Int, token: String? = nil) async throws -> Int {
        var arguments: [String: Value] = [
            "project_key": .string(projectKey),
            "agent_name": .string(agent),
            "extend_seconds": .int(extendSeconds),
        ]
        try await addToken(token, as: "registration_token", for: "renew_file_reservations", to: &arguments)
        let answer: AgentMailWire.Renewed = try await call("renew_file_reservations", arguments)
        return answer.renewed
    }

    /// Releases `agent`'s active reservations whose pattern is one of `paths` (exactly as
    /// reserved), or all of them when `paths` is nil; returns how many. An empty list releases
    /// nothing (the server would read it as "all").
    public func release(projectKey: String, agent: String, paths: [String]? = nil, token: String? = nil) async throws -> Int {
        var arguments: [String: Value] = ["project_key": .string(projectKey), "agent_name": .string(agent)]
        if let paths {
            guard !paths.isEmpty else { return 0 }
            arguments["paths"] = .array(paths.map { .string($0) })
        }
        try await addToken(token, as: "registration_token", for: "release_file_reservations", to: &arguments)
        let answer: AgentMailWire.Released = try await call("release_file_reservations", arguments)
        return answer.released
    }

    /// Sends a Markdown message from `sender` (a registered agent) to agents of the project.
    /// 0.1.0 registers unknown recipients on the fly.
    public func sendMessage(projectKey: String, sender: String, to: [String], subject: String, body: String,
                            senderToken: String? = nil) async throws {
        var arguments: [String: Value] = [
            "project_key": .string(projectKey),
            "sender_name": .string(sender),
            "to": .array(to.map { .string($0) }),
            "subject": .string(subject),
            "body_md": .string(body),
        ]
        try await addToken(senderToken, as: "sender_token", for: "send_message", to: &arguments)
        let _: AgentMailWire.Sent = try await call("send_message", arguments)
    }

    /// The agent's inbox, newest first (tests and diagnostics; not part of gorch's workflow).
    func fetchInbox(projectKey: String, agent: String, limit: Int = 20, token: String? = nil) async throws -> [AgentMailWire.InboxItem] {
        var arguments: [String: Value] = [
            "project_key": .string(projectKey),
            "agent_name": .string(agent),
            "limit": .int(limit),
            "include_bodies": .bool(true),
        ]
        try await addToken(token, as: "registration_token", for: "fetch_inbox", to: &arguments)
        return try await call("fetch_inbox", arguments)
    }

    /// What 0.1.0's `sanitize_agent_name` keeps: ASCII letters and digits, at most 128.
    static func sanitizedAgentName(_ name: String) -> String? {
        var kept = ""
        for scalar in name.unicodeScalars where scalar.isASCII && CharacterSet.alphanumerics.contains(scalar) {
            kept.unicodeScalars.append(scalar)
        }
        return kept.isEmpty ? nil : String(kept.prefix(128))
    }
}
