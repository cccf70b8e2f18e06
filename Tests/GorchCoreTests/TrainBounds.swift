import Foundation
import GorchCore

/// How many validations a batched run may use (DESIGN.md "merge trains": "1 for a passing train,
/// at most 1 + ceil(log2 N) more per culprit with one lane"), derived from the serial run of the
/// same queue, whose outcomes the batched run must reproduce. Each check returns its violations
/// as sentences (empty = within bounds). A serial coordinator (one validation per task) breaks
/// them whenever a train holds two tasks that validate. (No "at most the serial count" check: a
/// culprit in the middle of a train can cost one more than serial, e.g. [a, b*, c]: tip, [a, b],
/// [a], then [c] again: 4 against 3.)
enum TrainBounds {
    /// What the serial run says about the queue.
    struct Shape {
        /// Attempted tasks in queue order (not-attempted ones dropped), with their serial outcome.
        var attempted: [(id: String, outcome: TaskMergeResult.Outcome)]
        var culprits: Int { attempted.filter { $0.outcome == .failed }.count }
        var validating: Int { attempted.filter { $0.outcome == .merged || $0.outcome == .failed }.count }

        init(serial: MergeReport, queue: [String]) {
            let outcomes = Dictionary(serial.tasks.map { ($0.id.rawValue, $0.outcome) }) { first, _ in first }
            attempted = queue.compactMap { id in
                guard let outcome = outcomes[id], outcome != .notAttempted else { return nil }
                return (id, outcome)
            }
        }

        /// Trains of at most `batch` tasks: a culprit ends its train (the rest is rebuilt on the new
        /// target). Every attempted task counts towards N, also one already contained or handed
        /// back, which gives the most trains an implementation could build.
        func trains(batch: Int) -> Int {
            var trains = 0
            var segment = 0
            for task in attempted {
                segment += 1
                if task.outcome == .failed {
                    trains += (segment + batch - 1) / batch
                    segment = 0
                }
            }
            return trains + (segment + batch - 1) / batch
        }
    }

    static func ceilLog2(_ n: Int) -> Int {
        var bits = 0
        while (1 << bits) < n { bits += 1 }
        return bits
    }

    /// The bounds for one batched run. `lanes` > 1 is not bounded by DESIGN.md beyond "fewer
    /// validations"; the check there is derived: each round runs at most L validations and an
    /// (L+1)-ary bisection needs no more rounds than a binary one, so L times the one-lane bound.
    static func violations(serial: MergeReport, batched: MergeReport, queue: [String], batch: Int, lanes: Int) -> [String] {
        let shape = Shape(serial: serial, queue: queue)
        // A train may hold tasks the serial run never attempted (after the task it stopped at).
        let n = max(1, min(batch, queue.count))
        let trains = shape.trains(batch: batch)
        let ran = batched.validations
        var found: [String] = []
        if shape.culprits == 0 {
            // A train with no culprit validates once (with L lanes: at most L runs at once).
            if ran > trains * lanes {
                found.append("no culprit, \(trains) train(s): \(ran) validations, want at most \(trains * lanes)")
            }
            if lanes == 1, trains == 1, shape.validating > 0, ran != 1 {
                found.append("one passing train of \(shape.validating) validating task(s): \(ran) validations, want exactly 1")
            }
        }
        let oneLane = shape.culprits * (1 + ceilLog2(n)) + trains
        if ran > oneLane * lanes {
            let formula = "\(shape.culprits) culprit(s) x (1 + ceil(log2 \(n))) + \(trains) train(s)"
            found.append("\(ran) validations > \(lanes == 1 ? "" : "\(lanes) lanes x ")(\(formula)) = \(oneLane * lanes)")
        }
        return found
    }
}
