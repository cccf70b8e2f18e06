import Foundation
import GorchTestSupport
import Testing

/// A complex conflict stops the queue with the target untouched and hands the conflict to the
/// task's worktree; `--continue` after a resolution commit, or `--abort`.
@Suite("merge: complex conflicts", .timeLimit(.minutes(20)))
struct MergeConflictTests {
    /// Three tasks; `second` rewrites the line `first` rewrote: it stops the run, `third` waits.
    private func stoppedRun() throws -> (TaskProject, before: String, report: [String: Any]) {
        let project = try TaskProject()
        try project.agent("first", ["app/config.txt": "name = first\nport = 8080\n"])
        try project.agent("second", ["app/config.txt": "name = second\nport = 8080\n", "second.txt": "2\n"])
        try project.agent("third", ["third.txt": "3\n"])
        let report = try project.json("merge", status: 1)
        return (project, try project.rev("main"), report)
    }

    @Test("the run stops at the conflict: target untouched, conflict in the task's worktree, exit 1")
    func stops() throws {
        let (project, afterFirst, report) = try stoppedRun()
        let tasks = try #require(report["tasks"] as? [[String: Any]])
        #expect(tasks.map { $0["outcome"] as? String } == ["merged", "conflicted", "not-attempted"])
        let conflicts = try #require(tasks[1]["conflicts"] as? [[String: Any]])
        #expect(conflicts.map { $0["path"] as? String } == ["app/config.txt"])
        #expect(report["after"] as? String == afterFirst)
        let stopped = try #require(report["stopped"] as? [String: Any])
        #expect(stopped["task"] as? String == "second")
        #expect(stopped["worktree"] as? String == project.worktree("second"))
        // main holds only the first task; its checkout is clean.
        #expect(try project.repo.git("show", "main:app/config.txt") == "name = first\nport = 8080")
        #expect(try project.repo.git("status", "--porcelain").isEmpty)

        // The worktree looks exactly like a conflicted `git merge main` there.
        let worktree = project.worktree("second")
        #expect(try Shell.git(["status", "--porcelain"], cwd: worktree) == "UU app/config.txt")
        #expect(try Shell.git(["rev-parse", "MERGE_HEAD"], cwd: worktree) == afterFirst)
        let text = try String(contentsOfFile: worktree + "/app/config.txt", encoding: .utf8)
        #expect(text == "<<<<<<< HEAD\nname = second\n=======\nname = first\n>>>>>>> main\nport = 8080\n")
        #expect(try project.state("second") == "conflicted")
        #expect(try project.state("third") == "ready")

        // status reports the open run; a new merge refuses (exit 3) naming it.
        let status = try project.json("status")
        let interrupted = try #require(status["interrupted"] as? [String: Any])
        #expect(interrupted["task"] as? String == "second")
        #expect(interrupted["reason"] as? String == "conflict")
        #expect(interrupted["remaining"] as? [String] == ["second", "third"])
        let again = try project.gorch("merge")
        #expect(again.status == 3)
        #expect(again.stderr.contains("task second stopped on a conflict"))
        #expect(again.stderr.contains("gorch merge --continue"))
        try project.expectConsistent()
    }

    @Test("--continue refuses until the resolution is committed, then merges it and the rest")
    func continueAfterResolution() throws {
        let (project, _, _) = try stoppedRun()
        let worktree = project.worktree("second")
        let early = try project.gorch("merge", "--continue")
        #expect(early.status == 1)
        #expect(early.stderr.contains("still has a merge in progress"))

        try Data("name = second\nport = 8080\n".utf8).write(to: URL(fileURLWithPath: worktree + "/app/config.txt"))
        try Shell.git(["add", "-A"], cwd: worktree)
        try Shell.git(["commit", "-q", "--no-edit"], cwd: worktree)
        let report = try project.json("merge", "--continue")
        let tasks = try #require(report["tasks"] as? [[String: Any]])
        #expect(tasks.map { $0["id"] as? String } == ["second", "third"])
        #expect(tasks.allSatisfy { $0["outcome"] as? String == "merged" })
        #expect(isNull(report["stopped"]))
        #expect(try project.repo.git("show", "main:app/config.txt") == "name = second\nport = 8080")
        #expect(project.exists("third.txt") && project.exists("second.txt"))
        #expect(try project.state("second") == "merged")
        let status = try project.json("status")
        #expect(isNull(status["interrupted"]))
        // Nothing left to continue.
        let nothing = try project.gorch("merge", "--continue")
        #expect(nothing.status == 0)
        #expect(nothing.stdout.contains("no merge run to continue"))
        try project.expectConsistent()
    }

    @Test("--abort undoes the conflicted merge in the worktree and closes the run; merged tasks stay")
    func abort() throws {
        let (project, afterFirst, _) = try stoppedRun()
        let worktree = project.worktree("second")
        let secondTip = try project.rev("task/second")
        let report = try project.json("merge", "--abort")
        #expect(report["aborted"] as? Bool == true)
        #expect(try project.rev("main") == afterFirst)
        #expect(try Shell.git(["status", "--porcelain"], cwd: worktree).isEmpty)
        #expect(try Shell.runGit(["rev-parse", "-q", "--verify", "MERGE_HEAD"], cwd: worktree).status != 0)
        #expect(try project.rev("task/second") == secondTip)
        #expect(try String(contentsOfFile: worktree + "/app/config.txt", encoding: .utf8) == "name = second\nport = 8080\n")
        #expect(try project.state("first") == "merged")
        #expect(try project.state("second") == "ready")
        #expect(isNull(try project.json("status")["interrupted"]))
        // The run is closed: a new merge may start (and stops on the same conflict again).
        #expect(try project.gorch("merge", "third").status == 0)
        let nothing = try project.json("merge", "--abort")
        #expect(nothing["aborted"] as? Bool == false)
        try project.expectConsistent()
    }

    @Test("--keep-going skips the conflicted task and merges the rest")
    func keepGoing() throws {
        let project = try TaskProject()
        try project.agent("first", ["app/config.txt": "name = first\nport = 8080\n"])
        try project.agent("second", ["app/config.txt": "name = second\nport = 8080\n"])
        try project.agent("third", ["third.txt": "3\n"])
        let report = try project.json("merge", "--keep-going", status: 1)
        let tasks = try #require(report["tasks"] as? [[String: Any]])
        #expect(tasks.map { $0["outcome"] as? String } == ["merged", "conflicted", "merged"])
        #expect(isNull(report["stopped"]))
        #expect(isNull(try project.json("status")["interrupted"]))
        #expect(try Shell.git(["status", "--porcelain"], cwd: project.worktree("second")) == "UU app/config.txt")
    }
}
