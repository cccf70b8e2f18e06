import ArgumentParser
import GorchCore

/// `gorch init`: prepares a repository for gorch (safe to re-run).
struct Init: GorchCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Prepare the repository: exclude .worktrees/, record gorch.target, create the task store, install the git hooks.",
        discussion: """
            Records the target (--target, else the branch checked out in the main worktree) as \
            gorch.target, adds /.worktrees/ to .git/info/exclude, creates the embedded task \
            store in .git/gorch/, and installs the git hooks that run `gorch hook` (chained with \
            existing ones; --no-hooks skips them). Running it again changes nothing.
            """
    )

    @OptionGroup(title: "Global Options") var local: GlobalOptions
    @ParentCommand var root: Gorch

    @Flag(help: "Do not install the git hooks (post-merge, post-checkout, post-rewrite) that run gorch's sync.") var noHooks = false

    func run() async throws {
        let result = try await Initializer(workspace: try openWorkspace()).run(gorchPath: noHooks ? nil : GorchExecutable.path)
        if global.json {
            try JSONOut.print(InitJSON(result))
            return
        }
        Output.line("target: \(result.target)")
        Output.line("tasks:  \(result.store) store in \(result.root)")
        Output.lines(result.changes.isEmpty ? ["already initialised: nothing changed"] : result.changes.map { "  + \($0)" })
    }
}
