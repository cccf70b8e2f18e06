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
            openspec installed the change is also validated (`openspec validate --strict`). A task \
            number declared twice, or one whose leading number is not its `## N.` group's, is \
            reported as OpenSpec 1.9+ reports it (`--strict` rejects the change), installed or not; \
            either makes plan exit 1.
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
                numbering: plan.numbering.map { .init(line: $0.line, message: $0.message) },
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
            if !plan.numbering.isEmpty {
                Output.line("")
                Output.line("task numbering: \(plan.numbering.count) problem\(plan.numbering.count == 1 ? "" : "s") "
                            + "(OpenSpec 1.9+ `validate --strict` rejects the change)")
                for issue in plan.numbering { Output.line("  line \(issue.line): \(issue.message)") }
            }
            if let validation {
                Output.line("")
                Output.line(validation.valid ? "openspec validate --strict: valid" : "openspec validate --strict: INVALID")
                for issue in validation.issues { Output.line("  \(issue)") }
            }
        }
        if validation?.valid == false || !plan.numbering.isEmpty { throw ExitCode(1) }
    }
}
