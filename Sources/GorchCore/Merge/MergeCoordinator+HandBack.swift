import GitKit

extension MergeCoordinator {
    /// Step 3, complex conflicts: the target stays untouched and the conflict is written into the
    /// task's worktree as `git merge <target>` run there would leave it (markers in files, stages
    /// in the index, MERGE_HEAD), with the trivial parts already resolved, so that an agent or a
    /// person resolves it with ordinary git and commits; `gorch merge --continue` then retries.
    func handBack(_ task: TaskRecord, tip: OID, targetTip: OID, target: String, result: inout TaskMergeResult) async throws {
        result.outcome = .conflicted
        let paths = result.conflicts.map(\.path)
        let listed = paths.isEmpty ? "a directory rename" : paths.joined(separator: ", ")
        var where_: String
        if let worktree = try workspace.taskWorktree(task.id), worktree.isValid {
            let path = Workspace.trimmingSlash(worktree.path)
            result.worktree = path
            let checkout = try Repository.open(at: path)
            if checkout.isMerging {
                where_ = "a merge is already in progress in \(path); finish it there (resolve, git add, git commit)"
            } else {
                do {
                    try writeConflict(into: checkout, task: task, tip: tip, targetTip: targetTip, target: target)
                    where_ = "resolve it in \(path) (git status shows the conflicts), commit, then run `gorch merge --continue`"
                } catch {
                    where_ = "it could not be written into \(path) (\(error)); run `git merge \(target)` there by hand, "
                        + "resolve, commit, then `gorch merge --continue`"
                }
            }
        } else {
            where_ = "the task's worktree is missing; `gorch start \(task.id)` recreates it, then run `git merge \(target)` there, "
                + "resolve, commit, and `gorch merge --continue`"
        }
        progress(.step(id: task.id, "conflict in \(listed)"))
        result.message = "conflict with \(target) in \(listed): \(target) not moved; \(where_)"
        let note = result.message
        try await store.update(task.id) { $0.state = .conflicted; $0.note = note }
    }

    private func writeConflict(into checkout: Repository, task: TaskRecord, tip: OID, targetTip: OID, target: String) throws {
        let reverse = try merger.merge(ours: tip, theirs: targetTip, ourLabel: "HEAD", theirLabel: target)
        let partial = try TrivialResolver(repository: repository, rules: workspace.settings.resolveRules).resolve(reverse)
        let outcome = MergeOutcome(clean: false, conflicts: partial.remaining, tree: partial.tree,
                                   bases: reverse.bases, stages: partial.remainingStages,
                                   hasUnlistedConflicts: reverse.hasUnlistedConflicts)
        try checkout.writeConflictedMerge(outcome, theirs: targetTip, message: "Merge branch '\(target)' into \(task.branch)")
    }
}
