import Foundation
import GorchTestSupport
import Testing

/// A run killed after the target moved (journal at `updating-target`, the target at the new
/// commit): `--continue` brings the checkout up to date if it was not yet, and finishes the
/// task's bookkeeping; doing any of it a second time changes nothing. The kill is simulated by
/// putting back what such a run leaves: the journal, the task still ready, maybe the old files.
@Suite("merge: recovery once the target moved", .timeLimit(.minutes(20)))
struct MergeLandedRecoveryTests {
    private func landedRun(checkoutUpdated: Bool) throws -> (TaskProject, before: String, after: String) {
        let project = try TaskProject()
        try project.agent("one", ["one.txt": "1\n", "README.md": "# changed\n"])
        let before = try project.rev("main")
        #expect(try project.gorch("merge", "--no-cleanup").status == 0)
        let after = try project.rev("main")
        #expect(after != before)
        if !checkoutUpdated {
            try project.repo.git("read-tree", "-u", "--reset", before)  // files and index of the old tree
        }
        let common = (project.path as NSString).appendingPathComponent(try project.repo.git("rev-parse", "--git-common-dir"))
        let gorch = (common as NSString).appendingPathComponent("gorch")
        // The task as it was before its bookkeeping: ready, no merge recorded.
        let storePath = (gorch as NSString).appendingPathComponent("tasks.json")
        var store = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: storePath))) as? [String: Any])
        store["tasks"] = (store["tasks"] as? [[String: Any]] ?? []).map { task in
            var task = task
            task["state"] = "ready"
            task["mergedAt"] = nil
            task["mergeCommit"] = nil
            return task
        }
        try JSONSerialization.data(withJSONObject: store).write(to: URL(fileURLWithPath: storePath))
        let journal: [String: Any] = [
            "version": 1, "pid": 999_999, "host": "elsewhere", "started": "2025-01-01T00:00:00.000Z", "target": "main",
            "options": ["validate": [String](), "keepGoing": false, "cleanup": true, "fastForward": false],
            "queue": ["one"], "merged": [String](), "skipped": [String](),
            "current": ["id": "one", "step": "updating-target", "oldTarget": before, "newTarget": after,
                        "previousState": "ready", "checkout": project.path],
        ]
        try JSONSerialization.data(withJSONObject: journal).write(to: URL(fileURLWithPath: (gorch as NSString).appendingPathComponent("journal.json")))
        return (project, before, after)
    }

    @Test("--continue updates the checkout, finishes the bookkeeping and closes the run", arguments: [false, true])
    func continueLanded(checkoutUpdated: Bool) throws {
        let (project, _, after) = try landedRun(checkoutUpdated: checkoutUpdated)
        let status = try project.json("status")
        #expect((status["interrupted"] as? [String: Any])?["task"] as? String == "one")
        let report = try project.json("merge", "--continue")
        #expect((report["recovered"] as? [String])?.contains { $0.contains("had landed") } == true, "\(report)")
        #expect(try project.rev("main") == after)
        #expect(try project.repo.git("status", "--porcelain").isEmpty)
        #expect(String(decoding: project.repo.read("README.md") ?? Data(), as: UTF8.self) == "# changed\n")
        #expect(project.exists("one.txt"))
        #expect(try project.state("one") == "merged")
        #expect(!project.exists(".worktrees/wt-one"))
        #expect(try !project.branchExists("task/one"))
        #expect(isNull(try project.json("status")["interrupted"]))
        try project.expectConsistent()
    }

    @Test("--abort keeps the landed merge, updates the checkout and closes the run")
    func abortLanded() throws {
        let (project, _, after) = try landedRun(checkoutUpdated: false)
        let report = try project.json("merge", "--abort")
        #expect(report["aborted"] as? Bool == true)
        #expect(try project.rev("main") == after)
        #expect(try project.repo.git("status", "--porcelain").isEmpty)
        #expect(try project.state("one") == "merged")
        #expect(isNull(try project.json("status")["interrupted"]))
    }
}
