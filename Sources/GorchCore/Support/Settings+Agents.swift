import GitKit

extension Settings {
    /// `gorch.agent.<name>.command` entries by name. A name is one word (letters, digits, `-`,
    /// `_`, `.`) so that `gorch.agent NAME` can tell it from a command line; `command` is the
    /// only key under it, and an empty command is refused rather than ignored.
    static func agentCommands(_ repository: Repository) throws -> [String: String] {
        var commands: [String: String] = [:]
        // The trailing dot keeps gorch.agentTimeout and gorch.agentMail.* out.
        for entry in try repository.configEntries(matchingPrefix: "gorch.agent.") {
            let rest = entry.name.dropFirst("gorch.agent.".count)
            guard let dot = rest.lastIndex(of: "."), rest[rest.index(after: dot)...] == "command" else {
                throw GorchFailure(.usage, "\(entry.name) is not a gorch setting; under gorch.agent.<name> there is only command",
                                   hint: "e.g. `git config gorch.agent.claude.command 'claude -p < {description_file}'`")
            }
            let name = String(rest[..<dot])
            guard AgentCatalog.isName(name) else {
                throw GorchFailure(.usage, "\(entry.name) names agent '\(name)'; an agent name is one word of letters, digits, '-', '_' or '.'",
                                   hint: "rename it, e.g. `git config --rename-section 'gorch.agent.\(name)' gorch.agent.mine`")
            }
            let command = entry.value.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !command.isEmpty else {
                throw GorchFailure(.usage, "\(entry.name) is empty; it must be a shell command line",
                                   hint: "set it, or `git config --unset \(entry.name)` to use the built-in preset")
            }
            // Later entries (the repository's own config) win over earlier ones (global, system).
            commands[name] = command
        }
        return commands
    }
}
