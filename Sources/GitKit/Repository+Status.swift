internal import CLibGit2

extension Repository {
    /// Every path that differs between HEAD, the index and the working directory, untracked files
    /// included one by one (untracked directories are recursed into; ignored files are left out)
    /// (`git_status_list_new`). Throws `.bareRepository` on a bare repository.
    public func status() throws -> [StatusEntry] {
        try statusEntries(includeUntracked: true)
    }

    /// Whether the working directory or index differs from HEAD (`git_status_list_new`).
    /// Untracked files count only when `ignoringUntracked` is false; ignored files never count.
    public func isDirty(ignoringUntracked: Bool = true) throws -> Bool {
        try !statusEntries(includeUntracked: !ignoringUntracked).isEmpty
    }

    private func statusEntries(includeUntracked: Bool) throws -> [StatusEntry] {
        var options = git_status_options()
        try check(git_status_options_init(&options, UInt32(GIT_STATUS_OPTIONS_VERSION)), "git_status_options_init")
        options.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR
        options.flags = includeUntracked
            ? GIT_STATUS_OPT_INCLUDE_UNTRACKED.rawValue | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS.rawValue : 0
        var list: OpaquePointer?
        try check(git_status_list_new(&list, raw, &options), "git_status_list_new")
        guard let list else { return [] }
        defer { git_status_list_free(list) }

        let staged = GIT_STATUS_INDEX_NEW.rawValue | GIT_STATUS_INDEX_MODIFIED.rawValue | GIT_STATUS_INDEX_DELETED.rawValue
            | GIT_STATUS_INDEX_RENAMED.rawValue | GIT_STATUS_INDEX_TYPECHANGE.rawValue
        let unstaged = GIT_STATUS_WT_MODIFIED.rawValue | GIT_STATUS_WT_DELETED.rawValue
            | GIT_STATUS_WT_RENAMED.rawValue | GIT_STATUS_WT_TYPECHANGE.rawValue
        var entries: [StatusEntry] = []
        for index in 0..<git_status_list_entrycount(list) {
            guard let entry = git_status_byindex(list, index)?.pointee else { continue }
            let flags = entry.status.rawValue
            guard flags != GIT_STATUS_CURRENT.rawValue, flags & GIT_STATUS_IGNORED.rawValue == 0 else { continue }
            let delta = entry.index_to_workdir ?? entry.head_to_index
            guard let file = delta?.pointee, let path = (file.new_file.path ?? file.old_file.path) else { continue }
            entries.append(StatusEntry(path: RawPath.decode(path),
                                       isUntracked: flags & GIT_STATUS_WT_NEW.rawValue != 0,
                                       indexChanged: flags & staged != 0,
                                       worktreeChanged: flags & unstaged != 0,
                                       isConflicted: flags & GIT_STATUS_CONFLICTED.rawValue != 0))
        }
        return entries
    }
}
