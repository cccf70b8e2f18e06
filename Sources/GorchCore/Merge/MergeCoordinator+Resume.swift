import Foundation
import GitKit

extension MergeCoordinator {
    /// `gorch merge --continue`: resumes a run stopped on a conflict (after a resolution commit in
    /// the task's worktree) or interrupted by a crash. Nothing to resume: an empty report, exit 0.
    public func continueRun(lockWait: Double = 2) async throws -> MergeReport? {
        let lock = try RepoLock.acquire(paths, command: "merge --continue", wait: lockWait)
        defer { lock.release() }
        defer { startedReaper?.finish() }
        // No run open: a run killed inside its first journal write left only its temp file
        // (found by scripts/soak), removed here too.
        guard var journal = try Journal.load(paths) else { _ = StaleLocks.cleanTemporaryFiles(paths); return nil }
        let lastWrite = StaleLocks.modified(paths.journal)
        let unlocked = StaleLocks(workspace: workspace).clean(journal)
        var report = MergeReport(target: journal.target, before: try repository.branchTarget(journal.target))
        report.recovered += unlocked.map { "removed \($0), left by the interrupted run" }
        if let stop = journal.stopped {
            try checkResolved(stop)
            try await store.update(stop.id) { $0.state = .ready; $0.note = nil }
            journal.stopped = nil
            report.recovered.append("task \(stop.id): resolution committed on \(stop.id.branch); retrying its merge")
        } else if try await finishLanded(&journal, since: lastWrite, &report) {
            // The target already moved: what the dead run left (checkout, bookkeeping) is done.
        } else if let current = journal.current {
            report.recovered.append("task \(current.id): interrupted at \(current.step.rawValue) before \(journal.target) moved; merging it again")
            try await restoreState(current)
        } else if let train = journal.train {
            report.recovered.append("a train of \(train.cars.count) was interrupted before \(journal.target) moved; building it again")
        }
        journal.current = nil
        journal.train = nil
        try journal.save(paths)
        try await drain(&journal, &report)
        return report
    }

    /// `gorch merge --abort`: undoes only the task in flight (its worktree back to its last
    /// commit, its state as before the run), removes the journal and releases the lock. Merged
    /// tasks stay merged. Returns what was undone, nil when no run was open.
    public func abortRun(lockWait: Double = 2) async throws -> [String]? {
        let lock = try RepoLock.acquire(paths, command: "merge --abort", wait: lockWait)
        defer { lock.release() }
        defer { startedReaper?.finish() }
        guard var journal = try Journal.load(paths) else { _ = StaleLocks.cleanTemporaryFiles(paths); return nil }
        let lastWrite = StaleLocks.modified(paths.journal)
        var done = StaleLocks(workspace: workspace).clean(journal).map { "removed \($0), left by the interrupted run" }
        if let stop = journal.stopped {
            if let worktree = try workspace.taskWorktree(stop.id), worktree.isValid {
                let checkout = try Repository.open(at: worktree.path)
                if checkout.isMerging {
                    try checkout.abortMerge()
                    done.append("task \(stop.id): conflicted merge removed from \(Workspace.trimmingSlash(worktree.path)) (back to its last commit)")
                }
            }
            try await store.update(stop.id) { $0.state = .ready; $0.note = "merge aborted: it conflicts with \(journal.target)" }
            done.append("task \(stop.id): back to ready")
        } else {
            // What landed is kept and recorded, its worktrees and branches too.
            var report = MergeReport(target: journal.target)
            journal.options.cleanup = false
            if try await finishLanded(&journal, since: lastWrite, &report) {
                done += report.recovered
            } else if let current = journal.current {
                if let undone = try undoHandBack(current) { done.append(undone) }
                try await restoreState(current)
                done.append("task \(current.id): interrupted before \(journal.target) moved; back to \(current.previousState.rawValue)")
            } else if let train = journal.train {
                done.append("a train of \(train.cars.count) (\(train.cars.map(\.id.rawValue).joined(separator: " "))) was interrupted "
                            + "before \(journal.target) moved; nothing of it landed")
            }
        }
        Journal.remove(paths)
        return done
    }

    /// A run killed while writing a conflict into the task's worktree (before it could record the
    /// stop) leaves that merge there: gorch's, when MERGE_HEAD is the target commit it merged.
    private func undoHandBack(_ current: Journal.Current) throws -> String? {
        guard current.step == .merging, let worktree = try workspace.taskWorktree(current.id), worktree.isValid else { return nil }
        let checkout = try Repository.open(at: worktree.path)
        guard checkout.isMerging, checkout.mergeHead?.hex == current.oldTarget else { return nil }
        try checkout.abortMerge()
        return "task \(current.id): conflicted merge removed from \(Workspace.trimmingSlash(worktree.path)) (back to its last commit)"
    }

    /// A stopped task may continue once its branch has a commit past the stop and no merge is
    /// still in progress in its worktree.
    private func checkResolved(_ stop: Journal.Stop) throws {
        if let worktree = try workspace.taskWorktree(stop.id), worktree.isValid {
            let checkout = try Repository.open(at: worktree.path)
            if checkout.isMerging {
                let unresolved = try checkout.status().filter(\.isConflicted).map(\.path)
                let detail = unresolved.isEmpty ? "the merge is not committed yet" : "unresolved: \(unresolved.joined(separator: ", "))"
                throw GorchFailure(.stopped, "task \(stop.id) still has a merge in progress in \(Workspace.trimmingSlash(worktree.path)) (\(detail))",
                                   hint: "resolve the files, `git add` them and `git commit` there; then `gorch merge --continue` (or `gorch merge --abort`)")
            }
        }
        let tip = try workspace.requireTaskTip(stop.id)
        if tip.hex == stop.taskTip {
            throw GorchFailure(.stopped, "task \(stop.id) has no new commit since its merge stopped on a conflict",
                               hint: "resolve the conflict in \(stop.worktree ?? "its worktree") and commit, then `gorch merge --continue`; or `gorch merge --abort`")
        }
    }

    /// The commit the interrupted task moved the target to, if it got that far.
    private func landedCommit(_ current: Journal.Current, _ journal: Journal) throws -> OID? {
        guard let new = current.newTarget.flatMap({ OID(hex: $0) }),
              try repository.branchTarget(journal.target) == new else { return nil }
        return new
    }

    /// Finishes what a dead run had landed, the task in flight or a train's prefix: false when
    /// the target had not moved. `since`: when the dead run last wrote the journal (before it
    /// moved the target).
    private func finishLanded(_ journal: inout Journal, since: Date?, _ report: inout MergeReport) async throws -> Bool {
        if let current = journal.current, let landed = try landedCommit(current, journal) {
            try await finishLanded(current, commit: landed, since: since, &journal, &report)
            return true
        }
        if let train = journal.train, let landing = try landedTrain(train, journal) {
            try await finishLandedTrain(train, prefix: landing, since: since, &journal, &report)
            return true
        }
        return false
    }

    /// The ref moved but the checkout may still show the old tree, or part of the new one: files
    /// the dead run wrote completely are adopted, and changed paths whose file was written after
    /// its last journal write (`since`, perhaps half written) are its own and rewritten.
    private func recoverCheckout(_ checkout: String, from old: OID, to new: OID, since: Date?) throws {
        try session.checkout(at: checkout).advanceCheckout(
            from: old, to: new,
            rewritingFilesWritten: since.map { $0.addingTimeInterval(-1)...$0.addingTimeInterval(StaleLocks.window) })
    }

    private func finishLanded(_ current: Journal.Current, commit: OID, since: Date?,
                              _ journal: inout Journal, _ report: inout MergeReport) async throws {
        if let checkout = current.checkout, let old = OID(hex: current.oldTarget),
           current.step == .updatingTarget || current.step == .updatingCheckout {
            try recoverCheckout(checkout, from: old, to: commit, since: since)
        }
        guard let task = try await store.get(current.id) else { return }
        var result = TaskMergeResult(id: current.id, title: task.title, outcome: .merged)
        result.commit = commit
        try await finish(task, at: commit, journal: &journal, result: &result)
        journal.queue.removeAll { $0 == current.id }
        journal.merged.append(current.id)
        report.recovered.append("task \(current.id): its merge had landed (\(journal.target) at \(commit.short())); finished its cleanup")
        report.tasks.append(result)
    }

    /// The prefix an interrupted train moved the target to, if it got that far.
    private func landedTrain(_ train: Journal.Train, _ journal: Journal) throws -> Int? {
        guard let landing = train.landing, landing >= 1, landing <= train.cars.count,
              let tip = OID(hex: train.cars[landing - 1].commit),
              try repository.branchTarget(journal.target) == tip else { return nil }
        return landing
    }

    /// The target holds the train's prefix: the checkout is brought along (as for one task) and every task of the
    /// prefix gets its bookkeeping, each with its own merge commit.
    private func finishLandedTrain(_ train: Journal.Train, prefix: Int, since: Date?,
                                   _ journal: inout Journal, _ report: inout MergeReport) async throws {
        let cars = Array(train.cars.prefix(prefix))
        guard let base = OID(hex: train.base), let tip = OID(hex: cars[cars.count - 1].commit) else { return }
        if let checkout = train.checkout { try recoverCheckout(checkout, from: base, to: tip, since: since) }
        var previous = base
        for car in cars {
            guard let task = try await store.get(car.id), let commit = OID(hex: car.commit) else { continue }
            defer { previous = commit }
            if car.kind == .handBack {
                report.tasks.append(try await handBackInTrain(task, onto: previous, &journal))
                continue
            }
            var result = TaskMergeResult(id: car.id, title: task.title, outcome: .merged)
            result.commit = commit
            try await finish(task, at: commit, journal: &journal, result: &result)
            journal.queue.removeAll { $0 == car.id }
            if !journal.merged.contains(car.id) { journal.merged.append(car.id) }
            report.tasks.append(result)
        }
        report.recovered.append("a train of \(prefix) had landed (\(journal.target) at \(tip.short())): "
                                + "\(cars.map(\.id.rawValue).joined(separator: " ")); finished their cleanup")
    }

    private func restoreState(_ current: Journal.Current) async throws {
        try await store.update(current.id) { if $0.state != .merged { $0.state = current.previousState } }
    }
}
