import ArgumentParser
import GorchCore

/// `gorch agents`: the agents `--agent NAME` can run, their command lines, and whether each
/// preset's CLI is on PATH.
struct Agents: GorchCommand {
    static let configuration = CommandConfiguration(
        commandName: "agents",
        abstract: "List the agent presets and configured agents that --agent NAME runs.",
        discussion: """
            Built-in presets (\(AgentPreset.builtIn.map(\.name).joined(separator: ", "))) run each \
            CLI non-interactively with {description_file} as the prompt and leave the work \
            committed. git config gorch.agent.<name>.command 'CMD' replaces a preset or adds a \
            name; git config gorch.agent NAME makes it the default of run and loop.
            """
    )

    @OptionGroup(title: "Global Options") var local: GlobalOptions
    @ParentCommand var root: Gorch

    func run() async throws {
        let workspace = try openWorkspace()
        let catalog = AgentCatalog(settings: workspace.settings)
        let entries = catalog.entries.map { (entry: $0, installed: catalog.isInstalled($0)) }
        if global.json {
            return try JSONOut.print(AgentPresetsJSON(entries, default: workspace.settings.agent))
        }
        var table = Table(columns: [.init(title: "AGENT"), .init(title: "SOURCE"), .init(title: "ON PATH"), .init(title: "COMMAND")])
        for (entry, installed) in entries {
            let path: String = switch installed {
            case true?: "yes"
            case false?: "no"
            case nil: "-"
            }
            table.add([.init(entry.name), .init(entry.isConfigured ? "config" : "preset"), .init(path), .init(entry.command)])
        }
        Output.lines(table.render(color: Output.usesColor))
        if let agent = workspace.settings.agent { Output.line("default (gorch.agent): \(agent)") }
    }
}
