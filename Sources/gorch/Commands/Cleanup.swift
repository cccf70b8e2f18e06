import ArgumentParser
import GorchCore

/// `gorch cleanup`: removes what merged tasks left and prunes stale worktree records.
struct Cleanup: GorchCommand {
    static let configuration = CommandConfiguration(
        commandName: "cleanup",
        abstract: "Remove merged tasks' worktrees and branches; prune records of deleted worktree folders.",
        discussion: """
            Without flags both --merged and --stale apply. A worktree with local changes or a lock \
            is kept unless --force. A failed task's worktree goes only with --force, and a branch \
            whose commits are not in the target is never deleted. --dry-run lists what would happen.
            """
    )

    @OptionGroup(title: "Global Options") var local: GlobalOptions
    @ParentCommand var root: Gorch

    @Flag(help: "Remove merged tasks' worktrees and branches.") var merged = false
    @Flag(help: "Prune worktree records whose folders were deleted by hand.") var stale = false
    @Flag(help: "Also remove dirty or locked worktrees, and failed tasks' worktrees (branches stay).") var force = false
    @Flag(help: "Show what would be removed; change nothing.") var dryRun = false

    func run() async throws {
        var options = TaskCleaner.Options()
        options.merged = merged || !stale
        options.stale = stale || !merged
        options.force = force
        options.dryRun = dryRun
        let actions = try await TaskCleaner(workspace: try openWorkspace()).run(options)
        if global.json {
            try JSONOut.print(CleanupJSON(actions, dryRun: dryRun))
            return
        }
        guard !actions.isEmpty else { return Output.line("nothing to clean up") }
        var table = Table(columns: [.init(title: "ACTION"), .init(title: "TASK"), .init(title: "WHAT")])
        for action in actions {
            let verb = action.skipped != nil ? "kept" : (dryRun ? "would remove" : "removed")
            table.add([.init(verb, style: action.skipped != nil ? { $0.yellow } : nil), .init(action.task?.rawValue ?? "-"),
                       .init("\(action.kind.rawValue) \(action.path)")])
            if let why = action.skipped { table.addDetail("    \(why)") }
        }
        Output.lines(table.render(color: Output.usesColor))
    }
}
