import Foundation
import GorchTestSupport
import Testing

/// `--agent NAME`: the built-in presets run fake CLIs with exactly the documented arguments and
/// leave the work committed; config overrides and defines agents; bad names and an agent given
/// twice are usage errors.
@Suite("agents: --agent presets (claude, codex, opencode, gemini, aider)", .timeLimit(.minutes(20)))
struct AgentPresetTests {
    /// Each preset's argv after the shell has read the command line, `{description_file}` as DESC.
    static let argv: [String: [String]] = [
        "claude": ["-p", "--permission-mode", "acceptEdits"],
        "codex": ["exec", "--sandbox", "workspace-write", "-"],
        "opencode": ["run"],
        "gemini": ["--approval-mode", "auto_edit", "-p", "Carry out the task above in this repository."],
        "aider": ["--message-file", "DESC", "--yes-always", "--no-check-update", "--no-analytics"],
    ]

    /// A title the shell must not read: quotes, `$(...)`, a semicolon.
    static let title = #"Fix the "login" form; don't $(touch pwned) break it"#

    @Test("each preset runs its CLI with the documented argv and the task as its prompt; the task is ready with the agent's commit",
          arguments: FakeAgents.names)
    func presetRuns(_ name: String) throws {
        let project = try TaskProject(label: "preset-\(name)")
        let fakes = try FakeAgents(label: name)
        try project.gorch("add", "t", "--title", Self.title, "--files", "t.*")
        try project.gorch("start", "t")
        let result = try runGorch(["run", "t", "--agent", name, "--json"], cwd: project.path, environment: fakes.environment)
        #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
        let description = project.path + "/.git/gorch/tasks/t.md"
        let expected = Self.argv[name, default: []].map { $0 == "DESC" ? description : $0 }
        let got = try #require(fakes.argv(name, task: "t"), "fake \(name) did not run")
        #expect(got.map { $0.hasSuffix("/.git/gorch/tasks/t.md") ? description : $0 } == expected)
        let prompt = try #require(fakes.prompt(name, task: "t"))
        #expect(prompt.contains("# " + Self.title) && prompt.contains("t.*") && prompt.contains("commit"), "\(prompt)")
        #expect(try project.state("t") == "ready")
        #expect(try project.repo.git("show", "task/t:t.\(name).txt") == "\(name) did t")
        // aider commits itself; the others' work is committed by the preset's commit step, titled.
        let subject = try project.repo.git("log", "-1", "--format=%s", "task/t")
        #expect(subject == (name == "aider" ? "aider: t" : Self.title))
        #expect(!FileManager.default.fileExists(atPath: project.worktree("t") + "/pwned"))
    }

    @Test("the commit step does not run when the agent fails: its half-work stays uncommitted")
    func commitStep() throws {
        let project = try TaskProject()
        let fakes = try FakeAgents(["claude"])
        let claude = fakes.bin + "/claude"
        try "#!/bin/sh\necho broken > half.txt\nexit 4\n".write(toFile: claude, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: claude)
        try project.gorch("add", "bad")
        try project.gorch("start", "bad")
        let failed = try runGorch(["run", "bad", "--agent", "claude", "--json"], cwd: project.path, environment: fakes.environment)
        #expect(failed.status == 1)
        #expect(try project.state("bad") == "failed")
        #expect(try Shell.git(["status", "--porcelain"], cwd: project.worktree("bad")).contains("half.txt"), "left for a person")
        #expect(try project.rev("task/bad") == project.rev("main"))
    }

    @Test("gorch.agent.<name>.command replaces a preset and defines new names; gorch.agent is the default of run")
    func configOverrides() throws {
        let project = try TaskProject()
        let fakes = try FakeAgents()
        for id in ["a", "b", "c", "d"] {
            try project.gorch("add", id, "--files", "\(id).txt")
            try project.gorch("start", id)
        }
        let mine = "printf '%s' {title} > \"$GORCH_TASK_ID.txt\" && git add -A && git commit -qm mine"
        try project.repo.git("config", "gorch.agent.claude.command", mine)
        try project.repo.git("config", "gorch.agent.mine.command", mine)
        var run = try runGorch(["run", "a", "--agent", "claude"], cwd: project.path, environment: fakes.environment)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(fakes.argv("claude", task: "a") == nil, "the override ran, not the preset")
        #expect(try project.repo.git("log", "-1", "--format=%s", "task/a") == "mine")
        run = try runGorch(["run", "b", "--agent", "mine"], cwd: project.path, environment: fakes.environment)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try project.repo.git("show", "task/b:b.txt") == "b")

        // gorch.agent: a name is that agent; a command line runs as it is.
        try project.repo.git("config", "gorch.agent", "codex")
        run = try runGorch(["run", "c"], cwd: project.path, environment: fakes.environment)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(fakes.argv("codex", task: "c") == Self.argv["codex"])
        try project.repo.git("config", "gorch.agent", "echo d > d.txt && git add -A && git commit -qm default")
        run = try runGorch(["run", "d"], cwd: project.path, environment: fakes.environment)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try project.repo.git("log", "-1", "--format=%s", "task/d") == "default")

        let list = try jsonDocument(try runGorch(["agents", "--json"], cwd: project.path, environment: fakes.environment))
        let agents = try #require(list["agents"] as? [[String: Any]])
        #expect(agents.compactMap { $0["name"] as? String } == FakeAgents.names + ["mine"])
        #expect(agents.first?["source"] as? String == "config" && agents.first?["command"] as? String == mine)
        #expect(agents[1]["on_path"] as? Bool == true && agents[1]["commits_itself"] as? Bool == false)
        #expect(list["default"] as? String == "echo d > d.txt && git add -A && git commit -qm default")
    }

    @Test("an unknown agent name is a usage error listing the agents, and nothing runs")
    func unknownName() throws {
        let project = try TaskProject()
        try project.gorch("add", "t")
        try project.gorch("start", "t")
        let result = try runGorch(["run", "t", "--agent", "cluade", "--json"], cwd: project.path)
        #expect(result.status == 2)
        let error = try errorObject(result)
        #expect(error["kind"] as? String == "usage")
        #expect(error["message"] as? String == "no agent 'cluade'; the agents are claude, codex, opencode, gemini, aider", "\(error)")
        #expect(try project.state("t") == "started")

        let batch = try runGorch(["batch", "--yes", "--agent", "cluade"], cwd: project.path)
        #expect(batch.status == 2 && batch.stderr.contains("the agents are claude, codex"), "\(batch.stderr)")
        try project.repo.git("config", "gorch.agent", "cluade")
        let misspelt = try runGorch(["run", "t"], cwd: project.path)
        #expect(misspelt.status == 2 && misspelt.stderr.contains("gorch.agent is 'cluade'"), "\(misspelt.stderr)")
        try project.repo.git("config", "--unset", "gorch.agent")
        let none = try runGorch(["loop"], cwd: project.path)
        #expect(none.status == 2 && none.stderr.contains("--agent NAME (claude, codex"), "\(none.stderr)")
    }

    @Test("--agent with an explicit command is refused, naming both", arguments: [
        ["run", "t", "--agent", "claude", "--", "echo", "hi"],
        ["batch", "--agent", "claude", "--run", "echo hi"],
        ["loop", "--agent", "claude", "--run", "echo hi"],
    ])
    func agentAndCommand(_ arguments: [String]) throws {
        let project = try TaskProject(label: "both-\(arguments[0])")
        let result = try runGorch(arguments, cwd: project.path)
        #expect(result.status == 2)
        #expect(result.stderr.contains("--agent claude and ") && result.stderr.contains(arguments[0] == "run" ? "after --" : "--run"),
                "\(result.stderr)")
    }

    @Test("batch --agent and loop --agent run the preset for several tasks")
    func batchAndLoop() throws {
        let project = try TaskProject()
        let fakes = try FakeAgents(["codex", "aider"])
        // Globs like a.* and b.* count as overlapping; plain names do not.
        for id in ["a", "b"] { try project.gorch("add", id, "--files", "\(id).codex.txt") }
        let batch = try runGorch(["batch", "--yes", "--agent", "codex", "--json"], cwd: project.path, environment: fakes.environment)
        #expect(batch.status == 0, "\(batch.stdout) \(batch.stderr)")
        let agents = try #require(try jsonDocument(batch)["agents"] as? [[String: Any]])
        #expect(agents.map { $0["state"] as? String } == ["ready", "ready"], "\(agents)")
        for id in ["a", "b"] { #expect(fakes.argv("codex", task: id) == Self.argv["codex"]) }

        let other = try TaskProject(label: "loop-agent")
        for id in ["x", "y", "z"] { try other.gorch("add", id, "--files", "\(id).aider.txt") }
        let loop = try runGorch(["loop", "--agent", "aider", "--max", "2", "--json"], cwd: other.path, environment: fakes.environment)
        #expect(loop.status == 0, "\(loop.stdout) \(loop.stderr)")
        #expect(Set(try jsonDocument(loop)["merged"] as? [String] ?? []) == ["x", "y", "z"])
        for id in ["x", "y", "z"] {
            #expect(try other.repo.git("show", "main:\(id).aider.txt") == "aider did \(id)")
        }
    }
}
