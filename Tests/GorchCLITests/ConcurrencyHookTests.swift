import Foundation
import GorchTestSupport
import Testing

/// `gorch hook post-merge` firing while a `gorch merge` validates (directly, and from a person's
/// real `git merge` in the main checkout): the hook exits 0 at once (it skips the sync and logs
/// why), the git command is not held up, the gorch merge refuses to move a target someone else
/// moved, and afterwards `sync` + `merge` end with every task merged and closed exactly once.
@Suite("concurrency: hook during a merge", .timeLimit(.minutes(20)))
struct ConcurrencyHookTests {
    /// Runs git in the main checkout as a person would, with the installed hooks and `environment`.
    static func personGit(_ path: String, _ arguments: [String], environment: [String: String] = [:]) throws -> ShellResult {
        try Shell.run("git", arguments, cwd: path, env: gorchEnvironment.merging(environment) { $1 })
    }

    static func hookLog(_ path: String) -> String {
        (try? String(contentsOfFile: path + "/.git/gorch/logs/hooks.log", encoding: .utf8)) ?? ""
    }

    /// The shared middle of both modes: while `merge ids` waits in its validation, the hook runs
    /// directly and through a person's `git merge task/<manual>`; both return while the merge
    /// still holds the lock. Then the gated merge ends with exit 1 (its target moved).
    static func hookDuringMerge(path: String, ids: [String], manual: String, environment: [String: String]) throws {
        let gate = try Gate()
        let before = try Shell.git(["rev-parse", "main"], cwd: path)
        let merge = try BackgroundGorch(["merge", "--json", "--validate", gate.step] + ids, cwd: path, environment: environment)
        #expect(Concurrency.eventually { gate.reached >= 1 }, "the merge never reached its validation")

        let direct = try runGorch(["hook", "post-merge", "0"], cwd: path, environment: environment)
        #expect(direct.status == 0 && direct.stdout.isEmpty, "\(direct.stdout) \(direct.stderr)")
        #expect(direct.stderr.contains("sync skipped"), "\(direct.stderr)")

        let person = try personGit(path, ["merge", "--no-ff", "--no-edit", "-q", "task/\(manual)"], environment: environment)
        #expect(person.status == 0, "the hook never fails git: \(person.stderr)")
        #expect(person.stderr.contains("sync skipped"), "\(person.stderr)")
        // Both returned while the merge still waits in its validation (the gate is closed): the
        // hook did not wait for the repository lock.
        #expect(gate.reached == 1)
        #expect(Self.hookLog(path).components(separatedBy: "sync skipped").count - 1 == 2, "\(Self.hookLog(path))")
        #expect(try Shell.git(["rev-parse", "main^1"], cwd: path) == before, "the person's merge is on main")

        gate.open()
        let stopped = merge.finish()
        #expect(stopped.status == 1, "\(stopped.stdout) \(stopped.stderr)")
        let message = try errorObject(stopped)["message"] as? String ?? ""
        #expect(message.contains("moved while task \(ids[0]) was being merged"), "\(message)")
        #expect(try Shell.git(["rev-parse", "main^2"], cwd: path) == (try Shell.git(["rev-parse", "task/\(manual)"], cwd: path)),
                "the target keeps the person's merge; gorch moved nothing")
        #expect(!FileManager.default.fileExists(atPath: path + "/.git/gorch/journal.json"), "the failed run is closed")
    }

    @Test("embedded: hook and a person's merge during a gorch merge; then sync and merge: each task merged once")
    func embedded() throws {
        let project = try TaskProject()
        try project.gorch("init")
        for id in ["one", "two", "manual"] { try project.agent(id, ["\(id).txt": "\(id)\n"]) }
        try Self.hookDuringMerge(path: project.path, ids: ["one", "two"], manual: "manual", environment: [:])
        #expect(try project.state("one") == "ready", "back to ready after the refused target update")
        #expect(try project.state("manual") == "ready", "the skipped hook synced nothing")

        let sync = try project.json("sync")
        #expect(sync["merged"] as? [String] == ["manual"])
        let merge = try project.json("merge", "--validate", "true")
        #expect((merge["tasks"] as? [[String: Any]])?.map { $0["id"] as? String } == ["one", "two"])
        #expect((merge["tasks"] as? [[String: Any]])?.allSatisfy { $0["outcome"] as? String == "merged" } == true, "\(merge)")
        for id in ["one", "two", "manual"] {
            #expect(try project.state(id) == "merged")
            #expect(try project.repo.git("show", "main:\(id).txt") == id)
            #expect(!project.exists(".worktrees/wt-\(id)"))
        }
        let subjects = try Concurrency.mergeSubjects(project.path)
        #expect(subjects.filter { $0.contains("task/one") }.count == 1 && subjects.filter { $0.contains("task/two") }.count == 1,
                "\(subjects)")
        #expect(subjects.filter { $0.contains("task/manual") }.count == 1, "\(subjects)")
        #expect(try project.repo.git("status", "--porcelain").isEmpty)
        try Concurrency.expectQuiescent(project.path)
    }

    @Test("Beads: after a person's merges (hooks off), three gorch sync and a hook at once: each issue closed once, one tick")
    func syncsAtOnce() throws {
        let project = try SeedFlowTests.SeedProject(era: .dolt)
        _ = try project.json("populate", SeedFlowTests.change)
        let started = try #require(try project.json("batch", "--yes")["started"] as? [[String: Any]])
        try project.work(started)
        let ids = started.compactMap { $0["id"] as? String }
        try #require(ids.count == 3)
        for id in ids {
            let merge = try Self.personGit(project.path, ["merge", "--no-ff", "--no-edit", "-q", "task/\(id)"],
                                           environment: project.toolEnvironment.merging(["GORCH_SKIP_HOOKS": "1"]) { $1 })
            #expect(merge.status == 0, "\(merge.stderr)")
        }
        try project.fakes.clearLog()
        let before = try project.repo.git("rev-parse", "main")

        let results = try Concurrency.together([["sync", "--json"], ["sync", "--json"], ["sync", "--json"], ["hook", "post-merge", "0"]],
                                               cwd: project.path, environment: project.toolEnvironment)
        var merged: [String] = []
        for result in results.prefix(3) {
            #expect([0, 3].contains(result.status), "\(result.stdout) \(result.stderr)")
            if result.status == 0 { merged += try jsonDocument(result)["merged"] as? [String] ?? [] }
            if result.status == 3 {
                let message = try errorObject(result)["message"] as? String ?? ""
                #expect(message.contains("locked by another gorch process: gorch "), "exit 3 names the holder: \(message)")
            }
        }
        #expect(results[3].status == 0, "the hook never fails: \(results[3].stderr)")
        // The hook synced (its log line names what it merged) or skipped because a sync held the lock.
        let hookLine = Self.hookLog(project.path)
        if hookLine.contains("; merged ") { merged += ids.filter { hookLine.contains($0) } }
        #expect(merged.sorted() == ids.sorted(), "each task synced by exactly one of them: \(merged)")

        let closes = project.fakes.calls(.bd).filter { $0.first == "close" }
        for id in ids {
            #expect(closes.filter { $0.contains(id) }.count == 1, "\(id) closed exactly once: \(closes)")
            #expect((try project.bd("show", id) as? [[String: Any]])?.first?["status"] as? String == "closed")
            #expect(!FileManager.default.fileExists(atPath: project.path + "/.worktrees/wt-\(id)"))
        }
        let ticks = try project.repo.git("log", "--format=%s", "\(before)..main").split(separator: "\n")
        #expect(ticks.count == 1 && ticks.allSatisfy { $0.hasPrefix("gorch: tick") }, "one tick commit: \(ticks)")
        let tasks = try project.repo.git("show", "main:openspec/changes/\(SeedFlowTests.change)/tasks.md")
        for number in ["1.1", "1.2", "1.3"] { #expect(tasks.contains("- [x] \(number) "), "\(number) ticked: \(tasks)") }
        #expect(try project.repo.git("status", "--porcelain").isEmpty)
        try Concurrency.expectQuiescent(project.path)
    }

    @Test("Beads: hook during a merge; no issue closed twice, all closed once sync and merge ran")
    func beads() throws {
        let project = try SeedFlowTests.SeedProject(era: .dolt)
        _ = try project.json("populate", SeedFlowTests.change)
        let batch = try project.json("batch", "--yes")
        let started = try #require(batch["started"] as? [[String: Any]])
        try project.work(started)
        let ids = started.compactMap { $0["id"] as? String }
        try #require(ids.count == 3)
        _ = try project.json("hooks", "install")
        try project.fakes.clearLog()

        try Self.hookDuringMerge(path: project.path, ids: [ids[0], ids[1]], manual: ids[2], environment: project.toolEnvironment)
        #expect(project.fakes.calls(.bd).filter { $0.first == "close" }.isEmpty, "nothing closed while the merge was refused")

        let sync = try project.json("sync")
        #expect(sync["merged"] as? [String] == [ids[2]])
        let merge = try project.json("merge")
        #expect((merge["tasks"] as? [[String: Any]])?.compactMap { $0["id"] as? String }.sorted() == [ids[0], ids[1]].sorted())
        #expect((merge["tasks"] as? [[String: Any]])?.allSatisfy { $0["outcome"] as? String == "merged" } == true, "\(merge)")
        // Again: nothing more to do, nothing closed again.
        #expect((try project.json("sync")["merged"] as? [String])?.isEmpty == true)
        #expect((try project.json("merge")["tasks"] as? [Any])?.isEmpty == true)

        let closes = project.fakes.calls(.bd).filter { $0.first == "close" }
        for id in ids {
            #expect(closes.filter { $0.contains(id) }.count == 1, "\(id) closed exactly once: \(closes)")
            let issue = try #require((try project.bd("show", id) as? [[String: Any]])?.first)
            #expect(issue["status"] as? String == "closed")
        }
        let tasks = try project.repo.git("show", "main:openspec/changes/\(SeedFlowTests.change)/tasks.md")
        for number in ["1.1", "1.2", "1.3"] { #expect(tasks.contains("- [x] \(number) "), "\(number) ticked: \(tasks)") }
        #expect(try project.repo.git("status", "--porcelain").isEmpty)
        try Concurrency.expectQuiescent(project.path)
    }
}
