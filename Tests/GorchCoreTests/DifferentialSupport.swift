import Foundation
import Synchronization
import GitKit
import GorchCore
import GorchTestSupport

/// Compares gorch's prediction for one pair with git's merge-ort (`git merge-tree --write-tree`).
enum Differential {
    /// How often the tree of a conflicted merge (markers, moved files) is git's own, over the
    /// agreeing conflicted cases: reported, not asserted.
    static let conflictedTrees = Mutex((compared: 0, same: 0))

    struct Mismatch: CustomStringConvertible {
        let pair: String
        let oracle: OracleResult
        let prediction: ConflictPrediction
        var falseClean: Bool { !oracle.clean && !oracle.unrelated && prediction.verdict != nil && prediction.verdict != .conflict }
        var description: String {
            let ours = prediction.error.map { "error \($0)" }
                ?? "\(prediction.verdict?.rawValue ?? "-") tree=\(prediction.tree?.hex ?? "nil") paths=\(prediction.conflicts.map(\.path).sorted())"
            return "\(pair): git \(oracle) | gorch \(ours)"
        }
    }

    /// nil when they agree: same verdict, same tree when clean, same conflicting path set.
    static func compare(_ predictor: ConflictPredictor, repo: String, _ a: String, _ b: String) throws -> Mismatch? {
        let oracle = try GitOracle.mergeTree(repo: repo, a, b)
        let prediction = predictor.predict(target: a, branch: b)
        let agrees: Bool
        if oracle.unrelated {
            agrees = prediction.error == .unrelatedHistories(target: a, branch: b)
        } else if oracle.clean {
            agrees = prediction.verdict != nil && prediction.verdict != .conflict && prediction.tree?.hex == oracle.tree
        } else {
            agrees = prediction.verdict == .conflict && Set(prediction.conflicts.map(\.path)) == oracle.conflictPaths
        }
        if agrees && !oracle.clean && !oracle.unrelated {
            conflictedTrees.withLock { $0.compared += 1; if prediction.tree?.hex == oracle.tree { $0.same += 1 } }
        }
        return agrees ? nil : Mismatch(pair: "\(a) \(b)", oracle: oracle, prediction: prediction)
    }

    /// A predictor for `repo`, with libgit2 isolated from the machine's git config.
    static func predictor(_ repo: String) throws -> ConflictPredictor {
        ProcessIsolation.apply()
        return try ConflictPredictor(repository: repo)
    }

    static func env(_ key: String, default value: Int) -> Int {
        ProcessInfo.processInfo.environment[key].flatMap(Int.init) ?? value
    }
}
