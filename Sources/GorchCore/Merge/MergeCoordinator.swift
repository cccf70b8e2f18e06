import Foundation
import GitKit

/// `gorch merge`: merges finished task branches into the target one at a time, resolving trivial
/// conflicts, handing complex ones back, validating before the target moves, and cleaning up
/// (DESIGN.md "Merge coordinator"). Holds the repository lock for the whole run and writes the
/// journal before every step.
public final class MergeCoordinator {
    let workspace: Workspace
    let progress: @Sendable (MergeEvent) -> Void
    var repository: Repository { workspace.repository }
    var store: any TaskStore { workspace.store }
    var paths: GorchPaths { workspace.paths }
    lazy var merger = OrtMerger(repository: repository)
    lazy var session = MergeSession(workspace: workspace)
    /// Deletes merged worktrees' folders in the background (FolderReaper); made on first use.
    private(set) var startedReaper: FolderReaper?
    var reaper: FolderReaper {
        if let startedReaper { return startedReaper }
        let made = FolderReaper(paths: paths)
        startedReaper = made
        return made
    }

    public init(workspace: Workspace, progress: @escaping @Sendable (MergeEvent) -> Void = { _ in }) {
        self.workspace = workspace
        self.progress = progress
    }

    /// A new run. Refuses (exit 3) while another run is open.
    public func merge(_ options: MergeOptions) async throws -> MergeReport {
        let lock = try RepoLock.acquire(paths, command: "merge", wait: options.lockWait)
        defer { lock.release() }
        defer { startedReaper?.finish() }
        Fault.point(.mergeLocked)
        _ = StaleLocks.cleanTemporaryFiles(paths)
        if let open = try Journal.load(paths) { throw Self.openRunFailure(open) }
        _ = try workspace.requireMainWorkTree(for: "gorch merge")
        let target = try workspace.target()
        let queue = try await options.ids.isEmpty ? MergeQueue.order(store.list()) : options.ids
        var steps = options.validate
        if steps.isEmpty { steps = try repository.configValues("gorch.validate") }
        var journal = Journal(pid: getpid(), host: ProcessInfo.processInfo.hostName, started: Date(), target: target,
                              options: .init(validate: steps, keepGoing: options.keepGoing, cleanup: options.cleanup,
                                             fastForward: options.fastForward, resolveWith: options.resolveWith,
                                             batch: options.batch ?? workspace.settings.batch,
                                             lanes: options.lanes ?? workspace.settings.validateLanes,
                                             retries: workspace.settings.validateRetries),
                              queue: queue, merged: [], skipped: [], current: nil, stopped: nil)
        var report = MergeReport(target: target, before: try repository.branchTarget(target))
        if steps.isEmpty && !queue.isEmpty {
            report.warnings.append("no validation steps: the target moves without a build or test (pass --validate CMD or set gorch.validate)")
        }
        Fault.point(.mergeJournalPartial, holding: paths.journal + ".tmp-\(getpid())") // AtomicFile's temp name
        try await drain(&journal, &report)
        return report
    }

    /// Merges the journal's queue in order until it is empty or a task stops the run: in trains
    /// of up to `batch` tasks where a train can be built, else one task at a time.
    func drain(_ journal: inout Journal, _ report: inout MergeReport) async throws {
        let total = journal.queue.count + journal.merged.count + journal.skipped.count
        let batch = journal.options.batch ?? 1
        while let id = journal.queue.first {
            let goOn: Bool
            do {
                if let train = try await buildTrain(journal, limit: batch) {
                    goOn = try await runTrain(base: train.base, cars: train.cars, &journal, &report)
                } else {
                    goOn = try await mergeNext(id, index: total - journal.queue.count + 1, of: total, &journal, &report)
                }
            } catch {
                try await closeAfterError(&journal)
                throw error
            }
            guard goOn else {
                if journal.stopped == nil { Journal.remove(paths) }
                report.after = try repository.branchTarget(journal.target)
                try await syncTracker(merged: !journal.merged.isEmpty, &report)
                return
            }
        }
        Journal.remove(paths)
        report.after = try repository.branchTarget(journal.target)
        try await syncTracker(merged: !journal.merged.isEmpty, &report)
    }

    /// The serial step: the queue's first task merged, validated and landed on its own. Returns
    /// false when the run stops at it (left open on a complex conflict, closed otherwise).
    private func mergeNext(_ id: TaskID, index: Int, of total: Int, _ journal: inout Journal,
                           _ report: inout MergeReport) async throws -> Bool {
        let record = try? await store.get(id)
        progress(.task(id: id, title: record?.title ?? "", index: index, count: total))
        var result = try await mergeTask(id, &journal, prefetched: record)
        if result.outcome == .conflicted, let resolver = journal.options.resolveWith,
           try await resolve(id, with: resolver, &result) {
            let first = result
            result = try await mergeTask(id, &journal)
            result.resolutions = first.resolutions + result.resolutions
            result.message = [first.message, result.message].compactMap { $0 }.joined(separator: "; then: ")
        }
        journal.queue.removeFirst()
        report.validations += result.validatedWith?.attempts ?? 0
        switch result.outcome {
        case .merged, .upToDate:
            journal.merged.append(id)
        case .conflicted where !journal.options.keepGoing:
            // The stopped task stays first in the queue: `--continue` retries it.
            journal.queue.insert(id, at: 0)
            journal.current = nil
            journal.stopped = .init(id: id, reason: "conflict", worktree: result.worktree,
                                    paths: result.conflicts.map(\.path), taskTip: try workspace.requireTaskTip(id).hex)
            try journal.save(paths)
            report.stopped = journal.stopped
            report.tasks.append(result)
            progress(.finished(result))
            await appendNotAttempted(Array(journal.queue.dropFirst()), &report)
            return false
        case .failed, .refused, .conflicted, .notAttempted:
            journal.skipped.append(id)
            if !journal.options.keepGoing {
                report.tasks.append(result)
                progress(.finished(result))
                await appendNotAttempted(journal.queue, &report)
                return false
            }
        }
        report.tasks.append(result)
        progress(.finished(result))
        journal.current = nil
        // No journal write here: the next task's first write carries the advanced queue, and
        // a run killed in between finds the finished task's landed commit and redoes its
        // (idempotent) bookkeeping. A skipped task changed no ref: save that now.
        if result.outcome != .merged && result.outcome != .upToDate { try journal.save(paths) }
        return true
    }

    /// libgit2 fires no hooks, so after merges gorch syncs the tracker itself (legacy bd: `bd sync`).
    func syncTracker(merged: Bool, _ report: inout MergeReport) async throws {
        guard merged, workspace.beads != nil else { return }
        do {
            report.tracker = try await TrackerSync.afterMerges(workspace)
        } catch {
            report.warnings.append("tracker sync failed: \(error); run `gorch sync`")
        }
        var done: [TaskRecord] = []
        for result in report.tasks where result.outcome == .merged {
            if let task = try? await store.get(result.id) { done.append(task) }
        }
        do {
            report.archive = try await Syncer(workspace: workspace).archiveSuggestions(done)
        } catch {
            report.warnings.append("openspec archive failed: \(error)")
        }
    }

    /// A failure that ends the run (a branch deleted by hand, the target moved): the run closes
    /// and the task returns to its state, unless its target update had already landed, in which
    /// case the journal stays so that `--continue` finishes it.
    private func closeAfterError(_ journal: inout Journal) async throws {
        if let current = journal.current, let new = current.newTarget,
           try repository.branchTarget(journal.target)?.hex == new {
            return
        }
        if let train = journal.train, let landing = train.landing,
           try repository.branchTarget(journal.target)?.hex == train.cars[landing - 1].commit {
            return
        }
        if let current = journal.current {
            _ = try? await store.update(current.id) { if $0.state != .merged { $0.state = current.previousState } }
        }
        Journal.remove(paths)
    }

    func appendNotAttempted(_ ids: [TaskID], _ report: inout MergeReport) async {
        for id in ids {
            let title = (try? await store.get(id))?.title ?? ""
            var result = TaskMergeResult(id: id, title: title, outcome: .notAttempted)
            result.message = "not attempted: the run stopped at an earlier task"
            report.tasks.append(result)
        }
    }

    static func openRunFailure(_ journal: Journal) -> GorchFailure {
        if let stop = journal.stopped {
            let place = stop.worktree.map { " in \($0)" } ?? ""
            return GorchFailure(.environment, "a merge run is open: task \(stop.id) stopped on a \(stop.reason)\(place)",
                                hint: "resolve it there and commit, then `gorch merge --continue`; or `gorch merge --abort`")
        }
        let at = journal.current.map { " at task \($0.id) (step \($0.step.rawValue))" }
            ?? journal.train.map { " at a train of \($0.cars.count) (\($0.landing == nil ? "validating" : "landing"))" } ?? ""
        return GorchFailure(.environment, "a merge run was interrupted\(at) (pid \(journal.pid) on \(journal.host) is gone)",
                            hint: "`gorch merge --continue` resumes it; `gorch merge --abort` undoes the task in flight")
    }
}
