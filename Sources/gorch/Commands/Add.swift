import ArgumentParser
import GorchCore

/// `gorch add`: a planned task in the embedded store.
struct Add: GorchCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a planned task (embedded task store).",
        discussion: """
            Task ids: letters, digits, '.', '_' and '-', at most 64 characters, not starting with \
            '-' or '.', no '..'. --files declares the task's file scope (globs); --after lists tasks \
            that must be merged first.
            """
    )

    @OptionGroup(title: "Global Options") var local: GlobalOptions
    @ParentCommand var root: Gorch

    @Argument(help: "The task id, e.g. auth-login.") var id: String
    @Option(help: "A one-line title (default: the id).") var title: String?
    @Option(parsing: .upToNextOption, help: "Files the task may change: globs, comma separated or as several values (a glob may contain spaces).") var files: [String] = []
    @Option(parsing: .upToNextOption, help: "Tasks to merge before this one (comma or space separated).") var after: [String] = []

    func run() async throws {
        let id = try taskID(id)
        let scope = files.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let task = try await TaskAdder(workspace: try openWorkspace()).add(id, title: title, files: scope.isEmpty ? nil : scope,
                                                                    after: try taskIDs(after))
        if global.json {
            try JSONOut.print(AddJSON(task: TaskJSON(task)))
        } else {
            Output.line("added \(task.id) (planned): \(task.title)")
        }
    }
}
