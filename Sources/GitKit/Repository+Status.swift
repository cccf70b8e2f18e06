internal import CLibGit2
import Foundation

extension Repository {
    /// Every path that differs between HEAD, the index and the working directory, untracked files
    /// included one by one (untracked directories are recursed into; ignored files are left out)
    /// (`git_status_list_new`). Throws `.bareRepository` on a bare repository.
    public func status() throws -> [StatusEntry] {
        try statusEntries(includeUntracked: true)
    }

    /// Whether the working directory or index differs from HEAD (`git_status_list_new`).
    /// Untracked files count only when `ignoringUntracked` is false; ignored files never count.
    /// Ignoring untracked files, the answer is first sought from the index alone (`quickDirtiness`),
    /// which gives libgit2's answer without walking the work tree; the full status decides
    /// whenever it cannot. Leaves the handle writing objects to memory (`useInMemoryObjectWrites`).
    public func isDirty(ignoringUntracked: Bool = true) throws -> Bool {
        if ignoringUntracked, let known = quickDirtiness() { return known }
        return try !statusEntries(includeUntracked: !ignoringUntracked).isEmpty
    }

    /// Paths whose stat data cannot prove them unchanged that are asked about one by one before
    /// the full status is preferred.
    static let quickDirtinessDoubts = 32

    /// Whether the index or the work tree differs from HEAD, ignoring untracked files, as
    /// `git_status_list_new` would say, or nil when this cannot tell (the caller runs the full
    /// status). One `lstat` per index entry and per directory holding one, no directory reads:
    ///  - HEAD to index: the index's tree (`git_index_write_tree_to`: the index's cached tree when
    ///    valid, else trees hashed into memory) must be HEAD's tree; a conflict, an intent-to-add,
    ///    skip-worktree or assume-unchanged entry, a submodule or an odd mode leaves it to the full
    ///    status;
    ///  - index to work tree: libgit2 (`maybe_modified` in diff_generate.c) calls an entry
    ///    unmodified without reading it when mode, size, mtime, ctime, inode, uid and gid match
    ///    its lstat and its mtime is older than the index file (racy-git, to the nanosecond when
    ///    libgit2 has GIT_FEATURE_NSEC). Every one of those is required here, and every directory
    ///    above an entry must be a real directory (a symlink there hides the tracked path from
    ///    libgit2's work-tree walk); an entry that fails is asked about alone (`git_status_file`,
    ///    the same diff limited to its path), and more than `quickDirtinessDoubts` of them leave
    ///    it to the full status.
    func quickDirtiness() -> Bool? {
        guard let workdir = workingDirectory else { return nil }
        var before = stat(), after = stat()
        guard lstat(gitDirectory + "index", &before) == 0 else { return nil }
        var index: OpaquePointer?
        guard git_repository_index(&index, raw) == 0, let index else { return nil }
        defer { git_index_free(index) }
        // The entries read must be those of the file whose time marks racy entries.
        guard let indexPath = git_index_path(index), lstat(indexPath, &after) == 0, after.isUnchanged(since: before) else { return nil }

        // HEAD to index.
        guard let head = try? headCommit(), let headTree = try? commit(head).tree else { return nil }
        let scratch = mempack == nil
        guard (try? useInMemoryObjectWrites()) != nil else { return nil }
        defer { if scratch { discardScratchObjects() } }
        var written = git_oid()
        guard git_index_write_tree_to(&written, index, raw) == 0, OID(written) == headTree else { return nil }

        // Index to work tree. Entries are sorted by path, so each directory's entries are
        // contiguous: a stack of open directories along the current path opens each one once
        // (O_NOFOLLOW | O_DIRECTORY: a real directory, not a symlink to one) and every lstat
        // resolves one name.
        let root = systemOpen(workdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard root >= 0 else { return nil }
        var stack: [(end: Int, fd: Int32)] = []   // open directories: where each ends in `current`
        var current: [UInt8] = []                 // their path, "a/b"
        defer { close(root); for level in stack { close(level.fd) } }
        let nanoseconds = git_libgit2_features() & Int32(GIT_FEATURE_NSEC.rawValue) != 0
        let odd = UInt16(GIT_INDEX_ENTRY_VALID.rawValue) | UInt16(GIT_INDEX_ENTRY_STAGEMASK)
        let extended = UInt16(GIT_INDEX_ENTRY_INTENT_TO_ADD.rawValue | GIT_INDEX_ENTRY_SKIP_WORKTREE.rawValue)
        var doubts: [String] = []   // RawPath-decoded: a name that is not UTF-8 keeps its bytes
        for position in 0..<git_index_entrycount(index) {
            guard let entry = git_index_get_byindex(index, position)?.pointee, let cPath = entry.path else { return nil }
            guard entry.flags & odd == 0, entry.flags_extended & extended == 0,
                  entry.mode == 0o100644 || entry.mode == 0o100755 || entry.mode == 0o120000 else { return nil }
            let path = UnsafeBufferPointer(start: UnsafeRawPointer(cPath).assumingMemoryBound(to: UInt8.self), count: strlen(cPath))
            let slash = path.lastIndex(of: UInt8(ascii: "/")) ?? -1
            // Keep the open directories that are a prefix of this entry's directory, then open the rest.
            while let top = stack.last, !(top.end <= slash && (top.end == slash || path[top.end] == UInt8(ascii: "/"))
                                             && current[..<top.end].elementsEqual(path[..<top.end])) {
                close(top.fd)
                stack.removeLast()
                current.removeSubrange((stack.last?.end ?? 0)...)
            }
            while (stack.last?.end ?? 0) < slash {
                let from = stack.last.map { $0.end + 1 } ?? 0
                let to = path[from..<slash].firstIndex(of: UInt8(ascii: "/")) ?? slash
                let name = String(decoding: path[from..<to], as: UTF8.self)
                guard name.utf8.elementsEqual(path[from..<to]) else { return nil }
                let fd = openat(stack.last?.fd ?? root, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                guard fd >= 0 else { return nil }
                if !stack.isEmpty { current.append(UInt8(ascii: "/")) }
                current.append(contentsOf: path[from..<to])
                stack.append((to, fd))
            }
            var info = stat()
            let unchanged = fstatat(stack.last?.fd ?? root, cPath + (slash + 1), &info, AT_SYMLINK_NOFOLLOW) == 0
                && Self.statMatches(entry, info, racyAfter: after.modified, nanoseconds: nanoseconds)
            if !unchanged {
                doubts.append(RawPath.decode(cPath))
                if doubts.count > Self.quickDirtinessDoubts { return nil }
            }
        }
        let clean = GIT_STATUS_CURRENT.rawValue, untracked = GIT_STATUS_WT_NEW.rawValue | GIT_STATUS_IGNORED.rawValue
        for path in doubts {
            var flags: UInt32 = 0
            guard RawPath.withCString(path, { git_status_file(&flags, raw, $0) }) == 0 else { return nil }
            if flags != clean && flags & ~untracked != 0 { return true }
        }
        return false
    }

    /// libgit2's test for an entry it need not read, made stricter: every field equal, including
    /// ctime and nanoseconds whatever core.trustctime and the build say, and not racy.
    private static func statMatches(_ entry: git_index_entry, _ info: stat,
                                    racyAfter index: timespec, nanoseconds: Bool) -> Bool {
        let type = info.st_mode & S_IFMT
        if entry.mode == 0o120000 {
            guard type == S_IFLNK else { return false }
        } else {
            guard type == S_IFREG, (info.st_mode & 0o100 != 0) == (entry.mode == 0o100755) else { return false }
        }
        let recorded = IndexStat(entry)
        return recorded.matches(info) && recorded.isOlder(than: index, nanoseconds: nanoseconds)
    }

    func statusEntries(includeUntracked: Bool) throws -> [StatusEntry] {
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
