import ArgumentParser
import Foundation
import GitKit
import GorchCore

/// `gorch conflicts`: predicts, in memory, what merging revisions would do (DESIGN.md
/// "Conflict prediction"). Nothing is written to the repository.
struct Conflicts: GorchCommand {
    static let configuration = CommandConfiguration(
        commandName: "conflicts",
        abstract: "Predict merge conflicts in memory, without touching the repository.",
        discussion: """
            Each REV is merged into the target (--target, else gorch.target, else the branch checked \
            out in the main worktree) as `git merge-tree --write-tree` would merge it. Verdicts: \
            clean, conflict, fast-forward, up-to-date; conflicting paths are listed with their kind.

            --matrix checks every pair of the given revisions instead (the earlier one as target). \
            Pairs are merged on one thread per core (--jobs), and each verdict is cached by commit \
            pair in .git/gorch/verdicts, so a pair whose commits have not moved is answered without \
            merging again (--no-cache merges anyway).

            --stdin reads lines `TARGET REV` (blank lines and lines starting with # are skipped) and \
            answers each with one JSON object per line, in order, as soon as it is known; a bad \
            line gets an object with an error and the stream goes on.

            Exit status: 1 if any result is a conflict. Otherwise, with revisions given as \
            arguments, 3 if any result is an error (unknown revision, unrelated histories), else 0. \
            With --stdin errors are per line: 1 if any line conflicts, else 0.
            """
    )

    @OptionGroup(title: "Global Options")
    var local: GlobalOptions

    @ParentCommand
    var root: Gorch

    @Argument(help: ArgumentHelp("Branches or commits to merge into the target.", valueName: "rev"))
    var revisions: [String] = []

    @Flag(help: "Check every pair of the given revisions against each other instead of against the target.")
    var matrix = false

    @Flag(help: "Read `TARGET REV` lines from standard input; answer each with a JSON line.")
    var stdin = false

    @Option(name: [.customShort("j"), .long], help: ArgumentHelp("Merge this many pairs at once (default: one per core).", valueName: "n"))
    var jobs: Int?

    @Flag(help: "Merge every pair even when its verdict is cached in .git/gorch/verdicts (and cache nothing).")
    var noCache = false

    /// `--stdin` answers in JSON lines even without `--json`, errors included.
    var wantsJSON: Bool { global.json || stdin }

    func validate() throws {
        // A silently ignored --target would be worse than a refusal.
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be 1 or more; got \(jobs)") }
        if global.target != nil && (stdin || matrix) {
            throw ValidationError("--target does not apply to --\(stdin ? "stdin" : "matrix"): "
                                  + (stdin ? "each line names its own target" : "the revisions are checked against each other"))
        }
        if stdin {
            guard revisions.isEmpty else {
                throw ValidationError("--stdin reads `TARGET REV` pairs from standard input; give no revisions with it")
            }
            guard !matrix else {
                throw ValidationError("--stdin and --matrix cannot be combined; list the pairs on standard input instead")
            }
        } else if revisions.isEmpty {
            throw ValidationError("give revisions to check, or --stdin")
        } else if matrix && revisions.count < 2 {
            throw ValidationError("--matrix needs two or more revisions (it checks every pair); got \(revisions.count)")
        }
    }

    func run() async throws {
        let predictor = try openPredictor()
        if stdin {
            let anyConflict = try streamStandardInput(predictor)
            if anyConflict { throw ExitCode(1) }
        } else {
            try checkRevisions(predictor)
        }
    }

    /// Opens the repository named by --repo (or found from the current directory), turning
    /// "no repository there" into an error that names the path and the fix.
    private func openPredictor() throws -> PredictionPool {
        let path = global.repo ?? FileManager.default.currentDirectoryPath
        return try PredictionPool(repository: path, workers: jobs ?? PredictionPool.defaultWorkers, cached: !noCache)
    }
}
