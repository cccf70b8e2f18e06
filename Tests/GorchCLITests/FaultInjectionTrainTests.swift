import Foundation
import GorchTestSupport
import Testing

/// A merge train killed by SIGKILL at each of its steps (docs/RELIABILITY.md "Fault points"):
/// `--continue` and `--abort` both end consistent, and the target only ever held validated
/// tips: every value in its reflog after the start is a commit whose tree a validation saw.
@Suite("fault injection: merge trains", .enabled(if: faultPointsCompiledIn, "fault points are compiled into debug builds only"), .timeLimit(.minutes(20)))
struct FaultInjectionTrainTests {
    /// `bravo` breaks the build. The first train (4 tasks) fails at its tip, bisects (prefix 2
    /// fails, prefix 1 passes), lands `alpha` and fails `bravo`; with --keep-going a second
    /// train (`charlie delta`) lands. `@2` points fire in the second train.
    static let points = [
        "merge.train-built", "merge.train-validating", "merge.train-validating@2", "merge.validation-locked@2", "merge.train-landing",
        "merge.ref-locked", "merge.target-moved", "merge.index-locked", "merge.checkout-partial", "merge.checkout-updated", "merge.marked",
        "merge.cleaned", "merge.train-culprit", "merge.train-built@2", "merge.train-landing@2", "merge.target-moved@2", "merge.checkout-partial@2",
    ]
    static let tasks = ["alpha", "bravo", "charlie", "delta"]

    private func project(_ label: String) throws -> (TaskProject, String) {
        let project = try TaskProject(label: "train-" + label)
        for id in Self.tasks {
            var files = ["\(id).txt": "\(id)\n"]
            if id == "bravo" { files["BROKEN"] = "bravo breaks the build\n" }
            try project.agent(id, files)
        }
        // The validation records each tree it saw, outside the repository, then fails on BROKEN.
        let seen = project.path + "/.git/test-validated-trees"
        return (project, "git rev-parse 'HEAD^{tree}' >> '\(seen)'; test ! -e BROKEN")
    }

    private func killed(at point: String) throws -> (TaskProject, String) {
        let (project, validate) = try project(point)
        let run = try runGorch(fault: point, ["merge", "--batch", "4", "--keep-going", "--validate", validate], in: project)
        #expect(killedBySIGKILL(run), "\(point): gorch should have died: \(run.status) \(run.stderr)")
        let status = try project.json("status")
        let interrupted = try #require(status["interrupted"] as? [String: Any], "\(point): status does not report the run")
        #expect(interrupted["reason"] as? String == "interrupted", "\(point): \(interrupted)")
        return (project, validate)
    }

    /// Every tree the target held since the run began was validated.
    private func expectOnlyValidatedTips(_ project: TaskProject, _ context: String) throws {
        let seen = Set((try? String(contentsOfFile: project.path + "/.git/test-validated-trees", encoding: .utf8))?.split(separator: "\n").map(String.init) ?? [])
        let values = try project.repo.git("reflog", "show", "--format=%H", "refs/heads/main").split(separator: "\n").map(String.init)
        // The oldest entries are the fixture's own commits (before any gorch merge).
        let merged = values.filter { (try? project.repo.git("log", "-1", "--format=%s", $0))?.hasPrefix("Merge task/") == true }
        for value in merged {
            let tree = try project.repo.git("rev-parse", "\(value)^{tree}")
            #expect(seen.contains(tree), "\(context): main held \(value), whose tree no validation saw")
        }
    }

    private func expectFinished(_ project: TaskProject, _ context: String) throws {
        for id in ["alpha", "charlie", "delta"] { #expect(try project.state(id) == "merged", "\(context): \(id)") }
        #expect(try project.state("bravo") == "failed", "\(context): bravo")
        #expect(try project.repo.git("ls-tree", "--name-only", "main").split(separator: "\n").contains("BROKEN") == false, "\(context)")
        try project.expectRecovered(tasks: Self.tasks, context)
        try expectOnlyValidatedTips(project, context)
    }

    /// With --keep-going a conflicting task rides in the train and is handed back during the
    /// landing: killed there (and around it), the recovery still hands it back exactly once
    /// and lands the rest.
    @Test("a hand-back inside a landing train, killed around it: --continue or --abort ends consistent",
          arguments: ["merge.handed-back", "merge.train-landing", "merge.marked@3"], [true, false])
    func handBackInTrain(point: String, resume: Bool) throws {
        let project = try TaskProject(label: "train-handback")
        try project.agent("alpha", ["shared.txt": "alpha\n"])
        try project.agent("bravo", ["bravo.txt": "bravo\n"])
        try project.agent("clash", ["shared.txt": "clash\n"])
        try project.agent("delta", ["delta.txt": "delta\n"])
        let run = try runGorch(fault: point, ["merge", "--batch", "4", "--keep-going", "--validate", "true"], in: project)
        #expect(killedBySIGKILL(run), "\(point): gorch should have died: \(run.status) \(run.stderr)")
        let recovered = try project.gorch("merge", resume ? "--continue" : "--abort")
        #expect(recovered.status <= 1, "\(point): \(recovered.stderr)")
        let ids = ["alpha", "bravo", "clash", "delta"]
        try project.expectRecovered(tasks: ids, "\(point) \(resume)")
        if !resume { #expect([0, 1].contains(try project.gorch("merge", "--batch", "4", "--keep-going", "--validate", "true").status)) }
        for id in ["alpha", "bravo", "delta"] { #expect(try project.state(id) == "merged", "\(point): \(id)") }
        #expect(try project.state("clash") == "conflicted", "\(point)")
        // Handed back against the commit the serial run would have used: main after bravo.
        let mergeHead = try Shell.runGit(["rev-parse", "MERGE_HEAD"], cwd: project.worktree("clash")).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try project.repo.git("log", "-1", "--format=%s", mergeHead) == "Merge task/bravo: bravo", "\(point)")
        try project.expectRecovered(tasks: ids, "\(point) \(resume) at the end")
    }

    @Test("killed at each train step, --continue finishes the run", arguments: points)
    func continueAfterKill(point: String) throws {
        let (project, validate) = try killed(at: point)
        let resumed = try project.gorch("merge", "--continue", "--json")
        #expect(resumed.status == 0 || resumed.status == 1, "\(point): --continue: \(resumed.status) \(resumed.stderr)")
        try project.expectRecovered(tasks: Self.tasks, "\(point) after --continue")
        // A run killed before bravo was failed stops at it again: what is left merges next.
        let rest = try project.gorch("merge", "--batch", "4", "--keep-going", "--validate", validate, "--json")
        #expect(rest.status == 0 || rest.status == 1, "\(point): merge: \(rest.stderr)")
        try expectFinished(project, "\(point) after --continue")
    }

    @Test("killed at each train step, --abort leaves a consistent repository; a new run lands the rest", arguments: points)
    func abortAfterKill(point: String) throws {
        let (project, validate) = try killed(at: point)
        let aborted = try project.gorch("merge", "--abort", "--json")
        #expect(aborted.status == 0, "\(point): --abort: \(aborted.status) \(aborted.stderr)")
        #expect(isNull(try project.json("status")["interrupted"]), "\(point): the run is still open after --abort")
        try project.expectRecovered(tasks: Self.tasks, "\(point) after --abort")
        let rest = try project.gorch("merge", "--batch", "4", "--keep-going", "--validate", validate, "--json")
        #expect(rest.status == 0 || rest.status == 1, "\(point): merge after --abort: \(rest.stderr)")
        try expectFinished(project, "\(point) after --abort")
    }
}
