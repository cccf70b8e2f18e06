internal import CLibGit2

/// How one libgit2 checkout is run. Every checkout in GitKit is built from one of these, so the
/// strategy flags, the path limit and the conflict notifications are set up in one place.
struct CheckoutRequest {
    /// GIT_CHECKOUT_FORCE (overwrite whatever is there) instead of GIT_CHECKOUT_SAFE (refuse
    /// to overwrite local changes, reporting each path in the way).
    var force = false
    /// Limits the checkout to these exact paths (GIT_CHECKOUT_DISABLE_PATHSPEC_MATCH: a path
    /// is never read as a pattern); nil for the whole tree.
    var paths: [String]?
    /// The tree the work tree is expected to show (`baseline`); nil: HEAD's.
    var baseline: OID?
    /// GIT_CHECKOUT_DRY_RUN: only find what would be in the way.
    var dryRun = false
    /// GIT_CHECKOUT_DONT_WRITE_INDEX: the repository's index object is updated, its file is not.
    var keepsIndexFile = false
}

extension Repository {
    /// Checks `tree` (or anything that peels to one) out as `request` says (`git_checkout_tree`).
    /// Returns the paths a SAFE checkout reported as conflicts, in which case nothing was written;
    /// empty when it ran (or, dry, would run). Any other failure is thrown.
    func runCheckout(tree: OID, _ request: CheckoutRequest) throws -> [String] {
        let target = try peeledTree(tree)
        defer { git_object_free(target) }
        return try withCheckoutOptions(request, "git_checkout_tree") { options in git_checkout_tree(raw, target, &options) }
    }

    /// Builds the `git_checkout_options` for `request`, lends them to `body` (which runs
    /// `function` and returns its code) and collects the conflicting paths libgit2 reports meanwhile.
    func withCheckoutOptions(_ request: CheckoutRequest, _ function: String,
                             _ body: (inout git_checkout_options) -> Int32) throws -> [String] {
        var options = git_checkout_options()
        try check(git_checkout_options_init(&options, UInt32(GIT_CHECKOUT_OPTIONS_VERSION)), "git_checkout_options_init")
        options.checkout_strategy = request.force ? GIT_CHECKOUT_FORCE.rawValue : GIT_CHECKOUT_SAFE.rawValue
        if request.paths != nil { options.checkout_strategy |= GIT_CHECKOUT_DISABLE_PATHSPEC_MATCH.rawValue }
        if request.dryRun { options.checkout_strategy |= GIT_CHECKOUT_DRY_RUN.rawValue }
        if request.keepsIndexFile { options.checkout_strategy |= GIT_CHECKOUT_DONT_WRITE_INDEX.rawValue }
        let baseline = try request.baseline.map(peeledTree)
        defer { baseline.map { git_object_free($0) } }
        options.baseline = baseline
        let collector = CheckoutConflicts()
        let payload = Unmanaged.passRetained(collector)
        defer { payload.release() }
        if !request.force {
            options.notify_flags = GIT_CHECKOUT_NOTIFY_CONFLICT.rawValue
            options.notify_payload = payload.toOpaque()
            options.notify_cb = { _, path, _, _, _, payload in
                guard let payload, let path else { return 0 }
                Unmanaged<CheckoutConflicts>.fromOpaque(payload).takeUnretainedValue().paths.append(RawPath.decode(path))
                return 0  // keep going, so that every conflicting path is reported
            }
        }
        let rc = try withStringArray(request.paths ?? []) { array in
            if request.paths != nil { options.paths = array }
            defer { options.paths = git_strarray() }
            return body(&options)
        }
        // A conflict that names no path falls through to `check` and is thrown as it is.
        if rc < 0 && !collector.paths.isEmpty {
            git_error_clear()
            return collector.paths
        }
        try check(rc, function)
        return []
    }

    /// The error for a checkout refused because of `blockers` (local changes, untracked files in the way).
    func localChangesInTheWay(of tree: OID, _ blockers: [String]) -> GitError {
        let where_ = workingDirectory.map { " in \($0)" } ?? ""
        return GitError(code: .conflict, function: "git_checkout_tree",
                        message: "checkout of \(tree.short())\(where_) would overwrite local changes to "
                            + "\(Self.pathList(blockers)); commit, stash or discard them first")
    }

    /// Paths without repeats, in git's (byte) order.
    static func sortedUnique(_ paths: [String]) -> [String] {
        Set(paths).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}

/// The paths a checkout's notify callback reported as conflicts.
private final class CheckoutConflicts {
    var paths: [String] = []
}
