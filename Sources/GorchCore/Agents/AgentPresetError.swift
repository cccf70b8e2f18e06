/// An agent name gorch cannot resolve (`--agent NAME`, `gorch.agent`): a usage error (exit 2)
/// whose message lists the agents there are.
public enum AgentPresetError: Error, Sendable, Equatable {
    /// `--agent NAME` with a name that is neither a preset nor in `gorch.agent.<name>.command`.
    case unknownAgent(String, known: [String])
    /// `gorch.agent` is one word that is no agent and no command on PATH.
    case unknownDefault(String, known: [String])
    /// `run`/`loop` without an agent, and no `gorch.agent`.
    case noAgent(known: [String])

    public var message: String {
        switch self {
        case .unknownAgent(let name, let known):
            "no agent '\(name)'; the agents are \(known.joined(separator: ", "))"
        case .unknownDefault(let name, let known):
            "gorch.agent is '\(name)', which is neither an agent (\(known.joined(separator: ", "))) nor a command on PATH"
        case .noAgent(let known):
            "no agent to run: give --agent NAME (\(known.joined(separator: ", "))) or a command, or set gorch.agent"
        }
    }

    public var hint: String {
        switch self {
        case .unknownAgent(let name, _):
            "`gorch agents` lists them; define '\(name)' with `git config gorch.agent.\(name).command 'CMD'`"
        case .unknownDefault:
            "`git config gorch.agent claude` names a preset; a command line with arguments is run as it is"
        case .noAgent:
            "e.g. `gorch run <id> --agent claude`, or once: `git config gorch.agent claude`"
        }
    }
}
