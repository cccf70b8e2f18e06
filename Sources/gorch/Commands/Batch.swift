import ArgumentParser
import Foundation
import GorchCore

/// `gorch batch`: proposes up to --max tasks that won't collide, and starts them once approved.
struct Batch: GorchCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Propose up to --max tasks that can run in parallel without colliding; start them when approved.",
        discussion: """
            Candidates: bv --robot-plan tracks filtered by bd ready (Beads with bv), bd ready \
            (Beads), or planned tasks whose --after tasks are merged (embedded). One per track \
            first; a task is skipped when its file scope overlaps a picked task, an active \
            reservation, or files an in-flight task will change on the target (for a ready task \
            predicted to land cleanly, the files its landing in queue order changes); at most one \
            task of unknown scope. \
            On a terminal gorch asks before starting; otherwise it only proposes, unless --yes. \
            --ids starts exactly the listed tasks.
            """
    )

    @OptionGroup(title: "Global Options") var local: GlobalOptions
    @ParentCommand var root: Gorch

    @Option(help: "At most this many tasks.") var max = 4
    @Flag(help: "Start the proposed tasks without asking.") var yes = false
    @Option(parsing: .upToNextOption, help: "Start exactly these tasks (comma or space separated).") var ids: [String] = []
    @Option(name: .customLong("run"), help: ArgumentHelp("Then run this agent command in each started worktree, up to --max at once.", valueName: "cmd"))
    var runCommand: String?
    @Option(help: ArgumentHelp("Or run this agent preset or configured agent (see `gorch agents`).", valueName: "name"))
    var agent: String?
    @Option(help: ArgumentHelp("Seconds before an agent is killed (with --run or --agent).", valueName: "seconds")) var timeout: Double?

    func validate() throws {
        if max < 1 { throw ValidationError("--max must be at least 1") }
        if let agent, runCommand != nil { throw ValidationError("--agent \(agent) and --run both name the agent; give one of them") }
    }

    func run() async throws {
        let workspace = try openWorkspace()
        // Resolved before anything starts, so an unknown --agent changes nothing.
        var command: String?
        if agent != nil || runCommand != nil {
            command = try AgentCatalog(settings: workspace.settings).command(agent: agent, explicit: runCommand)
        }
        let batcher = Batcher(workspace: workspace)
        let decision = try await batcher.propose(max: max)
        let approved = try taskIDs(ids)
        if !approved.isEmpty {
            // Tasks this batch already started (a re-run after an interrupted batch) are accepted:
            // starting them again only prints their worktree.
            let known = Set((decision.picks + decision.skips.map(\.candidate)).map(\.id))
                .union(try await batcher.started(approved))
            if let unknown = approved.first(where: { !known.contains($0) }) {
                throw GorchFailure(.usage, "\(unknown) is not a batch candidate (not ready, or blocked)",
                                   hint: "run `gorch batch` to see the candidates")
            }
        }
        if !global.json { Output.lines(BatchTable.render(decision, color: Output.usesColor)) }
        var toStart: [TaskID] = []
        if !approved.isEmpty {
            toStart = approved
        } else if yes {
            toStart = decision.picks.map(\.id)
        } else if !global.json, Output.isTerminal, isatty(STDIN_FILENO) == 1, !decision.picks.isEmpty {
            Output.line("start these \(decision.picks.count) task(s)? [y/N] ", terminator: false)
            if let answer = readLine(), ["y", "yes"].contains(answer.lowercased()) { toStart = decision.picks.map(\.id) }
        } else if !global.json, !decision.picks.isEmpty {
            Output.line("proposal only: approve with `gorch batch --yes`, or `gorch batch --ids \(decision.picks.map(\.id.rawValue).joined(separator: ","))`")
        }
        let started = try await batcher.start(toStart)
        var agents: [AgentRunner.Outcome] = []
        if let command, !started.isEmpty {
            let board = AgentBoard()
            let progress = AgentProgress(board: board)
            let limit = timeout.map { Duration.milliseconds(Int($0 * 1000)) } ?? workspace.settings.agentTimeout
            let ids = started.map(\.task.id)
            let context = workspace.context
            let max = max
            progress.start()
            agents = try await Interrupts.cancelling {
                try await AgentRunner(workspace: try Workspace(context), board: board)
                    .run(ids, command: command, max: max, timeout: limit)
            }
            await progress.stop()
        }
        if global.json {
            try JSONOut.print(BatchJSON(decision, started: started, agents: agents))
        } else {
            for result in started { Output.line("started \(result.task.id): \(result.worktree)") }
            for warning in decision.warnings + started.flatMap(\.warnings) { Output.errorLine("warning: \(warning)") }
            if !agents.isEmpty { Output.lines(AgentOutput.table(agents)) }
        }
        if agents.contains(where: { $0.state != .ready }) { throw ExitCode(1) }
    }
}
