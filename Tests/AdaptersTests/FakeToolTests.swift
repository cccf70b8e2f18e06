import Foundation
import GorchTestSupport
import Testing

/// The fakes in Tests/Fakes reproduce the odd shapes of shared/contracts.md; adapter tests rely on them.
@Suite(.timeLimit(.minutes(20))) struct FakeToolTests {
    let temp: TempDirectory

    init() throws { temp = try TempDirectory(label: "fake-tools") }

    // MARK: helpers

    /// A project directory named `proj` (so the default id prefix is `proj`) with `bd init` run in it.
    func project(_ tools: FakeTools, initBeads: Bool = true) throws -> String {
        let dir = temp.path + "/proj"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        if initBeads { try ok(tools.run(.bd, ["init", "-q"], cwd: dir)) }
        return dir
    }

    @discardableResult
    func ok(_ result: ShellResult, sourceLocation: SourceLocation = #_sourceLocation) throws -> ShellResult {
        #expect(result.status == 0, "stderr: \(result.stderr)", sourceLocation: sourceLocation)
        return result
    }

    func json(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    }

    func array(_ result: ShellResult) throws -> [[String: Any]] {
        try #require(try json(result.stdout) as? [[String: Any]], "not an array: \(result.stdout)")
    }

    func object(_ text: String) throws -> [String: Any] {
        try #require(try json(text) as? [String: Any], "not an object: \(text)")
    }

    func ids(_ result: ShellResult) throws -> [String] {
        try array(result).map { $0["id"] as? String ?? "?" }
    }

    func create(_ tools: FakeTools, _ dir: String, _ title: String, _ extra: [String] = []) throws -> String {
        let result = try ok(tools.run(.bd, ["create", title, "--silent"] + extra, cwd: dir))
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Writes `count` open issues as JSONL and imports them with legacy `bd sync --import-only`: one process
    /// instead of `count` creates.
    func importIssues(_ tools: FakeTools, _ dir: String, count: Int) throws {
        let lines = (1...count).map { n in
            #"{"id":"proj-\#(String(format: "%04x", n))","title":"t\#(n)","status":"open","priority":2,"#
                + #""issue_type":"task","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}"#
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: dir + "/.beads/issues.jsonl", atomically: true,
                                                         encoding: .utf8)
        try ok(tools.run(.bd, ["sync", "--import-only"], cwd: dir))
    }

    // MARK: bd

    @Test func versionNamesTheEra() throws {
        let dolt = try FakeTools(include: [.bd]), legacy = try FakeTools(era: .legacy, include: [.bd])
        #expect(try ok(dolt.run(.bd, ["version"], cwd: temp.path)).stdout == "bd version 1.0.5 (fake)\n")
        #expect(try ok(legacy.run(.bd, ["version"], cwd: temp.path)).stdout == "bd version 0.49.6 (fake)\n")
        let info = try object(try ok(dolt.run(.bd, ["version", "--json"], cwd: temp.path)).stdout)
        #expect(info["version"] as? String == "1.0.5")
        #expect(dolt.calls(.bd) == [["version"], ["version", "--json"]])
    }

    @Test func createPrintsOneObjectWithSchemaVersion() throws {
        let tools = try FakeTools(include: [.bd])
        let dir = try project(tools)
        let result = try ok(tools.run(.bd, ["create", "Worktree <pool>", "-p", "P1", "-l", "b,a", "--json"], cwd: dir))
        #expect(result.stdout.hasPrefix("{\n  \"")) // MarshalIndent, two spaces
        #expect(result.stdout.contains("\\u003cpool\\u003e")) // Go escapes HTML characters
        let issue = try object(result.stdout)
        let id = try #require(issue["id"] as? String)
        #expect(id.range(of: #"^proj-[0-9a-f]{4}$"#, options: .regularExpression) != nil)
        #expect(issue["schema_version"] as? Int == 1)
        #expect(issue["title"] as? String == "Worktree <pool>")
        #expect(issue["priority"] as? Int == 1)
        #expect(issue["status"] as? String == "open")
        #expect(issue["issue_type"] as? String == "task")
        #expect(issue["labels"] as? [String] == ["a", "b"])
        #expect(issue["created_by"] as? String == "tester")
        #expect(issue["description"] == nil) // omitempty
        let child = try create(tools, dir, "child", ["--parent", id])
        #expect(child == id + ".1")
    }

    @Test func showPrintsAnArrayAndNotFoundIsAJSONError() throws {
        let tools = try FakeTools(include: [.bd])
        let dir = try project(tools)
        let blocker = try create(tools, dir, "blocker")
        let id = try create(tools, dir, "blocked", ["--deps", blocker])
        let shown = try array(try ok(tools.run(.bd, ["show", id, "--json"], cwd: dir)))
        #expect(shown.count == 1)
        #expect(shown[0]["schema_version"] == nil)
        let deps = try #require(shown[0]["dependencies"] as? [[String: Any]])
        #expect(deps.first?["id"] as? String == blocker) // a full issue, not an edge record
        #expect(deps.first?["dependency_type"] as? String == "blocks")
        #expect(shown[0]["dependency_count"] as? Int == 1)

        let missing = try tools.run(.bd, ["show", "proj-zzzz", "--json"], cwd: dir)
        #expect(missing.status == 1)
        #expect(missing.stdout.isEmpty)
        let error = try object(missing.stderr)
        #expect(error["code"] as? String == "not_found")
        #expect(error["schema_version"] as? Int == 1)
        #expect((error["error"] as? String)?.contains("proj-zzzz") == true)
    }

    @Test func readyListsOnlyOpenUnblockedIssues() throws {
        let tools = try FakeTools(include: [.bd])
        let dir = try project(tools)
        let epic = try create(tools, dir, "epic", ["-t", "epic"])
        let first = try create(tools, dir, "first", ["--parent", epic, "-p", "1"])
        let second = try create(tools, dir, "second", ["--parent", epic, "--deps", first])
        let busy = try create(tools, dir, "busy")
        try ok(tools.run(.bd, ["update", busy, "--claim", "--json"], cwd: dir))
        // An open epic does not block its children; `second` waits for `first`; in_progress is not ready.
        #expect(try ids(ok(tools.run(.bd, ["ready", "--json"], cwd: dir))) == [first, epic])
        try ok(tools.run(.bd, ["close", first, "--json"], cwd: dir))
        #expect(try ids(ok(tools.run(.bd, ["ready", "--json"], cwd: dir))) == [epic, second])
        #expect(try ok(tools.run(.bd, ["ready", "--json", "-t", "bug"], cwd: dir)).stdout == "[]\n")
    }

    @Test func listTruncatesAtFiftyByDefault() throws {
        let tools = try FakeTools(include: [.bd])
        let dir = try project(tools)
        // 55 creates from 8 threads at once: the fake's flock must keep every one of them.
        let failures = FailureCount()
        DispatchQueue.concurrentPerform(iterations: 55) { n in
            let status = (try? tools.run(.bd, ["create", "task \(n)", "--silent"], cwd: dir).status) ?? -1
            if status != 0 { failures.add() }
        }
        #expect(failures.value == 0)
        let listed = try ok(tools.run(.bd, ["list", "--json"], cwd: dir))
        #expect(try array(listed).count == 50)
        #expect(listed.stderr.contains("--limit 0"))
        let all = try ids(ok(tools.run(.bd, ["list", "--json", "--limit", "0"], cwd: dir)))
        #expect(Set(all).count == 55)
        try ok(tools.run(.bd, ["close", all[0], "-r", "done", "--json"], cwd: dir))
        #expect(try array(ok(tools.run(.bd, ["list", "--json", "-n", "0"], cwd: dir))).count == 54)
        #expect(try array(ok(tools.run(.bd, ["list", "--json", "-n", "0", "--all"], cwd: dir))).count == 55)
        #expect(try ids(ok(tools.run(.bd, ["list", "--json", "-s", "closed"], cwd: dir))) == [all[0]])
    }

    @Test func readyTruncatesAtOneHundredByDefault() throws {
        let tools = try FakeTools(era: .legacy, include: [.bd])
        let dir = try project(tools)
        try importIssues(tools, dir, count: 105)
        let ready = try ok(tools.run(.bd, ["ready", "--json"], cwd: dir))
        #expect(try array(ready).count == 100)
        #expect(ready.stderr.contains("--limit 0"))
        #expect(try array(ok(tools.run(.bd, ["ready", "--json", "--limit", "0"], cwd: dir))).count == 105)
    }

    @Test func claimIsACompareAndSwap() throws {
        let tools = try FakeTools(include: [.bd])
        let dir = try project(tools)
        let id = try create(tools, dir, "claim me")
        let claimed = try array(ok(tools.run(.bd, ["update", id, "--claim", "--actor", "agent1", "--json"], cwd: dir)))
        #expect(claimed.first?["status"] as? String == "in_progress")
        #expect(claimed.first?["assignee"] as? String == "agent1")
        #expect(claimed.first?["started_at"] is String)
        try ok(tools.run(.bd, ["update", id, "--claim", "--actor", "agent1", "--json"], cwd: dir)) // idempotent

        let stolen = try tools.run(.bd, ["update", id, "--claim", "--actor", "agent2", "--json"], cwd: dir)
        #expect(stolen.status == 1)
        #expect(try object(stolen.stderr)["error"] as? String == "issue already claimed by agent1")

        let closed = try create(tools, dir, "closed")
        try ok(tools.run(.bd, ["close", closed, "--json"], cwd: dir))
        let late = try tools.run(.bd, ["update", closed, "--claim", "--json"], cwd: dir)
        #expect(late.status == 1)
        #expect(try object(late.stderr)["error"] as? String == "not claimable: status closed")

        let next = try create(tools, dir, "next")
        let viaReady = try array(ok(tools.run(.bd, ["ready", "--claim", "--actor", "agent3", "--json"], cwd: dir)))
        #expect(viaReady.compactMap { $0["id"] as? String } == [next])
        #expect(try ok(tools.run(.bd, ["ready", "--claim", "--json"], cwd: dir)).stdout == "[]\n")
    }

    @Test func updateAndCloseExitOneWhenNothingChanged() throws {
        let tools = try FakeTools(include: [.bd])
        let dir = try project(tools)
        let id = try create(tools, dir, "t")
        let none = try tools.run(.bd, ["update", "proj-nope", "--status", "blocked", "--json"], cwd: dir)
        #expect(none.status == 1)
        #expect(none.stdout.isEmpty)
        let updated = try array(ok(tools.run(.bd, ["update", id, "--add-label", "gorch:ready", "--add-label", "x",
                                                   "--append-notes", "log: a", "--json"], cwd: dir)))
        #expect(updated.first?["labels"] as? [String] == ["gorch:ready", "x"])
        #expect(updated.first?["notes"] as? String == "log: a")

        let closed = try array(ok(tools.run(.bd, ["close", id, "-r", "Merged in abc123 (task/\(id))", "--json"],
                                            cwd: dir)))
        #expect(closed.first?["status"] as? String == "closed")
        #expect(closed.first?["close_reason"] as? String == "Merged in abc123 (task/\(id))")
        #expect(closed.first?["closed_at"] is String)
        #expect(try tools.run(.bd, ["close", id, "--json"], cwd: dir).status == 1) // already closed
        #expect(try tools.run(.bd, ["close", "proj-nope", "--json"], cwd: dir).status == 1)
    }

    @Test func depAddRefusesACycle() throws {
        let tools = try FakeTools(include: [.bd])
        let dir = try project(tools)
        let a = try create(tools, dir, "a"), b = try create(tools, dir, "b"), c = try create(tools, dir, "c")
        let added = try object(try ok(tools.run(.bd, ["dep", "add", b, a, "--json"], cwd: dir)).stdout)
        #expect(added["status"] as? String == "added")
        #expect(added["issue_id"] as? String == b)
        #expect(added["depends_on_id"] as? String == a)
        #expect(added["type"] as? String == "blocks")
        #expect(added["schema_version"] as? Int == 1)
        try ok(tools.run(.bd, ["dep", "add", c, b, "--json"], cwd: dir))
        let cycle = try tools.run(.bd, ["dep", "add", a, c, "--json"], cwd: dir)
        #expect(cycle.status == 1)
        #expect(try object(cycle.stderr)["code"] as? String == "cycle")
        try ok(tools.run(.bd, ["dep", "add", a, c, "--no-cycle-check", "--json"], cwd: dir))
    }

    @Test func legacyEraSyncsAndHasNoExport() throws {
        let tools = try FakeTools(era: .legacy, include: [.bd])
        let dir = try project(tools)
        let b = try create(tools, dir, "b"), a = try create(tools, dir, "a", ["--deps", b])
        try ok(tools.run(.bd, ["sync", "--flush-only"], cwd: dir))
        let lines = try String(contentsOfFile: dir + "/.beads/issues.jsonl", encoding: .utf8)
            .split(separator: "\n").map { try object(String($0)) }
        #expect(lines.compactMap { $0["id"] as? String } == [a, b].sorted())
        let withDep = try #require(lines.first { $0["id"] as? String == a })
        #expect((withDep["dependencies"] as? [[String: Any]])?.first?["depends_on_id"] as? String == b)
        let export = try tools.run(.bd, ["export", "-o", "out.jsonl"], cwd: dir)
        #expect(export.status == 1)
        #expect(export.stderr.contains(#"unknown command "export""#))
        #expect(tools.calls(.bd).contains(["sync", "--flush-only"]))
    }

    @Test func doltEraExportsAndHasNoSync() throws {
        let tools = try FakeTools(include: [.bd])
        let dir = try project(tools)
        let id = try create(tools, dir, "t")
        let sync = try tools.run(.bd, ["sync"], cwd: dir)
        #expect(sync.status == 1)
        #expect(sync.stderr == "Error: unknown command \"sync\" for \"bd\"\nRun 'bd --help' for usage.\n")
        try ok(tools.run(.bd, ["export", "-o", ".beads/issues.jsonl"], cwd: dir))
        let text = try String(contentsOfFile: dir + "/.beads/issues.jsonl", encoding: .utf8)
        #expect(text.hasPrefix(#"{"id":"\#(id)","title":"t","status":"open","priority":2,"#))
        #expect(text.hasSuffix("}\n"))
    }

    @Test func garbageFailureAndUnknownFlagModes() throws {
        var tools = try FakeTools(include: [.bd])
        let dir = try project(tools)
        #expect(try tools.run(.bd, ["list", "--frobnicate"], cwd: dir).status == 1)
        let garbage = try ok(tools.run(.bd, ["list", "--json"], cwd: dir, env: ["FAKE_BD_GARBAGE": "1"]))
        #expect((try? json(garbage.stdout)) == nil)
        tools.environment["FAKE_BD_FAIL"] = "close"
        #expect(try tools.run(.bd, ["close", "x", "--json"], cwd: dir).status == 1)
        #expect(try tools.run(.bd, ["list", "--json"], cwd: temp.path).status == 1) // no .beads here
    }

    // MARK: bv

    /// Issues as `bd export` writes them, for bv.
    func writeJSONL(_ dir: String, _ issues: [(id: String, status: String, priority: Int, blockedBy: [String])]) throws {
        let lines = issues.map { issue -> String in
            let deps = issue.blockedBy.map {
                #"{"issue_id":"\#(issue.id)","depends_on_id":"\#($0)","type":"blocks","created_at":"2026-01-01T00:00:00Z"}"#
            }
            return #"{"id":"\#(issue.id)","title":"T \#(issue.id)","status":"\#(issue.status)","priority":\#(issue.priority),"#
                + #""issue_type":"task","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z""#
                + (deps.isEmpty ? "" : #","dependencies":[\#(deps.joined(separator: ","))]"#) + "}"
        }
        try FileManager.default.createDirectory(atPath: dir + "/.beads", withIntermediateDirectories: true)
        try (lines.joined(separator: "\n") + "\nnot json\n").write(toFile: dir + "/.beads/issues.jsonl",
                                                                   atomically: true, encoding: .utf8)
    }

    @Test func bvPlanShapes() throws {
        let tools = try FakeTools(include: [.bv])
        let dir = temp.path
        try writeJSONL(dir, [("p-a", "open", 1, []), ("p-b", "open", 2, ["p-a"]), ("p-c", "in_progress", 2, []),
                             ("p-d", "closed", 0, []), ("p-e", "open", 3, ["p-d"])])
        let out = try object(try ok(tools.run(.bv, ["--robot-plan"], cwd: dir)).stdout)
        #expect(out["data_hash"] is String && out["usage_hints"] is [String])
        let plan = try #require(out["plan"] as? [String: Any])
        #expect(plan["total_actionable"] as? Int == 3) // p-a, p-c (in_progress counts), p-e (blocker closed)
        #expect(plan["total_blocked"] as? Int == 1)
        let tracks = try #require(plan["tracks"] as? [[String: Any]])
        #expect(tracks.compactMap { $0["track_id"] as? String } == ["track-A", "track-B", "track-C"])
        let items = tracks.map { $0["items"] as? [[String: Any]] ?? [] }
        #expect(items.map { $0.compactMap { $0["id"] as? String } } == [["p-a"], ["p-c"], ["p-e"]])
        #expect(items[0][0]["unblocks"] as? [String] == ["p-b"])
        #expect(items[1][0]["unblocks"] is NSNull) // null, never []
        #expect(tracks[1]["reason"] as? String == "Single actionable item")
        let summary = try #require(plan["summary"] as? [String: Any])
        #expect(summary["highest_impact"] as? String == "p-a")
        #expect(summary["impact_reason"] as? String == "Unblocks 1 task")

        try writeJSONL(dir, [("p-a", "closed", 1, [])])
        let old = try object(try ok(tools.run(.bv, ["--robot-plan"], cwd: dir, env: ["FAKE_BV_WRAPPER": "old"])).stdout)
        #expect(Set(old.keys) == ["generated_at", "plan"])
        #expect((old["plan"] as? [String: Any])?["tracks"] is NSNull)
        #expect(tools.calls(.bv) == [["--robot-plan"], ["--robot-plan"]])
    }

    @Test func bvInsightsReportsCycles() throws {
        let tools = try FakeTools(include: [.bv])
        try writeJSONL(temp.path, [("p-a", "open", 1, ["p-b"]), ("p-b", "open", 1, ["p-a"]), ("p-c", "open", 1, [])])
        let out = try object(try ok(tools.run(.bv, ["--robot-insights"], cwd: temp.path)).stdout)
        #expect(out["Cycles"] as? [[String]] == [["p-a", "p-b"]])
        try writeJSONL(temp.path, [("p-c", "open", 1, [])])
        #expect(try object(try ok(tools.run(.bv, ["--robot-insights"], cwd: temp.path)).stdout)["Cycles"] is NSNull)
    }

    // MARK: openspec

    @Test func openspecValidateArchiveList() throws {
        let tools = try FakeTools(include: [.openspec])
        let dir = temp.path, change = temp.path + "/openspec/changes/add-pool"
        try FileManager.default.createDirectory(atPath: change, withIntermediateDirectories: true)
        try "# Add pool\n".write(toFile: change + "/proposal.md", atomically: true, encoding: .utf8)
        #expect(try ok(tools.run(.openspec, ["--version"], cwd: dir)).stdout == "1.10.0\n")

        let invalid = try tools.run(.openspec, ["validate", "add-pool", "--strict", "--json"], cwd: dir)
        #expect(invalid.status == 1)
        let report = try object(invalid.stdout)
        let item = try #require((report["items"] as? [[String: Any]])?.first)
        #expect(item["valid"] as? Bool == false)
        #expect((item["issues"] as? [Any])?.isEmpty == false)
        #expect(((report["summary"] as? [String: Any])?["totals"] as? [String: Int])?["failed"] == 1)

        try "## 1. Pool\n- [x] 1.1 a\n- [ ] 1.2 b\n".write(toFile: change + "/tasks.md", atomically: true,
                                                           encoding: .utf8)
        try ok(tools.run(.openspec, ["validate", "add-pool", "--strict", "--json"], cwd: dir))
        let listed = try object(try ok(tools.run(.openspec, ["list", "--json"], cwd: dir)).stdout)
        let first = try #require((listed["changes"] as? [[String: Any]])?.first)
        #expect(first["name"] as? String == "add-pool")
        #expect(first["completedTasks"] as? Int == 1 && first["totalTasks"] as? Int == 2)
        #expect(first["status"] as? String == "in-progress")

        try ok(tools.run(.openspec, ["archive", "add-pool", "-y", "--json"], cwd: dir,
                         env: ["FAKE_OPENSPEC_DATE": "2026-05-30"]))
        #expect(FileManager.default.fileExists(atPath: dir + "/openspec/changes/archive/2026-05-30-add-pool/tasks.md"))
        #expect(!FileManager.default.fileExists(atPath: change))
        #expect(try ok(tools.run(.openspec, ["list", "--json"], cwd: dir)).stdout == "{\n  \"changes\": []\n}\n")
    }
}

/// Counts failures from concurrent threads.
private final class FailureCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
