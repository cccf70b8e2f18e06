import Adapters
import Foundation
import GitKit

extension MergeCoordinator {
    /// `--resolve-with CMD`: runs CMD in the task's worktree, where the conflict was just written
    /// (markers, stages, MERGE_HEAD), as an agent that resolves and commits. Returns whether the
    /// task should be retried: the command succeeded, no merge is left in progress and the branch
    /// has a new commit. Otherwise the conflict stays for a person.
    func resolve(_ id: TaskID, with command: String, _ result: inout TaskMergeResult) async throws -> Bool {
        guard let worktree = result.worktree, let task = try await store.get(id) else { return false }
        let before = try workspace.requireTaskTip(id)
        let log = (paths.logs as NSString).appendingPathComponent("\(id.rawValue).resolve.log")
        progress(.step(id: id, "resolving with: \(command)"))
        var environment = AgentEnvironment.variables(for: task, worktree: worktree, workspace: workspace)
        environment["GORCH_CONFLICTS"] = result.conflicts.map(\.path).joined(separator: "\n")
        let request = ShellRequest(command: ShellQuoting.expand(command, AgentEnvironment.placeholders(for: task, worktree: worktree)),
                                   workingDirectory: worktree, environment: environment,
                                   timeout: workspace.settings.agentTimeout, logPath: log)
        let outcome: ShellOutcome
        do {
            outcome = try await ShellCommand.run(request)
        } catch let error as ShellCommandError {
            result.message = (result.message ?? "") + "; the resolver could not run: \(error.message)"
            return false
        }
        let checkout = try Repository.open(at: worktree)
        let after = try workspace.requireTaskTip(id)
        guard outcome.succeeded, !checkout.isMerging, after != before else {
            let why = !outcome.succeeded
                ? (outcome.timedOut ? "timed out" : "exited \(outcome.exitCode.map(String.init) ?? "on a signal")")
                : (checkout.isMerging ? "left the merge unfinished" : "committed nothing")
            result.message = (result.message ?? "") + "; the resolver \(why) (log: \(log)), so a person is needed"
            return false
        }
        progress(.step(id: id, "resolver committed \(after.short()); retrying the merge"))
        try await store.update(id) { $0.state = .ready; $0.note = nil }
        return true
    }
}
