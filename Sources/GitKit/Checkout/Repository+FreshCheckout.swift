internal import CLibGit2
import Foundation

extension Repository {
    /// Checks `tree` out into the empty directory `workTree` and writes its index at
    /// `indexPath`, faster than `git_checkout_tree`: no per-file attribute lookups, path
    /// re-validation or work-tree scans (nothing is there to protect), files written by several
    /// threads, and the index written once, with the stat data of the files just made, so that
    /// git trusts the files without reading them, as after `git worktree add`.
    ///
    /// Files this repository's own work tree (normally the main checkout) has clean on disk are
    /// copied from there rather than inflated from their blobs (`CleanFileSource`); `copied`
    /// says how many.
    ///
    /// Returns the reason it stood aside, having written nothing, when the result could differ
    /// from git's: a filter, CRLF output or special config (`checkoutFilterReason`), or a path
    /// git treats specially (`FreshTree.refusal`); the caller then uses libgit2's checkout.
    func freshCheckout(tree: OpaquePointer, into workTree: String, indexPath: String) throws -> (fallback: String?, copied: Int) {
        let plan = try freshTree(tree)
        if let reason = plan.unsupported { return (reason, 0) }
        if let reason = try checkoutFilterReason(attributeBlobs: plan.attributeBlobs) { return (reason, 0) }

        let root = systemOpen(workTree, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard root >= 0 else { throw WorktreeAdmin.posix("open", workTree) }
        defer { close(root) }
        let writer = FreshCheckoutWriter(plan, root: root, gitDirectory: commonDirectory, source: cleanFileSource(for: plan))
        // A second thread costs a repository open; below a few hundred files it does not pay.
        let workers = plan.items.count < 512 ? 1 : min(4, ProcessInfo.processInfo.activeProcessorCount)
        let stats = try writer.write(workers: workers)
        try Self.writeIndex(plan.items, stats: stats, at: indexPath)
        return (nil, writer.copied)
    }

    /// Writes a new index file holding `items` with their stat data (`git_index_open` on the
    /// path, `git_index_add` per entry in order, `git_index_write`). The index has no owning
    /// repository, so libgit2 neither looks the blobs up again nor re-examines "racily clean"
    /// entries: the stat data comes from the files themselves.
    static func writeIndex(_ items: [FreshTree.Item], stats: UnsafeBufferPointer<stat>, at path: String) throws {
        var index: OpaquePointer?
        try check(git_index_open(&index, path), "git_index_open")
        guard let index else { throw GitError(code: .notFound, function: "git_index_open", message: path) }
        defer { git_index_free(index) }
        for (item, st) in zip(items, stats) {
            var entry = git_index_entry()
            entry.ctime = indexTime(st.changed)
            entry.mtime = indexTime(st.modified)
            // git keeps the low 32 bits of each (read-cache.c fill_stat_data).
            entry.dev = UInt32(truncatingIfNeeded: st.st_dev)
            entry.ino = UInt32(truncatingIfNeeded: st.st_ino)
            entry.uid = st.st_uid
            entry.gid = st.st_gid
            entry.file_size = UInt32(truncatingIfNeeded: st.st_size)
            entry.mode = item.mode
            entry.id = item.id
            try item.path.withUnsafeBufferPointer { path in
                entry.path = path.baseAddress
                try check(git_index_add(index, &entry), "git_index_add")
            }
        }
        try check(git_index_write(index), "git_index_write")
    }

    private static func indexTime(_ time: timespec) -> git_index_time {
        git_index_time(seconds: Int32(truncatingIfNeeded: time.tv_sec), nanoseconds: UInt32(truncatingIfNeeded: time.tv_nsec))
    }
}


extension stat {
    #if canImport(Darwin)
    var changed: timespec { st_ctimespec }
    var modified: timespec { st_mtimespec }
    #else
    var changed: timespec { st_ctim }
    var modified: timespec { st_mtim }
    #endif

    /// True when this and `before` (two stats of one file) show no change in between: same
    /// size, inode, device, and mtime and ctime to the nanosecond.
    func isUnchanged(since before: stat) -> Bool {
        st_size == before.st_size && st_ino == before.st_ino && st_dev == before.st_dev
            && modified.tv_sec == before.modified.tv_sec && modified.tv_nsec == before.modified.tv_nsec
            && changed.tv_sec == before.changed.tv_sec && changed.tv_nsec == before.changed.tv_nsec
    }
}
