import Foundation
import GitKit

/// Steps 2-4 of the merge coordinator for one task, onto any commit: the merge (or
/// fast-forward), trivial resolutions, the tasks.md tick and the merge commit. Only objects are
/// written (to memory when the repository writes there), never a ref, index or worktree, so a
/// caller can land a whole queue onto a commit that no ref names: the landing prediction does,
/// on a repository handle of its own whose writes go to a mempack.
///
/// The merge coordinator's serial step and its merge trains plan every task through here too
/// (`MergeCoordinator.plan`), so a prediction and a merge make the same commit.
struct TaskLanding {
    let repository: Repository
    let merger: OrtMerger
    let rules: ResolveRules

    enum Result {
        /// The task's tip is already contained in `onto`: the target does not move.
        case contained
        /// No merge base: the coordinator fails the task (git refuses unrelated histories).
        case unrelated
        /// A complex conflict: the coordinator hands the task back. `remaining` may be empty
        /// when the merge is unclean beyond its listed paths (see `TrivialResolver`).
        case conflict(remaining: [MergeConflict], resolved: [TaskMergeResult.Resolution])
        /// The commit the target would move to: a merge commit, or the tip with `--ff`.
        case commit(OID, fastForward: Bool, resolved: [TaskMergeResult.Resolution], notes: [String])
    }

    /// Lands `task` (whose branch is at `tip`) onto `old`; `target` labels conflict markers as
    /// the coordinator does, `fastForward` is `merge --ff`, `bases` when already known.
    func land(_ task: TaskRecord, tip: OID, onto old: OID, label target: String, fastForward: Bool,
              signature: Signature, bases known: [OID]? = nil) throws -> Result {
        // The merge bases decide up-to-date and fast-forward, and feed the merge itself: one walk
        // of the merger's commit graph (kept across a run) instead of two with libgit2.
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
            let resolved = try TrivialResolver(repository: repository, rules: rules).resolve(outcome)
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
        let commit = try repository.createCommit(tree: tree, parents: [old, tip],
                                                 message: MergeCoordinator.mergeMessage(task, resolutions: resolutions),
                                                 author: signature, committer: signature)
        return .commit(commit, fastForward: false, resolved: resolutions, notes: notes)
    }
}
