import Foundation
import GitKit
import GorchCore
import GorchTestSupport

/// Compares gorch's prediction for one pair with git's merge-ort (`git merge-tree --write-tree`).
enum Differential {
    /// Agreement over a run. A conflicted merge agrees only when its tree (markers, moved files)
    /// is git's too: a person resolving a handed-back conflict sees that tree.
    struct Tally {
        var compared = 0
        var mismatches: [Mismatch] = []
        var conflictedTrees = 0
        var conflictedTreesSame = 0
        /// Per cause: how many pairs had it and how many of those agreed. A pair's causes are
        /// what git reported (its message kinds, or "clean"), its number of merge bases, and
        /// the caller's features (the generator's history kind and operations).
        var byCause: [String: (cases: Int, agreed: Int)] = [:]

        var agreed: Int { compared - mismatches.count }
        var falseClean: Int { mismatches.filter(\.falseClean).count }
        var summary: String {
            "\(agreed)/\(compared) agree, \(falseClean) false clean; conflicted trees identical to git's: \(conflictedTreesSame)/\(conflictedTrees)"
        }

        /// Compares one pair and counts it; returns the mismatch, if any.
        @discardableResult
        mutating func check(_ predictor: ConflictPredictor, repo: String, _ a: String, _ b: String,
                            features: [String] = []) throws -> Mismatch? {
            compared += 1
            let (mismatch, conflictedTreeSame, oracle, prediction) = try Differential.compare(predictor, repo: repo, a, b)
            if let conflictedTreeSame { conflictedTrees += 1; if conflictedTreeSame { conflictedTreesSame += 1 } }
            if let mismatch { mismatches.append(mismatch) }
            // Bases as gorch counted them: git's merge-tree does not print its count.
            let outcome = oracle.unrelated ? ["git: unrelated histories"]
                : [oracle.clean ? "git: clean" : "git: conflicted"] + oracle.messageTypes.map { "git: \($0)" }
            let bases = prediction.bases.map { ["merge bases: \($0)"] } ?? []
            for cause in outcome + bases + features {
                byCause[cause, default: (0, 0)].cases += 1
                if mismatch == nil { byCause[cause, default: (0, 0)].agreed += 1 }
            }
            return mismatch
        }

        /// Adds another shard's counts.
        mutating func add(_ other: Tally) {
            compared += other.compared
            mismatches += other.mismatches
            conflictedTrees += other.conflictedTrees
            conflictedTreesSame += other.conflictedTreesSame
            byCause.merge(other.byCause) { ($0.cases + $1.cases, $0.agreed + $1.agreed) }
        }

        /// One line per cause, grouped by its prefix, most frequent first: "agreed/cases".
        var causeReport: String {
            byCause.sorted { a, b in
                let (ga, gb) = (a.key.prefix { $0 != ":" }, b.key.prefix { $0 != ":" })
                return ga != gb ? ga < gb : a.value.cases != b.value.cases ? a.value.cases > b.value.cases : a.key < b.key
            }
            .map { "  \($0.key): \($0.value.agreed)/\($0.value.cases)" }
            .joined(separator: "\n")
        }
    }

    struct Mismatch: CustomStringConvertible {
        let pair: String
        let oracle: OracleResult
        let prediction: ConflictPrediction
        /// Verdict and conflict paths agree; only the conflicted tree differs.
        var onlyConflictedTree = false
        var falseClean: Bool { !oracle.clean && !oracle.unrelated && prediction.verdict != nil && prediction.verdict != .conflict }
        var description: String {
            let ours = prediction.error.map { "error \($0)" }
                ?? "\(prediction.verdict?.rawValue ?? "-") tree=\(prediction.tree?.hex ?? "nil") paths=\(prediction.conflicts.map(\.path).sorted())"
            let what = onlyConflictedTree ? "conflicted tree differs: " : ""
            return "\(what)\(pair): git \(oracle) | gorch \(ours)"
        }
    }

    /// The mismatch (nil when they agree: same verdict, same tree, same conflicting path set) and,
    /// for a conflict whose paths agree, whether the conflicted tree is git's too.
    static func compare(_ predictor: ConflictPredictor, repo: String, _ a: String, _ b: String)
        throws -> (Mismatch?, Bool?, OracleResult, ConflictPrediction) {
        let oracle = try GitOracle.mergeTree(repo: repo, a, b)
        let prediction = predictor.predict(target: a, branch: b)
        let agrees: Bool
        if oracle.unrelated {
            agrees = prediction.error == .unrelatedHistories(target: a, branch: b)
        } else if oracle.clean {
            agrees = prediction.verdict != nil && prediction.verdict != .conflict && prediction.tree?.hex == oracle.tree
        } else {
            agrees = try prediction.verdict == .conflict && Set(prediction.conflicts.map(\.path)) == oracle.conflictPaths
                && samePathBytes(prediction.conflicts.map(\.path), oracle: oracle, repo: repo, a, b)
        }
        guard agrees else { return (Mismatch(pair: "\(a) \(b)", oracle: oracle, prediction: prediction), nil, oracle, prediction) }
        if oracle.clean || oracle.unrelated { return (nil, nil, oracle, prediction) }
        let sameTree = prediction.tree?.hex == oracle.tree
        let mismatch = sameTree ? nil : Mismatch(pair: "\(a) \(b)", oracle: oracle, prediction: prediction, onlyConflictedTree: true)
        return (mismatch, sameTree, oracle, prediction)
    }

    /// Whether `paths` are git's conflicted paths byte for byte. `OracleResult.conflictPaths` is
    /// a `Set<String>`, whose == takes canonically equivalent spellings (NFC "caf\u{e9}", NFD
    /// "cafe\u{301}") for one path; git keeps them apart. Only non-ASCII names can differ so, and
    /// only then is git asked again for the raw bytes (names that are not UTF-8 included).
    static func samePathBytes(_ paths: [String], oracle: OracleResult, repo: String, _ a: String, _ b: String) throws -> Bool {
        guard (paths + oracle.conflictPaths).contains(where: { $0.utf8.contains { $0 >= 0x80 } }) else { return true }
        let result = try Shell.runGit(["merge-tree", "--write-tree", "--name-only", "--no-messages", "-z", a, b], cwd: repo)
        let git = result.stdoutData.split(separator: 0, omittingEmptySubsequences: true).dropFirst().map { Array($0) }
        return Set(paths.map(RawPath.bytes)) == Set(git) && paths.count == git.count // raw bytes: RawPath escapes undone
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
