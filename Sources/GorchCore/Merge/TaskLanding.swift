import Foundation
import GitKit

/// Steps 2-4 of the merge coordinator for one task, onto any commit: the merge (or
/// fast-forward), trivial resolutions, the tasks.md tick and the merge commit. Only objects are
/// written (to memory when the repository writes there), never a ref, index or worktree, so a
/// caller can land a whole queue onto a commit that no ref names: the landing prediction does.
///
/// It mirrors `MergeCoordinator.mergeTask` step for step (which still has its own copy, with
/// progress and journal writes between the steps); a change to one must go to the other.
struct TaskLanding {
    let repository: Repository
    let merger: OrtMerger
    let rules: ResolveRules

    enum Result {
        /// No merge base: the coordinator fails the task (git refuses unrelated histories).
        case unrelated
        /// `onto` already contains the task: the target does not move.
        case upToDate
        /// The task's commit on top of `onto`: a merge commit, or its tip with `--ff`.
        case landed(commit: OID, fastForward: Bool, resolutions: [TaskMergeResult.Resolution])
        /// A complex conflict: the coordinator hands the task back. `remaining` may be empty
        /// when the merge is unclean beyond its listed paths (see `TrivialResolver`).
        case conflict(remaining: [MergeConflict], resolutions: [TaskMergeResult.Resolution])
    }

    /// Lands `task` (whose branch is at `tip`) onto `old`; `target` labels conflict markers as
    /// the coordinator does, `fastForward` is `merge --ff`.
    func land(_ task: TaskRecord, tip: OID, onto old: OID, target: String, fastForward: Bool,
              signature: Signature) throws -> Result {
        let bases = try merger.mergeBases(old, tip)
        if bases.isEmpty { return .unrelated }
        if bases == [tip] { return .upToDate }
        if fastForward, bases == [old],
           !(try TasksTick.isDue(repository, tree: try repository.commit(tip).tree, task: task)) {
            return .landed(commit: tip, fastForward: true, resolutions: [])
        }
        let outcome = try merger.merge(ours: old, theirs: tip, bases: bases, ourLabel: target, theirLabel: task.id.branch)
        var tree = outcome.tree
        var resolutions: [TaskMergeResult.Resolution] = []
        if !outcome.clean {
            let resolved = try TrivialResolver(repository: repository, rules: rules).resolve(outcome)
            resolutions = resolved.resolved
            guard resolved.isClean else { return .conflict(remaining: resolved.remaining, resolutions: resolutions) }
            tree = resolved.tree
        }
        if let ticked = try TasksTick.tick(repository, tree: tree, task: task) { tree = ticked }
        let commit = try repository.createCommit(tree: tree, parents: [old, tip],
                                                 message: MergeCoordinator.mergeMessage(task, resolutions: resolutions),
                                                 author: signature, committer: signature)
        return .landed(commit: commit, fastForward: false, resolutions: resolutions)
    }
}
