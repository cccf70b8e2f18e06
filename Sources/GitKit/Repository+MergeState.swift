internal import CLibGit2
import Foundation

extension Repository {
    /// Leaves this work tree (a linked worktree or the main checkout) as a conflicted
    /// `git merge <theirs>` would, so that a person or agent resolves and commits there with plain
    /// git: `outcome.tree` (markers in files) checked out, the index at stage 0 for every path of
    /// that tree except the conflicted ones, which get their `outcome.stages` (1 base, 2 ours,
    /// 3 theirs), and MERGE_HEAD (`theirs`), MERGE_MSG (`message`), MERGE_MODE (empty) and
    /// ORIG_HEAD (HEAD, as git writes it) in this repository's git dir. HEAD does not move.
    ///
    /// `outcome` must come from merging `theirs` into this HEAD, and its objects must be in the
    /// on-disk object database (an `OrtMerger` without `useInMemoryObjectWrites()`).
    /// Refuses (`.conflict`, naming the paths) when a merge is already in progress, when tracked
    /// files or the index differ from HEAD, or when an untracked file is in the way of one the
    /// merge brings; other untracked files are left alone. A stage whose mode is 0 (ort marks a
    /// side present while its version is gone, as `git merge-tree` prints 000000) is not written:
    /// an index cannot hold it (git 2.39's own `git merge` dies trying: "unable to write index"),
    /// nor is the tree entry of mode 0 ort writes for a path with only such stages checked out.
    public func writeConflictedMerge(_ outcome: MergeOutcome, theirs: OID, message: String) throws {
        if isMerging {
            throw GitError(code: .conflict, function: "git_repository_state",
                           message: "a merge is already in progress in \(workingDirectory ?? gitDirectory) (MERGE_HEAD exists); "
                               + "commit or abort it first")
        }
        guard let head = try headCommit() else {
            throw GitError(code: .unbornBranch, function: "git_repository_head", message: "HEAD has no commit to merge into")
        }
        let changed = try status().filter { !$0.isUntracked }.map(\.path)
        if !changed.isEmpty {
            throw GitError(code: .conflict, function: "git_status_list_new",
                           message: "cannot write the merge into \(workingDirectory ?? gitDirectory): local changes to "
                               + "\(Self.pathList(changed)); commit, stash or discard them first")
        }
        try checkout(tree: try checkoutTree(outcome))  // SAFE: an untracked file in the way stops it, nothing changed
        do {
            try writeConflictStages(outcome.stages)
            try writeStateFile("MERGE_HEAD", theirs.hex + "\n")
            try writeStateFile("MERGE_MSG", message + "\n")
            try writeStateFile("MERGE_MODE", "")
            try writeStateFile("ORIG_HEAD", head.hex + "\n")
        } catch {
            try? abortMerge()  // the work tree was clean: back to HEAD loses nothing
            throw error
        }
    }

    /// `outcome.tree` without its entries of mode 0. ort writes one (the null id) for a
    /// conflicted path whose only stages are mode 0; no work tree can check it out.
    private func checkoutTree(_ outcome: MergeOutcome) throws -> OID {
        let byPath = Dictionary(grouping: outcome.stages, by: { PathKey($0.path) })
        let candidates = byPath.filter { $0.value.allSatisfy { $0.mode.rawValue == 0 } }.map(\.key.string)
        guard !candidates.isEmpty else { return outcome.tree }
        let tree = try peeledTree(outcome.tree)
        defer { git_object_free(tree) }
        let empty = try candidates.filter { try entryMode(tree, $0)?.rawValue == 0 }
        return empty.isEmpty ? outcome.tree : try updateTree(outcome.tree, changes: empty.map { (path: $0, entry: nil) })
    }

    /// Whether a merge is in progress here: MERGE_HEAD present
    /// (`git_repository_state` == GIT_REPOSITORY_STATE_MERGE).
    public var isMerging: Bool {
        git_repository_state(raw) == Int32(GIT_REPOSITORY_STATE_MERGE.rawValue)
    }

    /// The commit MERGE_HEAD names (the first one), nil when no merge is in progress.
    public var mergeHead: OID? {
        let path = (gitDirectory as NSString).appendingPathComponent("MERGE_HEAD")
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
              let first = text.split(whereSeparator: \.isNewline).first else { return nil }
        return OID(hex: String(first))
    }

    /// Undoes `writeConflictedMerge` like `git merge --abort`: index and work tree reset to HEAD
    /// (`git_reset` GIT_RESET_HARD on the HEAD commit; HEAD stays where it is), then
    /// MERGE_HEAD, MERGE_MSG and MERGE_MODE removed (`git_repository_state_cleanup`). Files the
    /// merge brought are removed; untracked files are kept.
    public func abortMerge() throws {
        guard let head = try headCommit() else {
            throw GitError(code: .unbornBranch, function: "git_repository_head", message: "HEAD has no commit to reset to")
        }
        try withCommit(head) { commit -> Void in
            try check(git_reset(raw, commit, GIT_RESET_HARD, nil), "git_reset")
        }
        try check(git_repository_state_cleanup(raw), "git_repository_state_cleanup")
    }

    /// Replaces the stage-0 entry of each conflicted path with its stages
    /// (`git_index_conflict_add`, which removes the staged entry), then writes the index.
    private func writeConflictStages(_ stages: [ConflictStage]) throws {
        var index: OpaquePointer?
        try check(git_repository_index(&index, raw), "git_repository_index")
        guard let index else { throw GitError(code: .notFound, function: "git_repository_index", message: gitDirectory) }
        defer { git_index_free(index) }
        try check(git_index_read(index, 0), "git_index_read")
        // Grouped by path bytes: String's == would put NFC "caf\u{e9}" and NFD "cafe\u{301}" together.
        let byPath = Dictionary(grouping: stages.filter { $0.mode.rawValue != 0 }, by: { PathKey($0.path) })
        for (key, stages) in byPath {
            let path = key.string
            try RawPath.withCString(path) { cPath in
                func entry(_ stage: Int) -> git_index_entry? {
                    guard let found = stages.first(where: { $0.stage == stage }) else { return nil }
                    var entry = git_index_entry()
                    entry.mode = found.mode.rawValue
                    entry.id = found.oid.raw
                    entry.path = cPath
                    entry.flags = UInt16(stage << Int(GIT_INDEX_ENTRY_STAGESHIFT))
                    return entry
                }
                let (ancestor, ours, theirs) = (entry(1), entry(2), entry(3))
                // git_index_conflict_add invalidates the tree cache (the TREE extension) only by
                // removing a stage-0 entry; for a path the merged tree does not have, the cached
                // directories stay "valid" and git misreads the index (`git status` shows " U"
                // and phantom adds). A stage-0 entry added first (git_index_add invalidates its
                // directories) and then replaced by the stages avoids that. Not where entries
                // lie below the path: inserting a file there would drop them.
                if git_index_get_bypath(index, cPath, 0) == nil, var placeholder = ancestor ?? ours ?? theirs {
                    var below = 0
                    let hasChildren = RawPath.withCString(path + "/") { git_index_find_prefix(&below, index, $0) } == 0
                    if !hasChildren {
                        placeholder.flags = 0
                        try check(git_index_add(index, &placeholder), "git_index_add")
                    }
                }
                let rc = withOptionalPointer(ancestor) { a in
                    withOptionalPointer(ours) { o in withOptionalPointer(theirs) { t in git_index_conflict_add(index, a, o, t) } }
                }
                try check(rc, "git_index_conflict_add")
            }
        }
        try check(git_index_write(index), "git_index_write")
    }

    /// Writes one of git's state files (MERGE_HEAD...) into this repository's git dir, which for a
    /// linked worktree is `.git/worktrees/<name>/`.
    private func writeStateFile(_ name: String, _ content: String) throws {
        let path = (gitDirectory as NSString).appendingPathComponent(name)
        do {
            try Data(content.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw GitError(code: .other(-1), function: "write", message: "cannot write \(path): \(error.localizedDescription)")
        }
    }
}

/// Lends a pointer to `value`, or NULL when it is nil.
private func withOptionalPointer<T, R>(_ value: T?, _ body: (UnsafePointer<T>?) -> R) -> R {
    guard let value else { return body(nil) }
    return withUnsafePointer(to: value) { body($0) }
}
