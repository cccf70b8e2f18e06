import Foundation
import GorchTestSupport
import Testing

/// `gorch done` and `gorch status`.
@Suite("lifecycle: done and status", .timeLimit(.minutes(20)))
struct LifecycleDoneStatusTests {
    // MARK: done

    @Test("done is refused (exit 1) while a tracked file has an uncommitted change; the message lists it; nothing changes")
    func doneRefusesDirtyWorktree() throws {
        let project = try TaskProject()
        let worktree = try project.agent("dirty", ["feature.txt": "1\n"], done: false)
        let edited = worktree + "/app/config.txt"
        try Data("name = demo\nport = 9999\n".utf8).write(to: URL(fileURLWithPath: edited))
        let result = try runGorch(["done", "dirty", "--json"], cwd: project.path)
        #expect(result.status == 1)
        let error = try errorObject(result)
        #expect(error["kind"] as? String == "stopped")
        #expect((error["message"] as? String ?? "").contains("app/config.txt"), "\(result.stdout)")
        #expect(try project.state("dirty") == "started")
        #expect(try String(contentsOfFile: edited, encoding: .utf8) == "name = demo\nport = 9999\n", "the change must stay")

        // A staged change is uncommitted too.
        try Shell.git(["add", "app/config.txt"], cwd: worktree)
        let staged = try runGorch(["done", "dirty"], cwd: project.path)
        #expect(staged.status == 1)
        #expect(staged.stderr.contains("app/config.txt"))
        #expect(try project.state("dirty") == "started")

        // Once committed, done works.
        try Shell.git(["commit", "-q", "-m", "port"], cwd: worktree)
        let report = try project.json("done", "dirty")
        #expect(report["state"] as? String == "ready")
        #expect(report["ahead"] as? Int == 2)
    }

    @Test("done is refused (exit 1) when the task has no commits ahead of main")
    func doneRefusesWithoutCommits() throws {
        let project = try TaskProject()
        try project.gorch("start", "empty")
        let result = try runGorch(["done", "empty", "--json"], cwd: project.path)
        #expect(result.status == 1)
        let error = try errorObject(result)
        #expect(error["kind"] as? String == "stopped")
        #expect((error["message"] as? String ?? "").contains("no commits"), "\(result.stdout)")
        #expect(try project.state("empty") == "started")
    }

    @Test("done accepts untracked files with a warning")
    func doneWarnsOnUntracked() throws {
        let project = try TaskProject()
        let worktree = try project.agent("loose", ["loose.txt": "1\n"], done: false)
        try Data("scratch\n".utf8).write(to: URL(fileURLWithPath: worktree + "/notes.txt"))
        let report = try project.json("done", "loose")
        #expect(report["id"] as? String == "loose")
        #expect(report["state"] as? String == "ready")
        #expect(report["ahead"] as? Int == 1)
        #expect(report["untracked"] as? [String] == ["notes.txt"])
        let warnings = report["warnings"] as? [String] ?? []
        #expect(warnings.count == 1 && warnings.first?.contains("notes.txt") == true, "\(warnings)")
        #expect(try project.state("loose") == "ready")
        #expect(FileManager.default.fileExists(atPath: worktree + "/notes.txt"))

        // Human mode: the warning goes to stderr.
        let human = try project.gorch("done", "loose")
        #expect(human.status == 0)
        #expect(human.stderr.contains("warning") && human.stderr.contains("notes.txt"), "\(human.stderr)")
        #expect(!human.stdout.contains("warning"))
    }

    @Test("done without an id works from inside the task worktree (also from a subfolder)")
    func doneFromInsideWorktree() throws {
        let project = try TaskProject()
        let worktree = try project.agent("here", ["app/here.txt": "1\n"], done: false)
        let result = try runGorch(["done", "--json"], cwd: worktree + "/app")
        #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
        #expect(try jsonDocument(result)["id"] as? String == "here")
        #expect(try project.state("here") == "ready")

        // In the main checkout there is no task to guess.
        let outside = try runGorch(["done", "--json"], cwd: project.path)
        #expect(outside.status == 2)
        #expect(try errorObject(outside)["kind"] as? String == "usage")
    }

    @Test("done of an unknown id exits 2 naming it")
    func doneUnknownID() throws {
        let project = try TaskProject()
        let result = try runGorch(["done", "ghost", "--json"], cwd: project.path)
        #expect(result.status == 2)
        let error = try errorObject(result)
        #expect(error["kind"] as? String == "usage")
        #expect((error["message"] as? String ?? "").contains("ghost"))
        let human = try project.gorch("done", "ghost")
        #expect(human.status == 2 && human.stderr.contains("ghost"))
    }

    // MARK: status

    static let taskKeys = ["id", "title", "state", "branch", "worktree", "ahead", "behind", "dirty", "scope",
                           "reservations", "conflicts_with", "lands", "note", "agent"]

    @Test("status --json: keys target, store, tasks, interrupted, train, flaky in order; each task's keys in order")
    func statusKeys() throws {
        let project = try TaskProject()
        try project.agent("one", ["one.txt": "1\n"])
        let result = try runGorch(["status", "--json"], cwd: project.path)
        #expect(result.status == 0)
        #expect(keysAppearInOrder(["target", "store", "tasks", "interrupted", "train", "flaky"], in: result.stdout), "\(result.stdout)")
        // The task object sits between "tasks" and "interrupted".
        let tasksText = try #require(result.stdout.range(of: "\"tasks\":").map { String(result.stdout[$0.upperBound...]) })
        #expect(keysAppearInOrder(Self.taskKeys, in: tasksText), "\(tasksText)")
        let status = try jsonDocument(result)
        #expect(Set(status.keys) == ["target", "store", "tasks", "interrupted", "train", "flaky"])
        #expect(isNull(status["train"]))
        #expect((status["flaky"] as? [Any])?.isEmpty == true)
        #expect(status["target"] as? String == "main")
        #expect(isNull(status["interrupted"]))
        let task = try #require((status["tasks"] as? [[String: Any]])?.first)
        #expect(Set(task.keys) == Set(Self.taskKeys))
        #expect(task["state"] as? String == "ready")
        #expect(task["branch"] as? String == "task/one")
        #expect(task["worktree"] as? String == project.worktree("one"))
        #expect(task["dirty"] as? Bool == false)
        #expect(task["reservations"] as? [Any] != nil)
        #expect(isNull(task["note"]))
    }

    @Test("status counts ahead and behind after commits on both the task and main; dirty follows tracked changes")
    func statusAheadBehindDirty() throws {
        let project = try TaskProject()
        let worktree = try project.agent("work", ["a.txt": "1\n"], done: false)
        try project.commit(in: worktree, ["b.txt": "2\n"], message: "second")
        try project.commit(in: worktree, ["c.txt": "3\n"], message: "third")
        project.repo.write("main1.txt", "m1\n")
        try project.repo.commitAll("main one")
        project.repo.write("main2.txt", "m2\n")
        try project.repo.commitAll("main two")

        var task = try #require((try project.json("status")["tasks"] as? [[String: Any]])?.first)
        #expect(task["ahead"] as? Int == 3)
        #expect(task["behind"] as? Int == 2)
        #expect(task["dirty"] as? Bool == false)

        // An untracked file is not "dirty"; a modified tracked file is.
        try Data("x\n".utf8).write(to: URL(fileURLWithPath: worktree + "/untracked.txt"))
        try Data("changed\n".utf8).write(to: URL(fileURLWithPath: worktree + "/README.md"))
        task = try #require((try project.json("status")["tasks"] as? [[String: Any]])?.first)
        #expect(task["dirty"] as? Bool == true)
        #expect(task["ahead"] as? Int == 3, "uncommitted changes do not count as commits")
        try Shell.git(["checkout", "--", "README.md"], cwd: worktree)
        task = try #require((try project.json("status")["tasks"] as? [[String: Any]])?.first)
        #expect(task["dirty"] as? Bool == false, "untracked files alone are not dirty")
    }

    @Test("conflicts_with names each other for two tasks editing the same line; [] for non-overlapping ones; exit 0")
    func statusConflicts() throws {
        let project = try TaskProject()
        try project.agent("port-a", ["app/config.txt": "name = demo\nport = 8081\n"], done: false)
        try project.agent("port-b", ["app/config.txt": "name = demo\nport = 9090\n"])
        try project.agent("docs", ["docs/guide.md": "guide\n"], done: false)
        let result = try runGorch(["status", "--json"], cwd: project.path)
        #expect(result.status == 0, "status must exit 0 even when conflicts are predicted")
        let tasks = try #require(try jsonDocument(result)["tasks"] as? [[String: Any]])
        let conflicts = Dictionary(uniqueKeysWithValues: tasks.map { ($0["id"] as? String ?? "", $0["conflicts_with"] as? [String]) })
        #expect(conflicts["port-a"] == ["port-b"])
        #expect(conflicts["port-b"] == ["port-a"])
        #expect(conflicts["docs"] == [])
        // Prediction writes nothing: no new refs, main checkout clean.
        #expect(try project.repo.git("status", "--porcelain").isEmpty)
        #expect(try project.repo.git("for-each-ref", "--format=%(refname)").split(separator: "\n").sorted()
                == ["refs/heads/main", "refs/heads/task/docs", "refs/heads/task/port-a", "refs/heads/task/port-b"])

        let human = try project.gorch("status")
        #expect(human.status == 0)
        #expect(human.stdout.contains("port-b"))
    }

    @Test("human status is an aligned table with a header naming ID and STATE")
    func statusTable() throws {
        let project = try TaskProject()
        _ = try project.json("add", "planned-task", "--title", "Later")
        try project.agent("a", ["a.txt": "1\n"])
        try project.agent("a-much-longer-id", ["b.txt": "1\n"], done: false)
        let result = try project.gorch("status")
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let headerIndex = try #require(lines.firstIndex { $0.hasPrefix("ID") && $0.contains("STATE") }, "\(result.stdout)")
        let header = lines[headerIndex]
        let stateColumn = try #require(header.range(of: "STATE")).lowerBound.utf16Offset(in: header)
        let rows = Array(lines[(headerIndex + 1)...])
        let expected = [("planned-task", "planned"), ("a", "ready"), ("a-much-longer-id", "started")]
        #expect(rows.count >= expected.count, "\(result.stdout)")
        for (id, state) in expected {
            let row = try #require(rows.first { $0.hasPrefix(id + " ") }, "no row for \(id): \(result.stdout)")
            let utf16 = Array(row.utf16)
            #expect(utf16.count > stateColumn, "\(row)")
            let tail = String(decoding: utf16.dropFirst(stateColumn), as: UTF16.self)
            #expect(tail.hasPrefix(state + " "), "STATE column misaligned in \(row.debugDescription) (header \(header.debugDescription))")
        }
        #expect(!result.stdout.contains("\u{1B}["), "no colour without a TTY")
    }
}
