import Foundation
import GorchTestSupport
import Testing

/// `gorch init`, `gorch add` and the task id rules (DESIGN.md "Tasks", "Commands").
@Suite("lifecycle: init, add and task ids", .timeLimit(.minutes(20)))
struct LifecycleInitAddTests {
    // MARK: init

    @Test("init records gorch.target, excludes /.worktrees/ once and creates the task store; a second run changes nothing")
    func initPreparesTheRepository() throws {
        let project = try TaskProject()
        let first = try runGorch(["init", "--json"], cwd: project.path)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(keysAppearInOrder(["target", "store", "root", "changes"], in: first.stdout), "\(first.stdout)")
        let report = try jsonDocument(first)
        #expect(Set(report.keys) == ["target", "store", "root", "changes"])
        #expect(report["target"] as? String == "main")
        #expect(report["store"] as? String == "embedded")
        let root = try #require(report["root"] as? String)
        #expect(root.hasSuffix("/.git/gorch"))
        #expect((report["changes"] as? [String])?.count == 6, "\(first.stdout)")  // target, exclude, store, 3 hooks
        #expect((report["changes"] as? [String])?.contains("hook post-merge: created") == true)

        #expect(try project.repo.git("config", "--local", "gorch.target") == "main")
        #expect(project.exists(".git/gorch/tasks.json"))
        let excludePath = project.repo.absolute(".git/info/exclude")
        let exclude = try String(contentsOfFile: excludePath, encoding: .utf8)
        #expect(exclude.split(separator: "\n").filter { $0 == "/.worktrees/" }.count == 1)

        let second = try project.json("init")
        #expect((second["changes"] as? [String]) == [], "a second init must change nothing")
        #expect(try String(contentsOfFile: excludePath, encoding: .utf8) == exclude, "exclude written twice")
        // The exclusion works: a folder under .worktrees/ does not show up in git status.
        project.repo.write(".worktrees/scratch/file.txt", "x\n")
        #expect(try project.repo.git("status", "--porcelain").isEmpty)
    }

    @Test("init keeps an existing /.worktrees/ line in .git/info/exclude instead of adding another")
    func initRespectsExistingExclude() throws {
        let project = try TaskProject()
        let excludePath = project.repo.absolute(".git/info/exclude")
        try Data("*.log\n/.worktrees/\n".utf8).write(to: URL(fileURLWithPath: excludePath))
        let report = try project.json("init")
        #expect(!((report["changes"] as? [String]) ?? []).contains { $0.contains("exclude") })
        #expect(try String(contentsOfFile: excludePath, encoding: .utf8) == "*.log\n/.worktrees/\n")
    }

    @Test("init in a bare repository exits 3 naming the bare repository")
    func initInBareRepository() throws {
        let bare = try TempRepo(label: "lifecycle-bare", bare: true)
        let human = try runGorch(["init"], cwd: bare.path)
        #expect(human.status == 3)
        #expect(human.stderr.contains("bare repository") && human.stderr.contains(bare.path), "\(human.stderr)")
        #expect(human.stdout.isEmpty)

        let json = try runGorch(["init", "--json"], cwd: bare.path)
        #expect(json.status == 3)
        let error = try errorObject(json)
        #expect(error["kind"] as? String == "environment")
        #expect((error["message"] as? String ?? "").contains("bare repository"))
        // Nothing written into the bare repository.
        #expect(!FileManager.default.fileExists(atPath: (bare.path as NSString).appendingPathComponent("gorch")))
        #expect(try Shell.runGit(["config", "gorch.target"], cwd: bare.path).status != 0)
    }

    @Test("init outside any repository exits 3 with an environment error")
    func initOutsideRepository() throws {
        let empty = try TempDirectory(label: "lifecycle-no-repo")
        let result = try runGorch(["init", "--json"], cwd: empty.path)
        #expect(result.status == 3)
        let error = try errorObject(result)
        #expect(error["kind"] as? String == "environment")
        #expect((error["message"] as? String ?? "").contains(empty.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: empty.path).isEmpty)

        let human = try runGorch(["init"], cwd: empty.path)
        #expect(human.status == 3)
        #expect(human.stderr.contains("not a git repository"), "\(human.stderr)")
    }

    // MARK: add

    @Test("add creates a planned task with title, file scope and --after; it shows in status with no branch or worktree")
    func addPlannedTask() throws {
        let project = try TaskProject()
        try project.gorch("init")
        let one = try project.json("add", "one", "--title", "First one", "--files", "a.py,web/*.js")
        let task = try #require(one["task"] as? [String: Any])
        #expect(task["id"] as? String == "one")
        #expect(task["title"] as? String == "First one")
        #expect(task["state"] as? String == "planned")
        #expect(task["scope"] as? [String] == ["a.py", "web/*.js"])
        #expect(task["after"] as? [String] == [])

        let two = try project.json("add", "two", "--after", "one")
        let second = try #require(two["task"] as? [String: Any])
        #expect(second["after"] as? [String] == ["one"])
        #expect(second["title"] as? String == "two", "the title defaults to the id")
        #expect(isNull(second["scope"]), "no --files = unknown scope")

        // --files also takes several arguments.
        let three = try project.json("add", "three", "--files", "a.py", "web/*.js")
        #expect((three["task"] as? [String: Any])?["scope"] as? [String] == ["a.py", "web/*.js"])

        let status = try project.json("status")
        let tasks = try #require(status["tasks"] as? [[String: Any]])
        #expect(tasks.map { $0["id"] as? String } == ["one", "two", "three"])
        for row in tasks {
            #expect(row["state"] as? String == "planned")
            #expect(isNull(row["branch"]))
            #expect(isNull(row["worktree"]))
            #expect(isNull(row["ahead"]))
            #expect(isNull(row["behind"]))
            #expect(isNull(row["dirty"]))
            #expect(row["conflicts_with"] as? [String] == [])
        }
        #expect(tasks.first?["title"] as? String == "First one")
        #expect(tasks.first?["scope"] as? [String] == ["a.py", "web/*.js"])
        // Planning writes no branch and no worktree.
        #expect(try project.repo.git("branch", "--list", "task/*").isEmpty)
        #expect(!project.exists(".worktrees"))
    }

    @Test("add --after an unknown id exits 2 naming it; a duplicate id exits 2; nothing is added")
    func addRefusals() throws {
        let project = try TaskProject()
        _ = try project.json("add", "one", "--title", "Original")

        let unknown = try runGorch(["add", "two", "--after", "one,nope", "--json"], cwd: project.path)
        #expect(unknown.status == 2)
        let unknownError = try errorObject(unknown)
        #expect(unknownError["kind"] as? String == "usage")
        #expect((unknownError["message"] as? String ?? "").contains("nope"), "\(unknown.stdout)")

        let invalidAfter = try runGorch(["add", "two", "--after", "bad/id", "--json"], cwd: project.path)
        #expect(invalidAfter.status == 2)
        #expect((try errorObject(invalidAfter)["message"] as? String ?? "").contains("bad/id"))

        let duplicate = try runGorch(["add", "one", "--title", "Replacement", "--json"], cwd: project.path)
        #expect(duplicate.status == 2)
        let duplicateError = try errorObject(duplicate)
        #expect(duplicateError["kind"] as? String == "usage")
        #expect((duplicateError["message"] as? String ?? "").contains("one"))

        let human = try runGorch(["add", "one"], cwd: project.path)
        #expect(human.status == 2)
        #expect(human.stderr.contains("one") && human.stdout.isEmpty)

        let tasks = try #require(try project.json("status")["tasks"] as? [[String: Any]])
        #expect(tasks.map { $0["id"] as? String } == ["one"])
        #expect(tasks.first?["title"] as? String == "Original")
    }

    // MARK: task ids

    /// Invalid ids and a fragment the error message must contain to name the problem.
    static let invalidIDs: [(String, String)] = [
        ("a/b", "'/'"),
        ("..x", "'.'"),
        ("a..b", "'..'"),
        ("has space", "space"),
        ("new\nline", "newline"),
        ("tâche", "not allowed"),
        ("-x", "'-'"),
        (".hidden", "starts with '.'"),
        (String(repeating: "a", count: 65), "64"),
        ("feature.lock", ".lock"),
        ("", "empty"),
        ("trailing.", "ends with '.'"),
        ("tab\there", "tab"),
    ]

    @Test("invalid task ids exit 2 with a usage error naming the problem, for start and add; nothing is created")
    func invalidTaskIDs() throws {
        let project = try TaskProject()
        for (id, fragment) in Self.invalidIDs {
            for command in ["start", "add"] {
                // `--` so that an id starting with '-' reaches gorch as the positional argument.
                let result = try runGorch([command, "--json", "--", id], cwd: project.path)
                #expect(result.status == 2, "\(command) \(id.debugDescription): \(result.stdout) \(result.stderr)")
                let error = try errorObject(result)
                #expect(error["kind"] as? String == "usage", "\(command) \(id.debugDescription)")
                let message = error["message"] as? String ?? ""
                #expect(message.contains("invalid task id"), "\(command) \(id.debugDescription): \(message)")
                #expect(message.contains(fragment), "\(command) \(id.debugDescription): \(message) lacks \(fragment)")
            }
            let human = try runGorch(["start", "--", id], cwd: project.path)
            #expect(human.status == 2 && human.stdout.isEmpty, "start \(id.debugDescription): \(human.stdout)")
            #expect(human.stderr.contains("invalid task id"))
        }
        #expect(try project.repo.git("branch", "--list", "task/*").isEmpty)
        #expect(!project.exists(".worktrees"))
        #expect(try project.repo.git("worktree", "list", "--porcelain").components(separatedBy: "worktree ").count == 2)
        #expect((try project.json("status")["tasks"] as? [Any])?.isEmpty == true)
    }

    @Test("invalid ids are refused by done, merge and add --after too (exit 2)")
    func invalidIDsElsewhere() throws {
        let project = try TaskProject()
        for arguments in [["done", "--json", "--", "a/b"], ["merge", "--json", "--", "a..b"], ["add", "ok", "--after", "x y/z", "--json"]] {
            let result = try runGorch(arguments, cwd: project.path)
            #expect(result.status == 2, "\(arguments): \(result.stdout) \(result.stderr)")
            #expect(try errorObject(result)["kind"] as? String == "usage")
        }
        #expect((try project.json("status")["tasks"] as? [Any])?.isEmpty == true)
    }

    @Test("valid ids are accepted: proj-a1b2.3, A_b-9 and 64 characters")
    func validTaskIDs() throws {
        let project = try TaskProject()
        let long = String(repeating: "x", count: 63) + "9"
        for id in ["proj-a1b2.3", "A_b-9", long] {
            let result = try runGorch(["start", id], cwd: project.path)
            #expect(result.status == 0, "start \(id): \(result.stderr)")
            #expect(result.stdout == project.worktree(id) + "\n")
            #expect(try project.branchExists("task/\(id)"))
            #expect(try project.state(id) == "started")
        }
        let added = try project.json("add", "B.c_d-1", "--after", "proj-a1b2.3")
        #expect((added["task"] as? [String: Any])?["after"] as? [String] == ["proj-a1b2.3"])
    }
}
