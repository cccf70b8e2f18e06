/// One entry of an index, as a value.
public struct IndexEntry: Hashable, Sendable {
    public let path: String
    public let oid: OID
    public let mode: FileMode
    /// 0 when merged; 1 ancestor, 2 ours, 3 theirs for a conflicted path.
    public let stage: Int

    public init(path: String, oid: OID, mode: FileMode, stage: Int = 0) {
        self.path = path
        self.oid = oid
        self.mode = mode
        self.stage = stage
    }
}

/// The stages of one conflicted path in an index; a missing stage means that side has no such file
/// (added on both sides: no ancestor; modified on one side, deleted on the other: no ours or theirs).
public struct IndexConflict: Hashable, Sendable {
    public let ancestor: IndexEntry?
    public let ours: IndexEntry?
    public let theirs: IndexEntry?

    public init(ancestor: IndexEntry?, ours: IndexEntry?, theirs: IndexEntry?) {
        self.ancestor = ancestor
        self.ours = ours
        self.theirs = theirs
    }

    /// The conflicted path (the stages may differ only with rename detection; ours wins, then theirs).
    public var path: String { ours?.path ?? theirs?.path ?? ancestor?.path ?? "" }
}
