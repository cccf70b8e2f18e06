import Foundation
import GitKit

extension MergeCoordinator {
    /// The serial run's steps 2-7 for one task, one function per journal step. Returns its
    /// result; throws only for environment failures (a missing branch, the target moved
    /// underneath) that end the run.
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
        // nothing but unreferenced objects, and redoes the task), then one per step that changes
        // something outside the object store (each step below begins with it): before writing a
        // conflict into the task's worktree, before validation, before the target moves
        // (durable), and when the task is done (MergeCoordinator.drain). After the target moved
        // nothing more is written until the task is done: --continue sees the landed commit and
        // redoes the checkout update and the bookkeeping, both idempotent.
        journal.current = .init(id: id, step: .merging, oldTarget: old.hex, newTarget: nil,
                                previousState: task.state, checkout: checkout)
        var result = TaskMergeResult(id: id, title: task.title, outcome: .merged)
        result.log = paths.log(for: id)

        switch try plan(task, tip: tip, onto: old, label: target, fastForward: journal.options.fastForward) {
        case .unrelated:
            // git refuses unrelated histories, and so does gorch: the task fails with a note
            // (a stop, exit 1; --keep-going goes on), the target untouched.
            result.outcome = .failed
            result.worktree = try workspace.taskWorktree(id)?.path
            result.message = "\(id.branch) shares no history with \(target) (unrelated histories, which git refuses to merge); "
                + "\(target) not moved. Rebase the task's commits onto \(target) (`git rebase --onto \(target) --root \(id.branch)`) "
                + "and run `gorch done \(id)` again"
            try await store.update(id) { $0.state = .failed; $0.note = result.message }
        case .contained:
            progress(.step(id: id, "already contained in \(target)"))
            result.outcome = .upToDate
            result.commit = old
            try await finish(task, at: old, journal: &journal, result: &result)
        case .conflict(let remaining, let resolved):
            progress(.step(id: id, "merging \(id.branch) into \(target)"))
            result.resolutions = resolved
            result.conflicts = remaining
            try await stepHandBack(task, tip: tip, old: old, &journal, &result)
        case .commit(let commit, let fastForward, let resolved, let notes):
            progress(.step(id: id, "merging \(id.branch) into \(target)"))
            for note in notes { progress(.step(id: id, note)) }
            result.fastForward = fastForward
            result.resolutions = resolved
            journal.current?.newTarget = commit.hex
            guard try await stepValidate(task, commit: commit, &journal, &result) else { return result }
            guard try await stepMoveTarget(id, from: old, to: commit, checkout: checkout, &journal, &result) else { return result }
            result.commit = commit
            try await finish(task, at: commit, journal: &journal, result: &result, recordStep: false)
        }
        return result
    }

    /// Step 3, complex conflicts: journaled, then written back into the task's worktree.
    private func stepHandBack(_ task: TaskRecord, tip: OID, old: OID, _ journal: inout Journal,
                              _ result: inout TaskMergeResult) async throws {
        try journal.save(paths)
        Fault.point(.mergeConflictJournaled)
        try await handBack(task, tip: tip, targetTip: old, target: journal.target, result: &result)
        Fault.point(.mergeHandedBack)
    }

    /// Step 5: the merged commit validated in lane 1. False: it failed (the task is failed).
    private func stepValidate(_ task: TaskRecord, commit: OID, _ journal: inout Journal,
                              _ result: inout TaskMergeResult) async throws -> Bool {
        journal.current?.step = .validating
        try journal.save(paths)
        Fault.point(.mergeValidating)
        let point = ValidationGate.Point(commit: commit, tasks: [task], target: journal.target, lane: session.lane(1))
        let id = task.id
        let steps = journal.options.validate
        guard let verdict = try await gate(journal).run([point], progress: { _, _, attempt in
            for step in steps {
                self.progress(.step(id: id, "validating: \(step)" + (attempt > 1 ? " (attempt \(attempt))" : "")))
            }
        }).first else { return true }
        result.validation = verdict.steps
        if verdict.attempts > 0 {
            result.validatedWith = .init(tasks: [id], commit: commit, attempts: verdict.attempts, passed: verdict.passed)
        }
        if verdict.flaky { try recordFlaky(tasks: [id], commit: commit, verdict: verdict) }
        guard let failed = verdict.failure else { return true }
        result.outcome = .failed
        result.worktree = try workspace.taskWorktree(id)?.path
        result.message = "validation `\(failed.command)` \(Self.why(failed)); \(journal.target) not moved; log: \(paths.log(for: id))"
        let note = result.message
        try await store.update(id) { $0.state = .failed; $0.note = note }
        return false
    }

    /// Step 6, serial: the one durable journal write of the task, then the target and its
    /// checkout move. False: the checkout's local changes refused it.
    private func stepMoveTarget(_ id: TaskID, from old: OID, to commit: OID, checkout: String?,
                                _ journal: inout Journal, _ result: inout TaskMergeResult) async throws -> Bool {
        // After a power loss too, a moved target is never without the journal that names the
        // task and the commits (--continue / --abort need them). The other journal writes only
        // need to survive the process (atomic renames).
        Fault.point(.mergeValidated)
        journal.current?.step = .updatingTarget
        try journal.save(paths, durable: true)
        let blockers = try moveTarget(journal.target, from: old, to: commit, checkout: checkout,
                                      reflog: "gorch merge: \(id.branch)", what: "task \(id)")
        guard !blockers.isEmpty, let checkout else { return true }
        result.outcome = .refused
        result.conflicts = blockers.map { MergeConflict(path: $0, kind: .content) }
        result.worktree = checkout
        result.message = "\(journal.target) is checked out in \(checkout) with local changes to \(blockers.joined(separator: ", ")), "
            + "which the merge changes; nothing was moved. Commit or stash them, then run `gorch merge` again"
        return false
    }

    /// Moves the target from `old` to `commit` by compare-and-swap, then the checkout that shows
    /// it, as `git merge` would. Returns the local changes in the way (nothing moved) or [].
    func moveTarget(_ target: String, from old: OID, to commit: OID, checkout: String?,
                    reflog: String, what: String) throws -> [String] {
        if let checkout {
            let blockers = try session.checkout(at: checkout).advanceBlockers(from: old, to: commit)
            if !blockers.isEmpty { return blockers }
        }
        Fault.point(.mergeRefLocked, holding: (repository.commonDirectory as NSString).appendingPathComponent("refs/heads/\(target).lock"))
        do {
            try repository.updateReference("refs/heads/" + target, to: commit, expected: old, message: reflog)
        } catch let error as GitError where error.code == .refMoved || error.code == .exists {
            throw GorchFailure(.stopped, "target \(target) moved while \(what) was being merged (expected \(old.short()))",
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
        return []
    }

    /// The run's validation gate (its steps, timeout and retries).
    func gate(_ journal: Journal) -> ValidationGate {
        ValidationGate(workspace: workspace, steps: journal.options.validate, timeout: workspace.settings.validateTimeout,
                       retries: journal.options.retries ?? 0)
    }

    /// "exited 1", "timed out after 30 s".
    static func why(_ failed: TaskMergeResult.ValidationStep) -> String {
        failed.timedOut ? "timed out after \(Int(failed.seconds)) s" : "exited \(failed.exitCode.map(String.init) ?? "on a signal")"
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
            result.warnings += cleaner.removeMerged(task.id, force: false, into: (journal.target, commit), reaper: reaper)
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
