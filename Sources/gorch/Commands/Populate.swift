import ArgumentParser
import GorchCore

/// `gorch populate <change>`: Beads issues from an OpenSpec change.
struct Populate: GorchCommand {
    static let configuration = CommandConfiguration(
        commandName: "populate",
        abstract: "Create a Beads issue per unchecked task of an OpenSpec change, and their dependency links.",
        discussion: """
            Idempotent: issues carry the labels openspec:<change> and task:<N.M>, and existing ones \
            are reused. Without flags: every phase's issues, then the links (each phase k+1 task \
            blocked by each phase k task, plus `(after N.M)` in a task line). --phase N creates that \
            phase's issues only, without links (several may run at once); --link adds the links only. \
            The graph is checked for cycles (own check, and bv --robot-insights when installed).
            """
    )

    @OptionGroup(title: "Global Options") var local: GlobalOptions
    @ParentCommand var root: Gorch

    @Argument(help: "The change's folder name under openspec/changes.") var change: String
    @Option(help: "Create only this phase's issues (no links).") var phase: Int?
    @Flag(help: "Only add the dependency links.") var link = false

    func validate() throws {
        if phase != nil && link { throw ValidationError("--phase and --link exclude each other: run --link after the phases") }
    }

    func run() async throws {
        let result = try await Populator(workspace: try openWorkspace()).populate(change: change, phase: phase, linkOnly: link)
        if global.json {
            try JSONOut.print(PopulateJSON(
                change: result.change,
                issues: result.issues.map { .init(number: $0.number, id: $0.id, title: $0.title, phase: $0.phase, created: $0.created) },
                links: result.links.map { .init(issue: $0.issue, dependsOn: $0.dependsOn, created: $0.created) },
                cycles: result.cycles, warnings: result.warnings))
        } else {
            let created = result.issues.filter(\.created).count
            Output.line("change \(result.change): \(created) issue\(created == 1 ? "" : "s") created, \(result.issues.count - created) already there, "
                        + "\(result.links.filter(\.created).count) link(s) added")
            var table = Table(columns: [.init(title: "TASK"), .init(title: "ISSUE"), .init(title: "BLOCKED BY"), .init(title: "TITLE")])
            for issue in result.issues {
                let blockers = result.links.filter { $0.issue == issue.id }.map(\.dependsOn)
                table.add([.init(issue.number), .init(issue.id), .init(blockers.isEmpty ? "-" : blockers.joined(separator: ",")),
                           .init(issue.title + (issue.created ? "" : "  (existing)"))])
            }
            Output.lines(table.render(color: Output.usesColor))
            for cycle in result.cycles { Output.errorLine("error: dependency cycle: \(cycle.joined(separator: " -> "))") }
            for warning in result.warnings { Output.errorLine("warning: \(warning)") }
        }
        if !result.cycles.isEmpty { throw ExitCode(1) }
    }
}
