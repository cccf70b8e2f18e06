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
}
