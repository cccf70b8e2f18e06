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
    public func setHeadDetached(_ commit: OID) throws {
        var id = commit.raw
        try check(git_repository_set_head_detached(raw, &id), "git_repository_set_head_detached")
    }

    private func checkoutHere(tree: OID, paths: [String]?, baseline: OID?) throws {
        let target = try peeledTree(tree)
        defer { git_object_free(target) }
        let expected = try baseline.map(peeledTree)
        defer { expected.map { git_object_free($0) } }

        var options = git_checkout_options()
        try check(git_checkout_options_init(&options, UInt32(GIT_CHECKOUT_OPTIONS_VERSION)), "git_checkout_options_init")
        options.checkout_strategy = GIT_CHECKOUT_SAFE.rawValue
        if paths != nil { options.checkout_strategy |= GIT_CHECKOUT_DISABLE_PATHSPEC_MATCH.rawValue }
        options.baseline = expected
        options.notify_flags = GIT_CHECKOUT_NOTIFY_CONFLICT.rawValue
        let collector = CheckoutConflicts()
        let payload = Unmanaged.passRetained(collector)
        defer { payload.release() }
        options.notify_payload = payload.toOpaque()
        options.notify_cb = { _, path, _, _, _, payload in
            guard let payload, let path else { return 0 }
            Unmanaged<CheckoutConflicts>.fromOpaque(payload).takeUnretainedValue().paths.append(String(cString: path))
            return 0  // keep going, so that every conflicting path is reported
        }

        let rc = try withStringArray(paths ?? []) { array in
            if paths != nil { options.paths = array }
            defer { options.paths = git_strarray() }
            return git_checkout_tree(raw, target, &options)
        }
        if rc == GIT_ECONFLICT.rawValue || (rc < 0 && !collector.paths.isEmpty) {
            let where_ = workingDirectory.map { " in \($0)" } ?? ""
            throw GitError(code: .conflict, function: "git_checkout_tree",
                           message: "checkout of \(tree.short())\(where_) would overwrite local changes to "
                               + "\(Self.pathList(collector.paths)); commit, stash or discard them first")
        }
        try check(rc, "git_checkout_tree")
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

/// The paths checkout reported as conflicts, filled in by the C notify callback.
private final class CheckoutConflicts {
    var paths: [String] = []
}
