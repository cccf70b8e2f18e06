internal import CLibGit2

/// The result of a libgit2 merge: an in-memory index owning one `git_index*`, freed in `deinit`.
/// It keeps its repository alive, since the index's objects live in that repository's database.
/// Not Sendable, like `Repository`.
public final class MergeIndex {
    public let repository: Repository
    let raw: OpaquePointer

    init(repository: Repository, raw: OpaquePointer) {
        self.repository = repository
        self.raw = raw
    }

    deinit { git_index_free(raw) }

    /// Whether any path has conflict stages (`git_index_has_conflicts`).
    public var hasConflicts: Bool { git_index_has_conflicts(raw) == 1 }

    /// The conflicted paths, each with its ancestor, ours and theirs stages, in path order
    /// (`git_index_conflict_iterator_new`, `git_index_conflict_next`).
    public func conflicts() throws -> [IndexConflict] {
        var iterator: OpaquePointer?
        try check(git_index_conflict_iterator_new(&iterator, raw), "git_index_conflict_iterator_new")
        guard let iterator else { return [] }
        defer { git_index_conflict_iterator_free(iterator) }
        var conflicts: [IndexConflict] = []
        while true {
            var ancestor: UnsafePointer<git_index_entry>?, ours: UnsafePointer<git_index_entry>?, theirs: UnsafePointer<git_index_entry>?
            let rc = git_index_conflict_next(&ancestor, &ours, &theirs, iterator)
            if rc == GIT_ITEROVER.rawValue { break }
            try check(rc, "git_index_conflict_next")
            conflicts.append(IndexConflict(ancestor: ancestor.map(Self.entry), ours: ours.map(Self.entry),
                                           theirs: theirs.map(Self.entry)))
        }
        return conflicts
    }

    /// Every entry, merged (stage 0) and conflicted (stages 1-3), in index order
    /// (`git_index_entrycount`, `git_index_get_byindex`).
    public func entries() -> [IndexEntry] {
        (0..<git_index_entrycount(raw)).compactMap { git_index_get_byindex(raw, $0).map(Self.entry) }
    }

    /// Writes the merged tree into the repository (`git_index_write_tree_to`); goes to memory after
    /// `useInMemoryObjectWrites()`. Throws `.conflict` naming the paths when conflicts remain.
    public func writeTree() throws -> OID {
        if hasConflicts {
            let paths = try conflicts().map(\.path)
            throw GitError(code: .conflict, function: "git_index_write_tree_to",
                           message: "cannot write a tree while \(Repository.pathList(paths)) \(paths.count == 1 ? "is" : "are") conflicted")
        }
        var id = git_oid()
        try check(git_index_write_tree_to(&id, raw, repository.raw), "git_index_write_tree_to")
        return OID(id)
    }

    private static func entry(_ pointer: UnsafePointer<git_index_entry>) -> IndexEntry {
        IndexEntry(path: pointer.pointee.path.map { RawPath.decode($0) } ?? "", oid: OID(pointer.pointee.id),
                   mode: FileMode(rawValue: pointer.pointee.mode), stage: Int(git_index_entry_stage(pointer)))
    }
}

extension Repository {
    /// Merges two trees against an ancestor tree (nil: the empty tree) in memory (`git_merge_trees`).
    /// Each id may be a tree or anything that peels to one. Rename detection only with `findRenames`
    /// (GIT_MERGE_FIND_RENAMES); cleanly merged blobs are written to the object database.
    public func mergeTrees(ancestor: OID?, ours: OID, theirs: OID, findRenames: Bool = false) throws -> MergeIndex {
        let ancestorTree = try ancestor.map(peeledTree)
        defer { ancestorTree.map { git_object_free($0) } }
        let ourTree = try peeledTree(ours)
        defer { git_object_free(ourTree) }
        let theirTree = try peeledTree(theirs)
        defer { git_object_free(theirTree) }
        var options = try mergeOptions(findRenames: findRenames)
        var index: OpaquePointer?
        try check(git_merge_trees(&index, raw, ancestorTree, ourTree, theirTree, &options), "git_merge_trees")
        guard let index else { throw GitError(code: .other(-1), function: "git_merge_trees", message: "no index") }
        return MergeIndex(repository: self, raw: index)
    }

    /// Merges two commits in memory, finding their merge bases itself (several bases are merged
    /// into a virtual one, as git's recursive strategy does) (`git_merge_commits`, renames on).
    public func mergeCommits(_ ours: OID, _ theirs: OID, findRenames: Bool = true) throws -> MergeIndex {
        try withCommit(ours) { ourCommit in
            try withCommit(theirs) { theirCommit in
                var options = try mergeOptions(findRenames: findRenames)
                var index: OpaquePointer?
                try check(git_merge_commits(&index, raw, ourCommit, theirCommit, &options), "git_merge_commits")
                guard let index else { throw GitError(code: .other(-1), function: "git_merge_commits", message: "no index") }
                return MergeIndex(repository: self, raw: index)
            }
        }
    }

    private func mergeOptions(findRenames: Bool) throws -> git_merge_options {
        var options = git_merge_options()
        try check(git_merge_options_init(&options, UInt32(GIT_MERGE_OPTIONS_VERSION)), "git_merge_options_init")
        options.flags = findRenames ? GIT_MERGE_FIND_RENAMES.rawValue : 0  // the init default has renames on
        return options
    }
}
