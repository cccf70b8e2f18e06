import GitKit

/// Step 4 of the coordinator (Beads/OpenSpec mode): the task's box in
/// `openspec/changes/<change>/tasks.md`, ticked in the merged tree, so the target records the
/// progress in the same commit as the work.
enum TasksTick {
    static func path(change: String) -> String { "openspec/changes/\(change)/tasks.md" }

    /// The tree with the box ticked; nil when the task has no source, the file or task is
    /// missing, or the box is already ticked.
    static func tick(_ repository: Repository, tree: OID, task: TaskRecord) throws -> OID? {
        guard let change = task.change, let number = task.taskNumber else { return nil }
        let path = path(change: change)
        guard let entry = try entry(repository, tree: tree, path: path), entry.mode.isRegularFile else { return nil }
        let text = String(decoding: try repository.blobData(entry.oid), as: UTF8.self)
        guard let ticked = TasksDocument.tick(text, number: number), ticked != text else { return nil }
        let blob = try repository.writeBlob(Array(ticked.utf8))
        return try repository.updateTree(tree, changes: [(path, (blob, entry.mode))])
    }

    /// Whether merging this task will tick a box (then `--ff` does not apply).
    static func isDue(_ repository: Repository, tree: OID, task: TaskRecord) throws -> Bool {
        try tick(repository, tree: tree, task: task) != nil
    }

    static func entry(_ repository: Repository, tree: OID, path: String) throws -> TreeEntry? {
        var current = tree
        let parts = path.split(separator: "/").map(String.init)
        for (index, part) in parts.enumerated() {
            guard let entry = try repository.treeEntries(current).first(where: { $0.name == part }) else { return nil }
            if index == parts.count - 1 { return entry }
            guard entry.mode.isTree else { return nil }
            current = entry.oid
        }
        return nil
    }
}
