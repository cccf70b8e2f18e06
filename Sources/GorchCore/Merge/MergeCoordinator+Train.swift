import Foundation
import GitKit

/// Merge trains (DESIGN.md "Landing many tasks: merge trains"): the next tasks of the queue
/// merged one after another in memory, each its own merge commit exactly as the serial run
/// makes it, the tip validated once, a failing tip bisected, and the longest passing prefix
/// landed by one compare-and-swap.
///
/// Where a train cannot decide like the serial run, it leaves the task to the serial step:
/// the train ends before a task that conflicts (unless --keep-going without --resolve-with),
/// shares no history with the target, is not in a state to merge, or whose change the
/// checked-out target's local changes would refuse, and the serial step then takes that task
/// once the prefix before it has landed (or failed). With --keep-going a conflicting task rides
/// along without a commit and is handed back only when the prefix up to it lands, against the
/// commit before it: a culprit ahead of it sends it into the rebuilt train instead, where it may
/// well merge cleanly, as in the serial run. So with validation whose failures persist both
/// end with the same commits, states and hand-backs (TrainDifferentialTests).
extension MergeCoordinator {
    /// One task in a train.
    struct Car {
        let task: TaskRecord
        /// The train's tip after this task.
        let commit: OID
        let kind: Journal.Train.Car.Kind
        var fastForward = false
        var resolutions: [TaskMergeResult.Resolution] = []
        /// Progress lines of its merge (trivial resolutions, tick).
        var notes: [String] = []
        /// A hand-back's complex conflicts, as its merge onto the commit before it left them.
        var conflicts: [MergeConflict] = []

        init(task: TaskRecord, commit: OID, kind: Journal.Train.Car.Kind) {
            self.task = task
            self.commit = commit
            self.kind = kind
        }
    }

    /// Builds a train of up to `limit` tasks from the front of the queue on the target's tip.
    /// Fewer than two tasks: nil, the serial step goes on (a train of one is the serial run).
    func buildTrain(_ journal: Journal, limit: Int) async throws -> (base: OID, cars: [Car])? {
        guard limit > 1, journal.queue.count > 1 else { return nil }
        let target = journal.target
        guard let base = try repository.branchTarget(target) else { throw GorchError.unknownTarget(target) }
        var cars: [Car] = []
        var tip = base
        for id in journal.queue.prefix(limit) {
            guard let task = try await store.get(id), task.state != .merged, task.state != .planned,
                  let taskTip = try? workspace.requireTaskTip(id) else { break }
            // A task whose merge fails outright ends the train; the serial step then meets the
            // same error after the tasks ahead of it have landed, as without a train.
            guard let planned = try? plan(task, tip: taskTip, onto: tip, label: target, fastForward: journal.options.fastForward) else { break }
            switch planned {
            case .commit(let commit, let fastForward, let resolved, let notes):
                var car = Car(task: task, commit: commit, kind: .merge)
                car.fastForward = fastForward
                car.resolutions = resolved
                car.notes = notes
                cars.append(car)
                tip = commit
                continue
            case .contained where !cars.isEmpty:
                cars.append(Car(task: task, commit: tip, kind: .contained))
                continue
            case .conflict(let remaining, let resolved) where !cars.isEmpty && journal.options.keepGoing && journal.options.resolveWith == nil:
                // --keep-going hands it back and goes on without it (DESIGN.md); the hand-back
                // waits until the prefix before it has landed, so it is written against exactly
                // the target the serial run would have had (a culprit ahead of it is never in it).
                var car = Car(task: task, commit: tip, kind: .handBack)
                car.conflicts = remaining
                car.resolutions = resolved
                cars.append(car)
                continue
            case .contained, .conflict, .unrelated:
                break
            }
            break
        }
        cars = try cutAtLocalChanges(cars, base: base, target: target)
        return cars.count > 1 ? (base, cars) : nil
    }

    /// The checked-out target's local changes refuse a move that touches them: the train ends
    /// before the first task whose change they are in the way of (that task then goes the
    /// serial way: validated, then refused, as without a train).
    private func cutAtLocalChanges(_ cars: [Car], base: OID, target: String) throws -> [Car] {
        guard let last = cars.last, let checkout = try session.checkoutPath(of: target) else { return cars }
        let open = try session.checkout(at: checkout)
        guard try !open.advanceBlockers(from: base, to: last.commit).isEmpty else { return cars }
        let first = try cars.firstIndex { try !open.advanceBlockers(from: base, to: $0.commit).isEmpty } ?? cars.count
        return Array(cars.prefix(first))
    }

    /// Validates the train, bisecting a failing tip, lands the longest passing prefix and fails
    /// the culprit. Returns false when the run stops here (a culprit without --keep-going).
    func runTrain(base: OID, cars: [Car], _ journal: inout Journal, _ report: inout MergeReport) async throws -> Bool {
        let target = journal.target
        journal.train = .init(base: base.hex, cars: cars.map { .init(id: $0.task.id, commit: $0.commit.hex, kind: $0.kind) },
                              lanes: [], round: 0, landing: nil, checkout: try session.checkoutPath(of: target))
        try journal.save(paths)
        Fault.point(.mergeTrainBuilt)
        progress(.train(cars.map(\.task.id), base: base))
        for car in cars {
            let id = car.task.id
            switch car.kind {
            case .merge: progress(.step(id: id, "\(id): merged into the train as \(car.commit.short())"))
            case .contained: progress(.step(id: id, "\(id): already contained in the train"))
            case .handBack: progress(.step(id: id, "\(id): conflicts; handed back once the tasks ahead of it land"))
            }
            for note in car.notes { progress(.step(id: id, "\(id): \(note)")) }
        }

        let (bisection, verdicts) = try await bisect(cars, &journal, &report)
        let landing = bisection.landing
        if landing > 0 {
            try await land(cars, prefix: landing, base: base, verdict: verdicts[cars[landing - 1].commit], &journal, &report)
        }
        journal.train = nil
        guard let culprit = bisection.culprit, let verdict = verdicts[cars[culprit - 1].commit] else {
            try journal.save(paths)
            return true
        }
        // The culprit: failed as its serial validation would have, naming the prefix.
        let car = cars[culprit - 1]
        let id = car.task.id
        var result = TaskMergeResult(id: id, title: car.task.title, outcome: .failed)
        result.validation = verdict.steps
        result.validatedWith = .init(tasks: Self.merged(cars.prefix(culprit)).map(\.id), commit: car.commit,
                                     attempts: verdict.attempts, passed: false)
        result.log = paths.log(for: id)
        result.worktree = try workspace.taskWorktree(id)?.path
        let ahead = Self.merged(cars.prefix(culprit - 1)).map(\.id.rawValue)
        let on = ahead.isEmpty ? target
            : "\(target) + " + (ahead.count <= 4 ? ahead.joined(separator: " ") : "\(ahead[0]) .. \(ahead[ahead.count - 1]) (\(ahead.count) tasks)")
        let failed = verdict.failure.map { "`\($0.command)` \(Self.why($0))" } ?? "failed"
        result.message = "validation \(failed) with \(id) merged on \(on) (task \(culprit) of a train of \(cars.count)"
            + (ahead.isEmpty ? "" : "; without it the validation passed") + "); \(target) not moved to it; log: \(paths.log(for: id))"
        let note = result.message
        try await store.update(id) { $0.state = .failed; $0.note = note }
        Fault.point(.mergeTrainCulprit)
        journal.queue.removeAll { $0 == id }
        journal.skipped.append(id)
        report.tasks.append(result)
        progress(.finished(result))
        guard journal.options.keepGoing else {
            await appendNotAttempted(journal.queue, &report)
            return false
        }
        try journal.save(paths)
        return true
    }

    /// Validation rounds until the bisection is done. Returns it and the verdict on each
    /// validated commit (a prefix's verdict is its commit's).
    private func bisect(_ cars: [Car], _ journal: inout Journal, _ report: inout MergeReport) async throws
        -> (Bisection, [OID: ValidationGate.Verdict]) {
        var bisection = Bisection(count: cars.count)
        guard !journal.options.validate.isEmpty else {
            bisection.record(cars.count, passed: true)
            return (bisection, [:])
        }
        let lanes = min(max(journal.options.lanes ?? 1, 1), cars.count)
        var verdicts: [OID: ValidationGate.Verdict] = [:]
        while !bisection.isDone {
            var points = bisection.nextRound(lanes: lanes)
            // A task already contained or handed back adds no commit: its prefix's verdict is
            // the one before it, known when that commit was validated.
            for prefix in points {
                if let known = verdicts[cars[prefix - 1].commit] { bisection.record(prefix, passed: known.passed) }
            }
            points.removeAll { verdicts[cars[$0 - 1].commit] != nil }
            guard !points.isEmpty else { continue }
            let gatePoints = points.enumerated().map { index, prefix in
                ValidationGate.Point(commit: cars[prefix - 1].commit, tasks: Self.merged(cars.prefix(prefix)),
                                     target: journal.target, lane: session.lane(index + 1))
            }
            journal.train?.round += 1
            journal.train?.lanes = gatePoints.enumerated().map { index, point in
                .init(lane: index + 1, prefix: points[index], commit: point.commit.hex, state: .validating)
            }
            try journal.save(paths)
            Fault.point(.mergeTrainValidating)
            let round = journal.train?.round ?? 0
            let results = try await gate(journal).run(gatePoints) { lane, point, attempt in
                self.progress(.validating(lane: lane.lane, prefix: point.tasks.map(\.id), of: cars.count, round: round, attempt: attempt))
            }
            for (index, verdict) in results.enumerated() {
                let prefix = points[index]
                verdicts[cars[prefix - 1].commit] = verdict
                bisection.record(prefix, passed: verdict.passed)
                report.validations += verdict.attempts
                journal.train?.lanes[index].state = verdict.flaky ? .flaky : (verdict.passed ? .passed : .failed)
                let ids = gatePoints[index].tasks.map(\.id)
                if verdict.flaky { try recordFlaky(tasks: ids, commit: cars[prefix - 1].commit, verdict: verdict) }
                progress(.validated(prefix: ids, passed: verdict.passed, flaky: verdict.flaky))
            }
            try journal.save(paths)
        }
        return (bisection, verdicts)
    }

    /// Moves the target to the prefix's tip (one compare-and-swap, one checkout update) and
    /// finishes each of its tasks with its own merge commit.
    private func land(_ cars: [Car], prefix: Int, base: OID, verdict: ValidationGate.Verdict?,
                      _ journal: inout Journal, _ report: inout MergeReport) async throws {
        let landed = Array(cars.prefix(prefix))
        let tip = landed[landed.count - 1].commit
        let ids = Self.merged(landed[...]).map(\.id)  // never empty: a train starts with a task that merges
        journal.train?.landing = prefix
        try journal.save(paths, durable: true)
        Fault.point(.mergeTrainLanding)
        let blockers = try moveTarget(journal.target, from: base, to: tip, checkout: journal.train?.checkout,
                                      reflog: "gorch merge: train of \(ids.count) (\(ids.map(\.branch).joined(separator: " ")))",
                                      what: "a train of \(ids.count) (\(ids.map(\.rawValue).joined(separator: " ")))")
        if !blockers.isEmpty {
            // Local changes appeared in the checkout while the train was validated.
            throw GorchFailure(.stopped, "\(journal.target) is checked out in \(journal.train?.checkout ?? "?") with local changes to "
                               + "\(blockers.joined(separator: ", ")), which the train changes; nothing was moved",
                               hint: "commit or stash them, then run `gorch merge` again")
        }
        progress(.landed(ids, commit: tip))
        let validatedWith = verdict.map {
            TaskMergeResult.ValidatedWith(tasks: ids, commit: tip, attempts: $0.attempts, passed: true)
        }
        var previous = base
        for car in landed {
            defer { previous = car.commit }
            if car.kind == .handBack {
                let result = try await handBackInTrain(car.task, onto: previous, planned: (car.conflicts, car.resolutions), &journal)
                report.tasks.append(result)
                progress(.finished(result))
                continue
            }
            var result = TaskMergeResult(id: car.task.id, title: car.task.title, outcome: car.kind == .contained ? .upToDate : .merged)
            result.commit = car.commit
            result.fastForward = car.fastForward
            result.resolutions = car.resolutions
            result.validation = verdict?.steps ?? []
            result.validatedWith = validatedWith
            result.log = paths.log(for: ids[ids.count - 1])
            if car.kind == .contained { result.message = "already contained in \(journal.target)" }
            try await finish(car.task, at: car.commit, journal: &journal, result: &result, recordStep: false)
            journal.queue.removeAll { $0 == car.task.id }
            journal.merged.append(car.task.id)
            report.tasks.append(result)
            progress(.finished(result))
        }
    }

    /// The tasks of a prefix that are in its commit (hand-backs are not).
    static func merged(_ cars: ArraySlice<Car>) -> [TaskRecord] {
        cars.filter { $0.kind != .handBack }.map(\.task)
    }

    /// A task of a landed prefix that conflicts with the train before it (--keep-going): handed
    /// back against that commit (`onto`, now in the target's history), as the serial run would
    /// have after landing the tasks ahead of it, and skipped. `planned`: its conflicts from
    /// building the train; nil (recovering a dead run's landing) merges it onto `onto` again.
    func handBackInTrain(_ task: TaskRecord, onto: OID, planned: ([MergeConflict], [TaskMergeResult.Resolution])? = nil,
                         _ journal: inout Journal) async throws -> TaskMergeResult {
        var result = TaskMergeResult(id: task.id, title: task.title, outcome: .conflicted)
        result.log = paths.log(for: task.id)
        let tip = try workspace.requireTaskTip(task.id)
        if let planned {
            (result.conflicts, result.resolutions) = planned
        } else if case .conflict(let remaining, let resolved) = try plan(task, tip: tip, onto: onto, label: journal.target,
                                                                         fastForward: journal.options.fastForward) {
            result.conflicts = remaining
            result.resolutions = resolved
        }
        try await handBack(task, tip: tip, targetTip: onto, target: journal.target, result: &result)
        Fault.point(.mergeHandedBack)
        journal.queue.removeAll { $0 == task.id }
        if !journal.skipped.contains(task.id) { journal.skipped.append(task.id) }
        return result
    }
}
