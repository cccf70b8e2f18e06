import GitKit

/// Predicts what merging revisions into a target would do, in memory: nothing is written to the
/// repository (objects a merge creates live in libgit2's mempack and are dropped after each pair).
public final class ConflictPredictor {
    public let repository: Repository
    private let merger: OrtMerger

    /// Verdicts by commit pair, shared with other predictors; nil to always merge.
    public internal(set) var cache: VerdictCache?

    /// Opens the repository at (or above) `path` for prediction.
    /// Throws `GorchError.notARepository` when there is no repository at or above `path`.
    /// `shared`: similarity signatures, rename-matrix cells and content merges shared with
    /// predictors on other threads.
    public init(repository path: String, cache: VerdictCache? = nil, shared: SharedMergeCache? = nil) throws {
        self.cache = cache
        do {
            repository = try Repository.discover(from: path)
        } catch let error as GitError where error.code == .notFound {
            throw GorchError.notARepository(path: path, detail: error.message)
        }
        try repository.useInMemoryObjectWrites()
        merger = OrtMerger(repository: repository, shared: shared)
    }

    /// Bytes of merge results kept in memory between predictions (per worker).
    static let scratchLimit = 32 << 20

    /// Predicts merging `branch` into `target`. Per-pair failures are reported in the result,
    /// not thrown, so a stream of predictions goes on past a bad line.
    public func predict(target: String, branch: String) -> ConflictPrediction {
        let ours: OID, theirs: OID
        do {
            ours = try resolve(target)
            theirs = try resolve(branch)
        } catch {
            var prediction = ConflictPrediction(target: target, branch: branch, verdict: nil, conflicts: [], tree: nil, bases: nil, error: nil)
            prediction.error = error as? PredictionError ?? .git("\(error)")
            return prediction
        }
        return predict(ours: ours, theirs: theirs, target: target, branch: branch)
    }

    /// Predicts merging commit `theirs` into commit `ours`, already resolved (`status` knows every
    /// task's tip); `target` and `branch` are the labels (conflict markers, the cache key), as
    /// `predict(target:branch:)` would use for revisions naming these commits.
    public func predict(ours: OID, theirs: OID, target: String, branch: String) -> ConflictPrediction {
        var prediction = ConflictPrediction(target: target, branch: branch, verdict: nil, conflicts: [], tree: nil, bases: nil, error: nil)
        // Kept across pairs up to a bound: later pairs reuse the virtual merge bases built here.
        defer { repository.discardScratchObjects(above: Self.scratchLimit) }
        let key = cache.map { _ in
            VerdictCache.Key(ours: ours, theirs: theirs, ourLabel: target, theirLabel: branch, settings: merger.settingsFingerprint)
        }
        if let cache, let key, let hit = cache.lookup(key) { hit.apply(to: &prediction); return prediction }
        defer {
            if let cache, let key, prediction.error == nil, prediction.verdict != nil { cache.store(key, VerdictCache.Entry(prediction)) }
        }
        do {
            // One merge-base walk answers all three questions: a side that is itself the merge
            // base is an ancestor of the other (two reachability walks cost a quarter of a pair).
            let bases = try merger.mergeBases(ours, theirs)
            if bases.isEmpty { throw OrtError.unrelatedHistories }
            if ours == theirs || bases.contains(theirs) {
                prediction.verdict = .upToDate
                prediction.tree = try repository.commit(ours).tree
                prediction.bases = 1
                return prediction
            }
            if bases.contains(ours) {
                prediction.verdict = .fastForward
                prediction.tree = try repository.commit(theirs).tree
                prediction.bases = 1
                return prediction
            }
            let outcome = try merger.merge(ours: ours, theirs: theirs, bases: bases, ourLabel: target, theirLabel: branch)
            prediction.bases = outcome.bases
            prediction.verdict = outcome.isClean ? .clean : .conflict
            prediction.conflicts = outcome.conflicts
            prediction.tree = outcome.tree
        } catch OrtError.unrelatedHistories {
            prediction.bases = 0
            prediction.error = .unrelatedHistories(target: target, branch: branch)
        } catch {
            prediction.error = .git("\(error)")
        }
        return prediction
    }

    /// What keys this predictor's verdicts besides the commits and labels (`VerdictCache.Key`).
    var settingsFingerprint: String { merger.settingsFingerprint }

    /// The cached verdict under `key` (built with this predictor's `settingsFingerprint`), nil
    /// when this exact merge is not in the cache (or there is no cache); never merges.
    func cachedVerdict(_ key: VerdictCache.Key) -> Verdict? {
        cache?.lookup(key)?.verdict
    }

    /// The target by DESIGN.md's rule (`--target`, `gorch.target`, HEAD's branch). With --target any
    /// revision is accepted, but it must exist: a typo would otherwise fail every row.
    public func resolveTarget(explicit: String?) throws -> String {
        let target = try TargetResolver.resolve(explicit: explicit, in: repository)
        do {
            _ = try repository.resolveCommit(target)
        } catch {
            throw GorchError.unknownTarget(target)
        }
        return target
    }

    /// Set by a batch (the matrix: each revision in up to n-1 pairs) to resolve each name once;
    /// a stream leaves it off, as its refs may move while it runs.
    var memoizesRevisions = false {
        didSet { resolutions.removeAll() }
    }
    private var resolutions: [String: OID] = [:]

    private func resolve(_ revision: String) throws -> OID {
        if memoizesRevisions, let known = resolutions[revision] { return known }
        do {
            let oid = try repository.resolveCommit(revision)
            if memoizesRevisions { resolutions[revision] = oid }
            return oid
        } catch let error as GitError {
            throw PredictionError.unknownRevision(revision, detail: error.message)
        }
    }
}
