import Adapters
import Foundation
import GitKit

/// `gorch run` / `batch --run` / `loop`: coder agents in their tasks' worktrees, up to `max` at
/// once (DESIGN.md "run"). Each runs `sh -c CMD` in its worktree with GORCH_TASK_ID,
/// GORCH_WORKTREE, GORCH_BRANCH, GORCH_PORT and AGENT_NAME, placeholders replaced shell-quoted,
/// output to `.git/gorch/logs/<id>.agent.log`, a per-agent timeout. Exit 0 with commits: the task
/// is marked ready (as `gorch done`); anything else: failed, worktree kept. Cancelling the Swift
/// task (Ctrl-C) kills every agent's process group and records the tasks as failed (interrupted).
public struct AgentRunner: Sendable {
    /// The command's context: each agent opens a repository object of its own from it (libgit2
    /// wants one per thread, and agents run in parallel), with the command's target.
    let context: Workspace.Context
    let board: AgentBoard

    public init(workspace: Workspace, board: AgentBoard = AgentBoard()) {
        context = workspace.context
        self.board = board
    }

    public struct Outcome: Sendable {
        public let id: TaskID
        public let exitCode: Int32?
        public let timedOut: Bool
        public let interrupted: Bool
        public let seconds: Double
        public let ahead: Int
        public let state: TaskState
        public let log: String
        public let message: String
    }

    public func run(_ ids: [TaskID], command: String, max: Int, timeout: Duration) async throws -> [Outcome] {
        let workspace = try Workspace(context)
        var tasks: [TaskRecord] = []
        for id in ids {
            guard let task = try await workspace.store.get(id) else {
                throw GorchFailure(.usage, "no task \(id)", hint: "start it first with `gorch start \(id)`")
            }
            guard let worktree = try workspace.taskWorktree(id), worktree.isValid else {
                throw GorchFailure(.environment, "task \(id) has no worktree (never started, or its folder was deleted by hand)",
                                   hint: "`gorch start \(id)` creates it (from branch \(id.branch) when that exists)")
            }
            // Without its branch the agent's commits would land on an unborn branch and the task
            // would be marked failed for "no commit": refuse before anything runs.
            _ = try workspace.requireTaskTip(id)
            tasks.append(task)
            await board.set(id, .init(state: "queued", started: nil, ahead: 0, lastLine: ""))
        }
        return try await withThrowingTaskGroup(of: Outcome.self) { group in
            var outcomes: [Outcome] = []
            var next = 0
            func launch() {
                let task = tasks[next]
                next += 1
                group.addTask { try await runOne(task, command: command, timeout: timeout) }
            }
            while next < tasks.count && next < max { launch() }
            while let outcome = try await group.next() {
                outcomes.append(outcome)
                if next < tasks.count { launch() }
            }
            return ids.compactMap { id in outcomes.first { $0.id == id } }
        }
    }

    private func runOne(_ task: TaskRecord, command: String, timeout: Duration) async throws -> Outcome {
        let workspace = try Workspace(context)
        let id = task.id
        let worktree = try workspace.taskWorktree(id).map { Workspace.trimmingSlash($0.path) } ?? ""
        let log = (workspace.paths.logs as NSString).appendingPathComponent("\(id.rawValue).agent.log")
        let description = try writeDescription(task, worktree: worktree, workspace)
        let environment = AgentEnvironment.variables(for: task, worktree: worktree, workspace: workspace)
        var values = AgentEnvironment.placeholders(for: task, worktree: worktree)
        values["description_file"] = description
        let request = ShellRequest(command: ShellQuoting.expand(command, values), workingDirectory: worktree,
                                   environment: environment, timeout: timeout, logPath: log)
        let started = Date()
        await board.set(id, .init(state: "running", started: started, ahead: 0, lastLine: ""))
        RunningAgents.add(.init(task: id.rawValue, pid: getpid(), started: started, log: log), workspace.paths)
        defer { RunningAgents.remove(id, workspace.paths) }
        let keeper = ClaimKeeper(store: workspace.store, id: id, interval: workspace.settings.heartbeat)
        var reclaimed: String?
        if let lost = await keeper.renewBeforeTheAgent() {
            // The lease lapsed between start and run (bd reclaim put the issue back to open):
            // claim it again, unless another worker took it meanwhile.
            do {
                try await workspace.store.ensureClaimed(id)
                reclaimed = lost
            } catch {
                let note = "agent not run: its Beads claim was lost (\(lost)) and could not be taken again: \(error)"
                _ = try? await workspace.store.update(id) { $0.state = .failed; $0.note = note }
                await board.set(id, .init(state: "failed", started: started, ahead: 0, lastLine: "", finished: Date()))
                return Outcome(id: id, exitCode: nil, timedOut: false, interrupted: false, seconds: 0,
                               ahead: Self.ahead(id, workspace), state: .failed, log: log, message: note)
            }
        }
        let watcher = Task { await watch(id, log: log, started: started, keeper: keeper) }
        defer { watcher.cancel() }
        let outcome: ShellOutcome
        do {
            outcome = try await ShellCommand.run(request)
        } catch is CancellationError {
            let note = "agent interrupted (Ctrl-C); worktree kept; log: \(log)"
            _ = try? await workspace.store.update(id) { $0.state = .failed; $0.note = note }
            let commits = Self.ahead(id, workspace)
            await board.set(id, .init(state: "interrupted", started: started, ahead: commits, lastLine: "", finished: Date()))
            return Outcome(id: id, exitCode: nil, timedOut: false, interrupted: true, seconds: Date().timeIntervalSince(started),
                           ahead: commits, state: .failed, log: log, message: note)
        } catch let error as ShellCommandError {
            throw GorchFailure(.environment, "the agent of \(id) could not run: \(error.message)", hint: error.hint)
        }
        watcher.cancel()
        let seconds = Date().timeIntervalSince(started)
        let commits = Self.ahead(id, workspace)
        var state = TaskState.failed
        var message: String
        if outcome.succeeded && commits > 0 {
            do {
                _ = try await TaskFinisher(workspace: workspace).done(id)
                state = .ready
                message = "exit 0, \(commits) commit\(commits == 1 ? "" : "s"): ready"
            } catch let failure as GorchFailure {
                message = "exit 0, but not ready: \(failure.message)"
            }
        } else if outcome.succeeded {
            message = "exit 0 without a commit; log: \(log)"
        } else if outcome.timedOut {
            message = "timed out after \(Int(seconds)) s and was killed; log: \(log)"
        } else {
            message = "exited \(outcome.exitCode.map(String.init) ?? "on signal \(outcome.signal ?? 0)"); log: \(log)"
        }
        if let reclaimed {
            message += "; its Beads claim had lapsed (\(reclaimed)) and was taken again before the agent ran"
        }
        if let lost = await keeper.lost {
            message += "; its Beads claim was lost meanwhile (\(lost))"
        }
        if state == .failed {
            let note = "agent " + message + "; worktree kept"
            try await workspace.store.update(id) { $0.state = .failed; $0.note = note }
        }
        await board.set(id, .init(state: state == .ready ? "ready" : (outcome.timedOut ? "timed out" : "failed"),
                                  started: started, ahead: commits, lastLine: outcome.outputTail.last ?? "", finished: Date()))
        return Outcome(id: id, exitCode: outcome.exitCode, timedOut: outcome.timedOut, interrupted: false, seconds: seconds,
                       ahead: commits, state: state, log: log, message: message)
    }

    /// Live numbers for the progress table: commits ahead and the log's last line, every second.
    /// Also keeps the task's reservation alive while the agent works (renewed every half TTL),
    /// and its tracker claim (`ClaimKeeper`).
    private func watch(_ id: TaskID, log: String, started: Date, keeper: ClaimKeeper) async {
        guard let workspace = try? Workspace(context) else { return }
        let ttl = workspace.settings.reservationTTL
        var renewed = Date()
        while !Task.isCancelled {
            await board.set(id, .init(state: "running", started: started, ahead: Self.ahead(id, workspace),
                                      lastLine: AgentEnvironment.lastLine(of: log)))
            if Date().timeIntervalSince(renewed) >= Double(ttl) / 2 {
                try? await Reservations.choose(workspace).service.renew(id, ttlSeconds: ttl)
                renewed = Date()
            }
            await keeper.tick()
            try? await Task.sleep(for: .seconds(1))
        }
    }

    private static func ahead(_ id: TaskID, _ workspace: Workspace) -> Int {
        let repository = workspace.repository
        guard let tip = try? workspace.taskTip(id), let target = try? workspace.target(),
              let head = try? repository.branchTarget(target) else { return 0 }
        return (try? repository.aheadBehind(tip, head).ahead) ?? 0
    }

    /// `{description_file}`: the task as a prompt, for agents that read one from a file or stdin.
    private func writeDescription(_ task: TaskRecord, worktree: String, _ workspace: Workspace) throws -> String {
        let path = (workspace.paths.root as NSString).appendingPathComponent("tasks/\(task.id.rawValue).md")
        try AtomicFile.write(Data(TaskPrompt.text(task, worktree: worktree).utf8), to: path)
        return path
    }
}
