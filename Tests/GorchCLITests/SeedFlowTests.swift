import Foundation
import GorchTestSupport
import Testing

/// The seed workflow end to end with fake bd/bv/openspec (contracts.md): an OpenSpec change of 6
/// tasks in 2 phases -> plan -> populate (twice) -> batch of the 3 ready phase-1 tasks -> agents
/// commit -> done -> merge -> issues closed and tasks.md ticked -> batch picks phase 2 -> ... ->
/// change complete. Once per bd era: legacy calls `bd sync` after merges, Dolt never does.
@Suite("seed flow: OpenSpec -> Beads -> batch -> merge", .timeLimit(.minutes(20)))
struct SeedFlowTests {
    static let change = "add-greeter"
    static let tasks = """
        ## 1. Foundations
        - [ ] 1.1 Greeting text (Files: src/greeting.txt)
        - [ ] 1.2 Farewell text (Files: src/farewell.txt)
        - [ ] 1.3 Docs page (Files: docs/greeter.md)

        ## 2. Features
        - [ ] 2.1 Loud greeting (Files: src/loud.txt)
        - [ ] 2.2 Quiet farewell (Files: src/quiet.txt)
        - [ ] 2.3 Changelog entry (Files: docs/changelog.md)

        """

    /// A repository with the change committed on main and `bd init` done, tools faked on PATH.
    /// Unchecked: its only mutable part, `extraEnvironment`, is set before the flow is handed to a thread.
    final class SeedProject: @unchecked Sendable {
        let repo: TempRepo
        let fakes: FakeTools
        var path: String { repo.path }

        init(era: FakeBeadsEra) throws {
            fakes = try FakeTools(era: era)
            repo = try TempRepo(label: "seed-\(era.rawValue)")
            repo.write("README.md", "# greeter\n")
            repo.write("openspec/changes/\(SeedFlowTests.change)/proposal.md", "# Add a greeter\n")
            repo.write("openspec/changes/\(SeedFlowTests.change)/tasks.md", SeedFlowTests.tasks)
            try repo.commitAll("openspec change")
            try fakes.run(.bd, ["init", "--prefix", "gr"], cwd: path)
            try repo.git("config", "gorch.target", "main")
            // The fake bd's database files are not project content here.
            try "/.beads/\n".write(toFile: path + "/.git/info/exclude", atomically: true, encoding: .utf8)
        }

        /// Added to what gorch and the tools see (an Agent Mail server's URL and token).
        var extraEnvironment: [String: String] = [:]

        var toolEnvironment: [String: String] {
            fakes.environment.filter { $0.key == "PATH" || $0.key.hasPrefix("FAKE_") || $0.key == "BD_ACTOR" }
                .merging(extraEnvironment) { $1 }
        }

        func json(_ arguments: String..., status: Int32 = 0, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
            let result = try runGorch(arguments + ["--json"], cwd: path, environment: toolEnvironment)
            #expect(result.status == status, "gorch \(arguments.joined(separator: " ")): \(result.stdout) \(result.stderr)",
                    sourceLocation: sourceLocation)
            return try jsonDocument(result, sourceLocation: sourceLocation)
        }

        func bd(_ arguments: String...) throws -> Any {
            let result = try fakes.run(.bd, arguments + ["--json"], cwd: path)
            return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        }

        /// Each started task's agent writes its one scoped file and commits, then runs `gorch done`.
        func work(_ started: [[String: Any]]) throws {
            for task in started {
                let id = try #require(task["id"] as? String)
                let worktree = try #require(task["worktree"] as? String)
                let issue = try #require((try bd("show", id) as? [[String: Any]])?.first)
                let description = issue["description"] as? String ?? ""
                let file = try #require(description.split(separator: "\n").first { $0.hasPrefix("Files: ") }?.dropFirst(7))
                let url = URL(fileURLWithPath: worktree).appendingPathComponent(String(file))
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data("work of \(id)\n".utf8).write(to: url)
                try Shell.git(["add", "-A"], cwd: worktree)
                try Shell.git(["commit", "-q", "-m", "implement \(id)"], cwd: worktree)
                let done = try runGorch(["done", id], cwd: worktree, environment: toolEnvironment)
                #expect(done.status == 0, "done \(id): \(done.stderr)")
            }
        }
    }

    @Test("the whole change, phase by phase", arguments: [FakeBeadsEra.legacy, .dolt, .v13, .br])
    func wholeChange(era: FakeBeadsEra) throws {
        try Self.wholeChange(SeedProject(era: era))
    }

    /// Which Agent Mail server reserves the tasks' files.
    enum MailServer: String, CaseIterable, Sendable {
        /// The real PyPI server (0.1.0).
        case python
        /// The faithful fakes of the Rust server and of Python 0.3.
        case rust, python03
    }

    @Test("the whole change with each Agent Mail server reserving the tasks' files", arguments: MailServer.allCases)
    func wholeChangeWithAgentMail(server kind: MailServer) async throws {
        let project = try SeedProject(era: kind == .python ? .dolt : .v13)
        var fake: FakeAgentMailServer?
        var real: AgentMailServer?
        defer { real?.stop() }
        switch kind {
        case .python:
            // A server of its own: 0.1.0 commits every message to one storage git repository and
            // fails a call that meets another test's commit there (index.lock).
            let server = try await AgentMailServer.start()
            real = server
            project.extraEnvironment = ["GORCH_AGENT_MAIL_URL": server.url.absoluteString, "GORCH_AGENT_MAIL_TOKEN": server.token]
        case .rust, .python03:
            let server = try await FakeAgentMailServer.start(flavor: kind == .rust ? .rust : .python03)
            fake = server
            project.extraEnvironment = ["GORCH_AGENT_MAIL_URL": server.url.absoluteString, "GORCH_AGENT_MAIL_TOKEN": server.token ?? ""]
        }
        let detail = try await offPool {
            let checks = try project.json("doctor")["checks"] as? [[String: Any]]
            return checks?.first { $0["name"] as? String == "agent-mail" }?["detail"] as? String ?? ""
        }
        let contract = ["python": "Python 0.1", "rust": "Rust", "python03": "Python 0.3"][kind.rawValue] ?? ""
        #expect(detail.contains("contract Agent Mail \(contract)"), "\(detail)")

        try await offPool { try Self.wholeChange(project) }

        let agents = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: project.path + "/.git/gorch/agents.json"))) as? [String: [String: Any]])
        #expect(agents.count >= 6, "one agent per task: \(agents.keys.sorted())")
        guard let fake else { return }
        let calls = fake.calls()
        let reserved = calls.filter { $0["tool"] as? String == "file_reservation_paths" }
        #expect(reserved.count == 6, "\(calls.count) calls")
        #expect(calls.filter { $0["tool"] as? String == "release_file_reservations" }.count >= 6)
        let tokens = reserved.compactMap { ($0["arguments"] as? [String: Any])?["registration_token"] }
        // Python 0.3 gets each agent's token (masked in the log); Rust's tool takes none.
        #expect(tokens.count == (kind == .python03 ? 6 : 0), "\(reserved)")
        #expect(agents.values.allSatisfy { ($0["token"] as? String)?.isEmpty == false }, "both servers issue tokens")
    }

    static func wholeChange(_ project: SeedProject) throws {
        let era = project.fakes.era

        let plan = try project.json("plan", Self.change)
        #expect(plan["mode"] as? String == "parallel-phases")
        #expect(plan["unchecked"] as? Int == 6)
        #expect((plan["phases"] as? [[String: Any]])?.count == 2)

        let populated = try project.json("populate", Self.change)
        let issues = try #require(populated["issues"] as? [[String: Any]])
        #expect(issues.count == 6 && issues.allSatisfy { $0["created"] as? Bool == true })
        let links = try #require(populated["links"] as? [[String: Any]])
        #expect(links.count == 9)
        #expect((populated["cycles"] as? [Any])?.isEmpty == true)
        let again = try project.json("populate", Self.change)
        #expect((again["issues"] as? [[String: Any]])?.allSatisfy { $0["created"] as? Bool == false } == true)
        #expect((again["links"] as? [[String: Any]])?.allSatisfy { $0["created"] as? Bool == false } == true)
        #expect((try project.bd("list", "--all", "--limit", "0") as? [Any])?.count == 6)
        let idOf = Dictionary(uniqueKeysWithValues: issues.compactMap { issue in
            (issue["number"] as? String).flatMap { number in (issue["id"] as? String).map { (number, $0) } }
        })

        for (phase, numbers) in [(1, ["1.1", "1.2", "1.3"]), (2, ["2.1", "2.2", "2.3"])] {
            let batch = try project.json("batch", "--yes")
            let started = try #require(batch["started"] as? [[String: Any]])
            #expect(Set(started.compactMap { $0["id"] as? String }) == Set(numbers.compactMap { idOf[$0] }), "phase \(phase)")
            for number in numbers {
                let issue = try #require((try project.bd("show", idOf[number] ?? "") as? [[String: Any]])?.first)
                #expect(issue["status"] as? String == "in_progress")
            }
            try project.work(started)
            let merge = try project.json("merge")
            let merged = try #require(merge["tasks"] as? [[String: Any]])
            #expect(merged.count == 3 && merged.allSatisfy { $0["outcome"] as? String == "merged" }, "\(merged)")
            let tasksFile = try project.repo.git("show", "main:openspec/changes/\(Self.change)/tasks.md")
            for number in numbers {
                #expect(tasksFile.contains("- [x] \(number) "), "\(number) ticked")
                let issue = try #require((try project.bd("show", idOf[number] ?? "") as? [[String: Any]])?.first)
                #expect(issue["status"] as? String == "closed")
                #expect((issue["close_reason"] as? String)?.hasPrefix("Merged in ") == true)
                #expect((issue["close_reason"] as? String)?.hasSuffix("(task/\(idOf[number] ?? ""))") == true)
            }
        }
        let final = try project.json("plan", Self.change)
        #expect(final["unchecked"] as? Int == 0)
        #expect(final["mode"] as? String == "complete")
        let nothing = try project.json("batch", "--yes")
        #expect((nothing["picks"] as? [Any])?.isEmpty == true)

        let bdCalls = project.fakes.calls(.bd)
        let syncs = bdCalls.filter { $0.first == "sync" }
        switch era {
        case .legacy: #expect(syncs.count >= 2, "legacy bd: sync after each merge run")
        case .dolt, .v13:
            #expect(syncs.isEmpty, "Dolt-era bd has no sync; bd 1.3 syncs only with a Dolt remote, and there is none")
            #expect(bdCalls.contains { $0.first == "export" })
        case .br:
            #expect(!syncs.isEmpty && syncs.allSatisfy { $0.contains("--flush-only") }, "br: flush only, never a git sync")
            #expect(!bdCalls.contains { $0.first == "export" })
        }
        #expect(bdCalls.allSatisfy { call in !["list", "ready"].contains(call.first ?? "") || call.contains("--limit") },
                "bd list/ready always with --limit 0")
        #expect(try project.repo.git("status", "--porcelain").isEmpty)
    }
}
