import ArgumentParser
import Foundation
import GorchCore

/// `gorch status`: tasks, their worktrees and predicted conflicts; an open merge run.
struct Status: GorchCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show tasks, their branches and worktrees, predicted conflicts, and any open merge run.",
        discussion: """
            conflicts_with lists the other active tasks whose branches conflict with this one's \
            (merged in memory; nothing is written). Exit status 0 even when conflicts are predicted.
            """
    )

    @OptionGroup(title: "Global Options") var local: GlobalOptions
    @ParentCommand var root: Gorch

    func run() async throws {
        let report = try await StatusReporter(workspace: try openWorkspace()).report(target: global.target)
        if global.json {
            JSONOut.print(StatusJSON.render(report))
        } else {
            Output.lines(StatusTable.render(report, color: Output.usesColor))
        }
    }
}
