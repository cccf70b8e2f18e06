import Foundation
import GorchTestSupport
import Testing

/// A `bd` wrapper first on PATH that notices overlapping calls: each call takes a directory as a
/// marker (mkdir is atomic); a call that finds it taken while another runs is recorded. With
/// gorch serialising its bd calls (DESIGN.md "Reliability contract") the record stays empty.
struct BdOverlapProbe {
    let directory: TempDirectory
    let environment: [String: String]

    init(_ fakes: FakeTools, base: [String: String], delay: String = "0.02") throws {
        directory = try TempDirectory(label: "bd-probe")
        let bin = directory.path + "/bin"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        let script = """
            #!/bin/sh
            if mkdir '\(directory.path)/running' 2>/dev/null; then owner=1; else owner=0; echo "$*" >> '\(directory.path)/overlaps'; fi
            '\(fakes.bin)/bd' "$@"
            rc=$?
            if [ $owner = 1 ]; then rmdir '\(directory.path)/running'; fi
            exit $rc

            """
        try script.write(toFile: bin + "/bd", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: bin + "/bd")
        var environment = base
        environment["PATH"] = bin + ":" + (base["PATH"] ?? "/usr/bin:/bin")
        environment["FAKE_BD_DELAY"] = delay // widens each call, so an unserialised pair would overlap
        self.environment = environment
    }

    /// The calls that started while another bd call was running.
    var overlaps: [String] {
        ((try? String(contentsOfFile: directory.path + "/overlaps", encoding: .utf8)) ?? "")
            .split(separator: "\n").map(String.init)
    }
}

/// Four `gorch start` at once (different ids, and one id several times), embedded and Beads.
@Suite("concurrency: starts at once", .timeLimit(.minutes(20)))
struct ConcurrencyStartTests {
    /// Starts each of `ids` (an id may repeat) at the same instant with --json.
    static func startAll(_ ids: [String], path: String, environment: [String: String] = [:]) throws -> [(String, ShellResult)] {
        Array(zip(ids, try Concurrency.together(ids.map { ["start", $0, "--json"] }, cwd: path, environment: environment)))
    }

    /// Every start exited 0 naming the task's worktree; each distinct id was created exactly once.
    static func expectStarted(_ outcomes: [(String, ShellResult)], worktree: (String) -> String,
                              sourceLocation: SourceLocation = #_sourceLocation) throws {
        var created: [String: Int] = [:]
        for (id, result) in outcomes {
            #expect(result.status == 0, "start \(id): \(result.stdout) \(result.stderr)", sourceLocation: sourceLocation)
            guard result.status == 0 else { continue }
            let report = try jsonDocument(result, sourceLocation: sourceLocation)
            #expect(report["worktree"] as? String == worktree(id), sourceLocation: sourceLocation)
            if report["created"] as? Bool == true { created[id, default: 0] += 1 }
        }
        for id in Set(outcomes.map(\.0)) {
            #expect(created[id] == 1, "\(id): exactly one start creates the worktree (\(created[id] ?? 0))", sourceLocation: sourceLocation)
        }
    }

    /// Linked task worktrees git knows about (the validation worktree excluded): path -> branch.
    static func taskWorktrees(_ path: String) throws -> [String: String] {
        let porcelain = try Shell.git(["worktree", "list", "--porcelain"], cwd: path)
        var result: [String: String] = [:]
        for block in porcelain.components(separatedBy: "\n\n") {
            let lines = block.split(separator: "\n").map(String.init)
            guard let tree = lines.first(where: { $0.hasPrefix("worktree ") })?.dropFirst(9), tree.contains("/.worktrees/") else { continue }
            result[String(tree)] = lines.first(where: { $0.hasPrefix("branch ") }).map { String($0.dropFirst(7)) } ?? ""
        }
        return result
    }

    @Test("embedded: four ids started twice each, all at once: one worktree, branch, port and reservation per id")
    func embedded() throws {
        let project = try TaskProject()
        let ids = ["north", "south", "east", "west"]
        for id in ids { try project.gorch("add", id, "--files", "\(id)/*") }
        let outcomes = try Self.startAll(ids + ids, path: project.path)
        try Self.expectStarted(outcomes, worktree: project.worktree)

        let worktrees = try Self.taskWorktrees(project.path)
        #expect(worktrees == Dictionary(uniqueKeysWithValues: ids.map { (project.worktree($0), "refs/heads/task/\($0)") }), "\(worktrees)")
        let status = try #require(try project.json("status")["tasks"] as? [[String: Any]])
        #expect(status.count == 4)
        for task in status {
            let id = task["id"] as? String ?? "?"
            #expect(task["state"] as? String == "started", "\(id)")
            #expect(task["reservations"] as? [String] == ["\(id)/*"], "\(id): \(task)")
        }
        let ports = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: project.path + "/.git/gorch/ports.json"))) as? [String: Int])
        #expect(Set(ports.keys) == Set(ids) && Set(ports.values).count == 4, "one distinct port per task: \(ports)")
        #expect(try project.repo.git("config", "--get-all", "gorch.target") == "main")
        #expect(try project.repo.git("status", "--porcelain").isEmpty)
        try Concurrency.expectQuiescent(project.path)
    }

    @Test("Beads: four issues started at once, and a fifth four times at once; bd calls never overlap")
    func beads() throws {
        let project = try SeedFlowTests.SeedProject(era: .dolt)
        for phase in ["1", "2"] { _ = try project.json("populate", SeedFlowTests.change, "--phase", phase) }
        let issues = try #require(try project.bd("list", "--limit", "0") as? [[String: Any]])
        let all = issues.compactMap { $0["id"] as? String }.sorted()
        try #require(all.count == 6)
        let different = Array(all.prefix(4))
        let same = all[4]
        let probe = try BdOverlapProbe(project.fakes, base: project.toolEnvironment)
        let outcomes = try Self.startAll(different + Array(repeating: same, count: 4), path: project.path, environment: probe.environment)
        try Self.expectStarted(outcomes) { project.path + "/.worktrees/wt-\($0)" }
        #expect(probe.overlaps.isEmpty, "bd calls ran at the same time: \(probe.overlaps)")

        let started = different + [same]
        let worktrees = try Self.taskWorktrees(project.path)
        #expect(Set(worktrees.keys) == Set(started.map { project.path + "/.worktrees/wt-\($0)" }), "\(worktrees)")
        for id in started {
            let issue = try #require((try project.bd("show", id) as? [[String: Any]])?.first)
            #expect(issue["status"] as? String == "in_progress", "\(id)")
            #expect(issue["assignee"] as? String == "gorch-\(id)", "\(id)")
        }
        let untouched = try #require((try project.bd("show", all[5]) as? [[String: Any]])?.first)
        #expect(untouched["status"] as? String == "open")
        #expect((try project.bd("list", "--all", "--limit", "0") as? [Any])?.count == 6, "no issue created by a start")
        let status = try #require(try project.json("status")["tasks"] as? [[String: Any]])
        #expect(Set(status.filter { $0["state"] as? String == "started" }.compactMap { $0["id"] as? String }) == Set(started))
        #expect(try project.repo.git("status", "--porcelain").isEmpty)
        try Concurrency.expectQuiescent(project.path)
    }
}
