import ArgumentParser
import Foundation
import GorchCore

/// `gorch claude-hook worktree-create|worktree-remove`: what Claude Code's `WorktreeCreate` and
/// `WorktreeRemove` hooks run (see `ClaudeWorktreeHook`; `gorch skills install` configures them).
///
/// Separate from `gorch hook` (the git hooks): that one must never fail its git command, while
/// Claude Code needs a failed creation to exit non-zero.
struct ClaudeHook: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "claude-hook",
        abstract: "Run by Claude Code's WorktreeCreate and WorktreeRemove hooks: its worktrees become gorch tasks.",
        discussion: """
            Claude Code writes the event as JSON on stdin. worktree-create starts the task named \
            by "name" as `gorch start` does and prints only the worktree's absolute path; \
            worktree-remove removes a task worktree only when nothing would be lost. Messages go to \
            stderr; --json does not apply (Claude Code reads stdout). Install them with \
            `gorch skills install`.
            """,
        subcommands: [ClaudeHookCreate.self, ClaudeHookRemove.self]
    )
}

/// The hook commands' shared steps: stdin in, the repository found from the event's `cwd`.
protocol ClaudeHookCommand: GorchCommand {}

extension ClaudeHookCommand {
    /// Stdout is Claude Code's (the worktree path, or nothing): an error is never a JSON document there.
    var wantsJSON: Bool { false }

    func readInput() throws -> ClaudeWorktreeHook.Input {
        try ClaudeWorktreeHook.Input(json: FileHandle.standardInput.readDataToEndOfFile())
    }

    /// --repo, else the session's `cwd` from the event, else the current directory.
    func openWorkspace(for input: ClaudeWorktreeHook.Input) throws -> Workspace {
        try Workspace(discoverFrom: global.repo ?? input.cwd ?? FileManager.default.currentDirectoryPath, target: global.target,
                      remote: global.remote)
    }
}

/// `gorch claude-hook worktree-create`.
struct ClaudeHookCreate: ClaudeHookCommand {
    static let configuration = CommandConfiguration(
        commandName: ClaudeWorktreeHook.createCommand,
        abstract: "Claude Code's WorktreeCreate hook: start the task named \"name\" and print its worktree's path.",
        discussion: """
            The name must be a valid task id. An existing task is started (or its worktree \
            reused); a new name becomes a new task, as with `gorch start`. The worktree is \
            .worktrees/wt-<name> on task/<name>, bootstrapped (gorch.copy, .worktreeinclude, \
            port, setup). Exit 0 with the absolute path as the only stdout line; any failure exits \
            non-zero, which makes Claude Code give up on the worktree.
            """
    )

    @OptionGroup(title: "Global Options") var local: GlobalOptions
    @ParentCommand var root: Gorch

    func run() async throws {
        let input = try readInput()
        let result = try await ClaudeWorktreeHook(workspace: try openWorkspace(for: input)).create(input)
        for warning in result.warnings { Output.errorLine("warning: \(warning)") }
        Output.errorLine(result.created ? "gorch: started task \(result.task.id) on \(result.branch) for Claude Code"
                                        : "gorch: task \(result.task.id) already has a worktree; Claude Code works in it")
        Output.line(result.worktree)
    }
}

/// `gorch claude-hook worktree-remove`.
struct ClaudeHookRemove: ClaudeHookCommand {
    static let configuration = CommandConfiguration(
        commandName: ClaudeWorktreeHook.removeCommand,
        abstract: "Claude Code's WorktreeRemove hook: remove a task worktree only when nothing would be lost.",
        discussion: """
            Reads "worktree_path". Local changes, untracked files or commits not in the target \
            keep the worktree and branch (stderr says why and what to do). A task with no commits \
            of its own loses its worktree and branch and goes back to planned; one whose commits \
            are in the target is finished as `gorch sync` and `gorch cleanup` finish it. A path \
            that is no task worktree is left alone. Prints nothing on stdout; exits 0 unless it \
            could not look (no repository, a lock held).
            """
    )

    @OptionGroup(title: "Global Options") var local: GlobalOptions
    @ParentCommand var root: Gorch

    func run() async throws {
        let input = try readInput()
        let removal = try await ClaudeWorktreeHook(workspace: try openWorkspace(for: input)).remove(input)
        Output.errorLines(removal.notes.map { "gorch: \($0)" })
    }
}
