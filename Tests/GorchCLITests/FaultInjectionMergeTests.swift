import Foundation
import GorchTestSupport
import Testing

/// Every fault point a `gorch merge` passes (docs/RELIABILITY.md "Fault points"): killed there by
/// SIGKILL, `status` reports the run, and both `--continue` and `--abort` end consistent.
@Suite("fault injection: merge", .enabled(if: faultPointsCompiledIn, "fault points are compiled into debug builds only"), .timeLimit(.minutes(20)))
struct FaultInjectionMergeTests {
    /// Points on the merge path; `@2` ones fire at the second task (`merge.validation-locked`
    /// does at its first visit: the first task creates the validation worktree, the second resets it). The cleanup points fire inside
    /// the merge's step 7 (TaskCleaner). `clash` conflicts with `first`, so the third task
    /// reaches the conflict points.
    static let points = [
        "merge.locked", "merge.journal-partial", "merge.validating", "merge.validation-locked", "merge.validated", "merge.ref-locked", "merge.target-moved",
        "merge.index-locked", "merge.checkout-written", "merge.checkout-partial", "merge.checkout-updated", "merge.marked", "cleanup.worktree-removed",
        "cleanup.branch-deleted", "merge.cleaned", "merge.conflict-journaled", "merge.handed-back",
        "merge.ref-locked@2", "merge.index-locked@2", "merge.checkout-written@2", "merge.checkout-partial@2", "merge.marked@2",
    ]
    static let tasks = ["first", "second", "clash"]

    /// Three ready tasks and a merge killed at `point`.
    private func killed(at point: String) throws -> TaskProject {
        let project = try TaskProject(label: "fault-" + point)
        try project.agent("first", ["shared.txt": "first\n"])
        try project.agent("second", ["second.txt": "2\n"])
        try project.agent("clash", ["shared.txt": "clash\n"])
        let run = try runGorch(fault: point, ["merge", "first", "second", "clash", "--validate", "true"], in: project)
        #expect(killedBySIGKILL(run), "\(point): gorch should have died: \(run.status) \(run.stderr)")
        try expectReported(project, point)
        return project
    }

    /// After the kill `status` reports the run (a kill before the first journal write changed
    /// nothing, so there is nothing to report), and a new merge refuses while it is open.
    private func expectReported(_ project: TaskProject, _ point: String) throws {
        let status = try project.json("status")
        if point == "merge.locked" || point == "merge.journal-partial" {
            // Nothing was written (a journal's temp file is not a journal): nothing to report.
            #expect(isNull(status["interrupted"]), "\(point): nothing was written, nothing to report")
            return
        }
        let interrupted = try #require(status["interrupted"] as? [String: Any], "\(point): status does not report the run")
        #expect(interrupted["reason"] as? String == "interrupted", "\(point): \(interrupted)")
        let refused = try project.gorch("merge")
        #expect(refused.status == 3 && refused.stderr.contains("interrupted"), "\(point): \(refused.stderr)")
    }

    /// The non-conflicting tasks end merged exactly once; `clash` is conflicted or back to ready,
    /// its branch intact.
    private func expectFinished(_ project: TaskProject, _ context: String) throws {
        #expect(try project.state("first") == "merged", "\(context)")
        #expect(try project.state("second") == "merged", "\(context)")
        #expect(["conflicted", "ready"].contains(try project.state("clash")), "\(context)")
        #expect(try project.repo.git("show", "main:shared.txt") == "first", "\(context)")
        #expect(try project.repo.git("show", "main:second.txt") == "2", "\(context)")
        try project.expectRecovered(tasks: Self.tasks, context)
    }

    @Test("killed at each point, --continue finishes the run", arguments: points)
    func continueAfterKill(point: String) throws {
        let project = try killed(at: point)
        let resumed = try project.gorch("merge", "--continue", "--json")
        #expect(resumed.status == 0 || resumed.status == 1, "\(point): --continue: \(resumed.status) \(resumed.stderr)")
        try project.expectRecovered(tasks: Self.tasks, "\(point) after --continue")
        // The run stops on `clash` (or had already): close it, then a new run merges what is left.
        let aborted = try project.gorch("merge", "--abort")
        #expect(aborted.status == 0, "\(point): --abort: \(aborted.stderr)")
        let rest = try project.gorch("merge", "--validate", "true", "--json")
        #expect(rest.status == 0 || rest.status == 1, "\(point): merge: \(rest.stderr)")
        try expectFinished(project, "\(point) after --continue")
    }

    @Test("killed again while --continue recovers, a second --continue still ends consistent",
          arguments: [("merge.target-moved", "merge.marked"), ("merge.ref-locked", "merge.ref-locked"),
                      ("merge.index-locked", "merge.cleaned"), ("merge.handed-back", "merge.handed-back")])
    func killedTwice(first: String, second: String) throws {
        let project = try killed(at: first)
        let again = try runGorch(fault: second, ["merge", "--continue"], in: project)
        #expect(killedBySIGKILL(again), "\(first) then \(second): \(again.status) \(again.stderr)")
        let resumed = try project.gorch("merge", "--continue", "--json")
        #expect(resumed.status == 0 || resumed.status == 1, "\(first) then \(second): \(resumed.stderr)")
        try project.expectRecovered(tasks: Self.tasks, "\(first) then \(second)")
        #expect(try project.gorch("merge", "--abort").status == 0)
        #expect([0, 1].contains(try project.gorch("merge", "--validate", "true").status))
        try expectFinished(project, "\(first) then \(second)")
    }

    @Test("doctor names an old lock file and how to clear it; --continue leaves a lock older than the run alone")
    func doctorReportsLeftLocks() throws {
        let project = try killed(at: "merge.ref-locked")
        let lock = project.path + "/.git/refs/heads/main.lock"
        let fresh = try jsonDocument(try project.gorch("doctor", "--json"))["checks"] as? [[String: Any]]
        #expect(fresh?.first { $0["name"] as? String == "locks" }?["status"] as? String == "ok", "a lock under a minute old may be live")
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-120)], ofItemAtPath: lock)
        let checks = try #require(try jsonDocument(try project.gorch("doctor", "--json"))["checks"] as? [[String: Any]])
        let locks = try #require(checks.first { $0["name"] as? String == "locks" })
        #expect(locks["status"] as? String == "warning")
        #expect((locks["detail"] as? String)?.contains(lock) == true, "\(locks)")
        #expect((locks["fix"] as? String)?.contains("gorch merge --continue") == true, "\(locks)")
        // Two minutes older than the journal's write is outside the run's window: a person's lock
        // is left alone even by --continue, which then reports it.
        let resumed = try project.gorch("merge", "--continue")
        #expect(resumed.status != 0 && FileManager.default.fileExists(atPath: lock), "\(resumed.stderr)")
        #expect(resumed.stderr.contains("main.lock"), "\(resumed.stderr)")
    }

    @Test("killed at each point, --abort undoes only the task in flight", arguments: points)
    func abortAfterKill(point: String) throws {
        let project = try killed(at: point)
        let before = try project.rev("main")
        let aborted = try project.gorch("merge", "--abort", "--json")
        #expect(aborted.status == 0, "\(point): --abort: \(aborted.status) \(aborted.stderr)")
        #expect(try project.rev("main") == before, "\(point): --abort moved the target")
        #expect(isNull(try project.json("status")["interrupted"]), "\(point): the run is still open after --abort")
        try project.expectRecovered(tasks: Self.tasks, "\(point) after --abort")
        let rest = try project.gorch("merge", "--validate", "true", "--json")
        #expect(rest.status == 0 || rest.status == 1, "\(point): merge after --abort: \(rest.stderr)")
        try expectFinished(project, "\(point) after --abort")
    }
}
