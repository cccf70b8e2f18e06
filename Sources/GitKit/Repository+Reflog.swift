internal import CLibGit2

extension Repository {
    /// The id the newest entry of a reflog moved `name` to (`git_reflog_read`), nil when there is
    /// no such log or it is empty. Opened at a linked worktree, `HEAD`'s log is that worktree's:
    /// it still names the last commit made there after its branch was deleted by hand.
    public func lastReflogTarget(_ name: String = "HEAD") throws -> OID? {
        var reflog: OpaquePointer?
        let rc = git_reflog_read(&reflog, raw, name)
        if rc == GIT_ENOTFOUND.rawValue { return nil }
        try check(rc, "git_reflog_read")
        guard let reflog else { return nil }
        defer { git_reflog_free(reflog) }
        guard git_reflog_entrycount(reflog) > 0, let entry = git_reflog_entry_byindex(reflog, 0),
              let id = git_reflog_entry_id_new(entry) else { return nil }
        let oid = OID(id)
        return oid.isZero ? nil : oid
    }
}
