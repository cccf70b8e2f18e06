import Foundation
import MCP

/// A typed client for MCP Agent Mail's file reservations and messages, over MCP JSON-RPC on HTTP
/// (tool names and arguments as in mcp-agent-mail 0.1.0, contracts.md §4).
///
/// Every call is bounded by `config.timeout`, connection and MCP handshake included: a slow or
/// silent server yields `.unreachable` rather than a hang. One MCP session is opened lazily and
/// reused; any transport failure or timeout drops it so the next call starts afresh.
public actor AgentMailClient {
    let config: AgentMailConfig
    /// The session being opened or in use; nil until the first call and after a failure.
    var session: Task<Client, any Error>?
    /// Whether the server hides the reservation tools behind `call_extended_tool` (0.1.0's default).
    var extendedViaProxy = false

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
        var arguments: [String: Value] = [
            "project_key": .string(projectKey),
            "program": .string("gorch"),
            "model": .string("unspecified"),
            "task_description": .string(taskDescription),
        ]
        if let name, let sanitized = Self.sanitizedAgentName(name) {
            arguments["name"] = .string(sanitized)
        }
        let agent: AgentMailWire.Agent = try await call("register_agent", arguments)
        return agent.name
    }

    /// Reserves paths or globs (project-relative) for `agent`. Advisory: every path is granted;
    /// overlaps with other agents' active reservations come back in `conflicts`.
    /// No paths: nothing is asked and nothing is granted.
    public func reserve(
        projectKey: String, agent: String, paths: [String], ttlSeconds: Int, exclusive: Bool = true, reason: String
    ) async throws -> ReservationResult {
        guard !paths.isEmpty else { return ReservationResult(granted: [], conflicts: []) }
        let answer: AgentMailWire.Reservations = try await call("file_reservation_paths", [
            "project_key": .string(projectKey),
            "agent_name": .string(agent),
            "paths": .array(paths.map { .string($0) }),
            "ttl_seconds": .int(ttlSeconds),
            "exclusive": .bool(exclusive),
            "reason": .string(reason),
        ])
        return ReservationResult(
            granted: answer.granted.map {
                Reservation(id: $0.id, pathPattern: $0.path_pattern, exclusive: $0.exclusive, expires: $0.expires_ts)
            },
            conflicts: answer.conflicts.map { conflict in
                ReservationConflict(path: conflict.path, holders: conflict.holders.map(\.agent))
            }
        )
    }

    /// Extends every active reservation of `agent` by `extendSeconds`; returns how many.
    public func renew(projectKey: String, agent: String, extendSeconds: Int) async throws -> Int {
        let answer: AgentMailWire.Renewed = try await call("renew_file_reservations", [
            "project_key": .string(projectKey),
            "agent_name": .string(agent),
            "extend_seconds": .int(extendSeconds),
        ])
        return answer.renewed
    }

    /// Releases `agent`'s active reservations whose pattern is one of `paths` (exactly as
    /// reserved), or all of them when `paths` is nil; returns how many. An empty list releases
    /// nothing (the server would read it as "all").
    public func release(projectKey: String, agent: String, paths: [String]? = nil) async throws -> Int {
        var arguments: [String: Value] = ["project_key": .string(projectKey), "agent_name": .string(agent)]
        if let paths {
            guard !paths.isEmpty else { return 0 }
            arguments["paths"] = .array(paths.map { .string($0) })
        }
        let answer: AgentMailWire.Released = try await call("release_file_reservations", arguments)
        return answer.released
    }

    /// Sends a Markdown message from `sender` (a registered agent) to agents of the project.
    /// 0.1.0 registers unknown recipients on the fly.
    public func sendMessage(projectKey: String, sender: String, to: [String], subject: String, body: String) async throws {
        let _: AgentMailWire.Sent = try await call("send_message", [
            "project_key": .string(projectKey),
            "sender_name": .string(sender),
            "to": .array(to.map { .string($0) }),
            "subject": .string(subject),
            "body_md": .string(body),
        ])
    }

    /// The agent's inbox, newest first (tests and diagnostics; not part of gorch's workflow).
    func fetchInbox(projectKey: String, agent: String, limit: Int = 20) async throws -> [AgentMailWire.InboxItem] {
        try await call("fetch_inbox", [
            "project_key": .string(projectKey),
            "agent_name": .string(agent),
            "limit": .int(limit),
            "include_bodies": .bool(true),
        ])
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
