/// `gorch add`: a planned task in the embedded store.
public struct TaskAdder {
    let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    public func add(_ id: TaskID, title: String?, files: [String]?, after: [TaskID]) async throws -> TaskRecord {
        let existing = try await workspace.store.list()
        let known = Set(existing.map(\.id))
        if let missing = after.first(where: { !known.contains($0) }) {
            throw GorchFailure(.usage, "task \(id) would come after \(missing), which does not exist",
                               hint: "add \(missing) first, or fix the --after list")
        }
        if after.contains(id) {
            throw GorchFailure(.usage, "task \(id) cannot come after itself", hint: "remove \(id) from --after")
        }
        let task = TaskRecord(id: id, title: title ?? id.rawValue, after: after,
                              files: files.flatMap { $0.isEmpty ? nil : $0 })
        try await workspace.store.add(task)
        return task
    }
}
