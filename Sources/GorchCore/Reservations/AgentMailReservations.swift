import Adapters
import Foundation

/// Reservations through MCP Agent Mail (contracts.md §4): one project per repository (the main
/// checkout's path as `human_key`, never a worktree's), one agent per task, exclusive
/// `file_reservation_paths` with a TTL; a non-empty `conflicts` is a conflict. A local mirror
/// answers `active()` for batch planning. Agent names are remembered in `.git/gorch/agents.json`.
public final class AgentMailReservations: ReservationService {
    public let kind = "agent-mail"
    let client: AgentMailClient
    let humanKey: String
    let mirror: EmbeddedReservations
    let agentsPath: String
    static let coordinatorKey = "@coordinator"

    public init(client: AgentMailClient, humanKey: String, paths: GorchPaths) {
        self.client = client
        self.humanKey = humanKey
        mirror = EmbeddedReservations(paths: paths)
        agentsPath = (paths.root as NSString).appendingPathComponent("agents.json")
    }

    public func reserve(_ task: TaskID, paths: [String], ttlSeconds: Int) async throws -> [ReservationConflictInfo] {
        let project = try await client.ensureProject(humanKey: humanKey)
        let agent = try await agentName(for: task.rawValue, project: project, description: "gorch task \(task)")
        let result = try await client.reserve(projectKey: project, agent: agent, paths: paths, ttlSeconds: ttlSeconds,
                                              exclusive: true, reason: "gorch task \(task)")
        _ = try await mirror.reserve(task, paths: paths, ttlSeconds: ttlSeconds)
        return result.conflicts.map { ReservationConflictInfo(path: $0.path, holders: $0.holders) }
    }

    public func renew(_ task: TaskID, ttlSeconds: Int) async throws {
        guard let agent = agents()[task.rawValue] else { return }
        let project = try await client.ensureProject(humanKey: humanKey)
        _ = try await client.renew(projectKey: project, agent: agent, extendSeconds: ttlSeconds)
        try await mirror.renew(task, ttlSeconds: ttlSeconds)
    }

    public func release(_ task: TaskID) async throws {
        try await mirror.release(task)
        guard let agent = agents()[task.rawValue] else { return }
        let project = try await client.ensureProject(humanKey: humanKey)
        _ = try await client.release(projectKey: project, agent: agent)
    }

    public func active() async throws -> [ActiveReservation] {
        try await mirror.active()
    }

    public func notifyDone(_ task: TaskID, title: String, summary: String) async throws {
        let project = try await client.ensureProject(humanKey: humanKey)
        let sender = try await agentName(for: task.rawValue, project: project, description: "gorch task \(task)")
        let coordinator = try await agentName(for: Self.coordinatorKey, project: project, description: "gorch merge coordinator")
        try await client.sendMessage(projectKey: project, sender: sender, to: [coordinator],
                                     subject: "[gorch] \(task) ready: \(title)", body: summary)
    }

    /// The agent name registered for a task (or the coordinator), registering it the first time.
    private func agentName(for key: String, project: String, description: String) async throws -> String {
        if let known = agents()[key] { return known }
        let name = try await client.registerAgent(projectKey: project, name: nil, taskDescription: description)
        try FileLock.withLock(at: agentsPath + ".lock", what: "the Agent Mail agent list") {
            var all = agents()
            all[key] = name
            try AtomicFile.write(try StoreJSON.encoder().encode(all), to: agentsPath)
        }
        return name
    }

    private func agents() -> [String: String] {
        guard let data = FileManager.default.contents(atPath: agentsPath) else { return [:] }
        return (try? JSONDecoder().decode([String: String].self, from: data)) ?? [:]
    }
}
