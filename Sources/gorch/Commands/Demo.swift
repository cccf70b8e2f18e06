import ArgumentParser
import Foundation
import GorchCore

/// `gorch demo`: the workflow end to end on a throwaway repository.
struct Demo: GorchCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the whole workflow on a throwaway repository with four scripted agents.",
        discussion: """
            Creates a repository in a temporary folder (or --dir), plans four tasks, starts their \
            worktrees, lets scripted agents commit, and merges them with a validation step. One \
            task conflicts: the conflict is handed back to its worktree, resolved there, and the \
            run finishes with --continue. The repository is deleted afterwards unless --keep.
            """
    )

    @OptionGroup(title: "Global Options") var local: GlobalOptions
    @ParentCommand var root: Gorch

    @Option(help: ArgumentHelp("Where to create the demo repository (must not exist).", valueName: "path")) var dir: String?
    @Flag(help: "Keep the demo repository to look around in.") var keep = false

    func validate() throws {
        if global.repo != nil || global.target != nil { throw ValidationError("demo makes its own repository; --repo and --target do not apply") }
    }

    func run() async throws {
        let directory = dir.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
            ?? (NSTemporaryDirectory() as NSString).appendingPathComponent("gorch-demo-\(UUID().uuidString.prefix(8))")
        if FileManager.default.fileExists(atPath: directory) {
            throw ValidationError("\(directory) already exists; pass --dir with a new path")
        }
        let color = Output.usesColor
        let json = global.json
        let started = Date()
        let collected = DemoCollector()
        do {
            try await DemoScenario(directory: directory) { event in
                if json { collected.add(event) } else { DemoRenderer.show(event, color: color) }
            }.run()
        } catch {
            if !json { Output.line("the demo stopped; its repository is kept at \(directory)") }
            throw error
        }
        if !keep { try? FileManager.default.removeItem(atPath: directory) }
        if json {
            return try JSONOut.print(collected.summary(directory: directory, kept: keep, seconds: Date().timeIntervalSince(started)))
        }
        let seconds = String(format: "%.1f", Date().timeIntervalSince(started))
        Output.line("")
        if keep {
            Output.line("demo finished in \(seconds) s; the repository is at \(directory) (try `gorch status --repo \(directory)`)")
        } else {
            Output.line("demo finished in \(seconds) s; its repository was removed (pass --keep to look around)")
        }
    }
}
