import ArgumentParser
import GitKit

/// The root command: global options and the list of subcommands; running it alone shows help.
struct Gorch: AsyncParsableCommand {
    static let version = "0.1.0"

    // Every command names itself: argument-parser otherwise derives the name from the type with
    // String(describing:), whose protocol conformance scans cost about a quarter of start-up.
    static let configuration = CommandConfiguration(
        commandName: "gorch",
        abstract: "A git-native orchestrator for parallel coding agents.",
        discussion: """
            Global options (--repo, --target, --json) go before or after the subcommand.
            Exit codes: 0 success, 1 stopped (a conflict or failure needs a person), \
            2 usage error, 3 environment (not a repository, unknown target, missing tool).
            """,
        // The linked libgit2 is part of the version: merge behaviour depends on it.
        version: "gorch \(version) (libgit2 \(LibGit2.version))",
        subcommands: [Init.self, Doctor.self, Add.self, Plan.self, Populate.self, Batch.self, Start.self, Done.self, Status.self, Merge.self, Run.self, Loop.self, Agents.self, Sync.self, Cleanup.self, Conflicts.self, Demo.self, Skills.self, Hooks.self, Hook.self, ClaudeHook.self]
    )

    @OptionGroup(title: "Global Options")
    var global: GlobalOptions
}
