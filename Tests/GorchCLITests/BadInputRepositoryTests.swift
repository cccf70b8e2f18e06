import Foundation
import GorchTestSupport
import Testing

/// The repository not being what gorch needs: no repository, a bare one, a missing target, a
/// task's branch or worktree deleted by hand, a locked worktree.
@Suite("bad input: the repository", .timeLimit(.minutes(20)))
struct BadInputRepositoryTests {
    /// Every file below `path` (a listing, to show nothing was created).
    static func listing(_ path: String) -> [String] {
        (FileManager.default.enumerator(atPath: path)?.allObjects as? [String] ?? []).sorted()
    }

    @Test("outside any repository every command exits 3 naming the folder, with --repo as the fix; nothing is created",
          arguments: [["start", "t1"], ["add", "t1"], ["done", "t1"], ["merge"], ["status"], ["batch"], ["cleanup"],
                      ["sync"], ["plan", "c"], ["populate", "c"], ["init"], ["doctor"], ["run", "t1"]])
    func notARepository(arguments: [String]) throws {
        let empty = try TempDirectory(label: "bad-no-repo")
        try Data("x\n".utf8).write(to: URL(fileURLWithPath: empty.path + "/file.txt"))
        let command = arguments + ["--json"] + (arguments.first == "run" ? ["--", "touch", "ran"] : [])
        let result = try runGorch(command, cwd: empty.path)
        try expectRefusal(result, exit: 3, kind: "environment", message: ["not a git repository: \(empty.path)"], hint: ["--repo"])
        #expect(Self.listing(empty.path) == ["file.txt"])
        // The same through --repo, from elsewhere.
        let elsewhere = try TempDirectory(label: "bad-elsewhere")
        let viaRepo = try runGorch(["--repo", empty.path] + command, cwd: elsewhere.path)
        try expectRefusal(viaRepo, exit: 3, kind: "environment", message: ["not a git repository: \(empty.path)"])
        #expect(Self.listing(empty.path) == ["file.txt"] && Self.listing(elsewhere.path).isEmpty)
    }

    @Test("a bare repository: start and merge exit 3 naming it, done and run refuse; no ref, worktree or config is written")
    func bareRepository() throws {
        let source = try TaskProject()
        let bare = try TempDirectory(label: "bad-bare")
        try Shell.git(["clone", "-q", "--bare", source.path, bare.path + "/r.git"], cwd: bare.path)
        let repo = bare.path + "/r.git"
        let before = try BadInputSnapshot(repo)
        for arguments in [["start", "t1"], ["start", "t1", "--base", "main"]] {
            let result = try runGorch(arguments + ["--json"], cwd: repo)
            try expectRefusal(result, exit: 3, kind: "environment", message: ["gorch start needs a work tree", "is a bare repository"],
                              hint: ["clone"])
        }
        let merge = try runGorch(["--repo", repo, "--json", "merge"], cwd: bare.path)
        try expectRefusal(merge, exit: 3, kind: "environment", message: ["gorch merge needs a work tree", "is a bare repository"])
        // Nothing was started, so done and run have nothing to work on.
        try expectRefusal(try runGorch(["--repo", repo, "--json", "done", "t1"], cwd: bare.path), exit: 2, kind: "usage",
                          message: ["no task t1"])
        try expectRefusal(try runGorch(["--repo", repo, "run", "t1", "--json", "--", "true"], cwd: bare.path), exit: 2, kind: "usage",
                          message: ["no task t1"])
        #expect(try BadInputSnapshot(repo) == before)
        #expect(!FileManager.default.fileExists(atPath: repo + "/worktrees"))
    }

    @Test("a target that does not exist (--target, or gorch.target naming a deleted branch): exit 3 naming it; nothing changes")
    func missingTarget() throws {
        let project = try TaskProject()
        try project.agent("ready", ["ready.txt": "x\n"])
        try project.repo.git("branch", "release")
        try project.repo.git("config", "gorch.target", "release")
        try project.repo.git("branch", "-D", "release")
        let before = try BadInputSnapshot(project.path)
        for arguments in [["start", "t1"], ["merge"], ["merge", "ready"], ["status"], ["done", "ready"], ["batch"]] {
            let result = try runGorch(arguments + ["--json"], cwd: project.path)
            try expectRefusal(result, exit: 3, kind: "environment", message: ["target 'release'"], hint: ["--target"])
        }
        for arguments in [["start", "t2", "--target", "nope"], ["merge", "--target", "nope"], ["conflicts", "main", "--target", "nope"]] {
            let result = try runGorch(arguments + ["--json"], cwd: project.path)
            try expectRefusal(result, exit: 3, kind: "environment", message: ["'nope'"], hint: ["nope"])
        }
        #expect(try BadInputSnapshot(project.path) == before)
    }

    @Test("branch deleted by hand under a live worktree: done, start and run exit 3 naming the branch and the commit that restores it")
    func branchDeletedUnderTheWorktree() throws {
        let project = try TaskProject()
        try project.agent("gone", ["gone.txt": "x\n"], done: false)
        let last = try Shell.git(["rev-parse", "HEAD"], cwd: project.worktree("gone"))
        try project.repo.git("update-ref", "-d", "refs/heads/task/gone")
        let before = try BadInputSnapshot(project.path)
        for arguments in [["done", "gone"], ["start", "gone"], ["run", "gone", "--json", "--", "sh", "-c", "touch ran; git add ran; git commit -qm ran"]] {
            let result = try runGorch(arguments + (arguments.first == "run" ? [] : ["--json"]), cwd: project.path)
            try expectRefusal(result, exit: 3, kind: "environment", message: ["branch task/gone of task gone does not exist"],
                              hint: ["git branch task/gone \(last)"])
        }
        #expect(try BadInputSnapshot(project.path) == before)
        #expect(!project.exists(".worktrees/wt-gone/ran"))
        #expect(try project.state("gone") == "started")
        // The hint's command brings it back, and done works.
        try project.repo.git("branch", "task/gone", last)
        #expect(try project.gorch("done", "gone").status == 0)
    }

    @Test("worktree folder deleted by hand: run exits 3 naming it (start recreates it); merge of a ready task needs only its branch")
    func worktreeDeletedByHand() throws {
        let project = try TaskProject()
        try project.agent("lost", ["lost.txt": "x\n"], done: false)
        try FileManager.default.removeItem(atPath: project.worktree("lost"))
        let before = try BadInputSnapshot(project.path)
        let run = try runGorch(["run", "lost", "--json", "--", "touch", "ran"], cwd: project.path)
        try expectRefusal(run, exit: 3, kind: "environment", message: ["task lost has no worktree"], hint: ["gorch start lost"])
        #expect(try BadInputSnapshot(project.path) == before)
        #expect(try project.state("lost") == "started")

        try project.agent("shipped", ["shipped.txt": "x\n"])
        try FileManager.default.removeItem(atPath: project.worktree("shipped"))
        let merge = try project.json("merge", "shipped")
        #expect((merge["tasks"] as? [[String: Any]])?.first?["outcome"] as? String == "merged", "\(merge)")
        #expect(try project.repo.git("show", "main:shipped.txt") == "x")
        try project.expectConsistent()
    }

    @Test("a locked worktree (git worktree lock) survives merge's cleanup and plain cleanup, with the reason; cleanup --force removes it")
    func lockedWorktree() throws {
        let project = try TaskProject()
        try project.agent("held", ["held.txt": "x\n"])
        try project.repo.git("worktree", "lock", "--reason", "on a USB disk", project.worktree("held"))
        let merge = try project.json("merge")
        let task = try #require((merge["tasks"] as? [[String: Any]])?.first)
        #expect(task["outcome"] as? String == "merged")
        #expect((task["warnings"] as? [String] ?? []).contains { $0.contains("locked") }, "\(task)")
        #expect(project.exists(".worktrees/wt-held/held.txt"))

        let plain = try project.json("cleanup")
        let action = try #require((plain["actions"] as? [[String: Any]])?.first { $0["kind"] as? String == "worktree" })
        #expect(action["done"] as? Bool == false)
        #expect((action["skipped"] as? String)?.contains("locked") == true, "\(action)")
        #expect(project.exists(".worktrees/wt-held/held.txt"))
        #expect(try project.repo.git("worktree", "list").contains("locked"))

        let forced = try project.json("cleanup", "--force")
        #expect((forced["actions"] as? [[String: Any]] ?? []).allSatisfy { $0["done"] as? Bool == true }, "\(forced)")
        #expect(!project.exists(".worktrees/wt-held"))
        #expect(try !project.branchExists("task/held"))
        try project.expectConsistent()
    }
}
