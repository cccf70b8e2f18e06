/// Where a task is in its life (DESIGN.md "Tasks").
public enum TaskState: String, Sendable, Codable, CaseIterable {
    /// Known, not started: no branch or worktree yet.
    case planned
    /// Branch and worktree exist; an agent is working.
    case started
    /// The agent ran `gorch done`: committed, clean, waiting to be merged.
    case ready
    /// Merged into the target; branch and worktree removed unless `--no-cleanup`.
    case merged
    /// Validation failed or the agent failed; worktree and branch kept.
    case failed
    /// The merge hit a complex conflict, written into the task's worktree for resolution.
    case conflicted

    /// States whose branch and worktree are live work.
    public var isActive: Bool { self == .started || self == .ready || self == .failed || self == .conflicted }
}
