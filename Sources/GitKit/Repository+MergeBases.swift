internal import CLibGit2

extension Repository {
    /// All merge bases of two commits, in libgit2's order, which is git's `merge-base --all` order
    /// (`git_merge_bases`). Empty for unrelated histories.
    public func mergeBases(_ one: OID, _ two: OID) throws -> [OID] {
        var a = one.raw, b = two.raw
        var array = git_oidarray()
        let rc = git_merge_bases(&array, raw, &a, &b)
        if rc == GIT_ENOTFOUND.rawValue { return [] }
        try check(rc, "git_merge_bases")
        defer { git_oidarray_dispose(&array) }
        return (0..<array.count).map { OID(array.ids[$0]) }
    }

    /// Whether `ancestor` is reachable from `descendant` (or equal to it) (`git_graph_descendant_of`).
    public func isAncestor(_ ancestor: OID, of descendant: OID) throws -> Bool {
        if ancestor == descendant { return true }
        var a = descendant.raw, b = ancestor.raw
        return try check(git_graph_descendant_of(raw, &a, &b), "git_graph_descendant_of") == 1
    }
}
