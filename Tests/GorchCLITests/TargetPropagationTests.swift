import Foundation
import GorchTestSupport
import Testing

/// Every command that acts on the target, run with `--target dev` in a repository whose default
/// target is `main` and where `main` is one commit ahead of `dev`: each must act on dev, nested
/// steps included (run -> done, batch --run, loop -> merge, merge -> cleanup, hook -> sync).
/// A task whose only commit is main's extra one is "ready" against dev and "no commits"
/// against main, so a step that falls back to the default target fails its row.
@Suite("--target reaches every step", .timeLimit(.minutes(20)))
struct TargetPropagationTests {
    enum Row: String, CaseIterable, CustomTestStringConvertible {
        case initialise = "init", start, done, run, batchRun = "batch --run", loop, merge, status, sync, cleanup, conflicts, hook, doctor
        case claudeHook = "claude-hook"
        var testDescription: String { rawValue }
    }

    /// Subcommands that never read the target (they plan or install, or build their own repository).
    static let targetless: Set<String> = ["add", "plan", "populate", "skills", "hooks", "demo", "agents"]

    /// An agent that makes no commit of its own: it moves its branch to main, one commit ahead of dev.
    static let mainAgent = "git reset -q --hard main"

    /// main = dev + one commit; gorch.target = main (as `gorch init` on main records).
    static func project(label: String = #function) throws -> TaskProject {
        let project = try TaskProject(label: label)
        try project.repo.git("branch", "dev")
        try project.commit(in: project.path, ["main-only.txt": "main\n"], message: "main only")
        #expect(try project.gorch("init", "--no-hooks").status == 0)
        return project
    }

    @Test("the table covers every subcommand that takes --target")
    func coversEverySubcommand() throws {
        let help = try runGorch(["--help"]).stdout
        let section = help.components(separatedBy: "SUBCOMMANDS:").last ?? ""
        // Names sit at two spaces; the list ends at the first blank line ("See 'gorch help ...'" follows).
        let list = section.components(separatedBy: "\n\n").first { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty } ?? ""
        let names = list.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("  "), !line.hasPrefix("   ") else { return nil }
            return line.split(separator: " ").first.map(String.init)
        }
        #expect(names.count > 10, "\(help)")
        let covered = Set(Row.allCases.map { $0.rawValue.split(separator: " ").first.map(String.init) ?? "" })
        for name in names where name != "help" {
            #expect(covered.contains(name) || Self.targetless.contains(name), "no --target row for `gorch \(name)`")
        }
    }

    @Test("acts on --target dev", arguments: Row.allCases)
    func actsOnTarget(_ row: Row) throws {
        let project = try Self.project(label: "target-\(row)")
        let dev = { try project.rev("dev") }
        let main = try project.rev("main")
        switch row {
        case .initialise:
            _ = try project.json("init", "--no-hooks", "--target", "dev")
            #expect(try project.repo.git("config", "gorch.target") == "dev")
        case .start:
            let start = try project.json("start", "t", "--target", "dev")
            #expect(start["target"] as? String == "dev")
            #expect(try project.rev("task/t") == dev())
        case .done:
            #expect(try project.gorch("start", "t", "--base", "main").status == 0)
            let done = try project.json("done", "t", "--target", "dev")
            #expect(done["ahead"] as? Int == 1, "\(done)")
            #expect(try project.state("t") == "ready")
        case .run:
            #expect(try project.gorch("start", "t", "--target", "dev").status == 0)
            let result = try runGorch(["run", "t", "--target", "dev", "--json", "--", "sh", "-c", Self.mainAgent], cwd: project.path)
            let run = try jsonDocument(result)
            let agent = try #require((run["agents"] as? [[String: Any]])?.first)
            #expect(agent["state"] as? String == "ready", "\(agent)")
        case .batchRun:
            #expect(try project.gorch("add", "t", "--files", "t.txt").status == 0)
            let batch = try project.json("batch", "--yes", "--run", Self.mainAgent, "--target", "dev")
            let agent = try #require((batch["agents"] as? [[String: Any]])?.first)
            #expect(agent["state"] as? String == "ready", "\(agent)")
        case .loop:
            #expect(try project.gorch("add", "t", "--files", "t.txt").status == 0)
            let loop = try project.json("loop", "--run", Self.mainAgent, "--target", "dev")
            #expect(loop["merged"] as? [String] == ["t"], "\(loop)")
            #expect(try project.rev("dev:main-only.txt").count == 40)
            #expect(try project.rev("main") == main)
        case .merge:
            #expect(try project.gorch("start", "t", "--base", "main").status == 0)
            #expect(try project.gorch("done", "t", "--target", "dev").status == 0)
            let merge = try project.json("merge", "--target", "dev")
            #expect(merge["target"] as? String == "dev")
            #expect((merge["tasks"] as? [[String: Any]])?.first?["outcome"] as? String == "merged", "\(merge)")
            #expect(try project.rev("main") == main)
            #expect(try project.rev("dev:main-only.txt").count == 40)
        case .status:
            #expect(try project.gorch("start", "t", "--base", "main").status == 0)
            let status = try project.json("status", "--target", "dev")
            #expect(status["target"] as? String == "dev")
            #expect((status["tasks"] as? [[String: Any]])?.first?["ahead"] as? Int == 1, "\(status)")
        case .sync, .hook:
            // The task's own commit is in dev (a person fast-forwards dev to it), not in main.
            #expect(try project.gorch("start", "t", "--target", "dev").status == 0)
            try project.commit(in: project.worktree("t"), ["t.txt": "t\n"], message: "t")
            #expect(try project.gorch("done", "t", "--target", "dev").status == 0)
            try project.repo.git("update-ref", "refs/heads/dev", try project.rev("task/t"))
            if row == .sync {
                let sync = try project.json("sync", "--target", "dev")
                #expect(sync["target"] as? String == "dev")
                #expect(sync["merged"] as? [String] == ["t"], "\(sync)")
            } else {
                // A hook's words after its name are git's arguments: the global option goes first.
                #expect(try project.gorch("--target", "dev", "hook", "post-merge", "0").status == 0)
            }
            #expect(try project.state("t") == "merged")
        case .cleanup:
            #expect(try project.gorch("start", "t", "--target", "dev").status == 0)
            try project.commit(in: project.worktree("t"), ["t.txt": "t\n"], message: "t")
            #expect(try project.gorch("done", "t", "--target", "dev").status == 0)
            #expect(try project.gorch("merge", "--target", "dev", "--no-cleanup").status == 0)
            let cleanup = try project.json("cleanup", "--merged", "--target", "dev")
            #expect(try !project.branchExists("task/t"), "\(cleanup)")
        case .conflicts:
            let conflicts = try project.json("conflicts", "main", "--target", "dev")
            let result = try #require((conflicts["results"] as? [[String: Any]])?.first)
            #expect(result["target"] as? String == "dev")
            #expect(result["verdict"] as? String == "fast-forward", "\(result)")
        case .doctor:
            let doctor = try runGorch(["doctor", "--json", "--target", "dev"], cwd: project.path)
            #expect(doctor.stdout.contains("\"dev\""), "\(doctor.stdout)")
        case .claudeHook:
            // Claude Code's WorktreeCreate: the worktree branches from the target given.
            let event = #"{"hook_event_name":"WorktreeCreate","name":"t","cwd":"\#(project.path)"}"#
            let created = try runGorch(["--target", "dev", "claude-hook", "worktree-create"], cwd: project.path, stdin: event)
            #expect(created.status == 0, "\(created.stderr)")
            #expect(try project.rev("task/t") == dev())
        }
    }
}
