/// One path that differs between HEAD, the index and the working directory, as `git status` lists it.
public struct StatusEntry: Hashable, Sendable {
    /// Relative to the working directory, `/`-separated.
    public let path: String
    /// Not in the index (and not ignored).
    public let isUntracked: Bool
    /// Staged: the index differs from HEAD (added, modified, deleted, renamed, type-changed).
    public let indexChanged: Bool
    /// A tracked file whose working copy differs from the index (modified, deleted, type-changed).
    public let worktreeChanged: Bool
    /// Unmerged: the index holds conflict stages for this path.
    public let isConflicted: Bool

    public init(path: String, isUntracked: Bool, indexChanged: Bool, worktreeChanged: Bool, isConflicted: Bool) {
        self.path = path
        self.isUntracked = isUntracked
        self.indexChanged = indexChanged
        self.worktreeChanged = worktreeChanged
        self.isConflicted = isConflicted
    }
}
