import Foundation

/// One task as gorch tracks it. The embedded store keeps these in `.git/gorch/tasks.json`; the
/// Beads store maps them onto issues.
public struct TaskRecord: Sendable, Codable, Equatable {
    public var id: TaskID
    public var title: String
    public var state: TaskState
    /// Tasks that must be merged before this one is batched (`gorch add --after`).
    public var after: [TaskID]
    /// Declared file scope (globs); nil = unknown scope.
    public var files: [String]?
    public var createdAt: Date
    public var startedAt: Date?
    public var readyAt: Date?
    public var mergedAt: Date?
    /// The commit the task branch started from.
    public var base: String?
    /// The target commit that contains the task, once merged.
    public var mergeCommit: String?
    /// Why the task is failed or conflicted (with the log or worktree to look at).
    public var note: String?
    /// The OpenSpec change and task number it came from (`gorch populate`), for ticking tasks.md.
    public var change: String?
    public var taskNumber: String?
    /// The tracker's text of the task (a Beads issue's description), for the agent's prompt.
    public var description: String?

    public init(id: TaskID, title: String, state: TaskState = .planned, after: [TaskID] = [], files: [String]? = nil,
                createdAt: Date = Date()) {
        self.id = id
        self.title = title
        self.state = state
        self.after = after
        self.files = files
        self.createdAt = createdAt
    }

    public var branch: String { id.branch }
}
