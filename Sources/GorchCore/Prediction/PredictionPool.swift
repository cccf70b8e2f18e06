import Foundation
import GitKit

/// Predictions on several threads: one `ConflictPredictor` (so one libgit2 repository object,
/// as libgit2's threading rules require) per worker, sharing one verdict cache. Results come
/// back in input order.
public final class PredictionPool: @unchecked Sendable {
    private let predictors: [ConflictPredictor]
    private let cache: VerdictCache?

    /// One worker per core (`--jobs` overrides).
    public static var defaultWorkers: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// Opens `workers` handles on the repository at (or above) `path`. With `cached`, verdicts
    /// are read from and written to `.git/gorch/verdicts` (see `VerdictCache`).
    public convenience init(repository path: String, workers: Int = PredictionPool.defaultWorkers, cached: Bool = true) throws {
        try self.init(repository: path, workers: workers) { commonDirectory in
            cached ? VerdictCache(paths: GorchPaths(commonDirectory: commonDirectory, mainWorkTree: nil)) : nil
        }
    }

    /// Opens `workers` handles on the repository at (or above) `path`, sharing `cache`.
    public convenience init(repository path: String, workers: Int, cache: VerdictCache?) throws {
        try self.init(repository: path, workers: workers) { _ in cache }
    }

    private init(repository path: String, workers: Int, cache makeCache: (String) -> VerdictCache?) throws {
        // Workers take pairs in turn, so each would otherwise score the same blobs again.
        let shared = workers > 1 ? SharedMergeCache() : nil
        let first = try ConflictPredictor(repository: path, shared: shared)
        let cache = makeCache(first.repository.commonDirectory)
        first.cache = cache
        var predictors = [first]
        for _ in 1..<max(1, workers) { predictors.append(try ConflictPredictor(repository: path, cache: cache, shared: shared)) }
        self.predictors = predictors
        self.cache = cache
    }

    public var workers: Int { predictors.count }

    /// The target by DESIGN.md's rule; see `ConflictPredictor.resolveTarget(explicit:)`.
    public func resolveTarget(explicit: String?) throws -> String {
        try predictors[0].resolveTarget(explicit: explicit)
    }

    /// Predicts every pair, in parallel, and returns the results in the pairs' order.
    public func predictAll(_ pairs: [(target: String, branch: String)]) -> [ConflictPrediction] {
        predictEach(pairs.count, memoizingRevisions: true) { predictor, index in
            predictor.predict(target: pairs[index].target, branch: pairs[index].branch)
        }
    }

    /// Predicts every pair of resolved commits (labels as in `ConflictPredictor.predict(ours:theirs:target:branch:)`),
    /// in parallel, and returns the results in the pairs' order.
    public func predictAll(_ pairs: [(ours: OID, theirs: OID, target: String, branch: String)]) -> [ConflictPrediction] {
        predictEach(pairs.count, memoizingRevisions: false) { predictor, index in
            let pair = pairs[index]
            return predictor.predict(ours: pair.ours, theirs: pair.theirs, target: pair.target, branch: pair.branch)
        }
    }

    /// `predict(predictor, i)` for i in 0..<count, each on whichever worker takes it next; the
    /// results in index order, the cache flushed after. `memoizingRevisions`: each worker resolves
    /// a revision name once for the whole batch.
    private func predictEach(_ count: Int, memoizingRevisions: Bool,
                             _ predict: @escaping (ConflictPredictor, Int) -> ConflictPrediction) -> [ConflictPrediction] {
        var results = [ConflictPrediction?](repeating: nil, count: count)
        var next = 0
        let lock = NSLock()
        runWorkers(min(workers, count)) { predictor in
            predictor.memoizesRevisions = memoizingRevisions
            defer { predictor.memoizesRevisions = false }
            while true {
                let index: Int? = lock.withLock { defer { next += 1 }; return next < count ? next : nil }
                guard let index else { return }
                let prediction = predict(predictor, index)
                lock.withLock { results[index] = prediction }
            }
        }
        cache?.flush()
        return results.compactMap { $0 }
    }

    /// A stream: `next` is called on the calling thread until it returns nil; each item that
    /// `pair` maps to a pair is predicted on a worker, and `emit` gets every item (with its
    /// prediction, or nil) in input order, as soon as it and all earlier ones are done. At most a
    /// few items per worker are in flight, so memory stays flat however long the stream is.
    public func stream<Item>(next: () -> Item?, pair: @escaping (Item) -> (target: String, branch: String)?,
                             emit: @escaping (Item, ConflictPrediction?) -> Void) {
        let window = DispatchSemaphore(value: workers * 4)
        let queue = NSCondition()
        var jobs: [(Int, Item)] = [], head = 0, finished = false
        let emitLock = NSLock()
        var done: [Int: (Item, ConflictPrediction?)] = [:], nextToEmit = 0, flushCountdown = 64
        runWorkers(workers, alongside: {
            var index = 0
            while let item = next() {
                window.wait()
                queue.withLock { jobs.append((index, item)); queue.signal() }
                index += 1
            }
            queue.withLock { finished = true; queue.broadcast() }
        }) { predictor in
            while true {
                let job: (Int, Item)? = queue.withLock {
                    while head == jobs.count && !finished { queue.wait() }
                    guard head < jobs.count else { return nil }
                    defer {
                        head += 1
                        if head > 256 && head * 2 > jobs.count { jobs.removeFirst(head); head = 0 }
                    }
                    return jobs[head]
                }
                guard let (index, item) = job else { return }
                let prediction = pair(item).map { predictor.predict(target: $0.target, branch: $0.branch) }
                emitLock.withLock {
                    done[index] = (item, prediction)
                    while let ready = done.removeValue(forKey: nextToEmit) {
                        emit(ready.0, ready.1)
                        nextToEmit += 1
                        window.signal()
                    }
                    flushCountdown -= 1
                    if flushCountdown == 0 { self.cache?.flush(); flushCountdown = 64 }
                }
            }
        }
        cache?.flush()
    }

    /// Runs `body` on one thread per worker (each with its own predictor) and `alongside` on the
    /// calling thread, and returns when all are done.
    private func runWorkers(_ count: Int, alongside: () -> Void = {}, _ body: @escaping (ConflictPredictor) -> Void) {
        let group = DispatchGroup()
        for predictor in predictors.prefix(count) {
            group.enter()
            // Each predictor is used by this one thread only, as libgit2 requires.
            let work = UncheckedSendable { body(predictor) }
            let thread = Thread { work.value(); group.leave() }
            thread.stackSize = 8 << 20
            thread.start()
        }
        alongside()
        group.wait()
    }
}

/// Hands a closure to a thread that alone will use what it captures.
private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
