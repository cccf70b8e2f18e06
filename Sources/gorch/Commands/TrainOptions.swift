import ArgumentParser
import GorchCore

/// `--batch N` and `--lanes L`, shared by `merge` and `loop` (DESIGN.md "merge trains").
struct TrainOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Tasks per merge train: merged in memory one after another, the tip validated once, a failing tip bisected (default: gorch.batch, else 1).", valueName: "n"))
    var batch: Int?
    @Option(help: ArgumentHelp("Validation worktrees a train uses at once: the tip and a midpoint speculatively, then (L+1)-ary bisection (default: gorch.validateLanes, else 1).", valueName: "l"))
    var lanes: Int?

    var isSet: Bool { batch != nil || lanes != nil }

    func validate() throws {
        if let batch, !Settings.batchRange.contains(batch) {
            throw ValidationError("--batch must be from \(Settings.batchRange.lowerBound) to \(Settings.batchRange.upperBound), not \(batch)")
        }
        if let lanes, !Settings.lanesRange.contains(lanes) {
            throw ValidationError("--lanes must be from \(Settings.lanesRange.lowerBound) to \(Settings.lanesRange.upperBound), not \(lanes)")
        }
    }
}
