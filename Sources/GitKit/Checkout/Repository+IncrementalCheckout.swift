internal import CLibGit2
import Foundation

extension Repository {
    /// The paths that would stop `advanceCheckout(from: old, to: new)`; empty means it would
    /// succeed. Nothing on disk changes (GIT_CHECKOUT_DRY_RUN | DONT_WRITE_INDEX: a plain dry run
    /// still rewrites the index with refreshed stat data).
    public func advanceBlockers(from old: OID, to new: OID) throws -> [String] {
        let (pending, staged) = try pendingPaths(from: old, to: new)
        guard !pending.isEmpty else { return staged }
        return try Self.sortedUnique(staged + incrementalSafeCheckout(tree: new, baseline: old, paths: pending, dryRun: true))
    }

    /// Updates a work tree that shows `old` (its branch already moved to `new`, or about to) to
    /// show `new`, as `git merge` does: only the paths that differ between the two trees are
    /// looked at and written (a SAFE checkout limited to them, `old` as the baseline), so the
    /// cost follows the size of the change, not of the tree; local changes elsewhere are kept.
    /// Refuses, changing nothing, when a changed path has local changes (in the work tree or
    /// staged) or an untracked file is in the way: a `.conflict` GitError naming the paths.
    /// Paths whose index entry already is `new`'s were updated before (an interrupted run, or
    /// the same change staged by hand) and are left as they are, so running it again is a no-op.
    ///
    /// `beforeIndexWrite` runs after the files (the paths it gets) are written and before the index is (tests use it
    /// to kill the process exactly there; see `pendingPaths(adoptWritten:)` for the recovery).
    ///
    /// `rewritingFilesWritten`: for recovering a checkout killed midway; changed paths whose
    /// work-tree file was modified within that interval (so by the killed checkout, which may
    /// have left it half written) are checked out by force, the rest as above.
    public func advanceCheckout(from old: OID, to new: OID, rewritingFilesWritten interval: ClosedRange<Date>? = nil,
                                beforeIndexWrite: (([String]) -> Void)? = nil) throws {
        var (pending, staged) = try pendingPaths(from: old, to: new, adoptWritten: true)
        if let interval, let root = workingDirectory {
            let written = pending.filter { path in
                var info = stat()
                guard lstat((root as NSString).appendingPathComponent(path), &info) == 0 else { return false }
                let modified = Date(timeIntervalSince1970: TimeInterval(info.st_mtim.tv_sec) + TimeInterval(info.st_mtim.tv_nsec) / 1e9)
                return interval.contains(modified)
            }
            if !written.isEmpty {
                _ = try runCheckout(tree: new, CheckoutRequest(force: true, paths: written))
                pending.removeAll { written.contains($0) }
            }
        }
        guard !pending.isEmpty || !staged.isEmpty else { return }
        // With a staged blocker nothing is written: libgit2 is only asked what else is in the way.
        let reported = pending.isEmpty ? [] : try incrementalSafeCheckout(tree: new, baseline: old, paths: pending, dryRun: !staged.isEmpty,
                                                                          beforeIndexWrite: beforeIndexWrite)
        let blockers = Self.sortedUnique(staged + reported)
        guard blockers.isEmpty else { throw localChangesInTheWay(of: new, blockers) }
    }

    /// The paths that differ between `old` and `new`, split by their index entry: `pending` ones
    /// (still `old`'s entry: to be checked out) and `staged` ones (conflicted, or changed to
    /// something that is neither `old`'s nor `new`'s entry: a change staged and then undone in
    /// the work tree would be dropped silently by libgit2, which judges by the file alone; git
    /// refuses it). Entries already at `new` are in neither.
    ///
    /// `adoptWritten`: a pending path whose work-tree file already is `new`'s (same blob, same
    /// executable bit; or already gone when `new` deletes it) was written by a checkout killed
    /// before it could write the index; its index entry is brought up to date instead of the
    /// file being reported as a local change in the way. Nothing is lost: the file is `new`'s.
    private func pendingPaths(from old: OID, to new: OID, adoptWritten: Bool = false) throws -> (pending: [String], staged: [String]) {
        let changed = try changedPaths(from: old, to: new)
        guard !changed.isEmpty, !isBare else { return (changed, []) }
        let oldTree = try peeledTree(old)
        defer { git_object_free(oldTree) }
        let newTree = try peeledTree(new)
        defer { git_object_free(newTree) }
        var index: OpaquePointer?
        try check(git_repository_index(&index, raw), "git_repository_index")
        guard let index else { return (changed, []) }
        defer { git_index_free(index) }
        try check(git_index_read(index, 0), "git_index_read")  // a no-op unless the file changed
        var pending: [String] = [], staged: [String] = [], adopted = false
        for path in changed {
            let (conflicted, entry) = Self.indexEntry(index, path)
            if conflicted {
                staged.append(path)
                continue
            }
            let before = try Self.entry(of: oldTree, at: path), after = try Self.entry(of: newTree, at: path)
            if entry?.0 == after?.0 && entry?.1 == after?.1 { continue }
            guard entry?.0 == before?.0 && entry?.1 == before?.1 else { staged.append(path); continue }
            if adoptWritten, try adoptIfWritten(path, new: after, index: index) { adopted = true; continue }
            pending.append(path)
        }
        if adopted { try check(git_index_write(index), "git_index_write") }
        return (pending, staged)
    }

    /// See `pendingPaths(adoptWritten:)`: updates the index entry of `path` when the work tree
    /// already shows `new`'s version of it. Regular files only.
    private func adoptIfWritten(_ path: String, new: (OID, UInt32)?, index: OpaquePointer) throws -> Bool {
        guard let root = workingDirectory else { return false }
        let full = (root as NSString).appendingPathComponent(path)
        var info = stat()
        let exists = RawPath.withCString(full) { lstat($0, &info) } == 0
        guard let (blob, mode) = new else {
            guard !exists else { return false }
            try check(RawPath.withCString(path) { git_index_remove_bypath(index, $0) }, "git_index_remove_bypath")
            return true
        }
        guard exists, (info.st_mode & S_IFMT) == S_IFREG, mode == 0o100644 || mode == 0o100755,
              ((info.st_mode & 0o100) != 0) == (mode == 0o100755) else { return false }
        var hashed = git_oid()
        guard RawPath.withCString(full, { git_repository_hashfile(&hashed, raw, $0, GIT_OBJECT_BLOB, nil) }) == 0 else {
            git_error_clear()
            return false
        }
        guard OID(hashed) == blob else { return false }
        try check(RawPath.withCString(path) { git_index_add_bypath(index, $0) }, "git_index_add_bypath")
        return true
    }

    /// A SAFE checkout of `tree` restricted to `paths` (exact paths, no pattern matching), with
    /// `baseline` as what the work tree is expected to show. Returns the paths libgit2 reports
    /// as conflicts, in which case nothing was written; empty when it ran (or, dry, would run).
    private func incrementalSafeCheckout(tree: OID, baseline: OID, paths: [String], dryRun: Bool,
                                         beforeIndexWrite: (([String]) -> Void)? = nil) throws -> [String] {
        // The checkout updates the repository's index object either way; with a hook, gorch writes
        // it itself after the hook instead of libgit2 right after the files. A dry run leaves the
        // file alone too: even a dry run rewrites it with refreshed stat data.
        let hook = dryRun ? nil : beforeIndexWrite
        let reported = try runCheckout(tree: tree, CheckoutRequest(paths: paths, baseline: baseline, dryRun: dryRun,
                                                                   keepsIndexFile: dryRun || hook != nil))
        guard reported.isEmpty else { return reported }
        if let hook {
            hook(paths)
            var index: OpaquePointer?
            try check(git_repository_index(&index, raw), "git_repository_index")
            defer { git_index_free(index) }
            try check(git_index_write(index), "git_index_write")
        }
        return []
    }
}
