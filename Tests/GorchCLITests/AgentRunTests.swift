import Foundation
import GorchTestSupport
import Testing

/// Agents in parallel (`batch --run`, `run`, `loop`), conflict hand-back to a resolver agent,
/// and placeholders that never let a title reach the shell as code.
@Suite("agents: run, batch --run, --resolve-with, loop", .timeLimit(.minutes(20)))
struct AgentRunTests {
    /// A scripted agent: `bad` fails, `hang` sleeps past its timeout (writing its pid first), the
    /// others write a file named after their task and commit it.
    static let agent = """
        case "$GORCH_TASK_ID" in
          bad) echo "cannot do it" >&2; exit 3 ;;
          hang) echo $$ > "$GORCH_WORKTREE/../hang.pid"; sleep 600 ;;
          *) echo "work of $GORCH_TASK_ID on port ${GORCH_PORT:-none} as $AGENT_NAME" > "$GORCH_TASK_ID.txt" \\
               && git add -A && git commit -qm "agent $GORCH_TASK_ID" ;;
        esac
        """

    @Test("batch --run with 4 agents: one fails, one hangs past its timeout; then merge: 2 merged, failed worktrees kept")
    func batchRun() throws {
        let project = try TaskProject()
        for id in ["good", "bad", "hang", "fine"] { try project.gorch("add", id, "--files", "\(id).txt") }
        let batch = try project.json("batch", "--yes", "--run", Self.agent, "--timeout", "3", status: 1)
        let agents = try #require(batch["agents"] as? [[String: Any]])
        let state = Dictionary(uniqueKeysWithValues: agents.compactMap { a in (a["id"] as? String).map { ($0, a) } })
        #expect(state["good"]?["state"] as? String == "ready")
        #expect(state["fine"]?["state"] as? String == "ready")
        #expect(state["bad"]?["state"] as? String == "failed")
        #expect(state["bad"]?["exit_code"] as? Int == 3)
        #expect(state["hang"]?["state"] as? String == "failed")
        #expect(state["hang"]?["timed_out"] as? Bool == true)
        let pidText = try String(contentsOfFile: project.path + "/.worktrees/hang.pid", encoding: .utf8)
        let pid = try #require(Int32(pidText.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(kill(pid, 0) != 0, "the hung agent was killed")
        let log = try String(contentsOfFile: try #require(state["bad"]?["log"] as? String), encoding: .utf8)
        #expect(log.contains("cannot do it"))

        let merge = try project.json("merge")
        let merged = try #require(merge["tasks"] as? [[String: Any]])
        #expect(Set(merged.compactMap { $0["id"] as? String }) == ["good", "fine"])
        #expect(merged.allSatisfy { $0["outcome"] as? String == "merged" })
        #expect(project.exists("good.txt") && project.exists("fine.txt"))
        #expect(project.exists(".worktrees/wt-bad") && project.exists(".worktrees/wt-hang"))
        #expect(try project.state("bad") == "failed")
        #expect(try project.state("hang") == "failed")
        // The agent saw its environment.
        #expect((try project.repo.git("show", "main:good.txt")).contains("as gorch-good"))
    }

    @Test("merge --resolve-with: a scripted resolver settles the handed-back conflict and the task merges")
    func resolveWith() throws {
        let project = try TaskProject()
        try project.agent("first", ["app/config.txt": "name = first\nport = 8080\n"])
        try project.agent("second", ["app/config.txt": "name = second\nport = 8080\n"])
        let resolver = "test -n \"$GORCH_CONFLICTS\" && printf 'name = first and second\\nport = 8080\\n' > app/config.txt && git add -A && git commit -q --no-edit"
        let merge = try project.json("merge", "--resolve-with", resolver)
        let tasks = try #require(merge["tasks"] as? [[String: Any]])
        #expect(tasks.map { $0["outcome"] as? String } == ["merged", "merged"], "\(tasks)")
        #expect(try project.repo.git("show", "main:app/config.txt") == "name = first and second\nport = 8080")
        #expect(isNull(try project.json("status")["interrupted"]))

        // A resolver that gives up leaves the conflict for a person.
        let other = try TaskProject()
        try other.agent("first", ["app/config.txt": "name = first\nport = 8080\n"])
        try other.agent("second", ["app/config.txt": "name = second\nport = 8080\n"])
        let stopped = try other.json("merge", "--resolve-with", "exit 1", status: 1)
        #expect((stopped["stopped"] as? [String: Any])?["task"] as? String == "second")
        #expect(((stopped["tasks"] as? [[String: Any]])?[1]["message"] as? String)?.contains("a person is needed") == true)
    }

    @Test("a title with $(...) and backticks reaches the command literally and runs nothing")
    func titleNeverRuns() throws {
        let project = try TaskProject()
        let title = "Evil $(touch pwned-dollar) `touch pwned-tick` '; touch pwned-quote; '"
        try project.gorch("add", "evil", "--title", title, "--files", "title.txt")
        try project.gorch("start", "evil")
        // --json before `--`: everything after it is the agent's command.
        let result = try runGorch(["run", "evil", "--json", "--", "sh", "-c", "printf %s \"$1\" > title.txt && git add -A && git commit -qm t",
                                   "x", "{title}"], cwd: project.path)
        let run = try jsonDocument(result)
        #expect((run["agents"] as? [[String: Any]])?.first?["state"] as? String == "ready", "\(run)")
        let written = try String(contentsOfFile: project.worktree("evil") + "/title.txt", encoding: .utf8)
        #expect(written == title)
        for place in [project.path, project.worktree("evil")] {
            let names = try FileManager.default.contentsOfDirectory(atPath: place)
            #expect(!names.contains { $0.hasPrefix("pwned") }, "nothing ran in \(place): \(names)")
        }
        // The same through a --validate placeholder.
        try project.gorch("done", "evil")
        let merge = try project.json("merge", "--validate", "printf %s {title} > /dev/null")
        #expect((merge["tasks"] as? [[String: Any]])?.first?["outcome"] as? String == "merged")
        let validate = project.path + "/.git/gorch/validate"
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: validate)).contains { $0.hasPrefix("pwned") })
    }

    @Test("loop: batch -> run -> merge until nothing is ready, one summary")
    func loop() throws {
        let project = try TaskProject()
        try project.gorch("add", "a", "--files", "a.txt")
        try project.gorch("add", "b", "--files", "b.txt")
        try project.gorch("add", "c", "--files", "c.txt", "--after", "a")
        let summary = try project.json("loop", "--run", Self.agent, "--validate", "test -f README.md", "--max", "2")
        #expect(summary["reason"] as? String == "nothing more is ready")
        #expect(Set(summary["merged"] as? [String] ?? []) == ["a", "b", "c"])
        #expect((summary["rounds"] as? [Any])?.count == 2)
        for id in ["a", "b", "c"] { #expect(try project.state(id) == "merged") }

        let stuck = try TaskProject()
        try stuck.gorch("add", "bad", "--files", "bad.txt")
        let stop = try stuck.json("loop", "--run", Self.agent, status: 1)
        #expect((stop["reason"] as? String)?.hasPrefix("no progress") == true)
        #expect(stop["failed"] as? [String] == ["bad"])
    }

    @Test("loop with gorch.batch: each round's ready tasks land as one train, validated once")
    func loopTrains() throws {
        let project = try TaskProject()
        try project.repo.git("config", "gorch.batch", "4")
        for id in ["w", "x", "y"] { try project.gorch("add", id, "--files", "\(id).txt") }
        let summary = try project.json("loop", "--run", Self.agent, "--validate", "test -f README.md", "--max", "3")
        #expect(Set(summary["merged"] as? [String] ?? []) == ["w", "x", "y"])
        let rounds = try #require(summary["rounds"] as? [[String: Any]])
        let merge = try #require(rounds.first?["merge"] as? [String: Any])
        #expect(merge["validations"] as? Int == 1, "\(merge)")
        let with = (merge["tasks"] as? [[String: Any]])?.first?["validated_with"] as? [String: Any]
        #expect((with?["tasks"] as? [String])?.count == 3)
    }

    @Test("Ctrl-C (SIGINT) stops the agents, kills their processes and records the tasks")
    func interrupt() throws {
        let project = try TaskProject()
        try project.gorch("add", "slow", "--files", "slow.txt")
        try project.gorch("start", "slow")
        let binary = try #require(GorchBinary.path, "\(GorchBinary.problem)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        // Written aside and renamed: the test must never read a created but still empty file.
        process.arguments = ["run", "slow", "--", "sh", "-c", "echo $$ > ../slow.pid.new && mv ../slow.pid.new ../slow.pid; sleep 600"]
        process.currentDirectoryURL = URL(fileURLWithPath: project.path)
        process.environment = gorchEnvironment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let pidFile = project.path + "/.worktrees/slow.pid"
        let deadline = Date().addingTimeInterval(120)
        var written: Int32?
        while written == nil && Date() < deadline {
            let text = (try? String(contentsOfFile: pidFile, encoding: .utf8)) ?? ""
            written = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
            if written == nil { usleep(50_000) }
        }
        let agentPID = try #require(written, "the agent never wrote its pid")
        kill(process.processIdentifier, SIGINT)
        #expect(ProcessDeadline.wait(for: process), "gorch did not stop on SIGINT")
        #expect(process.terminationStatus == 1)
        var gone = false
        for _ in 0..<200 where !gone { gone = kill(agentPID, 0) != 0; if !gone { usleep(50_000) } }
        #expect(gone, "the agent's process was killed")
        #expect(try project.state("slow") == "failed")
        let status = try project.json("status")
        let note = (status["tasks"] as? [[String: Any]])?.first?["note"] as? String
        #expect(note?.contains("interrupted") == true)
        #expect(project.exists(".worktrees/wt-slow"))
    }
}

/// `gorch status --watch` while an agent runs in another process.
@Suite("status --watch", .timeLimit(.minutes(20)))
struct StatusWatchTests {
    @Test("status --watch --json prints a document per interval, showing the running agent")
    func watch() throws {
        let project = try TaskProject()
        try project.gorch("add", "slow", "--files", "slow.txt")
        try project.gorch("start", "slow")
        let binary = try #require(GorchBinary.path, "\(GorchBinary.problem)")
        let agent = Process()
        agent.executableURL = URL(fileURLWithPath: binary)
        agent.arguments = ["run", "slow", "--timeout", "60", "--", "sleep", "30"]
        agent.currentDirectoryURL = URL(fileURLWithPath: project.path)
        agent.environment = gorchEnvironment
        agent.standardOutput = FileHandle.nullDevice
        agent.standardError = FileHandle.nullDevice
        try agent.run()
        defer { if agent.isRunning { kill(agent.processIdentifier, SIGINT); ProcessDeadline.wait(for: agent) } }
        let running = project.path + "/.git/gorch/running.json"
        let deadline = Date().addingTimeInterval(120)
        while (try? String(contentsOfFile: running, encoding: .utf8))?.contains("slow") != true && Date() < deadline { usleep(50_000) }

        let watcher = Process()
        // A file, polled, rather than a pipe: a blocking read would hang if the watcher went silent.
        let scratch = try TempDirectory(label: "watch")
        let outputPath = scratch.path + "/out"
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        let output = try #require(FileHandle(forWritingAtPath: outputPath))
        defer { try? output.close() }
        watcher.executableURL = URL(fileURLWithPath: binary)
        watcher.arguments = ["status", "--watch", "--json", "--interval", "0.3"]
        watcher.currentDirectoryURL = URL(fileURLWithPath: project.path)
        watcher.environment = gorchEnvironment
        watcher.standardOutput = output
        try watcher.run()
        var text = ""
        let until = Date().addingTimeInterval(120)
        while text.split(separator: "\n").count < 2 && Date() < until {
            usleep(50_000)
            text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        }
        kill(watcher.processIdentifier, SIGINT)
        #expect(ProcessDeadline.wait(for: watcher), "status --watch did not stop on SIGINT")
        let documents = text.split(separator: "\n")
        #expect(documents.count >= 2)
        let first = try jsonObject(String(documents[0]))
        let task = (first["tasks"] as? [[String: Any]])?.first
        #expect((task?["agent"] as? [String: Any])?["pid"] as? Int == Int(agent.processIdentifier))
    }
}
