internal import CLibGit2
import Foundation

/// What `resetDetached(to:keepingUntracked:)` had to change besides the tree's own changes.
public struct WorktreeReset: Sendable, Equatable {
    /// Untracked files (and nested repositories, as `dir/`) it deleted.
    public var removed: [String] = []
    /// Tracked paths whose file or index entry had been changed in place and were restored.
    public var restored: [String] = []

    public init(removed: [String] = [], restored: [String] = []) {
        self.removed = removed
        self.restored = restored
    }
}

extension Repository {
    /// Untracked files of the work tree, one by one, ignored ones left out (as `git status
    /// --untracked-files=all` lists them; a nested repository is one `dir/` entry).
    public func untrackedFiles() throws -> [String] {
        try scanWorkTree().untracked
    }

    /// Makes this work tree hold exactly `commit` and detaches HEAD there, for a scratch work tree
    /// reused across commits (the validation worktree): like `git clean -d` (ignored files such
    /// as build caches stay, untracked ones go unless listed in `kept`) followed by
    /// `git checkout -f --detach commit`, at the cost of one status walk plus the changed paths.
    ///
    /// One status walk finds untracked files, tracked files changed in place and staged changes;
    /// the FORCE checkout is then limited to the paths that differ between HEAD and `commit` plus
    /// the ones changed in place (a full checkout would walk the whole tree a second time). A
    /// `kept` entry ending in `/` keeps everything below it. A run killed half way is repaired
    /// by the next call: HEAD still names the old commit, and the half-written paths show up as
    /// changed in place.
    @discardableResult
    public func resetDetached(to commit: OID, keepingUntracked kept: Set<String> = []) throws -> WorktreeReset {
        guard let root = workingDirectory else {
            throw GitError(code: .bareRepository, function: "git_checkout_tree", message: "\(gitDirectory) has no work tree")
        }
        let scan = try scanWorkTree()
        var result = WorktreeReset()
        for path in scan.untracked where !Self.isKept(path, kept) {
            Self.remove(path, under: root)
            result.removed.append(path)
        }
        result.restored = scan.changed
        if let head = try? headCommit() {
            let paths = Self.sortedUnique(try changedPaths(from: head, to: commit) + scan.changed)
            if !paths.isEmpty { _ = try runCheckout(tree: commit, CheckoutRequest(force: true, paths: paths)) }
        } else {
            _ = try runCheckout(tree: commit, CheckoutRequest(force: true))  // no usable HEAD: nothing to diff against
        }
        if scan.indexChanged {
            // Staged changes whose work-tree file matches HEAD are invisible to checkout, which
            // judges by files: rebuild the index from the tree (entries with unchanged ids keep
            // their stat data, so the next walk does not rehash everything).
            try resetIndex(to: commit)
        }
        try setHeadDetached(commit)
        return result
    }

    private struct WorkTreeScan {
        var untracked: [String] = []
        var changed: [String] = []
        var indexChanged = false
    }

    /// One `git_status_list_new` walk: untracked files one by one (untracked folders recursed
    /// into, ignored ones not entered), tracked paths changed in the work tree, and whether the
    /// index differs from HEAD at all (staged changes, conflicts).
    private func scanWorkTree() throws -> WorkTreeScan {
        var options = git_status_options()
        try check(git_status_options_init(&options, UInt32(GIT_STATUS_OPTIONS_VERSION)), "git_status_options_init")
        options.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR
        options.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED.rawValue | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS.rawValue
            | GIT_STATUS_OPT_EXCLUDE_SUBMODULES.rawValue
        var list: OpaquePointer?
        try check(git_status_list_new(&list, raw, &options), "git_status_list_new")
        guard let list else { return WorkTreeScan() }
        defer { git_status_list_free(list) }
        let staged = GIT_STATUS_INDEX_NEW.rawValue | GIT_STATUS_INDEX_MODIFIED.rawValue | GIT_STATUS_INDEX_DELETED.rawValue
            | GIT_STATUS_INDEX_RENAMED.rawValue | GIT_STATUS_INDEX_TYPECHANGE.rawValue | GIT_STATUS_CONFLICTED.rawValue
        let inPlace = GIT_STATUS_WT_MODIFIED.rawValue | GIT_STATUS_WT_DELETED.rawValue | GIT_STATUS_WT_TYPECHANGE.rawValue
            | GIT_STATUS_WT_RENAMED.rawValue | GIT_STATUS_WT_UNREADABLE.rawValue
        var scan = WorkTreeScan()
        for position in 0..<git_status_list_entrycount(list) {
            guard let entry = git_status_byindex(list, position)?.pointee else { continue }
            let flags = entry.status.rawValue
            if flags & staged != 0 { scan.indexChanged = true }
            let delta = entry.index_to_workdir ?? entry.head_to_index
            guard let file = delta?.pointee, let cPath = file.new_file.path ?? file.old_file.path else { continue }
            let path = RawPath.decode(cPath)
            if flags & GIT_STATUS_WT_NEW.rawValue != 0 {
                scan.untracked.append(path)
            } else if flags & (inPlace | staged) != 0 {
                scan.changed.append(path)
                if let old = file.old_file.path.map({ RawPath.decode($0) }), old != path { scan.changed.append(old) }
            }
        }
        return scan
    }

    /// The index rebuilt from `commit`'s tree and written (`git_index_read_tree`, as libgit2's
    /// hard reset does).
    private func resetIndex(to commit: OID) throws {
        let tree = try peeledTree(commit)
        defer { git_object_free(tree) }
        var index: OpaquePointer?
        try check(git_repository_index(&index, raw), "git_repository_index")
        guard let index else { return }
        defer { git_index_free(index) }
        try check(git_index_read_tree(index, tree), "git_index_read_tree")
        try check(git_index_write(index), "git_index_write")
    }

    private static func isKept(_ path: String, _ kept: Set<String>) -> Bool {
        if kept.isEmpty { return false }
        if kept.contains(path) { return true }
        var prefix = Substring(path)
        while let slash = prefix.dropLast().lastIndex(of: "/") {
            prefix = prefix[...slash]
            if kept.contains(String(prefix)) { return true }
        }
        return false
    }

    /// Deletes one untracked entry (a file, a symlink, or a `dir/` nested repository), then the
    /// folders it leaves empty (ignored files in them keep them, as `git clean -d` without -x).
    private static func remove(_ relative: String, under root: String) {
        let base = root.hasSuffix("/") ? root : root + "/"
        let full = base + (relative.hasSuffix("/") ? String(relative.dropLast()) : relative)
        if relative.hasSuffix("/") {
            try? FileManager.default.removeItem(atPath: full)
        } else {
            unlink(full)
        }
        var folder = (full as NSString).deletingLastPathComponent
        while folder.count > base.count - 1, folder.hasPrefix(base), rmdir(folder) == 0 {
            folder = (folder as NSString).deletingLastPathComponent
        }
    }
}
