import ArgumentParser
import Foundation
import GorchCore

/// `gorch done`: an agent marks its task ready to merge.
struct Done: GorchCommand {
    static let configuration = CommandConfiguration(
        commandName: "done",
        abstract: "Mark a task ready to merge (run in its worktree, or name it).",
        discussion: """
            Refused while the task's worktree has uncommitted changes to tracked files, a merge \
            in progress, or no commits beyond the target. Untracked files are reported, not \
            refused. Without an id, the task is the one whose worktree contains the current directory.
            """
    )

    @OptionGroup(title: "Global Options") var local: GlobalOptions
    @ParentCommand var root: Gorch

    @Argument(help: "The task id (default: the task of the current worktree).") var id: String?

    func run() async throws {
        let workspace = try openWorkspace()
        let finisher = TaskFinisher(workspace: workspace)
        let id = try id.map { try taskID($0) } ?? finisher.taskContaining(FileManager.default.currentDirectoryPath)
        let result = try await finisher.done(id)
        if global.json {
            try JSONOut.print(DoneJSON(id, result))
            return
        }
        Output.line("\(id) is ready to merge (\(result.ahead) commit\(result.ahead == 1 ? "" : "s") ahead)")
        for warning in result.warnings { Output.errorLine("warning: \(warning)") }
    }
}
