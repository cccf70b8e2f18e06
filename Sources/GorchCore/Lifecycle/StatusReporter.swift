import Foundation
import GitKit
import Synchronization

/// `gorch status`: every task with its branch, worktree, distance from the target, dirtiness and
/// predicted conflicts with the other active tasks, whether each ready task lands in queue order, plus an open or interrupted merge run.
public struct StatusReporter {
    let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    public struct TaskStatus: Sendable {
        public let task: TaskRecord
        public let branchExists: Bool
        public let worktree: String?
        public let ahead: Int?
        public let behind: Int?
        public let dirty: Bool?
        /// Globs reserved for the task (Agent Mail or the embedded store), live ones only.
        public let reservations: [String]
        /// The agent running in its worktree right now (`gorch run`, `batch --run`, `loop`).
        public let agent: RunningAgents.Entry?
        public let conflictsWith: [TaskID]
        /// For a ready task with a branch: whether it lands cleanly after the tasks ahead of it
        /// in the merge queue (`LandingPredictor`); nil otherwise.
        public let lands: Landing?
    }

    /// A run that is open (stopped on a conflict) or was interrupted.
    public struct Interrupted: Sendable {
        public let task: TaskID?
        public let step: String?
        public let reason: String
        public let worktree: String?
        public let paths: [String]
        public let remaining: [TaskID]
        public let merged: [TaskID]
        public let pid: Int32
        public let since: Date
    }

    /// The merge train in flight: its tasks in order and what each lane validates.
    public struct Train: Sendable {
        public let tasks: [TaskID]
        public let lanes: [Journal.Train.Lane]
        /// Validation rounds so far.
        public let round: Int
        /// The prefix being landed, once its validation passed.
        public let landing: Int?
    }

    public struct Report: Sendable {
        public let target: String
        public let store: String
        public let tasks: [TaskStatus]
        public let interrupted: Interrupted?
        public let train: Train?
        /// Recent validations that passed only on a retry (gorch.validateRetries), oldest first.
        public let flaky: [FlakyLog.Record]
    }

    public func report() async throws -> Report {
        let repository = workspace.repository
        let target = try workspace.target()
        let head = try repository.branchTarget(target)
        let tasks = try await workspace.store.list().sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        var tips: [TaskID: OID] = [:]
        var rows: [(TaskRecord, Bool, String?, Int?, Int?, Bool?)] = []
        for task in tasks {
            let tip = try workspace.taskTip(task.id)
            tips[task.id] = tip
            var ahead: Int?, behind: Int?
            if let tip, let head { (ahead, behind) = try repository.aheadBehind(tip, head) }
            let worktree = try workspace.taskWorktree(task.id).flatMap { $0.isValid ? Workspace.trimmingSlash($0.path) : nil }
            rows.append((task, tip != nil, worktree, ahead, behind, nil))
        }
        // Each worktree's dirtiness on its own handle, one thread per core: an lstat per tracked file.
        let dirtiness = try Self.dirtiness(of: rows.map(\.2))
        for index in rows.indices { rows[index].5 = dirtiness[index] }
        let conflicts = try predictConflicts(tasks.filter { $0.state.isActive }, tips: tips)
        // A prediction that cannot be made (an object missing under a task's branch) shows as
        // none, as a failed pair does in the matrix: status must answer whenever it did before.
        let landings = (try? LandingPredictor.predict(workspace, tasks: tasks)) ?? [:]
        await renewExpiring(tasks.filter { $0.state == .started || $0.state == .ready })
        let reserved = Dictionary(grouping: (try? await EmbeddedReservations(paths: workspace.paths).active()) ?? [], by: \.task)
        let running = RunningAgents.live(workspace.paths)
        let statuses = rows.map { task, exists, worktree, ahead, behind, dirty in
            TaskStatus(task: task, branchExists: exists, worktree: worktree, ahead: ahead, behind: behind, dirty: dirty,
                       reservations: (reserved[task.id.rawValue] ?? []).flatMap(\.patterns), agent: running[task.id.rawValue],
                       conflictsWith: conflicts[task.id, default: []].sorted(), lands: landings[task.id])
        }
        let journal = try Journal.load(workspace.paths)
        let train = journal?.train.map {
            Train(tasks: $0.cars.map(\.id), lanes: $0.lanes, round: $0.round, landing: $0.landing)
        }
        return Report(target: target, store: workspace.store.kind, tasks: statuses, interrupted: try interrupted(journal),
                      train: train, flaky: FlakyLog(paths: workspace.paths).records())
    }

    /// Whether each worktree (nil: none) has changes to tracked files, checked in parallel.
    private static func dirtiness(of worktrees: [String?]) throws -> [Bool?] {
        let results = Mutex([Result<Bool, any Error>?](repeating: nil, count: worktrees.count))
        let workers = min(max(1, ProcessInfo.processInfo.activeProcessorCount), worktrees.count)
        let next = Atomic(0)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                let index = next.add(1, ordering: .relaxed).oldValue
                guard index < worktrees.count else { return }
                guard let path = worktrees[index] else { continue }
                let result = Result { try Repository.open(at: path).isDirty() }
                results.withLock { $0[index] = result }
            }
        }
        return try results.withLock { $0 }.map { try $0?.get() }
    }

    /// Pairs of active tasks with commits whose branches conflict with each other, merged in
    /// memory (nothing written). Each branch is resolved once (`tips`) and each pair is first
    /// looked up in the verdict cache; only the pairs it lacks are merged, on one thread per core.
    private func predictConflicts(_ active: [TaskRecord], tips: [TaskID: OID]) throws -> [TaskID: Set<TaskID>] {
        let candidates = active.compactMap { task in tips[task.id].map { (task: task, tip: $0) } }
        guard candidates.count > 1 else { return [:] }
        let path = workspace.repository.commonDirectory
        let cache = VerdictCache(paths: workspace.paths)
        defer { cache.flush() }
        let predictor = try ConflictPredictor(repository: path, cache: cache)
        var result: [TaskID: Set<TaskID>] = [:]
        func record(_ a: TaskID, _ b: TaskID) {
            result[a, default: []].insert(b)
            result[b, default: []].insert(a)
        }
        // Each pair's cache key from fields escaped once per task: n^2/2 lookups stay cheap.
        let settings = VerdictCache.escape(predictor.settingsFingerprint)
        let fields = candidates.map { (tip: VerdictCache.escape($0.tip.hex), label: VerdictCache.escape($0.task.branch)) }
        var misses: [(ours: OID, theirs: OID, target: String, branch: String)] = [], missed: [(TaskID, TaskID)] = []
        for (i, a) in candidates.enumerated() {
            for (j, b) in candidates.enumerated().dropFirst(i + 1) {
                let key = VerdictCache.Key(escapedSettings: settings, ours: fields[i].tip, theirs: fields[j].tip,
                                           ourLabel: fields[i].label, theirLabel: fields[j].label)
                if let verdict = predictor.cachedVerdict(key) {
                    if verdict == .conflict { record(a.task.id, b.task.id) }
                } else {
                    misses.append((a.tip, b.tip, a.task.branch, b.task.branch))
                    missed.append((a.task.id, b.task.id))
                }
            }
        }
        guard !misses.isEmpty else { return result }
        let workers = min(PredictionPool.defaultWorkers, misses.count)
        let predictions = workers > 1
            ? try PredictionPool(repository: path, workers: workers, cache: cache).predictAll(misses)
            : misses.map { predictor.predict(ours: $0.ours, theirs: $0.theirs, target: $0.target, branch: $0.branch) }
        for (pair, prediction) in zip(missed, predictions) where prediction.verdict == .conflict { record(pair.0, pair.1) }
        return result
    }

    /// Keeps running tasks' reservations alive: a coordinating agent polls `status`, so each call
    /// renews the reservations that have less than half their TTL left (one request per task, only
    /// then). `gorch run` will renew on its own while an agent works.
    private func renewExpiring(_ running: [TaskRecord]) async {
        let ttl = workspace.settings.reservationTTL
        guard let live = try? await EmbeddedReservations(paths: workspace.paths).active(), !live.isEmpty else { return }
        let now = Date().timeIntervalSince1970
        let due = Set(live.filter { $0.expires - now < Double(ttl) / 2 }.map(\.task))
        guard running.contains(where: { due.contains($0.id.rawValue) }) else { return }
        let service = await Reservations.choose(workspace).service
        for task in running where due.contains(task.id.rawValue) {
            try? await service.renew(task.id, ttlSeconds: ttl)
        }
    }

    private func interrupted(_ journal: Journal?) throws -> Interrupted? {
        guard let journal else { return nil }
        if let stop = journal.stopped {
            return Interrupted(task: stop.id, step: nil, reason: stop.reason, worktree: stop.worktree, paths: stop.paths,
                               remaining: journal.queue, merged: journal.merged, pid: journal.pid, since: journal.started)
        }
        // A journal without a stop belongs to a running merge (lock held) or a dead one.
        let lock = FileLock(path: workspace.paths.repoLock)
        let running = !(try lock.tryLock())
        lock.unlock()
        return Interrupted(task: journal.current?.id, step: journal.current?.step.rawValue,
                           reason: running ? "running" : "interrupted", worktree: nil, paths: [],
                           remaining: journal.queue, merged: journal.merged, pid: journal.pid, since: journal.started)
    }
}
