import Foundation
import GorchTestSupport
import Testing

/// The validation gate, the checked-out target, and things deleted by hand.
@Suite("merge: validation and the checked-out target", .timeLimit(.minutes(20)))
struct MergeGateTests {
    @Test("a failing validation leaves the target where it was and marks the task failed")
    func failingValidation() throws {
        let project = try TaskProject()
        try project.agent("broken", ["broken.txt": "x\n"])
        let before = try project.rev("main")
        let report = try project.json("merge", "--validate", "echo checking {id}; echo boom >&2; exit 4", status: 1)
        let task = try #require((report["tasks"] as? [[String: Any]])?.first)
        #expect(task["outcome"] as? String == "failed")
        let step = try #require((task["validation"] as? [[String: Any]])?.first)
        #expect(step["exit_code"] as? Int == 4)
        #expect(step["timed_out"] as? Bool == false)
        #expect(try project.rev("main") == before)
        #expect(try project.state("broken") == "failed")
        #expect(project.exists(".worktrees/wt-broken"))
        #expect(try project.branchExists("task/broken"))
        let log = try String(contentsOfFile: try #require(task["log"] as? String), encoding: .utf8)
        #expect(log.contains("checking broken") && log.contains("boom"))
        // The failure closes the run.
        #expect(isNull(try project.json("status")["interrupted"]))
    }

    @Test("a hanging validation is killed at gorch.validateTimeout; the target stays")
    func hangingValidation() throws {
        let project = try TaskProject()
        try project.repo.git("config", "gorch.validateTimeout", "1s")
        try project.agent("slow", ["slow.txt": "x\n"])
        let before = try project.rev("main")
        let started = Date()
        let report = try project.json("merge", "--validate", "sleep 600", status: 1)
        #expect(Date().timeIntervalSince(started) < 300)  // killed, not waited for
        let task = try #require((report["tasks"] as? [[String: Any]])?.first)
        #expect(task["outcome"] as? String == "failed")
        let step = try #require((task["validation"] as? [[String: Any]])?.first)
        #expect(step["timed_out"] as? Bool == true)
        #expect(try project.rev("main") == before)
        #expect(try project.state("slow") == "failed")
    }

    @Test("validation runs in the reused validation worktree on the merged tree, with gorch.validate from config")
    func validationWorktree() throws {
        let project = try TaskProject()
        try project.repo.git("config", "--add", "gorch.validate", "test -f one.txt")
        try project.repo.git("config", "--add", "gorch.validate", "pwd > \"$GORCH_TARGET.where\"")
        try project.agent("one", ["one.txt": "1\n"])
        let report = try project.json("merge")
        #expect((report["tasks"] as? [[String: Any]])?.first?["outcome"] as? String == "merged")
        let validate = try project.repo.git("rev-parse", "--git-common-dir") + "/gorch/validate"
        let wherePath = (project.path as NSString).appendingPathComponent(validate + "/main.where")
        #expect(try String(contentsOfFile: wherePath, encoding: .utf8).contains("/gorch/validate"))
    }

    @Test("local changes in the main checkout: unrelated ones are kept and main moves; overlapping ones refuse")
    func dirtyCheckout() throws {
        let project = try TaskProject()
        try project.agent("docs", ["README.md": "# project\n\nMore.\n"])
        try project.agent("config", ["app/config.txt": "name = new\nport = 8080\n"])
        // Unrelated edit (unstaged) plus an untracked file: not in the way of `docs`.
        project.repo.write("app/config.txt", "name = local edit\nport = 8080\n")
        project.repo.write("notes.txt", "mine\n")
        let first = try project.json("merge", "docs")
        #expect((first["tasks"] as? [[String: Any]])?.first?["outcome"] as? String == "merged")
        #expect(try project.repo.git("show", "main:README.md") == "# project\n\nMore.")
        #expect(String(decoding: project.repo.read("README.md") ?? Data(), as: UTF8.self) == "# project\n\nMore.\n")
        #expect(String(decoding: project.repo.read("app/config.txt") ?? Data(), as: UTF8.self) == "name = local edit\nport = 8080\n")
        #expect(try project.repo.git("status", "--porcelain") == " M app/config.txt\n?? notes.txt")

        // `config` changes the file with the local edit: refused, nothing moved or lost.
        let before = try project.rev("main")
        let second = try project.json("merge", "config", status: 1)
        let task = try #require((second["tasks"] as? [[String: Any]])?.first)
        #expect(task["outcome"] as? String == "refused")
        #expect((task["message"] as? String)?.contains("app/config.txt") == true)
        #expect(try project.rev("main") == before)
        #expect(String(decoding: project.repo.read("app/config.txt") ?? Data(), as: UTF8.self) == "name = local edit\nport = 8080\n")
        #expect(try project.state("config") == "ready")
        #expect(isNull(try project.json("status")["interrupted"]))
    }

    @Test("an untracked file where the merge adds one refuses; staged changes to merged paths too")
    func untrackedInTheWay() throws {
        let project = try TaskProject()
        try project.agent("adds", ["new.txt": "from task\n"])
        project.repo.write("new.txt", "mine, untracked\n")
        let before = try project.rev("main")
        let report = try project.json("merge", status: 1)
        #expect((report["tasks"] as? [[String: Any]])?.first?["outcome"] as? String == "refused")
        #expect(try project.rev("main") == before)
        #expect(String(decoding: project.repo.read("new.txt") ?? Data(), as: UTF8.self) == "mine, untracked\n")

        project.repo.remove("new.txt")
        try project.agent("edits", ["README.md": "# changed\n"])
        project.repo.write("README.md", "# staged\n")
        try project.repo.git("add", "README.md")
        let staged = try project.json("merge", "edits", status: 1)
        #expect((staged["tasks"] as? [[String: Any]])?.first?["outcome"] as? String == "refused")
        #expect(try project.repo.git("diff", "--cached", "--name-only") == "README.md")
    }

    @Test("a task branch deleted by hand, or its worktree, gives a clear error")
    func deletedByHand() throws {
        let project = try TaskProject()
        try project.agent("gone", ["gone.txt": "x\n"])
        try project.repo.git("worktree", "remove", "--force", project.worktree("gone"))
        try project.repo.git("branch", "-D", "task/gone")
        let merge = try project.gorch("merge", "gone")
        #expect(merge.status == 3)
        #expect(merge.stderr.contains("branch task/gone of task gone does not exist"))
        #expect(merge.stderr.contains("hint:"))
        // The run closed: nothing stays open.
        #expect(isNull(try project.json("status")["interrupted"]))

        try project.agent("lost", ["lost.txt": "x\n"], done: false)
        try FileManager.default.removeItem(atPath: project.worktree("lost"))
        let done = try project.gorch("done", "lost")
        #expect(done.status == 3)
        #expect(done.stderr.contains("worktree of task lost is missing"))
        #expect(done.stderr.contains("gorch start lost"))
        // start recreates it from the branch, commits intact.
        #expect(try project.gorch("start", "lost").status == 0)
        #expect(project.exists(".worktrees/wt-lost/lost.txt"))
    }
}
