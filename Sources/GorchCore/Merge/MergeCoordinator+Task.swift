import Foundation
import GitKit

extension MergeCoordinator {
    /// Steps 2-7 for one task. Returns its result; throws only for environment failures (a
    /// missing branch, the target moved underneath) that end the run.
    /// `prefetched` is the task's record if the caller just read it (saves a task-store read).
    func mergeTask(_ id: TaskID, _ journal: inout Journal, prefetched: TaskRecord? = nil) async throws -> TaskMergeResult {
        let found: TaskRecord?
        if let prefetched { found = prefetched } else { found = try await store.get(id) }
        guard let task = found else {
            throw GorchFailure(.usage, "no task \(id)", hint: "list tasks with `gorch status`")
        }
        guard task.state != .merged else {
            var result = TaskMergeResult(id: id, title: task.title, outcome: .upToDate)
            result.commit = task.mergeCommit.flatMap { OID(hex: $0) }
            result.message = "already merged"
            return result
        }
        guard task.state != .planned else {
            throw GorchFailure(.usage, "task \(id) is planned, not started: there is nothing to merge",
                               hint: "start it with `gorch start \(id)`")
        }
        let tip = try workspace.requireTaskTip(id)
        let target = journal.target
        guard let old = try repository.branchTarget(target) else { throw GorchError.unknownTarget(target) }
        let checkout = try session.checkoutPath(of: target)
        // Journal writes per task: none while merging in memory (a run killed here has changed
        // nothing but unreferenced objects, and redoes the task), then one before anything
        // outside the object store changes: before writing a conflict into the task's worktree,
        // before validation, before the target moves (durable), and when the task is done
        // (MergeCoordinator.drain). After the target moved nothing more is written until the
        // task is done: --continue sees the landed commit and redoes the checkout update and
        // the bookkeeping, both idempotent.
        journal.current = .init(id: id, step: .merging, oldTarget: old.hex, newTarget: nil,
                                previousState: task.state, checkout: checkout)
        var result = TaskMergeResult(id: id, title: task.title, outcome: .merged)
        result.log = paths.log(for: id)

        // The merge bases decide up-to-date and fast-forward, and feed the merge itself: one
        // walk of the merger's commit graph (kept across the run) instead of two with libgit2.
        let bases = try merger.mergeBases(old, tip)
        if bases.isEmpty {
            // git refuses unrelated histories, and so does gorch: the task fails with a note
            // (a stop, exit 1; --keep-going goes on), the target untouched.
            result.outcome = .failed
            result.worktree = try workspace.taskWorktree(id)?.path
            result.message = "\(id.branch) shares no history with \(target) (unrelated histories, which git refuses to merge); "
                + "\(target) not moved. Rebase the task's commits onto \(target) (`git rebase --onto \(target) --root \(id.branch)`) "
                + "and run `gorch done \(id)` again"
            try await store.update(id) { $0.state = .failed; $0.note = result.message }
            return result
        }
        if bases == [tip] {
            progress(.step(id: id, "already contained in \(target)"))
            result.outcome = .upToDate
            result.commit = old
            try await finish(task, at: old, journal: &journal, result: &result)
            return result
        }

        // Step 2-3: the merge, trivial conflicts resolved.
        progress(.step(id: id, "merging \(id.branch) into \(target)"))
        let commit: OID
        if journal.options.fastForward, bases == [old],
           !(try TasksTick.isDue(repository, tree: try repository.commit(tip).tree, task: task)) {
            commit = tip
            result.fastForward = true
        } else {
            let outcome = try merger.merge(ours: old, theirs: tip, bases: bases, ourLabel: target, theirLabel: id.branch)
            var tree = outcome.tree
            if !outcome.clean {
                let resolved = try TrivialResolver(repository: repository, rules: workspace.settings.resolveRules).resolve(outcome)
                result.resolutions = resolved.resolved
                guard resolved.isClean else {
                    result.conflicts = resolved.remaining
                    try journal.save(paths)
                    Fault.point(.mergeConflictJournaled)
                    try await handBack(task, tip: tip, targetTip: old, target: target, result: &result)
                    Fault.point(.mergeHandedBack)
                    return result
                }
                tree = resolved.tree
                for resolution in resolved.resolved {
                    progress(.step(id: id, "resolved \(resolution.path): \(resolution.method)"))
                }
            }
            // Step 4: the task's tasks.md box, ticked in the merged tree.
            if let ticked = try TasksTick.tick(repository, tree: tree, task: task) {
                tree = ticked
                progress(.step(id: id, "ticked task \(task.taskNumber ?? "") in \(TasksTick.path(change: task.change ?? ""))"))
            }
            let signature = session.signature()
            commit = try repository.createCommit(tree: tree, parents: [old, tip],
                                                 message: Self.mergeMessage(task, resolutions: result.resolutions),
                                                 author: signature, committer: signature)
        }
        journal.current?.newTarget = commit.hex

        // Step 5: validation.
        journal.current?.step = .validating
        try journal.save(paths)
        Fault.point(.mergeValidating)
        let gate = ValidationGate(workspace: workspace, worktree: session.validation, steps: journal.options.validate,
                                  timeout: workspace.settings.validateTimeout)
        result.validation = try await gate.run(commit: commit, task: task, target: target) { self.progress(.step(id: id, $0)) }
        let failedStep = result.validation.last.flatMap { $0.timedOut || $0.exitCode != 0 ? $0 : nil }
        if !result.validation.isEmpty {
            result.validatedWith = .init(tasks: [id], commit: commit, attempts: 1, passed: failedStep == nil)
        }
        if let failed = failedStep {
            let why = failed.timedOut ? "timed out after \(Int(failed.seconds)) s" : "exited \(failed.exitCode.map(String.init) ?? "on a signal")"
            result.outcome = .failed
            result.worktree = try workspace.taskWorktree(id)?.path
            result.message = "validation `\(failed.command)` \(why); \(target) not moved; log: \(paths.log(for: id))"
            try await store.update(id) { $0.state = .failed; $0.note = result.message }
            return result
        }

        // Step 6: move the target by compare-and-swap, then the checkout that shows it. The one
        // durable journal write of the task: after a power loss too, a moved target is never
        // without the journal that names the task and the commits (--continue / --abort need
        // them). The other journal writes only need to survive the process (atomic renames).
        Fault.point(.mergeValidated)
        journal.current?.step = .updatingTarget
        try journal.save(paths, durable: true)
        if let checkout {
            let blockers = try session.checkout(at: checkout).advanceBlockers(from: old, to: commit)
            if !blockers.isEmpty {
                result.outcome = .refused
                result.conflicts = blockers.map { MergeConflict(path: $0, kind: .content) }
                result.worktree = checkout
                result.message = "\(target) is checked out in \(checkout) with local changes to \(blockers.joined(separator: ", ")), "
                    + "which the merge changes; nothing was moved. Commit or stash them, then run `gorch merge` again"
                return result
            }
        }
        Fault.point(.mergeRefLocked, holding: (repository.commonDirectory as NSString).appendingPathComponent("refs/heads/\(target).lock"))
        do {
            try repository.updateReference("refs/heads/" + target, to: commit, expected: old,
                                           message: "gorch merge: \(id.branch)")
        } catch let error as GitError where error.code == .refMoved || error.code == .exists {
            throw GorchFailure(.stopped, "target \(target) moved while task \(id) was being merged (expected \(old.short()))",
                               hint: "someone else updated it; re-run `gorch merge` to merge onto the new \(target)")
        }
        Fault.point(.mergeTargetMoved)
        if let checkout {
            let open = try session.checkout(at: checkout)
            Fault.point(.mergeIndexLocked, holding: (open.gitDirectory as NSString).appendingPathComponent("index.lock"))
            try open.advanceCheckout(from: old, to: commit) { written in
                Fault.point(.mergeCheckoutWritten)
                if let first = written.first, let root = open.workingDirectory {
                    Fault.point(.mergeCheckoutPartial, truncating: (root as NSString).appendingPathComponent(first))
                }
            }
        }
        Fault.point(.mergeCheckoutUpdated)
        result.commit = commit
        try await finish(task, at: commit, journal: &journal, result: &result, recordStep: false)
        return result
    }

    /// Step 7: the task is merged; remove its worktree and branch unless asked not to.
    /// `recordStep` false: the journal already names the landed commit (see mergeTask).
    func finish(_ task: TaskRecord, at commit: OID, journal: inout Journal, result: inout TaskMergeResult,
                recordStep: Bool = true) async throws {
        journal.current?.step = .cleanup
        if recordStep { try journal.save(paths) }
        try await store.update(task.id) {
            if $0.state != .merged { $0.mergedAt = Date() }  // a resumed run may finish it twice
            $0.state = .merged
            $0.mergeCommit = commit.hex
            $0.note = nil
        }
        Fault.point(.mergeMarked)
        await Reservations.releaseMerged(task.id, workspace, service: await session.reservations())
        if journal.options.cleanup {
            let cleaner = TaskCleaner(workspace: workspace)
            result.warnings += cleaner.removeMerged(task.id, force: false, into: (journal.target, commit))
            result.cleaned = result.warnings.isEmpty
            Fault.point(.mergeCleaned)
        }
    }

    /// `Merge task/<id>: <title>`, with the trivial resolutions listed for the record.
    static func mergeMessage(_ task: TaskRecord, resolutions: [TaskMergeResult.Resolution]) -> String {
        let title = task.title.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        var message = "Merge \(task.branch)" + (title.isEmpty ? "" : ": \(title)") + "\n"
        if !resolutions.isEmpty {
            message += "\nConflicts resolved by gorch:\n"
            message += resolutions.map { "  \($0.path): \($0.method)\n" }.joined()
        }
        return message
    }

    /// Config identity, else `gorch <gorch@localhost>`, so a queue never stops on a missing
    /// user.email (documented in docs/commands.md).
    static func identity(_ repository: Repository) throws -> Signature {
        (try? repository.defaultSignature()) ?? Signature(name: "gorch", email: "gorch@localhost")
    }
}
