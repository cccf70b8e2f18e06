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
            JSONOut.print(.object([("id", .string(id.rawValue)), ("branch", .string(result.branch)),
                                   ("worktree", .string(result.worktree)), ("created", .bool(result.created)),
                                   ("base", .oid(result.base)), ("target", .string(result.target)),
                                   ("state", .string(result.task.state.rawValue)), ("warnings", .strings(result.warnings)),
                                   ("bootstrap", result.bootstrap.map(Self.bootstrapJSON) ?? .null)]))
            return
        }
        for warning in result.warnings { Output.errorLine("warning: \(warning)") }
        note(result.created ? "started \(id) on \(result.branch) from \(result.base.map { $0.short() } ?? result.target)"
                            : "\(id) already started; its worktree:")
        Output.line(result.worktree)
    }

    /// `{"copied":[...],"skipped":[{"path","reason"}],"port","setup_log","setup":[{"command","exit_code","timed_out","seconds"}]}`
    static func bootstrapJSON(_ outcome: WorktreeBootstrap.Outcome) -> JSONValue {
        .object([("copied", .strings(outcome.copied)),
                 ("skipped", .array(outcome.skipped.map { .object([("path", .string($0.path)), ("reason", .string($0.reason))]) })),
                 ("port", .int(outcome.port)), ("setup_log", .string(outcome.setupLog)),
                 ("setup", .array(outcome.setup.map { step in
                     .object([("command", .string(step.command)), ("exit_code", .int32(step.exitCode)),
                              ("timed_out", .bool(step.timedOut)), ("seconds", .double(step.seconds))])
                 }))])
    }
}
