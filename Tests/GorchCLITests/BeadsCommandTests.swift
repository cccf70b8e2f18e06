import Foundation
import GorchTestSupport
import Testing

/// populate's flags, batch's selection rules, sync after a person's merge, done's scope warning,
/// doctor — in Beads mode with the fake tools.
@Suite("beads mode commands", .timeLimit(.minutes(20)))
struct BeadsCommandTests {
    typealias Project = SeedFlowTests.SeedProject

    @Test("populate --phase N creates only that phase (no links); --link adds the links; nothing is duplicated")
    func populatePhases() throws {
        let project = try Project(era: .dolt)
        let one = try project.json("populate", SeedFlowTests.change, "--phase", "1")
        #expect((one["issues"] as? [[String: Any]])?.count == 3)
        #expect((one["links"] as? [Any])?.isEmpty == true)
        let two = try project.json("populate", SeedFlowTests.change, "--phase", "2")
        #expect((two["issues"] as? [[String: Any]])?.allSatisfy { $0["created"] as? Bool == true } == true)
        let links = try project.json("populate", SeedFlowTests.change, "--link")
        #expect((links["links"] as? [[String: Any]])?.filter { $0["created"] as? Bool == true }.count == 9)
        #expect((try project.bd("list", "--all", "--limit", "0") as? [Any])?.count == 6)
        let ready = try #require(try project.bd("ready", "--limit", "0") as? [[String: Any]])
        #expect(Set(ready.compactMap { ($0["labels"] as? [String])?.first { $0.hasPrefix("task:") } }) == ["task:1.1", "task:1.2", "task:1.3"])
        let bad = try runGorch(["populate", SeedFlowTests.change, "--phase", "7"], cwd: project.path, environment: project.toolEnvironment)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("no phase 7"))
    }

    @Test("batch without a terminal only proposes; --ids starts exactly that set; claimed issues are in progress")
    func batchApproval() throws {
        let project = try Project(era: .dolt)
        _ = try project.json("populate", SeedFlowTests.change)
        let proposal = try project.json("batch")
        #expect((proposal["picks"] as? [Any])?.count == 3)
        #expect((proposal["started"] as? [Any])?.isEmpty == true)
        #expect(!FileManager.default.fileExists(atPath: project.path + "/.worktrees"))
        let first = try #require((proposal["picks"] as? [[String: Any]])?.first?["id"] as? String)
        let approved = try project.json("batch", "--ids", first)
        #expect((approved["started"] as? [[String: Any]])?.map { $0["id"] as? String } == [first])
        let issue = try #require((try project.bd("show", first) as? [[String: Any]])?.first)
        #expect(issue["status"] as? String == "in_progress")
        #expect(issue["assignee"] as? String == "gorch-\(first)")
        // The started one is no longer ready; the next batch proposes the other two.
        let next = try project.json("batch")
        #expect((next["picks"] as? [[String: Any]])?.compactMap { $0["id"] as? String }.contains(first) == false)
        let unknown = try runGorch(["batch", "--ids", "gr-nope"], cwd: project.path, environment: project.toolEnvironment)
        #expect(unknown.status == 2)
    }

    @Test("a person's git merge of a task branch, then gorch sync: issue closed, box ticked, worktree removed")
    func syncAfterManualMerge() throws {
        let project = try Project(era: .legacy)
        _ = try project.json("populate", SeedFlowTests.change)
        let batch = try project.json("batch", "--yes", "--max", "1")
        let started = try #require(batch["started"] as? [[String: Any]])
        try project.work(started)
        let id = try #require(started.first?["id"] as? String)
        try project.repo.git("merge", "-q", "--no-edit", "task/\(id)")
        let sync = try project.json("sync")
        #expect(sync["merged"] as? [String] == [id])
        #expect((sync["ticked"] as? [String])?.count == 1)
        #expect((sync["tracker"] as? String)?.contains("bd sync") == true)
        let issue = try #require((try project.bd("show", id) as? [[String: Any]])?.first)
        #expect(issue["status"] as? String == "closed")
        #expect(!FileManager.default.fileExists(atPath: project.path + "/.worktrees/wt-\(id)"))
        #expect(try project.repo.git("log", "-1", "--format=%s").hasPrefix("gorch: tick"))
        #expect(try project.repo.git("status", "--porcelain").isEmpty)
        // Nothing left to do: fast and quiet.
        let again = try project.json("sync")
        #expect((again["merged"] as? [Any])?.isEmpty == true)
    }

    @Test("done warns about files changed outside the declared scope")
    func outOfScope() throws {
        let project = try Project(era: .dolt)
        _ = try project.json("populate", SeedFlowTests.change)
        let batch = try project.json("batch", "--yes", "--max", "1")
        let task = try #require((batch["started"] as? [[String: Any]])?.first)
        let id = try #require(task["id"] as? String)
        let worktree = try #require(task["worktree"] as? String)
        try Data("stray\n".utf8).write(to: URL(fileURLWithPath: worktree + "/README.md"))
        try Shell.git(["commit", "-qam", "touch README"], cwd: worktree)
        let done = try runGorch(["done", id, "--json"], cwd: worktree, environment: project.toolEnvironment)
        #expect(done.status == 0)
        let warnings = try #require(try jsonDocument(done)["warnings"] as? [String])
        #expect(warnings.contains { $0.contains("outside its declared scope") && $0.contains("README.md") })
    }

    @Test("doctor reports bd and its era, bv, openspec, Agent Mail fallback and hooks; exit 3 when bd is required but missing")
    func doctor() throws {
        for era in [FakeBeadsEra.legacy, .dolt] {
            let project = try Project(era: era)
            var environment = project.toolEnvironment
            environment["GORCH_AGENT_MAIL_URL"] = "http://127.0.0.1:9/mcp/"
            let result = try runGorch(["doctor", "--json"], cwd: project.path, environment: environment)
            #expect(result.status == 0, "\(result.stdout)")
            let checks = try #require(try jsonDocument(result)["checks"] as? [[String: Any]])
            let byName = Dictionary(uniqueKeysWithValues: checks.compactMap { c in (c["name"] as? String).map { ($0, c) } })
            #expect((byName["bd"]?["detail"] as? String)?.contains(era == .legacy ? "legacy era" : "Dolt era") == true)
            #expect(byName["tracker"]?["detail"] as? String == "beads")
            #expect(byName["bv"]?["status"] as? String == "ok")
            #expect(byName["openspec"]?["status"] as? String == "ok")
            #expect(byName["agent-mail"]?["status"] as? String == "warning")
            #expect((byName["agent-mail"]?["detail"] as? String)?.contains("embedded store") == true)
            #expect(byName["hooks"]?["status"] as? String == "warning")
        }
        let project = try Project(era: .dolt)
        try project.repo.git("config", "gorch.tracker", "beads")
        let missing = try runGorch(["doctor"], cwd: project.path)  // no fakes on PATH
        #expect(missing.status == 3)
        #expect(missing.stderr.contains("bd is not on PATH"))
    }

    @Test("a phase epic is never batched and is closed when its last child is merged")
    func epics() throws {
        let project = try Project(era: .dolt)
        let epic = try #require(try project.bd("create", "Phase 1", "-t", "epic") as? [String: Any])
        let epicID = try #require(epic["id"] as? String)
        for name in ["left", "right"] {
            _ = try project.bd("create", "Child \(name)", "--parent", epicID, "-d", "Files: src/\(name).txt")
        }
        let batch = try project.json("batch", "--yes")
        let started = try #require(batch["started"] as? [[String: Any]])
        #expect(started.count == 2)
        #expect(!started.contains { $0["id"] as? String == epicID })
        try project.work(started)
        let merge = try project.json("merge")
        #expect((merge["tasks"] as? [[String: Any]])?.allSatisfy { $0["outcome"] as? String == "merged" } == true)
        let shown = try #require((try project.bd("show", epicID) as? [[String: Any]])?.first)
        #expect(shown["status"] as? String == "closed")
    }
}

/// Reservations stay alive while a coordinator polls `gorch status`.
@Suite("reservation renewal", .timeLimit(.minutes(20)))
struct ReservationRenewalTests {
    @Test("status renews a running task's reservation that has less than half its TTL left")
    func statusRenews() throws {
        let project = try TaskProject()
        try project.repo.git("config", "gorch.reservationTTL", "600")
        try project.gorch("add", "one", "--files", "app/*")
        #expect(try project.gorch("start", "one").status == 0)
        let file = project.path + "/.git/gorch/reservations.json"
        var entries = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [[String: Any]])
        let soon = Date().timeIntervalSince1970 + 60
        entries[0]["expires"] = soon
        try JSONSerialization.data(withJSONObject: entries).write(to: URL(fileURLWithPath: file))
        #expect(try project.gorch("status").status == 0)
        let renewed = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [[String: Any]])
        let expires = try #require(renewed.first?["expires"] as? Double)
        #expect(expires > soon + 400)
    }
}
