import ArgumentParser
import Foundation
import GorchCore

/// `gorch status`: tasks, their worktrees and predicted conflicts; an open merge run.
struct Status: GorchCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show tasks, their branches and worktrees, predicted conflicts, and any open merge run.",
        discussion: """
            conflicts_with lists the other active tasks whose branches conflict with this one's \
            (merged in memory; nothing is written). LANDS (JSON lands) says for each ready task \
            its place in the merge queue and whether it lands cleanly after the tasks ahead of \
            it, the queue landed in memory in order as merge --keep-going would. Exit status 0 \
            even when conflicts are predicted.
            """
    )

    @OptionGroup(title: "Global Options") var local: GlobalOptions
    @ParentCommand var root: Gorch

    @Flag(help: "Redraw the table every --interval seconds until Ctrl-C (JSON: one document per interval).") var watch = false
    @Option(help: "Seconds between redraws with --watch.") var interval: Double = 2

    func run() async throws {
        let workspace = try openWorkspace()
        guard watch else { return try await show(workspace, clear: false) }
        signal(SIGINT, SIG_DFL)  // Ctrl-C simply ends the watch: it changes nothing
        while true {
            try await show(try workspace.reopened(), clear: Output.isTerminal && !global.json)
            try await Task.sleep(for: .milliseconds(Int(max(interval, 0.2) * 1000)))
        }
    }

    private func show(_ workspace: Workspace, clear: Bool) async throws {
        let report = try await StatusReporter(workspace: workspace).report()
        if global.json {
            try JSONOut.print(StatusJSON(report))
        } else {
            // Home and clear, then the table: a live view of tasks, agents' states and conflicts.
            if clear { Output.line("\u{1B}[H\u{1B}[2J", terminator: false) }
            Output.lines(StatusTable.render(report, color: Output.usesColor))
        }
    }
}
