import GitKit

extension MergeCoordinator {
    /// What merging one task onto a commit comes to, worked out in memory (steps 2-4): nothing
    /// is written but objects. The serial run plans onto the target; a train onto the commit of
    /// the task ahead of it, which is why this is one function: both make exactly the same
    /// commit (trivial resolutions, tasks.md tick, message, fast-forward rule).
    enum Plan {
        /// The task's tip is already contained in `onto`.
        case contained
        /// The task shares no history with `onto`.
        case unrelated
        /// Complex conflicts are left after the trivial resolutions.
        case conflict(remaining: [MergeConflict], resolved: [TaskMergeResult.Resolution])
        /// The commit the target would move to.
        case commit(OID, fastForward: Bool, resolved: [TaskMergeResult.Resolution], notes: [String])
    }

    /// Plans `task` (tip `tip`) onto `old`; `bases` when the caller already computed them.
    func plan(_ task: TaskRecord, tip: OID, onto old: OID, label target: String, fastForward: Bool,
              bases known: [OID]? = nil) throws -> Plan {
        // The merge bases decide up-to-date and fast-forward, and feed the merge itself: one walk
        // of the merger's commit graph (kept across the run) instead of two with libgit2.
        let bases = try known ?? merger.mergeBases(old, tip)
        if bases.isEmpty { return .unrelated }
        if bases == [tip] { return .contained }
        if fastForward, bases == [old], !(try TasksTick.isDue(repository, tree: try repository.commit(tip).tree, task: task)) {
            return .commit(tip, fastForward: true, resolved: [], notes: [])
        }
        let outcome = try merger.merge(ours: old, theirs: tip, bases: bases, ourLabel: target, theirLabel: task.branch)
        var tree = outcome.tree
        var resolutions: [TaskMergeResult.Resolution] = []
        var notes: [String] = []
        if !outcome.clean {
            let resolved = try TrivialResolver(repository: repository, rules: workspace.settings.resolveRules).resolve(outcome)
            resolutions = resolved.resolved
            guard resolved.isClean else { return .conflict(remaining: resolved.remaining, resolved: resolutions) }
            tree = resolved.tree
            notes += resolutions.map { "resolved \($0.path): \($0.method)" }
        }
        // Step 4: the task's tasks.md box, ticked in the merged tree.
        if let ticked = try TasksTick.tick(repository, tree: tree, task: task) {
            tree = ticked
            notes.append("ticked task \(task.taskNumber ?? "") in \(TasksTick.path(change: task.change ?? ""))")
        }
        let signature = session.signature()
        let commit = try repository.createCommit(tree: tree, parents: [old, tip],
                                                 message: Self.mergeMessage(task, resolutions: resolutions),
                                                 author: signature, committer: signature)
        return .commit(commit, fastForward: false, resolved: resolutions, notes: notes)
    }
}
