import Foundation
import GorchTestSupport
import Testing

/// A merge killed mid-run (SIGKILL from its own validation step, `kill -9 $PPID`): the journal
/// survives, the lock does not block, and `--continue` / `--abort` end consistent.
@Suite("merge: recovery after SIGKILL", .timeLimit(.minutes(20)))
struct MergeRecoveryTests {
    /// Two ready tasks; the validation step kills gorch the first time it runs for `second`.
    private func killedRun() throws -> (TaskProject, afterFirst: String, marker: String) {
        let project = try TaskProject()
        try project.agent("first", ["first.txt": "1\n"])
        try project.agent("second", ["second.txt": "2\n"])
        try project.agent("third", ["third.txt": "3\n"])
        let marker = project.repo.directory.path + "-killed"
        let step = "if [ \"$GORCH_TASK_ID\" = second ] && [ ! -e \(marker) ]; then touch \(marker); kill -9 $PPID; sleep 5; fi"
        try project.repo.git("config", "gorch.validate", step)
        let killed = try project.gorch("merge")
        #expect(killed.status == 137 || killed.status == -9 || killed.status == 9, "gorch should have died: \(killed.status) \(killed.stderr)")
        return (project, try project.rev("main"), marker)
    }

    @Test("status reports the interrupted run; a new merge refuses; --continue merges the rest")
    func continueAfterKill() throws {
        let (project, afterFirst, marker) = try killedRun()
        defer { try? FileManager.default.removeItem(atPath: marker) }
        #expect(try project.repo.git("show", "main:first.txt") == "1")
        #expect(try project.repo.git("ls-tree", "--name-only", "main").contains("second.txt") == false)
        let status = try project.json("status")
        let interrupted = try #require(status["interrupted"] as? [String: Any])
        #expect(interrupted["reason"] as? String == "interrupted")
        #expect(interrupted["task"] as? String == "second")
        #expect(interrupted["step"] as? String == "validating")
        let refused = try project.gorch("merge")
        #expect(refused.status == 3)
        #expect(refused.stderr.contains("interrupted at task second"))

        let report = try project.json("merge", "--continue")
        let tasks = try #require(report["tasks"] as? [[String: Any]])
        #expect(tasks.map { $0["id"] as? String } == ["second", "third"])
        #expect(tasks.allSatisfy { $0["outcome"] as? String == "merged" })
        #expect(report["before"] as? String == afterFirst)
        #expect(isNull(try project.json("status")["interrupted"]))
        #expect(try project.repo.git("status", "--porcelain").isEmpty)
        try project.expectConsistent()
    }

    @Test("--abort after a kill puts the task back and closes the run; the merged task stays")
    func abortAfterKill() throws {
        let (project, afterFirst, marker) = try killedRun()
        defer { try? FileManager.default.removeItem(atPath: marker) }
        let report = try project.json("merge", "--abort")
        #expect(report["aborted"] as? Bool == true)
        #expect(try project.rev("main") == afterFirst)
        #expect(try project.state("first") == "merged")
        #expect(try project.state("second") == "ready")
        #expect(try project.state("third") == "ready")
        #expect(isNull(try project.json("status")["interrupted"]))
        // The lock was not left behind: a fresh run merges both.
        let again = try project.json("merge")
        #expect((again["tasks"] as? [[String: Any]])?.count == 2)
        try project.expectConsistent()
    }
}
