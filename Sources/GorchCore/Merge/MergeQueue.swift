/// The order of a merge run without explicit ids: ready tasks, each after the ready tasks it
/// depends on (`--after`), otherwise by the time they became ready (DESIGN.md "Merge coordinator").
enum MergeQueue {
    static func order(_ tasks: [TaskRecord]) -> [TaskID] {
        let ready = tasks.filter { $0.state == .ready }
            .sorted { ($0.readyAt ?? $0.createdAt, $0.id) < ($1.readyAt ?? $1.createdAt, $1.id) }
        let readyIDs = Set(ready.map(\.id))
        var placed: Set<TaskID> = []
        var order: [TaskID] = []
        // Repeatedly take the earliest ready task whose ready dependencies are placed; a cycle
        // (which `add` prevents) falls back to ready time.
        var pending = ready
        while !pending.isEmpty {
            let index = pending.firstIndex { task in
                task.after.allSatisfy { !readyIDs.contains($0) || placed.contains($0) }
            } ?? 0
            let next = pending.remove(at: index)
            placed.insert(next.id)
            order.append(next.id)
        }
        return order
    }
}
