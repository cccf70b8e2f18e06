import ArgumentParser
import Foundation
import GorchCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `gorch hook <name> [args...]`: what the installed git hooks run (see `HookRunner`).
///
/// Always exits 0, prints nothing on stdout, and at most one short line on stderr (a task merged,
/// the sync skipped or failed). Errors go to `.git/gorch/logs/hooks.log` with a timestamp.
struct Hook: GorchCommand {
    static let configuration = CommandConfiguration(
        commandName: "hook",
        abstract: "Run by the git hooks gorch installs: sync after a merge, branch checkout or rewrite. Never fails.",
        discussion: """
            post-merge and post-rewrite sync as `gorch sync` does; post-checkout syncs on a branch \
            checkout only (third argument 1); other names do nothing. GORCH_SKIP_HOOKS=1 skips it. \
            Exits 0 whatever happens (also outside a repository); errors are appended to \
            .git/gorch/logs/hooks.log. Install the hooks with `gorch hooks install`.
            """
    )

    @OptionGroup(title: "Global Options") var local: GlobalOptions
    @ParentCommand var root: Gorch

    @Argument(help: ArgumentHelp("The git hook: post-merge, post-checkout or post-rewrite.", valueName: "name"))
    var name: String

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("The hook's arguments, as git passed them.", valueName: "args"))
    var arguments: [String] = []

    /// Git's variables that point at the repository that fired the hook. They are dropped before
    /// syncing: gorch finds the repository from the hook's directory, and a relative GIT_DIR
    /// would send the tools gorch runs (bd, openspec) to the wrong place.
    static let repositoryVariables = ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR", "GIT_PREFIX",
                                      "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_QUARANTINE_PATH"]

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        if environment[HookRunner.skipVariable] == "1" { return }
        for variable in Self.repositoryVariables { unsetenv(variable) }
        let options = global
        let directory = options.repo ?? FileManager.default.currentDirectoryPath
        let outcome = await HookRunner(directory: directory, target: options.target, environment: environment)
            .run(hook: name, arguments: arguments)
        if let message = outcome.message { Output.errorLine(message) }
    }
}
