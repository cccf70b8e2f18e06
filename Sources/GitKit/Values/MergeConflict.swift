/// What kind of conflict a path has, in the words of `gorch conflicts` (DESIGN.md "Conflict prediction").
public enum ConflictKind: String, Sendable, Codable, CaseIterable {
    case content
    case addAdd = "add/add"
    case modifyDelete = "modify/delete"
    case renameDelete = "rename/delete"
    case renameRename = "rename/rename"
    case renameAdd = "rename/add"
    case directoryFile = "directory/file"
    case location
    case mode
    case binary
    case submodule
}

/// One conflicting path of a merge.
public struct MergeConflict: Hashable, Sendable {
    public let path: String
    public let kind: ConflictKind

    public init(path: String, kind: ConflictKind) {
        self.path = path
        self.kind = kind
    }
}

/// The outcome of an in-memory merge of two commits, as merge-ort would compute it.
public struct MergeOutcome: Sendable, Equatable {
    /// Whether git would merge without conflicts. A merge can be unclean with no conflicting
    /// path listed (a directory rename split, a collision of implicit directory renames).
    public let clean: Bool
    /// Conflicting paths, one entry each (the most telling kind wins), in byte order.
    public let conflicts: [MergeConflict]
    /// The merged tree; when conflicted, the tree merge-ort writes (conflict markers in files,
    /// a file in a directory's way moved to `path~branch`). It lives wherever the repository
    /// writes objects (memory, after `useInMemoryObjectWrites()`).
    public let tree: OID
    /// Number of merge bases used (0 when the histories are unrelated).
    public let bases: Int
    /// The index stages of the conflicted paths, as `git merge-tree --write-tree` lists them
    /// ("conflicted file info"): sorted by path bytes, then stage. Empty when clean. These are
    /// what a conflicted `git merge` leaves in the index for those paths.
    public let stages: [ConflictStage]
    /// Whether part of the uncleanness is not tied to a listed path (a directory rename split,
    /// colliding implicit directory renames): resolving every listed path does not make such a
    /// merge clean.
    public let hasUnlistedConflicts: Bool

    public var isClean: Bool { clean }

    public init(clean: Bool, conflicts: [MergeConflict], tree: OID, bases: Int, stages: [ConflictStage] = [],
                hasUnlistedConflicts: Bool = false) {
        self.clean = clean
        self.conflicts = conflicts
        self.tree = tree
        self.bases = bases
        self.stages = stages
        self.hasUnlistedConflicts = hasUnlistedConflicts
    }
}

/// One index stage of a conflicted path, as merge-ort records it (merge_get_conflicted_files):
/// stage 1 base, 2 ours, 3 theirs.
public struct ConflictStage: Hashable, Sendable {
    /// The conflicted path (ort's key: after a rename, the destination).
    public let path: String
    /// 1 base, 2 ours, 3 theirs.
    public let stage: Int
    public let mode: FileMode
    public let oid: OID

    public init(path: String, stage: Int, mode: FileMode, oid: OID) {
        self.path = path
        self.stage = stage
        self.mode = mode
        self.oid = oid
    }
}
