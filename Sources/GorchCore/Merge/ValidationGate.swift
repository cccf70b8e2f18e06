import Adapters
import Foundation
import GitKit

/// Step 5 of the coordinator: merged commits checked out in reused validation worktrees
/// (`.git/gorch/validate/`, one per lane; what each holds is decided in ValidationWorktree) and
/// the validation commands run there with a timeout, output appended to a log.
///
/// One call validates up to one commit per lane, all at once: the worktrees are prepared one
/// after another (libgit2 work stays on the calling task), then only the commands run in
/// parallel. A failure is rerun, after a fresh reset of its worktree, up to `retries` times
/// before it counts (gorch.validateRetries); a pass on a rerun is flaky and is said so in the log.
struct ValidationGate {
    let workspace: Workspace
    let steps: [String]
    let timeout: Duration
    let retries: Int

    /// One commit to validate: the target with `tasks` merged on top, in order.
    struct Point {
        let commit: OID
        let tasks: [TaskRecord]
        let target: String
        let lane: ValidationWorktree
        /// The task whose log gets the output: the last of `tasks`.
        var owner: TaskRecord { tasks[tasks.count - 1] }
    }

    /// What one point's validation came to.
    struct Verdict: Sendable {
        let steps: [TaskMergeResult.ValidationStep]
        /// Runs of the steps: 1 + the retries used.
        let attempts: Int
        var passed: Bool { steps.last.map { !$0.timedOut && $0.exitCode == 0 } ?? true }
        var flaky: Bool { passed && attempts > 1 }
        var failure: TaskMergeResult.ValidationStep? { passed ? nil : steps.last }
    }

    /// Validates every point (at most one per lane); returns their verdicts in the same order.
    func run(_ points: [Point], progress: (ValidationWorktree, Point, Int) -> Void) async throws -> [Verdict] {
        guard !steps.isEmpty else { return points.map { _ in Verdict(steps: [], attempts: 0) } }
        var verdicts = [Verdict?](repeating: nil, count: points.count)
        var pending = Array(points.indices)
        var attempt = 1
        while !pending.isEmpty {
            var jobs: [(index: Int, requests: [ShellRequest])] = []
            for index in pending {
                let point = points[index]
                jobs.append((index, try await prepare(point, attempt: attempt)))
                progress(point.lane, point, attempt)
            }
            let outcomes = try await execute(jobs)
            pending = []
            for (index, results) in outcomes {
                let verdict = Verdict(steps: results, attempts: attempt)
                if verdict.passed || attempt > retries {
                    verdicts[index] = verdict
                    if verdict.flaky { note(points[index], "passed on attempt \(attempt) after failing: flaky") }
                } else {
                    note(points[index], "failed on attempt \(attempt); retrying (gorch.validateRetries = \(retries))")
                    pending.append(index)
                }
            }
            attempt += 1
        }
        return verdicts.map { $0 ?? Verdict(steps: [], attempts: 0) }
    }

    /// Brings the point's lane to its commit (bootstrapping a new worktree) and returns the
    /// commands to run there.
    private func prepare(_ point: Point, attempt: Int) async throws -> [ShellRequest] {
        let task = point.owner
        let (directory, created) = try point.lane.prepare(at: point.commit)
        // Bootstrap (copy + setup) when the validation worktree is (re)created, not per task,
        // so build caches survive; its problems are warnings in the log, validation goes on.
        if created {
            let bootstrap = try await WorktreeBootstrap(workspace: workspace)
                .applyToValidationWorktree(directory, validating: task.id, branch: task.branch, title: task.title,
                                           lane: point.lane.lane)
            for warning in bootstrap.warnings { note(point, "warning: validation worktree bootstrap: \(warning)") }
            try point.lane.recordBootstrap(bootstrap)
        }
        let ids = point.tasks.map(\.id.rawValue)
        note(point, "validating \(point.commit.hex) = \(point.target) + \(ids.joined(separator: " ")) "
             + "in lane \(point.lane.lane) (\(Workspace.trimmingSlash(directory))), attempt \(attempt) of \(retries + 1)")
        let values = ["id": task.id.rawValue, "title": task.title, "branch": task.branch,
                      "worktree": directory, "target": point.target, "commit": point.commit.hex]
        return steps.map { step in
            ShellRequest(command: ShellQuoting.expand(step, values), workingDirectory: directory,
                         environment: ["GORCH_TASK_ID": task.id.rawValue, "GORCH_BRANCH": task.branch, "GORCH_TARGET": point.target,
                                       "GORCH_WORKTREE": directory, "GORCH_MERGE_COMMIT": point.commit.hex,
                                       "GORCH_TASKS": ids.joined(separator: " "), "GORCH_LANE": String(point.lane.lane)],
                         timeout: timeout, logPath: workspace.paths.log(for: task.id))
        }
    }

    /// Runs each job's commands in order (stopping at the first failure), the jobs in parallel.
    private func execute(_ jobs: [(index: Int, requests: [ShellRequest])]) async throws
        -> [(Int, [TaskMergeResult.ValidationStep])] {
        try await withThrowingTaskGroup(of: (Int, [TaskMergeResult.ValidationStep]).self) { group in
            for job in jobs {
                group.addTask { [steps] in (job.index, try await Self.runSteps(job.requests, named: steps)) }
            }
            var all: [(Int, [TaskMergeResult.ValidationStep])] = []
            for try await finished in group { all.append(finished) }
            return all.sorted { $0.0 < $1.0 }
        }
    }

    /// `names`: the steps as configured (before placeholders were filled in), for messages.
    private static func runSteps(_ requests: [ShellRequest], named names: [String]) async throws -> [TaskMergeResult.ValidationStep] {
        var results: [TaskMergeResult.ValidationStep] = []
        for (request, name) in zip(requests, names) {
            let outcome: ShellOutcome
            do {
                outcome = try await ShellCommand.run(request)
            } catch let error as ShellCommandError {
                throw GorchFailure(.environment, "validation step `\(name)` could not run: \(error.message)", hint: error.hint)
            }
            let seconds = Double(outcome.duration.components.seconds) + Double(outcome.duration.components.attoseconds) / 1e18
            results.append(.init(command: name, exitCode: outcome.exitCode, timedOut: outcome.timedOut,
                                 seconds: seconds, tail: outcome.outputTail))
            if !outcome.succeeded { break }
        }
        return results
    }

    /// A line of gorch's own in the log the point's output goes to.
    private func note(_ point: Point, _ text: String) {
        let descriptor = PrivateState.open(workspace.paths.log(for: point.owner.id), O_WRONLY | O_APPEND)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        _ = writeAll(descriptor, Data("== gorch: \(text)\n".utf8))
    }
}
