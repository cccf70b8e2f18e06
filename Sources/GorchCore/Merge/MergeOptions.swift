/// What `gorch merge` was asked to do.
public struct MergeOptions: Sendable {
    /// Tasks in the order to merge; empty = every ready task by dependency, then ready time.
    public var ids: [TaskID] = []
    /// Validation steps; empty = `gorch.validate` from config (none = a warning).
    public var validate: [String] = []
    public var keepGoing = false
    public var cleanup = true
    public var fastForward = false
    /// `--resolve-with CMD`: an agent run in a task's worktree when its merge hits a complex
    /// conflict; the task is retried once afterwards.
    public var resolveWith: String?
    /// `--batch N`: tasks per merge train; nil = `gorch.batch` (DESIGN.md "merge trains").
    public var batch: Int?
    /// `--lanes L`: validation worktrees used at once; nil = `gorch.validateLanes`.
    public var lanes: Int?
    /// Seconds to wait for another gorch holding the repository lock.
    public var lockWait: Double = 2

    public init() {}
}
