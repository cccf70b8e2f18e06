/// Where tasks live: gorch's embedded store, or (later) Beads behind the same calls.
/// Every method is atomic with respect to other gorch processes.
public protocol TaskStore: Sendable {
    /// "embedded" or "beads", for status output and doctor.
    var kind: String { get }
    /// Creates the store's files if missing; returns whether it did.
    func prepare() async throws -> Bool
    func list() async throws -> [TaskRecord]
    func get(_ id: TaskID) async throws -> TaskRecord?
    /// Adds a task; throws when the id exists.
    func add(_ task: TaskRecord) async throws
    /// Reads, changes and writes one task in one step (the change sees the stored value).
    @discardableResult
    func update(_ id: TaskID, _ change: (inout TaskRecord) throws -> Void) async throws -> TaskRecord
    /// Adds the task if it is missing, else applies `change`; returns the stored value.
    @discardableResult
    func upsert(_ id: TaskID, create: () -> TaskRecord, _ change: (inout TaskRecord) throws -> Void) async throws -> TaskRecord
    /// Renews the tracker's claim on a started task while its agent works (bd >= 1.3 leases:
    /// `bd heartbeat`). Returns false when this store has no claim to renew, so callers stop.
    func keepClaimAlive(_ id: TaskID) async throws -> Bool
    /// Makes sure gorch holds the tracker's claim on a task it did not just move from planned:
    /// a no-op for its own claim, `BeadsError.alreadyClaimed` for another actor's.
    func ensureClaimed(_ id: TaskID) async throws
}

extension TaskStore {
    /// gorch's own stores hold no leases: a started task stays started until gorch moves it.
    public func keepClaimAlive(_ id: TaskID) async throws -> Bool { false }
    public func ensureClaimed(_ id: TaskID) async throws {}
}
