import ArgumentParser
import GorchCore

/// `gorch sync`: reconcile after merges made outside gorch.
struct Sync: GorchCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Reconcile after merges made elsewhere (a person's git merge): close, clean up, tick, sync the tracker.",
        discussion: """
            Tasks whose branch is contained in the target are marked merged (Beads: issue closed), \
            their reservations released, their worktree and branch removed when clean; their \
            tasks.md boxes are ticked on the target in one commit; bd sync (legacy bd) or an export \
            for bv (Dolt-era bd) follows. Complete changes are archived (gorch.archive=auto) or \
            suggested. Nothing to do is fast and exits 0.
            """
    )

    @OptionGroup(title: "Global Options") var local: GlobalOptions
    @ParentCommand var root: Gorch

    func run() async throws {
        let result = try await Syncer(workspace: try openWorkspace()).sync()
        if global.json {
            try JSONOut.print(SyncJSON(result))
            return
        }
        if result.merged.isEmpty && result.ticked.isEmpty { return Output.line("in sync: nothing merged outside gorch") }
        for id in result.merged { Output.line("merged: \(id)" + (result.removed.contains(id.rawValue) ? " (worktree and branch removed)" : "")) }
        if !result.ticked.isEmpty { Output.line("ticked in tasks.md: \(result.ticked.joined(separator: ", "))") }
        if let tracker = result.tracker { Output.line("tracker: \(tracker)") }
        for line in result.archive { Output.line(line) }
        for warning in result.warnings { Output.errorLine("warning: \(warning)") }
    }
}
