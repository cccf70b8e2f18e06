internal import CLibGit2
import Foundation

extension Repository {
    /// Every linked worktree (not the main one), by name (`git_worktree_list` + `git_worktree_lookup`).
    public func worktrees() throws -> [Worktree] {
        var names = git_strarray()
        try check(git_worktree_list(&names, raw), "git_worktree_list")
        defer { git_strarray_dispose(&names) }
        return try gitStrings(names).sorted().compactMap { try worktree(named: $0) }
    }

    /// The linked worktree called `name`; nil when there is none (`git_worktree_lookup`).
    public func worktree(named name: String) throws -> Worktree? {
        try withWorktree(name) { Self.describe($0) }
    }

    /// Creates a linked worktree at `path` with `branch` checked out, as `git worktree add <path>
    /// <branch>` does: the admin files under `.git/worktrees/<name>/` (`WorktreeAdmin`), then the
    /// branch's tree written into the new directory with a fresh index (`freshCheckout`, or
    /// libgit2's `git_checkout_head` when a filter or an unusual path needs it). The branch must
    /// exist and must not be checked out anywhere else (`git_branch_is_checked_out`); `path`
    /// must not exist. On failure the directory and admin files are removed again.
    @discardableResult
    public func addWorktree(name: String, path: String, branch: String) throws -> Worktree {
        try createWorktree(name: name, path: path, branch: branch).worktree
    }

    /// `addWorktree`, also telling why the fast checkout stood aside (nil when it was used) and
    /// how many files it copied from this repository's work tree.
    func createWorktree(name: String, path: String, branch: String) throws -> (worktree: Worktree, fallback: String?, copied: Int) {
        var reference: OpaquePointer?
        let rc = git_branch_lookup(&reference, raw, branch, GIT_BRANCH_LOCAL)
        if rc == GIT_ENOTFOUND.rawValue {
            throw GitError(code: .notFound, function: "git_branch_lookup",
                           message: "no local branch '\(branch)' for worktree '\(name)'; create the branch first")
        }
        try check(rc, "git_branch_lookup")
        guard let reference else { throw GitError(code: .notFound, function: "git_branch_lookup", message: branch) }
        defer { git_reference_free(reference) }
        if try check(git_branch_is_checked_out(reference), "git_branch_is_checked_out") == 1 {
            throw GitError(code: .locked, function: "git_branch_is_checked_out",
                           message: "branch '\(branch)' is already checked out in another worktree")
        }
        guard !name.isEmpty, !name.contains("/"), name != ".", name != ".." else {
            throw GitError(code: .invalidSpec, function: "git_worktree_add", message: "invalid worktree name '\(name)'")
        }
        var tree: OpaquePointer?
        try check(git_reference_peel(&tree, reference, GIT_OBJECT_TREE), "git_reference_peel")
        guard let tree else { throw GitError(code: .notFound, function: "git_reference_peel", message: branch) }
        defer { git_object_free(tree) }

        let headReference = git_reference_name(reference).map { String(cString: $0) } ?? "refs/heads/" + branch
        let admin = try WorktreeAdmin.create(commonDirectory: commonDirectory, name: name, path: path, headReference: headReference)
        let fallback: String?, copied: Int
        do {
            (fallback, copied) = try freshCheckout(tree: tree, into: admin.workTree, indexPath: admin.indexPath)
            if fallback != nil {
                let opened = try Repository.open(at: admin.workTree)
                // The new work tree holds only `.git`: nothing can be in the way of a SAFE checkout.
                let blockers = try opened.withCheckoutOptions(CheckoutRequest(), "git_checkout_head") { git_checkout_head(opened.raw, &$0) }
                guard blockers.isEmpty else { throw opened.localChangesInTheWay(of: git_object_id(tree).map { OID($0) } ?? .zero, blockers) }
            }
            try admin.finish()
        } catch {
            admin.discard()
            throw error
        }
        guard let worktree = try worktree(named: name) else {
            throw GitError(code: .notFound, function: "git_worktree_lookup", message: "worktree '\(name)' vanished after being added")
        }
        return (worktree, fallback, copied)
    }

    /// Creates a linked worktree at `path` with a detached HEAD at `commit`, like
    /// `git worktree add --detach` (for the reusable validation worktree). libgit2 1.5 always
    /// checks out a branch, so a temporary branch `gorch-tmp/<name>` is created at `commit`
    /// (replacing a leftover of that name), the worktree added on it, its HEAD detached at
    /// `commit`, and the branch deleted. On failure whatever was created is removed again: the
    /// worktree (directory and admin files) and the temporary branch.
    @discardableResult
    public func addDetachedWorktree(name: String, path: String, commit: OID) throws -> Worktree {
        let temporary = "gorch-tmp/" + name
        try createBranch(temporary, at: commit, force: true)
        var added = false
        do {
            try addWorktree(name: name, path: path, branch: temporary)
            added = true
            try Repository.open(at: path).setHeadDetached(commit)
            try deleteBranch(temporary)
        } catch {
            if added { try? pruneWorktree(name: name, valid: true, locked: true, workingTree: true) }
            try? deleteBranch(temporary)
            throw error
        }
        guard let worktree = try worktree(named: name) else {
            throw GitError(code: .notFound, function: "git_worktree_lookup", message: "worktree '\(name)' vanished after being added")
        }
        return worktree
    }

    /// Removes a worktree's admin files from `.git/worktrees/` (`git_worktree_prune`). By default
    /// only worktrees whose directory is gone are pruned; `valid` also prunes intact ones, `locked`
    /// locked ones, and `workingTree` deletes the working directory too. These map to
    /// GIT_WORKTREE_PRUNE_VALID, _LOCKED and _WORKING_TREE. The branch is never touched.
    public func pruneWorktree(name: String, valid: Bool = false, locked: Bool = false, workingTree: Bool = false) throws {
        var flags: UInt32 = 0
        if valid { flags |= GIT_WORKTREE_PRUNE_VALID.rawValue }
        if locked { flags |= GIT_WORKTREE_PRUNE_LOCKED.rawValue }
        if workingTree { flags |= GIT_WORKTREE_PRUNE_WORKING_TREE.rawValue }
        try requireWorktree(name) { try Self.prune($0, flags: flags) }
    }

    /// Deletes a worktree's directory and admin files, like `git worktree remove`
    /// (`git_worktree_prune` with VALID | WORKING_TREE, plus LOCKED when `force`). Without `force`
    /// it refuses a locked worktree and one with local changes, untracked files included
    /// (checked with `git_status_list_new` on the worktree). The branch is kept.
    public func removeWorktree(name: String, force: Bool = false) throws {
        try requireWorktree(name) { worktree in
            let info = Self.describe(worktree)
            if !force {
                if info.isLocked {
                    let why = info.lockReason.map { " (\($0))" } ?? ""
                    throw GitError(code: .locked, function: "git_worktree_prune",
                                   message: "worktree '\(name)' is locked\(why); unlock it or remove with force")
                }
                if info.isValid {
                    let changed = try Repository.open(at: info.path).status().map(\.path)
                    if !changed.isEmpty {
                        throw GitError(code: .uncommitted, function: "git_worktree_prune",
                                       message: "worktree '\(name)' at \(info.path) has local changes in \(Self.pathList(changed)); "
                                           + "commit or discard them, or remove with force")
                    }
                }
            }
            var flags = GIT_WORKTREE_PRUNE_VALID.rawValue | GIT_WORKTREE_PRUNE_WORKING_TREE.rawValue
            if force { flags |= GIT_WORKTREE_PRUNE_LOCKED.rawValue }
            try Self.prune(worktree, flags: flags)
        }
    }

    // MARK: - Helpers

    /// Runs `body` on the looked-up worktree; nil when no worktree has that name.
    private func withWorktree<T>(_ name: String, _ body: (OpaquePointer) throws -> T) throws -> T? {
        // Some libgit2 releases answer an unknown name with a bare -1 rather than GIT_ENOTFOUND;
        // looking for the admin dir first gives nil either way.
        let admin = (commonDirectory as NSString).appendingPathComponent("worktrees/" + name)
        guard !name.isEmpty, !name.contains("/"), FileManager.default.fileExists(atPath: admin) else { return nil }
        if Self.removeRemnant(admin) { return nil }
        var worktree: OpaquePointer?
        let rc = git_worktree_lookup(&worktree, raw, name)
        if rc == GIT_ENOTFOUND.rawValue { return nil }
        try check(rc, "git_worktree_lookup")
        guard let worktree else { return nil }
        defer { git_worktree_free(worktree) }
        return try body(worktree)
    }

    /// An admin dir without its `gitdir` file is what a process killed while removing (or
    /// creating) a worktree leaves; libgit2 then fails every lookup, and so every listing, with a
    /// bare -1. git's `worktree prune` deletes such an entry ("gitdir file does not exist"), and so
    /// does gorch, on sight. An entry still `locked` "initializing" (git and gorch lock an entry
    /// while creating it) is only a remnant once that lock is over a minute old; until then it is
    /// skipped as if absent. Returns whether `admin` is such a remnant (removed when old enough).
    private static func removeRemnant(_ admin: String) -> Bool {
        let manager = FileManager.default
        guard !manager.fileExists(atPath: (admin as NSString).appendingPathComponent("gitdir")) else { return false }
        let lock = (admin as NSString).appendingPathComponent("locked")
        if manager.fileExists(atPath: lock) {
            let reason = (try? String(contentsOfFile: lock, encoding: .utf8)) ?? ""
            let modified = (try? manager.attributesOfItem(atPath: lock))?[.modificationDate] as? Date ?? Date()
            guard reason.hasPrefix("initializing"), Date().timeIntervalSince(modified) > 60 else { return true }
        }
        try? manager.removeItem(atPath: admin)
        return true
    }

    private func requireWorktree<T>(_ name: String, _ body: (OpaquePointer) throws -> T) throws -> T {
        guard let result = try withWorktree(name, body) else {
            throw GitError(code: .notFound, function: "git_worktree_lookup", message: "no worktree named '\(name)'")
        }
        return result
    }

    private static func prune(_ worktree: OpaquePointer, flags: UInt32) throws {
        var options = git_worktree_prune_options()
        try check(git_worktree_prune_options_init(&options, UInt32(GIT_WORKTREE_PRUNE_OPTIONS_VERSION)), "git_worktree_prune_options_init")
        options.flags = flags
        try check(git_worktree_prune(worktree, &options), "git_worktree_prune")
    }

    /// Reads the worktree's state (`git_worktree_is_locked`, `_is_prunable`, `_validate`). The
    /// predicates leave an explanatory error behind when they answer no; it is cleared.
    private static func describe(_ worktree: OpaquePointer) -> Worktree {
        defer { git_error_clear() }
        var reason = git_buf()
        defer { git_buf_dispose(&reason) }
        let locked = git_worktree_is_locked(&reason, worktree) > 0
        let lockReason = locked ? reason.ptr.map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } : nil
        return Worktree(name: git_worktree_name(worktree).map { String(cString: $0) } ?? "",
                        path: git_worktree_path(worktree).map { String(cString: $0) } ?? "",
                        isLocked: locked, lockReason: lockReason,
                        isPrunable: git_worktree_is_prunable(worktree, nil) == 1,
                        isValid: git_worktree_validate(worktree) == 0)
    }

    static func pathList(_ paths: [String], limit: Int = 10) -> String {
        let shown = paths.prefix(limit).joined(separator: ", ")
        return paths.count > limit ? shown + " and \(paths.count - limit) more" : shown
    }
}
