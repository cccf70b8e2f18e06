import ArgumentParser
import Foundation
import GorchCore

/// `gorch loop`: batch -> run -> merge until nothing is ready or a person is needed.
struct Loop: GorchCommand {
    static let configuration = CommandConfiguration(
        commandName: "loop",
        abstract: "Batch, run the agents, merge; repeat until nothing is ready or a person is needed.",
        discussion: """
            Each round proposes up to --max tasks (as `gorch batch`), starts them, runs CMD in each \
            worktree in parallel (as `gorch run`; or --agent NAME, a preset or configured agent; \
            neither: gorch.agent), and merges the ones that became ready (as `gorch \
            merge`, with --validate and --resolve-with; in trains with --batch or gorch.batch). It stops when nothing is ready, when a \
            merge needs a person (exit 1), or when a round merges nothing. One summary at the end.
            """
    )

    @OptionGroup(title: "Global Options") var local: GlobalOptions
    @ParentCommand var root: Gorch

    @Option(name: .customLong("run"), help: ArgumentHelp("The agent command (sh -c in each worktree).", valueName: "cmd")) var runCommand: String?
    @Option(help: ArgumentHelp("Or this agent preset or configured agent (see `gorch agents`).", valueName: "name")) var agent: String?
    @Option(name: .customLong("validate"), help: ArgumentHelp("A validation command (repeatable).", valueName: "cmd")) var validateSteps: [String] = []
    @Option(help: ArgumentHelp("An agent that resolves a handed-back conflict in the task's worktree.", valueName: "cmd")) var resolveWith: String?
    @Option(help: "Tasks per round, and agents at once.") var max = 4
    @Option(help: ArgumentHelp("Seconds before an agent is killed.", valueName: "seconds")) var timeout: Double?
    @OptionGroup var train: TrainOptions

    func validate() throws {
        if let agent, runCommand != nil { throw ValidationError("--agent \(agent) and --run both name the agent; give one of them") }
    }

    func run() async throws {
        let workspace = try openWorkspace()
        let command = try AgentCatalog(settings: workspace.settings).command(agent: agent, explicit: runCommand)
        var options = LoopRunner.Options(run: command)
        options.validate = validateSteps
        options.resolveWith = resolveWith
        options.max = max
        options.batch = train.batch
        options.lanes = train.lanes
        options.timeout = timeout.map { .milliseconds(Int($0 * 1000)) }
        let board = AgentBoard()
        let progress = AgentProgress(board: board)
        let json = global.json
        let context = workspace.context
        let settings = options
        let summary = try await Interrupts.cancelling {
            try await LoopRunner(workspace: try Workspace(context), board: board).run(settings) { event in
                guard !json else { return }
                switch event {
                case .round(let number, let picks):
                    Output.errorLine("== round \(number): \(picks.map(\.rawValue).joined(separator: ", "))")
                    progress.start()
                case .agentsFinished(let outcomes):
                    progress.halt()
                    Output.errorLines(AgentOutput.table(outcomes))
                case .merge(let event):
                    MergeProgress.show(event)
                }
            }
        }
        progress.halt()
        if json {
            try JSONOut.print(LoopJSON(summary))
        } else {
            Output.line("")
            Output.line("loop: \(summary.rounds.count) round\(summary.rounds.count == 1 ? "" : "s"), "
                        + "\(summary.merged.count) merged, \(summary.failed.count) failed; stopped: \(summary.reason)")
            if !summary.merged.isEmpty { Output.line("  merged: \(summary.merged.map(\.rawValue).joined(separator: ", "))") }
            if !summary.failed.isEmpty { Output.line("  failed (worktrees kept): \(summary.failed.map(\.rawValue).joined(separator: ", "))") }
        }
        if summary.needsPerson { throw ExitCode(1) }
    }
}
