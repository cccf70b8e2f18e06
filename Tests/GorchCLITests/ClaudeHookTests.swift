import Foundation
import GorchTestSupport
import Testing

/// `gorch claude-hook worktree-create|worktree-remove`, fed the JSON Claude Code writes on stdin
/// (https://code.claude.com/docs/en/hooks#worktreecreate; the `name` field as Claude Code 2.1.x
/// sends it, anthropics/claude-code#77566).
@Suite("claude-hook: Claude Code's worktree hooks", .timeLimit(.minutes(20)))
struct ClaudeHookTests {
    static func createInput(_ name: String, cwd: String, key: String = "name") -> String {
        #"{"session_id":"abc123","transcript_path":"/tmp/t.jsonl","cwd":"\#(cwd)","hook_event_name":"WorktreeCreate","\#(key)":"\#(name)"}"#
    }

    static func removeInput(_ path: String, cwd: String) -> String {
        #"{"session_id":"abc123","transcript_path":"/tmp/t.jsonl","cwd":"\#(cwd)","hook_event_name":"WorktreeRemove","worktree_path":"\#(path)"}"#
    }

    /// Runs a hook from `/`: the repository must come from the input's `cwd`, as Claude Code's does.
    @discardableResult
    static func hook(_ subcommand: String, _ input: String, extra: [String] = []) throws -> ShellResult {
        try runGorch(["claude-hook", subcommand] + extra, cwd: "/", stdin: input)
    }

    /// A project whose `.env` is git-ignored and listed in `.worktreeinclude`.
    static func project(label: String = #function) throws -> TaskProject {
        let project = try TaskProject(label: label)
        project.repo.write(".gitignore", ".env\n")
        project.repo.write(".worktreeinclude", ".env\n")
        try project.repo.commitAll("ignore .env; carry it into worktrees")
        project.repo.write(".env", "TOKEN=abc\n")
        return project
    }

    @Test("worktree-create: prints only the absolute worktree path; task/<name> is checked out there, bootstrapped, and the task started")
    func createStartsTheTask() throws {
        let project = try Self.project()
        let result = try Self.hook("worktree-create", Self.createInput("auth-login", cwd: project.path))
        let worktree = project.worktree("auth-login")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == worktree + "\n")
        #expect(result.stderr.contains("started task auth-login"), "\(result.stderr)")
        #expect(try Shell.git(["rev-parse", "--abbrev-ref", "HEAD"], cwd: worktree) == "task/auth-login")
        #expect(FileManager.default.contents(atPath: worktree + "/.env") == Data("TOKEN=abc\n".utf8))
        #expect(try project.state("auth-login") == "started")

        // Claude Code asking again (a second session with the same name) gets the same worktree.
        let again = try Self.hook("worktree-create", Self.createInput("auth-login", cwd: project.path))
        #expect(again.status == 0 && again.stdout == worktree + "\n", "\(again.stderr)")
        #expect(again.stderr.contains("already has a worktree"), "\(again.stderr)")
    }

    @Test("worktree-create: an added task is started with its title; the older `worktree_name` field is read too; from a subfolder")
    func createStartsAnExistingTask() throws {
        let project = try Self.project()
        try project.gorch("add", "login", "--title", "Login form")
        let result = try Self.hook("worktree-create", Self.createInput("login", cwd: project.repo.absolute("app"), key: "worktree_name"))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == project.worktree("login") + "\n")
        let status = try project.json("status")
        let task = (status["tasks"] as? [[String: Any]])?.first { $0["id"] as? String == "login" }
        #expect(task?["state"] as? String == "started")
        #expect(task?["title"] as? String == "Login form")
    }

    @Test("worktree-create failures exit non-zero with nothing on stdout, --json or not", arguments: [
        (#"{"hook_event_name":"WorktreeCreate","name":"feat/login"}"#, Int32(2), "feat/login"),
        (#"{"hook_event_name":"WorktreeCreate"}"#, Int32(2), "no \"name\""),
        (#"{"hook_event_name":"WorktreeRemove","name":"x"}"#, Int32(2), "WorktreeRemove"),
        ("not json", Int32(2), "not a JSON object"),
        ("", Int32(2), "(empty)"),
    ])
    func createFailures(input: String, status: Int32, mention: String) throws {
        let project = try Self.project(label: "create-failure")
        for extra in [[], ["--json"]] {
            let result = try runGorch(["claude-hook", "worktree-create"] + extra, cwd: project.path, stdin: input)
            #expect(result.status == status, "\(result.stderr)")
            #expect(result.stdout.isEmpty, "\(result.stdout)")
            #expect(result.stderr.contains("error: ") && result.stderr.contains(mention), "\(result.stderr)")
        }
        #expect(!project.exists(".worktrees"))
    }

    @Test("worktree-create outside a repository: exit 3")
    func createOutsideARepository() throws {
        let outside = try TempDirectory(label: "claude-hook-outside")
        let result = try Self.hook("worktree-create", Self.createInput("a", cwd: outside.path))
        #expect(result.status == 3)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("not a git repository"), "\(result.stderr)")
    }

    @Test("worktree-remove: a task with no commits loses its worktree and branch and goes back to planned")
    func removeEmptyTask() throws {
        let project = try Self.project()
        try Self.hook("worktree-create", Self.createInput("probe", cwd: project.path))
        let result = try Self.hook("worktree-remove", Self.removeInput(project.worktree("probe"), cwd: project.path))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("removed task probe's worktree"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: project.worktree("probe")))
        #expect(try !project.branchExists("task/probe"))
        #expect(try project.state("probe") == "planned")
        try project.expectConsistent()
    }

    @Test("worktree-remove keeps unmerged commits, uncommitted changes and untracked files, and says so")
    func removeKeepsWork() throws {
        let project = try Self.project()
        try Self.hook("worktree-create", Self.createInput("work", cwd: project.path))
        try project.commit(in: project.worktree("work"), ["feature.txt": "new\n"], message: "feature")
        let kept = try Self.hook("worktree-remove", Self.removeInput(project.worktree("work"), cwd: project.path))
        #expect(kept.status == 0, "\(kept.stderr)")
        #expect(kept.stdout.isEmpty)
        #expect(kept.stderr.contains("kept task work's worktree") && kept.stderr.contains("1 commit not in main"), "\(kept.stderr)")
        #expect(kept.stderr.contains("gorch done work"), "\(kept.stderr)")
        #expect(FileManager.default.fileExists(atPath: project.worktree("work") + "/feature.txt"))
        #expect(try project.branchExists("task/work"))
        #expect(try project.state("work") == "started")

        try Self.hook("worktree-create", Self.createInput("scratch", cwd: project.path))
        try Data("notes\n".utf8).write(to: URL(fileURLWithPath: project.worktree("scratch") + "/notes.txt"))
        let dirty = try Self.hook("worktree-remove", Self.removeInput(project.worktree("scratch"), cwd: project.path))
        #expect(dirty.status == 0, "\(dirty.stderr)")
        #expect(dirty.stderr.contains("uncommitted changes (notes.txt)"), "\(dirty.stderr)")
        #expect(FileManager.default.fileExists(atPath: project.worktree("scratch") + "/notes.txt"))
        #expect(try project.branchExists("task/scratch"))
    }

    @Test("worktree-remove of a task merged by hand: marked merged, worktree and branch removed, as sync does")
    func removeMergedTask() throws {
        let project = try Self.project()
        try Self.hook("worktree-create", Self.createInput("done-by-hand", cwd: project.path))
        try project.commit(in: project.worktree("done-by-hand"), ["feature.txt": "new\n"], message: "feature")
        _ = try project.repo.git("merge", "-q", "--no-ff", "-m", "merge", "task/done-by-hand")
        let result = try Self.hook("worktree-remove", Self.removeInput(project.worktree("done-by-hand"), cwd: project.path))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("removed task done-by-hand's worktree"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: project.worktree("done-by-hand")))
        #expect(try !project.branchExists("task/done-by-hand"))
        #expect(try project.state("done-by-hand") == "merged")
    }

    @Test("worktree-remove leaves a path that is no gorch task worktree alone")
    func removeIgnoresOtherPaths() throws {
        let project = try Self.project()
        let other = project.repo.absolute(".claude/worktrees/mine")
        _ = try project.repo.git("worktree", "add", "-q", "-b", "mine", other)
        let result = try Self.hook("worktree-remove", Self.removeInput(other, cwd: project.path))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("not a gorch task worktree: left alone"), "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: other + "/README.md"))
    }

    @Test("the commands skills install writes into .claude/settings.json run through a shell, as Claude Code runs them")
    func installedCommandsRun() throws {
        let project = try Self.project()
        let install = try runGorch(["skills", "install"], cwd: project.path)
        #expect(install.status == 0, "\(install.stderr)")
        let settings = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: project.repo.absolute(".claude/settings.json")))) as? [String: Any])
        func command(_ event: String) -> String? {
            let groups = (settings["hooks"] as? [String: Any])?[event] as? [[String: Any]]
            return (groups?.first?["hooks"] as? [[String: Any]])?.first?["command"] as? String
        }
        let create = try #require(command("WorktreeCreate"))
        let remove = try #require(command("WorktreeRemove"))
        let created = try Shell.run("/bin/sh", ["-c", create], cwd: project.path, env: gorchEnvironment,
                                    stdin: Self.createInput("via-shell", cwd: project.path))
        #expect(created.status == 0 && created.stdout == project.worktree("via-shell") + "\n", "\(created.stderr)")
        let removed = try Shell.run("/bin/sh", ["-c", remove], cwd: project.path, env: gorchEnvironment,
                                    stdin: Self.removeInput(project.worktree("via-shell"), cwd: project.path))
        #expect(removed.status == 0 && removed.stdout.isEmpty, "\(removed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: project.worktree("via-shell")))
    }
}
