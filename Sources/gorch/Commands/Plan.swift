import ArgumentParser
import GorchCore

/// `gorch plan <change>`: an OpenSpec change's tasks, phases and mode.
struct Plan: GorchCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show an OpenSpec change's phases and tasks (openspec/changes/<change>/tasks.md).",
        discussion: """
            Phases are `## N. Title` headings, tasks `- [ ] N.M text (Files: ...)` lines. Mode: \
            sequential (1-4 unchecked tasks), parallel-phases (5 or more), complete (none). With \
            openspec installed the change is also validated (`openspec validate --strict`).
            """
    )

    @OptionGroup(title: "Global Options") var local: GlobalOptions
    @ParentCommand var root: Gorch

    @Argument(help: "The change's folder name under openspec/changes.") var change: String

    func run() async throws {
        let workspace = try openWorkspace()
        let root = try workspace.requireMainWorkTree(for: "gorch plan")
        let plan = try ChangePlanner.load(change: change, root: root)
        let validation = try await PlanValidation.validate(change: change, root: root, timeout: workspace.toolTimeout)
        let document = plan.document
        if global.json {
            try JSONOut.print(PlanJSON(
                change: plan.change, mode: document.mode, unchecked: document.unchecked,
                phases: document.phases.map { phase in
                    .init(number: phase.number, title: phase.title,
                          tasks: phase.tasks.map { .init(number: $0.number, text: $0.text, files: $0.files, done: $0.done) })
                },
                validation: validation.map { .init(valid: $0.valid, issues: $0.issues) }))
        } else {
            Output.line("change \(plan.change): \(document.unchecked) unchecked, mode \(document.mode)")
            for phase in document.phases {
                Output.line("")
                Output.line("\(phase.number). \(phase.title)  (\(phase.tasks.filter { !$0.done }.count) to do)")
                for task in phase.tasks {
                    let files = task.files.map { "  [\($0.joined(separator: ", "))]" } ?? "  [scope unknown]"
                    Output.line("  \(task.done ? "[x]" : "[ ]") \(task.number) \(task.text)\(files)")
                }
            }
            if let validation {
                Output.line("")
                Output.line(validation.valid ? "openspec validate --strict: valid" : "openspec validate --strict: INVALID")
                for issue in validation.issues { Output.line("  \(issue)") }
            }
        }
        if validation?.valid == false { throw ExitCode(1) }
    }
}
