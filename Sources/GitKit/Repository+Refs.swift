internal import CLibGit2

extension Repository {
    /// The id a reference points to after peeling symbolic refs; nil when it does not exist
    /// (`git_reference_name_to_id`).
    func referenceTarget(_ name: String) throws -> OID? {
        var id = git_oid()
        let rc = git_reference_name_to_id(&id, raw, name)
        if rc == GIT_ENOTFOUND.rawValue { return nil }
        try check(rc, "git_reference_name_to_id")
        return OID(id)
    }

    /// Creates or moves a direct reference only if it still points at `expected` (compare-and-swap,
    /// `git_reference_create_matching`); `expected == nil` means it must not exist yet.
    /// Throws `GitError` with code `.refMoved` (or `.exists`) when someone else moved it first.
    public func updateReference(_ name: String, to new: OID, expected: OID?, message: String) throws {
        var target = new.raw
        var reference: OpaquePointer?
        if var old = expected?.raw {
            try check(git_reference_create_matching(&reference, raw, name, &target, 1, &old, message), "git_reference_create_matching")
        } else {
            try check(git_reference_create(&reference, raw, name, &target, 0, message), "git_reference_create")
        }
        git_reference_free(reference)
    }

    /// Names of all references matching a glob, e.g. "refs/heads/task/*" (`git_reference_foreach_glob`).
    func referenceNames(matching glob: String) throws -> [String] {
        var names: [String] = []
        var iterator: OpaquePointer?
        try check(git_reference_iterator_glob_new(&iterator, raw, glob), "git_reference_iterator_glob_new")
        guard let iterator else { return [] }
        defer { git_reference_iterator_free(iterator) }
        var name: UnsafePointer<CChar>?
        while git_reference_next_name(&name, iterator) == 0 {
            if let name { names.append(String(cString: name)) }
        }
        return names.sorted()
    }

    /// The branch HEAD names (e.g. "main"), also when it is unborn; nil when HEAD is detached.
    public func headBranch() throws -> String? {
        var head: OpaquePointer?
        try check(git_reference_lookup(&head, raw, "HEAD"), "git_reference_lookup")
        guard let head else { return nil }
        defer { git_reference_free(head) }
        guard git_reference_type(head) == GIT_REFERENCE_SYMBOLIC, let target = git_reference_symbolic_target(head) else { return nil }
        let name = String(cString: target)
        return name.hasPrefix("refs/heads/") ? String(name.dropFirst("refs/heads/".count)) : nil
    }

    /// The commit HEAD points to; nil when unborn.
    public func headCommit() throws -> OID? {
        try referenceTarget("HEAD")
    }

    /// Local branch names, sorted.
    public func branches() throws -> [String] {
        try referenceNames(matching: "refs/heads/*").map { String($0.dropFirst("refs/heads/".count)) }
    }

    /// The commit a local branch points to; nil when there is no such branch.
    public func branchTarget(_ branch: String) throws -> OID? {
        try referenceTarget("refs/heads/" + branch)
    }

    /// Creates a local branch at `commit` (`git_branch_create`); fails if it exists unless `force`.
    public func createBranch(_ name: String, at commit: OID, force: Bool = false) throws {
        try withCommit(commit) { pointer in
            var reference: OpaquePointer?
            try check(git_branch_create(&reference, raw, name, pointer, force ? 1 : 0), "git_branch_create")
            git_reference_free(reference)
        }
    }

    /// Deletes a local branch as `git_branch_delete` does; refuses a branch checked out in any worktree.
    public func deleteBranch(_ name: String) throws {
        var reference: OpaquePointer?
        try check(git_branch_lookup(&reference, raw, name, GIT_BRANCH_LOCAL), "git_branch_lookup")
        guard let reference else { return }
        defer { git_reference_free(reference) }
        // git_branch_delete's own checked-out test opens every linked worktree as a repository;
        // checkedOutBranches() reads their HEAD files instead. The rest is what git_branch_delete does:
        // refuse a checked-out branch, drop its `branch.<name>` config section, delete the ref
        // (and its reflog).
        let full = String(cString: git_reference_name(reference))
        if let holder = checkedOutBranches().first(where: { $0.branch == full }) {
            let place = holder.name.map { "the current HEAD of linked worktree '\($0)'" } ?? "the current HEAD of the repository"
            throw GitError(code: .other(-1), function: "git_branch_delete", message: "cannot delete branch '\(full)' as it is \(place)")
        }
        try removeBranchConfig(name)
        try check(git_reference_delete(reference), "git_reference_delete")
    }

    /// Drops `branch.<name>.*` from the repository's own config, as git_branch_delete does (its
    /// git_config_rename_section is not public API, so the entries go one by one).
    private func removeBranchConfig(_ name: String) throws {
        let keys = Set(try configEntries(matchingPrefix: "branch.\(name).").map(\.name))
        guard !keys.isEmpty else { return }
        var config: OpaquePointer?, local: OpaquePointer?
        try check(git_repository_config(&config, raw), "git_repository_config")
        defer { git_config_free(config) }
        try check(git_config_open_level(&local, config, GIT_CONFIG_LEVEL_LOCAL), "git_config_open_level")
        defer { git_config_free(local) }
        for key in keys.sorted() {
            let rc = git_config_delete_multivar(local, key, ".*")
            if rc == GIT_ENOTFOUND.rawValue { git_error_clear(); continue }  // set at another level
            try check(rc, "git_config_delete_multivar")
        }
    }
}
