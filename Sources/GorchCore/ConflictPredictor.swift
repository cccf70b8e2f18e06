import GitKit

/// Predicts what merging revisions into a target would do, in memory: nothing is written to the
/// repository (objects a merge creates live in libgit2's mempack and are dropped after each pair).
public final class ConflictPredictor {
    public let repository: Repository
    private let merger: OrtMerger

    /// Opens the repository at (or above) `path` for prediction.
    /// Throws `GorchError.notARepository` when there is no repository at or above `path`.
    public init(repository path: String) throws {
        do {
            repository = try Repository.discover(from: path)
        } catch let error as GitError where error.code == .notFound {
            throw GorchError.notARepository(path: path, detail: error.message)
        }
        try repository.useInMemoryObjectWrites()
        merger = OrtMerger(repository: repository)
    }

    /// Predicts merging `branch` into `target`. Per-pair failures are reported in the result,
    /// not thrown, so a stream of predictions goes on past a bad line.
    public func predict(target: String, branch: String) -> ConflictPrediction {
        var prediction = ConflictPrediction(target: target, branch: branch, verdict: nil, conflicts: [], tree: nil, bases: nil, error: nil)
        defer { repository.discardScratchObjects() }
        let ours: OID, theirs: OID
        do {
            ours = try resolve(target)
            theirs = try resolve(branch)
        } catch let error as PredictionError {
            prediction.error = error
            return prediction
        } catch {
            prediction.error = .git("\(error)")
            return prediction
        }
        do {
            if try repository.isAncestor(theirs, of: ours) {
                prediction.verdict = .upToDate
                prediction.tree = try repository.commit(ours).tree
                prediction.bases = 1
                return prediction
            }
            if try repository.isAncestor(ours, of: theirs) {
                prediction.verdict = .fastForward
                prediction.tree = try repository.commit(theirs).tree
                prediction.bases = 1
                return prediction
            }
            let outcome = try merger.merge(ours: ours, theirs: theirs, ourLabel: target, theirLabel: branch)
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

    private func resolve(_ revision: String) throws -> OID {
        do {
            return try repository.resolveCommit(revision)
        } catch let error as GitError {
            throw PredictionError.unknownRevision(revision, detail: error.message)
        }
    }
}
