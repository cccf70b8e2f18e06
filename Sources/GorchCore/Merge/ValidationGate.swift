import Adapters
import Foundation
import GitKit

/// Step 5 of the coordinator: the merged commit checked out in one reused validation worktree
/// (`.git/gorch/validate/`, detached HEAD; what it holds is decided in ValidationWorktree) and
/// each validation command run there with a timeout, output appended to the task's log.
struct ValidationGate {
    let workspace: Workspace
    let worktree: ValidationWorktree
    let steps: [String]
    let timeout: Duration

    /// Runs every step on `commit`; stops at the first failure. Returns each step's result.
    func run(commit: OID, task: TaskRecord, target: String,
             progress: (String) -> Void) async throws -> [TaskMergeResult.ValidationStep] {
        guard !steps.isEmpty else { return [] }
        let (directory, created) = try worktree.prepare(at: commit)
        // BEGIN bootstrap: copy + setup when the validation worktree is (re)created, not per task,
        // so build caches survive; its problems are progress warnings, validation goes on.
        if created {
            let bootstrap = try await WorktreeBootstrap(workspace: workspace)
                .applyToValidationWorktree(directory, validating: task.id, branch: task.branch, title: task.title)
            for warning in bootstrap.warnings { progress("warning: validation worktree bootstrap: \(warning)") }
            try worktree.recordBootstrap(bootstrap)
        }
        // END bootstrap
        let log = workspace.paths.log(for: task.id)
        let values = ["id": task.id.rawValue, "title": task.title, "branch": task.branch,
                      "worktree": directory, "target": target, "commit": commit.hex]
        var results: [TaskMergeResult.ValidationStep] = []
        for step in steps {
            progress("validating: \(step)")
            let request = ShellRequest(
                command: ShellQuoting.expand(step, values), workingDirectory: directory,
                environment: ["GORCH_TASK_ID": task.id.rawValue, "GORCH_BRANCH": task.branch, "GORCH_TARGET": target,
                              "GORCH_WORKTREE": directory, "GORCH_MERGE_COMMIT": commit.hex],
                timeout: timeout, logPath: log)
            let outcome: ShellOutcome
            do {
                outcome = try await ShellCommand.run(request)
            } catch let error as ShellCommandError {
                throw GorchFailure(.environment, "validation step `\(step)` could not run: \(error.message)", hint: error.hint)
            }
            let seconds = Double(outcome.duration.components.seconds) + Double(outcome.duration.components.attoseconds) / 1e18
            results.append(.init(command: step, exitCode: outcome.exitCode, timedOut: outcome.timedOut,
                                 seconds: seconds, tail: outcome.outputTail))
            if !outcome.succeeded { break }
        }
        return results
    }
}
