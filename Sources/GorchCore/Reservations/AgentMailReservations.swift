import Adapters
import Foundation

/// Reservations through MCP Agent Mail (contracts.md §4, contracts-update.md §5): one project per
/// repository (the main checkout's path as `human_key`, never a worktree's), one agent per task,
/// `file_reservation_paths` with a TTL; any conflict refuses the start (the caller then releases
/// everything the task holds, so a partial grant by the Rust server is undone). A local mirror
/// answers `active()` for batch planning. Agents (name and, from servers that issue one, the
/// registration token) are remembered in `.git/gorch/agents.json`, private to the user.
///
/// Exclusive on purpose: a task's scope is the files it will change, and two tasks changing one
/// file is the collision gorch exists to avoid. Shared reservations are for readers, and gorch
/// reserves nothing for reading.
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
        let agent = try await identity(for: task.rawValue, project: project, description: "gorch task \(task)")
        let result = try await client.reserve(projectKey: project, agent: agent.name, paths: paths, ttlSeconds: ttlSeconds,
                                              exclusive: true, reason: "gorch task \(task)", token: agent.token)
        _ = try await mirror.reserve(task, paths: paths, ttlSeconds: ttlSeconds)
        return result.conflicts.map { ReservationConflictInfo(path: $0.path, holders: $0.holders) }
    }

    public func renew(_ task: TaskID, ttlSeconds: Int) async throws {
        guard let agent = agents()[task.rawValue] else { return }
        let project = try await client.ensureProject(humanKey: humanKey)
        _ = try await client.renew(projectKey: project, agent: agent.name, extendSeconds: ttlSeconds, token: agent.token)
        try await mirror.renew(task, ttlSeconds: ttlSeconds)
    }

    public func release(_ task: TaskID) async throws {
        try await mirror.release(task)
        guard let agent = agents()[task.rawValue] else { return }
        let project = try await client.ensureProject(humanKey: humanKey)
        _ = try await client.release(projectKey: project, agent: agent.name, token: agent.token)
    }

    public func active() async throws -> [ActiveReservation] {
        try await mirror.active()
    }

    public func notifyDone(_ task: TaskID, title: String, summary: String) async throws {
        let project = try await client.ensureProject(humanKey: humanKey)
        let sender = try await identity(for: task.rawValue, project: project, description: "gorch task \(task)")
        let coordinator = try await identity(for: Self.coordinatorKey, project: project, description: "gorch merge coordinator")
        try await client.sendMessage(projectKey: project, sender: sender.name, to: [coordinator.name],
                                     subject: "[gorch] \(task) ready: \(title)", body: summary, senderToken: sender.token)
    }

    /// The agent registered for a task (or the coordinator), registering it the first time.
    private func identity(for key: String, project: String, description: String) async throws -> AgentIdentity {
        if let known = agents()[key] { return known }
        let agent = try await client.register(projectKey: project, name: nil, taskDescription: description)
        try FileLock.withLock(at: agentsPath + ".lock", what: "the Agent Mail agent list") {
            var all = agents()
            all[key] = agent
            try AtomicFile.write(try StoreJSON.encoder().encode(all), to: agentsPath)
        }
        return agent
    }

    /// The remembered agents; names alone from gorch before tokens (read as agents without one).
    private func agents() -> [String: AgentIdentity] {
        guard let data = FileManager.default.contents(atPath: agentsPath) else { return [:] }
        if let identities = try? JSONDecoder().decode([String: AgentIdentity].self, from: data) { return identities }
        let names = (try? JSONDecoder().decode([String: String].self, from: data)) ?? [:]
        return names.mapValues { AgentIdentity(name: $0, token: nil) }
    }
}
