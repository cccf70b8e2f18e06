import Adapters

/// The agents `--agent NAME` and `gorch.agent` can name: the built-in presets, each replaced by
/// `gorch.agent.<name>.command` when that is set, plus the names only config defines. Resolving
/// one gives the shell command line that `--run CMD` would take, so both run the same way.
public struct AgentCatalog: Sendable {
    public struct Entry: Sendable {
        public let name: String
        /// The shell command line, placeholders unexpanded.
        public let command: String
        /// The built-in preset of this name, nil for a name only config defines.
        public let preset: AgentPreset?
        /// Whether `gorch.agent.<name>.command` set the command (replacing any preset).
        public let isConfigured: Bool
    }

    let configured: [String: String]
    let defaultAgent: String?

    public init(settings: Settings) {
        configured = settings.agentCommands
        defaultAgent = settings.agent
    }

    /// Every agent: the presets in their order, then config-only names sorted.
    public var entries: [Entry] {
        let builtIn = AgentPreset.builtIn.map { preset in
            Entry(name: preset.name, command: configured[preset.name] ?? preset.command, preset: preset,
                  isConfigured: configured[preset.name] != nil)
        }
        let extra = configured.keys.filter { AgentPreset.named($0) == nil }.sorted().map { name in
            Entry(name: name, command: configured[name] ?? "", preset: nil, isConfigured: true)
        }
        return builtIn + extra
    }

    public var names: [String] { entries.map(\.name) }

    /// The command line to run: `--agent NAME`'s, else the explicit one (`-- CMD`, `--run CMD`),
    /// else `gorch.agent`'s. The CLI refuses both an agent and a command before this is asked.
    public func command(agent: String?, explicit: String?) throws -> String {
        if let agent { return try command(forAgent: agent) }
        if let explicit { return explicit }
        return try defaultCommand()
    }

    /// The command line of the agent called `name`.
    /// - Throws: `AgentPresetError.unknownAgent` listing the names there are.
    public func command(forAgent name: String) throws -> String {
        guard let entry = entries.first(where: { $0.name == name }) else {
            throw AgentPresetError.unknownAgent(name, known: names)
        }
        return entry.command
    }

    /// The command line of `gorch.agent`: a single word that names an agent is that agent;
    /// anything else is a command line of its own.
    /// - Throws: `AgentPresetError.noAgent` when gorch.agent is unset, `.unknownDefault` when
    ///   it is one word that is neither an agent nor a command on PATH (a misspelt name).
    public func defaultCommand() throws -> String {
        guard let value = defaultAgent else { throw AgentPresetError.noAgent(known: names) }
        if Self.isName(value) {
            if let entry = entries.first(where: { $0.name == value }) { return entry.command }
            // A bare word with a slash is a path the worktree may hold; only PATH words are checked.
            if !value.contains("/"), ToolRunner.locate(value) == nil {
                throw AgentPresetError.unknownDefault(value, known: names)
            }
        }
        return value
    }

    /// Whether the preset's executable is on PATH (nil for a configured command: its first
    /// word may be shell syntax rather than a program).
    public func isInstalled(_ entry: Entry) -> Bool? {
        guard let preset = entry.preset, !entry.isConfigured else { return nil }
        return ToolRunner.locate(preset.executable) != nil
    }

    /// An agent name: one word of letters, digits, `-`, `_` and `.` (not a command line).
    public static func isName(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy { scalar in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "-", "_", ".": true
            default: false
            }
        }
    }
}
