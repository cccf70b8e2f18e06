import ArgumentParser
import GorchCore

/// `gorch start`: a task's branch and worktree; prints the worktree path.
struct Start: GorchCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Create a task's branch task/<id> and worktree .worktrees/wt-<id>; print its path.",
        discussion: """
            The branch starts at the target (or --base). Running start again prints the existing \
            worktree; a worktree whose folder was deleted is recreated from the branch. A folder \
            in the way is never overwritten. Prints only the path on stdout, so \
            `cd "$(gorch start ID)"` works.
            """
    )

    @OptionGroup(title: "Global Options") var local: GlobalOptions
    @ParentCommand var root: Gorch

    @Argument(help: "The task id.") var id: String
    @Option(help: "Revision to branch from (default: the target).") var base: String?
    @Option(help: "Title for a task not added before.") var title: String?

    func run() async throws {
        let id = try taskID(id)
        let result = try await TaskStarter(workspace: try openWorkspace()).start(id, base: base, title: title)
        if global.json {
            try JSONOut.print(StartJSON(id, result))
            return
        }
        for warning in result.warnings { Output.errorLine("warning: \(warning)") }
        note(result.created ? "started \(id) on \(result.branch) from \(result.base.map { $0.short() } ?? result.target)"
                            : "\(id) already started; its worktree:")
        Output.line(result.worktree)
    }
}
