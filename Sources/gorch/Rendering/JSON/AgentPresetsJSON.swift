import GorchCore

/// `gorch agents --json` (docs/schema/agents.json):
/// `{"default","agents":[{"name","source","command","executable","on_path","commits_itself","documentation"}]}`.
/// `default` is gorch.agent as set (null when unset). For an agent whose command comes from
/// config, `executable`, `on_path`, `commits_itself` and `documentation` are null: gorch does not
/// read a command line to guess them.
struct AgentPresetsJSON: Encodable {
    var `default`: String?
    var agents: [Agent]

    struct Agent: Encodable {
        var name: String
        /// "preset" (built in) or "config" (gorch.agent.<name>.command).
        var source: String
        var command: String
        var executable: String?
        var onPath: Bool?
        var commitsItself: Bool?
        var documentation: String?

        enum CodingKeys: String, CodingKey {
            case name, source, command, executable, onPath = "on_path", commitsItself = "commits_itself", documentation
        }
    }

    init(_ entries: [(entry: AgentCatalog.Entry, installed: Bool?)], default value: String?) {
        `default` = value
        agents = entries.map { entry, installed in
            let preset = entry.isConfigured ? nil : entry.preset
            return Agent(name: entry.name, source: entry.isConfigured ? "config" : "preset", command: entry.command,
                         executable: preset?.executable, onPath: installed, commitsItself: preset?.commitsItself,
                         documentation: preset?.documentation)
        }
    }
}
