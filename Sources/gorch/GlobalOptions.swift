import ArgumentParser

/// Options every command accepts, before or after the subcommand (DESIGN.md "Global options").
///
/// The root command and each subcommand declare this group; `merged(over:)` combines the two so
/// `gorch --repo R conflicts` and `gorch conflicts --repo R` mean the same thing.
struct GlobalOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Repository to act on (default: discovered from the current directory, also from inside a task worktree).",
                               valueName: "path"))
    var repo: String?

    @Option(help: ArgumentHelp("Branch or revision to merge into (default: git config gorch.target, else the branch checked out in the main worktree).",
                               valueName: "branch"))
    var target: String?

    @Option(help: ArgumentHelp("Git remote that tasks and the target move through: start, done and merge fetch and push there (default: git config gorch.remote; none = this machine only).",
                               valueName: "name"))
    var remote: String?

    @Flag(help: "Print one JSON document on stdout instead of a table (errors too).")
    var json = false

    /// These options with every value left unset taken from `outer` (the root command's group):
    /// the value written after the subcommand wins, as it is the more specific one.
    func merged(over outer: GlobalOptions) -> GlobalOptions {
        var result = self
        result.repo = repo ?? outer.repo
        result.target = target ?? outer.target
        result.remote = remote ?? outer.remote
        result.json = json || outer.json
        return result
    }
}
