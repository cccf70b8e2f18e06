internal import CLibGit2

extension Repository {
    /// The paths whose entry (id or mode) differs between two trees, each a tree or anything that
    /// peels to one; nil `old` is the empty tree (`git_diff_tree_to_tree`, no rename detection).
    /// Files only, never directories: a file replaced by a directory lists the file and every file
    /// under the directory. A type change (file <-> symlink) lists its path once. Sorted bytewise.
    /// Used to tell which local changes a checkout or merge would touch.
    public func changedPaths(from old: OID?, to new: OID) throws -> [String] {
        let oldTree = try old.map(peeledTree)
        defer { oldTree.map { git_object_free($0) } }
        let newTree = try peeledTree(new)
        defer { git_object_free(newTree) }
        var options = git_diff_options()
        try check(git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION)), "git_diff_options_init")
        var diff: OpaquePointer?
        try check(git_diff_tree_to_tree(&diff, raw, oldTree, newTree, &options), "git_diff_tree_to_tree")
        guard let diff else { return [] }
        defer { git_diff_free(diff) }
        var paths = Set<String>()
        for index in 0..<git_diff_num_deltas(diff) {
            guard let delta = git_diff_get_delta(diff, index)?.pointee else { continue }
            // Without rename detection both sides name the same path; a delete has it in old_file.
            for case let path? in [delta.old_file.path, delta.new_file.path] { paths.insert(RawPath.decode(path)) }
        }
        return paths.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}
