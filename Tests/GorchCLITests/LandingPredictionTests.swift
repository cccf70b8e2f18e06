import Foundation
import GorchTestSupport
import Testing

/// The landing prediction (issue 19, "Predicted landing"): `status` and `batch` land the merge
/// queue in memory, in order, and say for each ready task whether it lands cleanly; checked
/// against what `gorch merge --keep-going` then does.
@Suite("landing prediction (merge queue in order)", .timeLimit(.minutes(20)))
struct LandingPredictionTests {
    /// Each task's `lands` object from `status --json`, by id (NSNull for null).
    static func lands(_ project: TaskProject) throws -> [String: Any] {
        let tasks = try #require(try project.json("status")["tasks"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: tasks.compactMap { t in (t["id"] as? String).map { ($0, t["lands"] ?? NSNull()) } })
    }

    static func landing(_ value: Any?) -> (position: Int, clean: Bool, conflicts: [String])? {
        guard let object = value as? [String: Any], let position = object["position"] as? Int,
              let clean = object["clean"] as? Bool, let conflicts = object["conflicts"] as? [String] else { return nil }
        return (position, clean, conflicts)
    }

    static func conflictsWith(_ project: TaskProject, _ id: String) throws -> [String] {
        let tasks = try #require(try project.json("status")["tasks"] as? [[String: Any]])
        return tasks.first { $0["id"] as? String == id }?["conflicts_with"] as? [String] ?? []
    }

    @Test("tasks started from different bases: the pairwise matrix flags the pair, in order both land, and merge agrees")
    func pairwiseOverstates() throws {
        let project = try TaskProject()
        try project.gorch("init")
        // one (from the first main) changes the port; then main gets the same change by another
        // commit, and two starts from that main and changes the port again.
        try project.agent("one", ["app/config.txt": "name = demo\nport = 9090\n"])
        project.repo.write("app/config.txt", "name = demo\nport = 9090\n")
        _ = try project.repo.commitAll("hotfix: port 9090")
        try project.agent("two", ["app/config.txt": "name = demo\nport = 9191\n"])
        // Pairwise, on their own base (port 8080): 9090 against 9191 is a conflict.
        #expect(try Self.conflictsWith(project, "one") == ["two"])
        let lands = try Self.lands(project)
        let one = try #require(Self.landing(lands["one"])), two = try #require(Self.landing(lands["two"]))
        #expect(one.position == 1 && one.clean && one.conflicts.isEmpty)
        #expect(two.position == 2 && two.clean && two.conflicts.isEmpty)
        let table = try project.gorch("status").stdout
        #expect(table.contains("LANDS") && table.contains("#1 clean") && table.contains("#2 clean"), "\(table)")

        let report = try project.json("merge", "--keep-going")
        let tasks = try #require(report["tasks"] as? [[String: Any]])
        #expect(tasks.map { $0["outcome"] as? String } == ["merged", "merged"])
        #expect(try project.repo.git("show", "main:app/config.txt") == "name = demo\nport = 9191")
    }

    @Test("an in-order conflict names its paths, later tasks are predicted without it, and merge --keep-going hands back exactly it")
    func inOrderConflict() throws {
        let project = try TaskProject()
        try project.gorch("init")
        try project.agent("a", ["app/config.txt": "name = demo\nport = 1111\n"])
        // b conflicts with a on the port, and with c on other.txt.
        try project.agent("b", ["app/config.txt": "name = demo\nport = 2222\n", "other.txt": "bee\n"])
        try project.agent("c", ["other.txt": "sea\n"])
        try project.agent("d", ["d.txt": "d\n"])
        try project.agent("busy", ["busy.txt": "x\n"], done: false)
        #expect(try Self.conflictsWith(project, "c") == ["b"])
        let lands = try Self.lands(project)
        let a = try #require(Self.landing(lands["a"])), b = try #require(Self.landing(lands["b"]))
        let c = try #require(Self.landing(lands["c"])), d = try #require(Self.landing(lands["d"]))
        #expect(a.position == 1 && a.clean)
        #expect(b.position == 2 && !b.clean && b.conflicts == ["app/config.txt"])
        // With b on the train c would conflict on other.txt; b is left out, as merge hands it back.
        #expect(c.position == 3 && c.clean && c.conflicts.isEmpty)
        #expect(d.position == 4 && d.clean)
        #expect(lands["busy"] is NSNull)     // started, not ready: not in the queue
        let table = try project.gorch("status").stdout
        #expect(table.contains("#2 conflict") && table.contains("conflicts when landed after the queue ahead: app/config.txt"), "\(table)")

        // batch shows the same queue, and checks a candidate against a's landing.
        try project.gorch("add", "port", "--files", "app/config.txt")
        let batch = try project.json("batch")
        let queue = try #require(batch["queue"] as? [[String: Any]])
        #expect(queue.compactMap { $0["id"] as? String } == ["a", "b", "c", "d"])
        #expect(queue.map { $0["clean"] as? Bool } == [true, false, true, true])
        #expect(queue[1]["conflicts"] as? [String] == ["app/config.txt"])
        let skip = try #require((batch["skips"] as? [[String: Any]])?.first { $0["id"] as? String == "port" })
        #expect((skip["reason"] as? String)?.contains("scope overlaps ready a, whose landing (queue position 1) changes app/config.txt") == true,
                "\(skip)")

        let report = try project.json("merge", "--keep-going", status: 1)
        let tasks = try #require(report["tasks"] as? [[String: Any]])
        let outcomes = Dictionary(uniqueKeysWithValues: tasks.compactMap { t in (t["id"] as? String).map { ($0, t["outcome"] as? String) } })
        #expect(outcomes == ["a": "merged", "b": "conflicted", "c": "merged", "d": "merged"])
        #expect(try project.state("b") == "conflicted")
    }

    @Test("trivial resolutions land: two tasks ticking adjacent tasks.md boxes conflict pairwise, land in order, and merge agrees")
    func trivialResolutionsLand() throws {
        let project = try TaskProject()
        try project.gorch("init")
        try project.agent("one", ["tasks.md": "# Tasks\n\n- [x] 1.1 one\n- [ ] 1.2 two\n- [ ] 1.3 three\n- [ ] 1.4 four\n"])
        try project.agent("two", ["tasks.md": "# Tasks\n\n- [ ] 1.1 one\n- [x] 1.2 two\n- [ ] 1.3 three\n- [ ] 1.4 four\n"])
        #expect(try Self.conflictsWith(project, "one") == ["two"])   // the raw merge conflicts
        let lands = try Self.lands(project)
        #expect(Self.landing(lands["one"])?.clean == true)
        #expect(Self.landing(lands["two"])?.clean == true)           // checkbox ticks: a trivial resolution
        let report = try project.json("merge", "--keep-going")
        let tasks = try #require(report["tasks"] as? [[String: Any]])
        #expect(tasks.map { $0["outcome"] as? String } == ["merged", "merged"])
    }

    @Test("a ready task whose landing changes nothing blocks no candidate, though its branch changed the file")
    func batchUsesLanding() throws {
        let project = try TaskProject()
        try project.gorch("init")
        try project.agent("one", ["app/config.txt": "name = demo\nport = 9090\n"])
        project.repo.write("app/config.txt", "name = demo\nport = 9090\n")
        _ = try project.repo.commitAll("the same change, landed by hand")
        try project.gorch("add", "port", "--files", "app/config.txt")
        let batch = try project.json("batch")
        let queue = try #require(batch["queue"] as? [[String: Any]])
        #expect(queue.compactMap { $0["id"] as? String } == ["one"] && queue.first?["clean"] as? Bool == true)
        // one's branch changed app/config.txt since it left main, but main already has that
        // content: landing one changes nothing there, so port does not collide with it.
        #expect((batch["picks"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["port"], "\(batch)")
    }

    @Test("status with a prediction writes nothing: refs, objects, indexes and worktrees unchanged")
    func writesNothing() throws {
        let project = try TaskProject()
        try project.gorch("init")
        try project.agent("a", ["app/config.txt": "name = demo\nport = 1111\n"])
        try project.agent("b", ["app/config.txt": "name = demo\nport = 2222\n"])
        try project.agent("c", ["tasks.md": "# Tasks\n\n- [x] 1.1 one\n- [ ] 1.2 two\n- [ ] 1.3 three\n- [ ] 1.4 four\n"])
        func snapshot() throws -> [String] {
            let git = (project.path as NSString).appendingPathComponent(".git")
            var indexes = [git + "/index"]
            for name in (try? FileManager.default.contentsOfDirectory(atPath: git + "/worktrees")) ?? [] {
                indexes.append("\(git)/worktrees/\(name)/index")
            }
            let digests = indexes.sorted().map { path in
                FileManager.default.contents(atPath: path).map { $0.base64EncodedString() } ?? "missing \(path)"
            }
            var state = [try project.repo.git("for-each-ref", "--format=%(refname) %(objectname)"),
                         try project.repo.git("count-objects", "-v"), try project.repo.git("worktree", "list", "--porcelain"),
                         try project.repo.git("status", "--porcelain", "--untracked-files=all")]
            for id in ["a", "b", "c"] {
                state.append(try Shell.git(["status", "--porcelain", "--untracked-files=all"], cwd: project.worktree(id)))
            }
            return state + digests
        }
        let before = try snapshot()
        let lands = try Self.lands(project)
        #expect(Self.landing(lands["b"])?.clean == false)
        #expect(try project.gorch("status").status == 0)
        #expect(try snapshot() == before)
    }
}
