import ArgumentParser
import GorchCore

/// Argument mode: revisions given on the command line, against the target or pairwise.
extension Conflicts {
    func checkRevisions(_ predictor: PredictionPool) throws {
        let target = matrix ? nil : try predictor.resolveTarget(explicit: global.target)
        let predictions = predictor.predictAll(pairs(target: target))

        if global.json {
            Output.line(try OrderedJSONEncoder().encode(ConflictsReportJSON(target: target, predictions: predictions)))
        } else {
            if let target { Output.line("target: \(target)") }
            Output.lines(ConflictsTable.render(predictions, showsTarget: matrix, color: Output.usesColor))
        }

        let failures = predictions.filter { $0.error != nil }
        if !global.json { reportFailures(failures) }
        if predictions.contains(where: \.hasConflicts) { throw ExitCode(1) }
        if !failures.isEmpty { throw ExitCode(3) }
    }

    /// Each revision into the target; with --matrix, every pair (i, j), i < j, i as the target.
    private func pairs(target: String?) -> [(target: String, branch: String)] {
        if let target { return revisions.map { (target, $0) } }
        var pairs: [(target: String, branch: String)] = []
        for i in revisions.indices {
            for j in revisions.indices where j > i { pairs.append((revisions[i], revisions[j])) }
        }
        return pairs
    }

    /// The table shows failures in place; stderr repeats them so a script that only watches
    /// stderr and the exit status still learns why.
    private func reportFailures(_ failures: [ConflictPrediction]) {
        for failure in failures {
            guard let error = failure.error else { continue }
            Output.errorLine("error: cannot merge '\(failure.branch)' into '\(failure.target)': \(error.description)")
        }
        if failures.contains(where: { if case .unknownRevision = $0.error { true } else { false } }) {
            Output.errorLine("hint: check each name with `git rev-parse --verify REV`")
        }
    }
}
