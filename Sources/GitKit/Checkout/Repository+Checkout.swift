internal import CLibGit2
import Foundation

extension Repository {
    /// Makes the working directory and index of this repository, or of the worktree at
    /// `worktreePath`, match `tree` (a tree, or anything that peels to one) (`git_checkout_tree`
    /// with GIT_CHECKOUT_SAFE). HEAD does not move: follow with `setHead(branch:)` or
    /// `updateReference`. `paths` limits the checkout to those literal paths.
    ///
    /// Refuses, changing nothing, when that would overwrite local changes: a tracked file modified
    /// since `baseline`, or an untracked file in the way of one the tree adds. The GitError
    /// (`.conflict`) names every such path. `baseline` is the tree the working directory is
    /// expected to match, HEAD's by default; pass the old tree when HEAD's branch has already been
    /// moved to `tree`. For a worktree path, `tree` must be in the on-disk object database (not
    /// only in this handle's in-memory objects).
    public func checkout(tree: OID, in worktreePath: String? = nil, paths: [String]? = nil, baseline: OID? = nil) throws {
        if let worktreePath {
            try Repository.open(at: worktreePath).checkoutHere(tree: tree, paths: paths, baseline: baseline)
        } else {
            try checkoutHere(tree: tree, paths: paths, baseline: baseline)
        }
    }

    /// Points HEAD at a local branch, e.g. "main" or "refs/heads/main" (`git_repository_set_head`).
    /// The working directory and index are left as they are.
    public func setHead(branch: String) throws {
        let name = branch.hasPrefix("refs/") ? branch : "refs/heads/" + branch
        try check(git_repository_set_head(raw, name), "git_repository_set_head")
    }

    /// Detaches HEAD at a commit (`git_repository_set_head_detached`); work tree and index untouched.
    func setHeadDetached(_ commit: OID) throws {
        var id = commit.raw
        try check(git_repository_set_head_detached(raw, &id), "git_repository_set_head_detached")
    }

    /// The paths that would stop `checkout(tree:baseline:)` here: the same SAFE checkout run with
    /// GIT_CHECKOUT_DRY_RUN, so nothing on disk changes. Empty means a real checkout would
    /// succeed. Lists what libgit2 reports (a tracked file modified since `baseline`, an untracked
    /// file in the way of one the tree adds) plus staged changes libgit2 misses (see
    /// `stagedBlockers`), in byte order.
    public func checkoutBlockers(tree: OID, baseline: OID? = nil) throws -> [String] {
        try safeCheckout(tree: tree, paths: nil, baseline: baseline, dryRun: true)
    }

    private func checkoutHere(tree: OID, paths: [String]?, baseline: OID?) throws {
        let blockers = try safeCheckout(tree: tree, paths: paths, baseline: baseline, dryRun: false)
        guard blockers.isEmpty else { throw localChangesInTheWay(of: tree, blockers) }
    }

    /// The SAFE checkout behind `checkout` and `checkoutBlockers`. Returns the blocking paths, in
    /// which case nothing was changed; empty when the checkout ran (or, dry, would run).
    private func safeCheckout(tree: OID, paths: [String]?, baseline: OID?, dryRun: Bool) throws -> [String] {
        let staged = try stagedBlockers(tree: tree, paths: paths, baseline: baseline)
        // A staged blocker means no checkout at all: ask libgit2 only what else is in the way.
        let reported = try runCheckout(tree: tree, CheckoutRequest(paths: paths, baseline: baseline, dryRun: dryRun || !staged.isEmpty))
        return staged.isEmpty && reported.isEmpty ? [] : Self.sortedUnique(reported + staged)
    }

    /// Paths the checkout would change whose index entry differs from `baseline` (HEAD's tree by
    /// default) or is conflicted. libgit2 judges a path by its work-tree file alone, so a change
    /// that is staged and then undone in the work tree would be silently dropped with the index
    /// entry; `git merge` and `git checkout` refuse it ("Your local changes ... would be
    /// overwritten"), and so do we.
    private func stagedBlockers(tree: OID, paths: [String]?, baseline: OID?) throws -> [String] {
        guard !isBare else { return [] }
        let expected = try baseline ?? headCommit()
        var changed = try changedPaths(from: expected, to: tree)
        if let paths { changed = changed.filter(Set(paths).contains) }
        guard !changed.isEmpty else { return [] }
        let expectedTree = try expected.map(peeledTree)
        defer { expectedTree.map { git_object_free($0) } }
        var index: OpaquePointer?
        try check(git_repository_index(&index, raw), "git_repository_index")
        guard let index else { return [] }
        defer { git_index_free(index) }
        try check(git_index_read(index, 0), "git_index_read")  // pick up changes made by git since
        return try changed.filter { path in
            let (conflicted, staged) = Self.indexEntry(index, path)
            if conflicted { return true }
            let committed = try expectedTree.flatMap { try Self.entry(of: $0, at: path) }
            return staged?.0 != committed?.0 || staged?.1 != committed?.1
        }
    }

    /// Whether `path` has conflict stages in `index`, and its stage-0 (id, mode) if any.
    static func indexEntry(_ index: OpaquePointer, _ path: String) -> (conflicted: Bool, stage0: (OID, UInt32)?) {
        RawPath.withCString(path) { cPath in
            if (1...3).contains(where: { git_index_get_bypath(index, cPath, Int32($0)) != nil }) { return (true, nil) }
            return (false, git_index_get_bypath(index, cPath, 0).map { (OID($0.pointee.id), $0.pointee.mode) })
        }
    }

    /// The (id, mode) of the file, link or submodule at `path` in `tree`; nil when absent or a
    /// directory (`git_tree_entry_bypath`).
    static func entry(of tree: OpaquePointer, at path: String) throws -> (OID, UInt32)? {
        var entry: OpaquePointer?
        let rc = RawPath.withCString(path) { git_tree_entry_bypath(&entry, tree, $0) }
        if rc == GIT_ENOTFOUND.rawValue { git_error_clear(); return nil }
        try check(rc, "git_tree_entry_bypath")
        guard let entry else { return nil }
        defer { git_tree_entry_free(entry) }
        let mode = git_tree_entry_filemode(entry).rawValue
        guard mode != GIT_FILEMODE_TREE.rawValue, let id = git_tree_entry_id(entry) else { return nil }
        return (OID(id), mode)
    }

    /// Looks up `oid` and peels it to a tree (a tree stays itself; a commit or tag gives its tree).
    /// The caller frees the result with `git_object_free`.
    func peeledTree(_ oid: OID) throws -> OpaquePointer {
        var id = oid.raw
        var object: OpaquePointer?
        try check(git_object_lookup(&object, raw, &id, GIT_OBJECT_ANY), "git_object_lookup")
        guard let object else { throw GitError(code: .notFound, function: "git_object_lookup", message: oid.hex) }
        defer { git_object_free(object) }
        var tree: OpaquePointer?
        try check(git_object_peel(&tree, object, GIT_OBJECT_TREE), "git_object_peel")
        guard let tree else { throw GitError(code: .notFound, function: "git_object_peel", message: oid.hex) }
        return tree
    }
}
