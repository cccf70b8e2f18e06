import Foundation
import GorchTestSupport
import Testing

/// `gorch merge` end to end: order, merge commits, cleanup, trivial and complex conflicts,
/// --continue and --abort (issue 4 "Done when").
@Suite("merge coordinator", .timeLimit(.minutes(20)))
struct MergeQueueTests {
    @Test("four ready tasks merge in order, each as a merge commit, and are cleaned up")
    func fourTasks() throws {
        let project = try TaskProject()
        try project.gorch("init")
        for (index, id) in ["alpha", "bravo", "charlie", "delta"].enumerated() {
            try project.agent(id, ["src/\(id).txt": "\(id) \(index)\n"])
        }
        let before = try project.rev("main")
        let report = try project.json("merge", "--validate", "test -f src/alpha.txt")
        let tasks = try #require(report["tasks"] as? [[String: Any]])
        #expect(tasks.map { $0["id"] as? String } == ["alpha", "bravo", "charlie", "delta"])
        #expect(tasks.allSatisfy { $0["outcome"] as? String == "merged" && $0["cleaned"] as? Bool == true })
        #expect(report["before"] as? String == before)
        #expect(report["after"] as? String == (try project.rev("main")))
        #expect(isNull(report["stopped"]))

        // First-parent history: four merge commits named after the tasks, in order.
        let subjects = try project.repo.git("log", "--first-parent", "--format=%s", "main").split(separator: "\n")
        #expect(subjects.prefix(4) == ["Merge task/delta: delta", "Merge task/charlie: charlie",
                                       "Merge task/bravo: bravo", "Merge task/alpha: alpha"])
        #expect(try project.repo.git("rev-list", "--parents", "-n1", "main").split(separator: " ").count == 3)
        // The checked-out main moved with its files; no worktree or branch left behind.
        #expect(try project.repo.git("status", "--porcelain").isEmpty)
        #expect(project.exists("src/delta.txt"))
        for id in ["alpha", "bravo", "charlie", "delta"] {
            #expect(!project.exists(".worktrees/wt-\(id)"))
            #expect(try !project.branchExists("task/\(id)"))
            #expect(try project.state(id) == "merged")
        }
        #expect(!(try project.repo.git("worktree", "list")).contains("wt-"))
        try project.expectConsistent()
    }

    @Test("merged worktrees' folders are deleted in the background and none is left; a killed run's leftovers go too")
    func backgroundCleanup() throws {
        let project = try TaskProject()
        try project.agent("one", ["one.txt": "1\n"])
        try project.agent("two", ["two.txt": "2\n"])
        // What a run killed while deleting leaves: a folder in the trash (no worktree record).
        let leftover = (project.path as NSString).appendingPathComponent(".git/gorch/trash/wt-old.1.1/sub")
        try FileManager.default.createDirectory(atPath: leftover, withIntermediateDirectories: true)
        try "x\n".write(toFile: (leftover as NSString).appendingPathComponent("file.txt"), atomically: false, encoding: .utf8)
        let report = try project.json("merge", "--validate", "true")
        let tasks = try #require(report["tasks"] as? [[String: Any]])
        #expect(tasks.allSatisfy { $0["outcome"] as? String == "merged" && $0["cleaned"] as? Bool == true })
        for id in ["one", "two"] { #expect(!project.exists(".worktrees/wt-\(id)")) }
        let trash = (try? FileManager.default.contentsOfDirectory(atPath: (project.path as NSString).appendingPathComponent(".git/gorch/trash"))) ?? []
        #expect(trash.isEmpty)
        #expect(!(try project.repo.git("worktree", "list")).contains("wt-"))
        try project.expectConsistent()
    }

    @Test("explicit ids set the order; --ff fast-forwards when it can; --no-cleanup keeps worktree and branch")
    func explicitOrderFastForward() throws {
        let project = try TaskProject()
        try project.agent("one", ["one.txt": "1\n"])
        try project.agent("two", ["two.txt": "2\n"])
        let tip = try project.rev("task/two")
        let report = try project.json("merge", "two", "one", "--ff", "--no-cleanup")
        let tasks = try #require(report["tasks"] as? [[String: Any]])
        #expect(tasks.map { $0["id"] as? String } == ["two", "one"])
        #expect(tasks.first?["fast_forward"] as? Bool == true)
        #expect(tasks.first?["commit"] as? String == tip)
        #expect(tasks.last?["fast_forward"] as? Bool == false)
        #expect(try project.branchExists("task/one"))
        #expect(project.exists(".worktrees/wt-one"))
        // cleanup removes what --no-cleanup kept.
        let cleanup = try project.json("cleanup")
        let actions = try #require(cleanup["actions"] as? [[String: Any]])
        #expect(actions.filter { $0["done"] as? Bool == true }.count == 4)
        #expect(try !project.branchExists("task/one"))
        #expect(!project.exists(".worktrees/wt-two"))
    }

    @Test("checkbox-only conflicts in tasks.md are resolved as the union of ticks")
    func tasksChecklist() throws {
        let project = try TaskProject()
        let base = "# Tasks\n\n- [ ] 1.1 one\n- [ ] 1.2 two\n- [ ] 1.3 three\n- [ ] 1.4 four\n"
        try project.agent("one", ["tasks.md": base.replacingOccurrences(of: "[ ] 1.1", with: "[x] 1.1"), "one.txt": "1\n"])
        try project.agent("two", ["tasks.md": base.replacingOccurrences(of: "[ ] 1.2", with: "[x] 1.2"), "two.txt": "2\n"])
        // git itself would stop here: adjacent lines changed on both sides.
        let predicted = try runGorch(["conflicts", "--matrix", "task/one", "task/two"], cwd: project.path)
        #expect(predicted.status == 1)

        let report = try project.json("merge")
        let tasks = try #require(report["tasks"] as? [[String: Any]])
        #expect(tasks.map { $0["outcome"] as? String } == ["merged", "merged"])
        let resolved = try #require(tasks.last?["resolved"] as? [[String: Any]])
        #expect(resolved.map { $0["path"] as? String } == ["tasks.md"])
        let merged = try project.repo.git("show", "main:tasks.md")
        #expect(merged == "# Tasks\n\n- [x] 1.1 one\n- [x] 1.2 two\n- [ ] 1.3 three\n- [ ] 1.4 four")
        #expect(try project.repo.git("log", "-1", "--format=%B", "main").contains("tasks.md: checkbox ticks (union)"))
    }

    @Test("a gorch.resolve rule settles a conflict on matching paths")
    func resolveRule() throws {
        let project = try TaskProject()
        project.repo.write("CHANGELOG.md", "# Changes\n")
        try project.repo.commitAll("changelog")
        try project.repo.git("config", "gorch.resolve", "CHANGELOG.md union")
        try project.agent("one", ["CHANGELOG.md": "# Changes\n- one\n"])
        try project.agent("two", ["CHANGELOG.md": "# Changes\n- two\n"])
        let report = try project.json("merge")
        let tasks = try #require(report["tasks"] as? [[String: Any]])
        #expect(tasks.map { $0["outcome"] as? String } == ["merged", "merged"])
        #expect(try project.repo.git("show", "main:CHANGELOG.md") == "# Changes\n- one\n- two")
    }
}
