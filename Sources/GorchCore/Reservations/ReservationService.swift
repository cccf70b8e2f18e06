/// File reservations for a task's scope (DESIGN.md: "reserve the scope"): MCP Agent Mail when it
/// is configured and reachable, else gorch's embedded store with the same semantics. Reservations
/// are advisory: a grant with conflicts is treated as a conflict by gorch.
public protocol ReservationService: Sendable {
    /// "agent-mail" or "embedded".
    var kind: String { get }
    /// Reserves `paths` for the task; returns the conflicts (other holders), empty when clear.
    func reserve(_ task: TaskID, paths: [String], ttlSeconds: Int) async throws -> [ReservationConflictInfo]
    func renew(_ task: TaskID, ttlSeconds: Int) async throws
    func release(_ task: TaskID) async throws
    /// gorch's view of live reservations (its own tasks'), for batch and status.
    func active() async throws -> [ActiveReservation]
    /// Tells the coordinator that a task is ready (Agent Mail message); a no-op when embedded.
    func notifyDone(_ task: TaskID, title: String, summary: String) async throws
}

public struct ReservationConflictInfo: Sendable, Equatable {
    public let path: String
    public let holders: [String]
}

public struct ActiveReservation: Sendable, Codable, Equatable {
    public let task: String
    public let agent: String
    public let patterns: [String]
    public let expires: Double
}
