import ArgumentParser
import GorchCore

/// `gorch init`: prepares a repository for gorch (safe to re-run).
struct Init: GorchCommand {
    static let configuration = CommandConfiguration(
        abstract: "Prepare the repository: exclude .worktrees/, record gorch.target, create the task store.",
        discussion: """
            Records the target (--target, else the branch checked out in the main worktree) as \
            gorch.target, adds /.worktrees/ to .git/info/exclude, and creates the embedded task \
            store in .git/gorch/. Running it again changes nothing.
            """
    )

    @OptionGroup(title: "Global Options") var local: GlobalOptions
    @ParentCommand var root: Gorch

    func run() async throws {
        let result = try await Initializer(workspace: try openWorkspace()).run(target: global.target)
        if global.json {
            JSONOut.print(.object([("target", .string(result.target)), ("store", .string(result.store)),
                                   ("root", .string(result.root)), ("changes", .strings(result.changes))]))
            return
        }
        Output.line("target: \(result.target)")
        Output.line("tasks:  \(result.store) store in \(result.root)")
        Output.lines(result.changes.isEmpty ? ["already initialised: nothing changed"] : result.changes.map { "  + \($0)" })
    }
}
