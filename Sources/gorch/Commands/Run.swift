import ArgumentParser
import Foundation
import GorchCore

/// `gorch run <id> [--agent NAME | -- CMD...]`: one agent in a task's worktree.
struct Run: GorchCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run an agent command in a task's worktree; exit 0 with commits marks it ready, else failed.",
        discussion: """
            The words after -- are the command, run with sh -c in the worktree (each word \
            shell-quoted; placeholders {id}, {title}, {branch}, {worktree}, {description_file} \
            replaced shell-quoted; {description_file} holds the task as a prompt). Or --agent NAME \
            runs a coding-agent CLI non-interactively with the task as its prompt: \
            \(AgentPreset.builtIn.map(\.name).joined(separator: ", ")) (`gorch agents` shows each \
            command line; git config gorch.agent.<name>.command replaces or adds one). Neither: the \
            agent in gorch.agent (a name or a command line). Environment: GORCH_TASK_ID, \
            GORCH_WORKTREE, GORCH_BRANCH, GORCH_PORT, AGENT_NAME. Output goes to \
            .git/gorch/logs/<id>.agent.log. Timeout: --timeout, else gorch.agentTimeout (default \
            1h). Ctrl-C stops the agent and records it.
            """
    )

    @OptionGroup(title: "Global Options") var local: GlobalOptions
    @ParentCommand var root: Gorch

    @Argument(help: "The task id.") var id: String
    @Option(help: ArgumentHelp("Run this agent preset or configured agent (see `gorch agents`).", valueName: "name")) var agent: String?
    @Option(help: ArgumentHelp("Seconds before the agent is killed.", valueName: "seconds")) var timeout: Double?
    @Argument(parsing: .postTerminator, help: "The agent command, after --.") var command: [String] = []

    func validate() throws {
        if let agent, !command.isEmpty {
            throw ValidationError("--agent \(agent) and the command after -- both name the agent; give one of them")
        }
    }

    func run() async throws {
        let workspace = try openWorkspace()
        let id = try taskID(id)
        // Words are quoted one by one, so `gorch run x -- echo "a b"` runs exactly that.
        let words = command.isEmpty ? nil : command.map(AgentCommandLine.quoteKeepingPlaceholders).joined(separator: " ")
        let text = try AgentCatalog(settings: workspace.settings).command(agent: agent, explicit: words)
        let board = AgentBoard()
        let progress = AgentProgress(board: board)
        let limit = timeout.map { Duration.milliseconds(Int($0 * 1000)) } ?? workspace.settings.agentTimeout
        let context = workspace.context
        progress.start()
        let outcomes = try await Interrupts.cancelling {
            try await AgentRunner(workspace: try Workspace(context), board: board)
                .run([id], command: text, max: 1, timeout: limit)
        }
        await progress.stop()
        try AgentOutput.print(outcomes, json: global.json)
        if outcomes.contains(where: { $0.state != .ready }) { throw ExitCode(1) }
    }
}

/// Turning argv words into one shell command line.
enum AgentCommandLine {
    /// Quotes a word, but leaves `{placeholder}` words for gorch's own shell-quoted expansion.
    static func quoteKeepingPlaceholders(_ word: String) -> String {
        let placeholders = ["{id}", "{title}", "{branch}", "{worktree}", "{description_file}"]
        if placeholders.contains(word) { return word }
        return ShellQuoting.quote(word)
    }
}

/// Agents' outcomes as a table or JSON: `{"agents":[{"id","state","exit_code","timed_out","interrupted","seconds","ahead","log","message"}]}`.
enum AgentOutput {
    static func print(_ outcomes: [AgentRunner.Outcome], json: Bool) throws {
        if json { return try JSONOut.print(RunJSON(agents: outcomes.map(AgentJSON.init))) }
        Output.lines(table(outcomes))
    }

    static func table(_ outcomes: [AgentRunner.Outcome]) -> [String] {
        var table = Table(columns: [.init(title: "AGENT"), .init(title: "RESULT"), .init(title: "DETAIL")])
        for outcome in outcomes {
            table.add([.init(outcome.id.rawValue), .init(outcome.state.rawValue, style: TaskStyle.state(outcome.state)),
                       .init(outcome.message)])
        }
        return table.render(color: Output.usesColor)
    }
}
