/// A linked worktree as git records it under `.git/worktrees/<name>/`, as a value.
public struct Worktree: Hashable, Sendable {
    /// The name of its admin directory, `.git/worktrees/<name>/`.
    public let name: String
    /// The working directory, as recorded in the worktree's `gitdir` file.
    public let path: String
    /// Locked worktrees are never pruned unless asked explicitly (`git worktree lock`).
    public let isLocked: Bool
    /// The reason given when locking; nil when unlocked or locked without a reason.
    public let lockReason: String?
    /// Whether `git_worktree_prune` with default flags would remove it (invalid and not locked).
    public let isPrunable: Bool
    /// Whether its working directory and admin files are intact (`git_worktree_validate`).
    public let isValid: Bool

    public init(name: String, path: String, isLocked: Bool, lockReason: String?, isPrunable: Bool, isValid: Bool) {
        self.name = name
        self.path = path
        self.isLocked = isLocked
        self.lockReason = lockReason
        self.isPrunable = isPrunable
        self.isValid = isValid
    }
}
