import ArgumentParser
import Foundation
import GorchCore

/// `gorch merge`: the merge coordinator.
struct Merge: GorchCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge ready task branches into the target behind a validation gate, one at a time or in merge trains.",
        discussion: """
            Order: the ids as given; else every ready task, after the tasks it depends on, then by \
            the time it became ready. Each task gets a merge commit 'Merge task/<id>: <title>' \
            (--ff fast-forwards when possible). Trivial conflicts are resolved: checkbox-only \
            conflicts in tasks.md, paths with a gorch.resolve rule, .beads/issues.jsonl by id. A \
            complex conflict stops the run (exit 1) with the target untouched and the conflict \
            written into the task's worktree: resolve and commit there, then --continue (or --abort). \
            Validation steps (--validate, else git config gorch.validate) run in .git/gorch/validate \
            with a timeout (gorch.validateTimeout, default 30m), logs in .git/gorch/logs/<id>.log; a \
            failure marks the task failed and keeps the target where it was. The target moves by \
            compare-and-swap; where it is checked out, the checkout is updated as `git merge` would, \
            refused when local changes touch the merged paths. Merged worktrees and branches are \
            removed unless --no-cleanup. --batch N (gorch.batch) lands the queue in trains: N tasks \
            merged in memory, each its own merge commit, the tip validated once; a failing tip is \
            bisected, the longest passing prefix lands and the culprit fails; --lanes L validates \
            L prefixes at once; gorch.validateRetries reruns a failure and records a pass on a \
            retry as flaky.
            """
    )

    @OptionGroup(title: "Global Options") var local: GlobalOptions
    @ParentCommand var root: Gorch

    @Argument(help: "Tasks to merge, in order (default: every ready task).") var ids: [String] = []
    @Option(name: .customLong("validate"), help: ArgumentHelp("A validation command (repeatable), run with sh -c in the validation worktree.", valueName: "cmd"))
    var validateSteps: [String] = []
    @Flag(help: "Skip failed or conflicted tasks and go on with the rest.") var keepGoing = false
    @Option(help: ArgumentHelp("On a complex conflict, run this agent in the task's worktree (it resolves and commits), then retry once.", valueName: "cmd"))
    var resolveWith: String?
    @Flag(help: "Keep merged tasks' worktrees and branches.") var noCleanup = false
    @Flag(name: .customLong("ff"), help: "Fast-forward instead of a merge commit when possible.") var fastForward = false
    @OptionGroup var train: TrainOptions
    @Flag(name: .customLong("continue"), help: "Resume the stopped or interrupted run.") var continueRun = false
    @Flag(help: "Undo the task in flight of the stopped or interrupted run and close it.") var abort = false
    @Option(help: ArgumentHelp("Seconds to wait for another gorch holding the repository lock.", valueName: "seconds"))
    var wait: Double = 2

    func validate() throws {
        if continueRun && abort { throw ValidationError("--continue and --abort exclude each other") }
        if (continueRun || abort) && (!ids.isEmpty || !validateSteps.isEmpty || keepGoing || noCleanup || fastForward || resolveWith != nil
                                      || train.isSet) {
            throw ValidationError("--\(continueRun ? "continue" : "abort") takes no task ids or merge options: the open run keeps its own")
        }
    }

    func run() async throws {
        let workspace = try openWorkspace()
        let json = global.json
        let coordinator = MergeCoordinator(workspace: workspace) { event in
            if !json { MergeProgress.show(event) }
        }
        if abort {
            let undone = try await coordinator.abortRun(lockWait: wait)
            if json {
                try JSONOut.print(MergeAbortJSON(aborted: undone != nil, actions: undone ?? []))
            } else {
                Output.lines(undone.map { $0.isEmpty ? ["merge run closed"] : $0 + ["merge run closed"] } ?? ["no merge run to abort"])
            }
            return
        }
        let report: MergeReport?
        if continueRun {
            report = try await coordinator.continueRun(lockWait: wait)
        } else {
            var options = MergeOptions()
            // Positional ids are one per argument: "a b" is a bad id, not two tasks.
            options.ids = try ids.map(taskID)
            options.validate = validateSteps
            options.keepGoing = keepGoing
            options.cleanup = !noCleanup
            options.fastForward = fastForward
            options.resolveWith = resolveWith
            options.batch = train.batch
            options.lanes = train.lanes
            options.lockWait = wait
            report = try await coordinator.merge(options)
        }
        guard let report else {
            if json { try JSONOut.print(MergeJSON()) } else { Output.line("no merge run to continue") }
            return
        }
        if json {
            try JSONOut.print(MergeJSON(report))
        } else {
            Output.lines(MergeTable.render(report, color: Output.usesColor))
        }
        if report.needsPerson { throw ExitCode(1) }
    }
}
