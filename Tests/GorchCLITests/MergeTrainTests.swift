import Foundation
import GorchTestSupport
import Testing

/// `gorch merge --batch N [--lanes L]` end to end (issue 19): one validation for a passing train,
/// bisection naming the culprit and its prefix, lanes, flaky retries, a conflict inside a train,
/// and what `merge --json` and `status --json` say about it.
@Suite("merge trains", .timeLimit(.minutes(20)))
struct MergeTrainTests {
    /// Fails when the validated tree holds a BROKEN file.
    static let gate = "test ! -e BROKEN"

    private func queue(_ ids: [String], broken: Set<String> = [], label: String) throws -> TaskProject {
        let project = try TaskProject(label: label)
        for id in ids {
            var files = ["src/\(id).txt": "\(id)\n"]
            if broken.contains(id) { files["BROKEN"] = "\(id)\n" }
            try project.agent(id, files)
        }
        return project
    }

    private func tasks(_ report: [String: Any]) throws -> [[String: Any]] {
        try #require(report["tasks"] as? [[String: Any]])
    }

    @Test("a passing train of five: one validation, five merge commits, one move of the target")
    func passingTrain() throws {
        let ids = ["a", "b", "c", "d", "e"]
        let project = try queue(ids, label: "train-pass")
        let before = try project.rev("main")
        let report = try project.json("merge", "--batch", "8", "--validate", Self.gate)
        #expect(report["validations"] as? Int == 1)
        let results = try tasks(report)
        #expect(results.map { $0["outcome"] as? String } == Array(repeating: "merged", count: 5))
        for result in results {
            let with = try #require(result["validated_with"] as? [String: Any])
            #expect(with["tasks"] as? [String] == ids)
            #expect(with["commit"] as? String == (try project.rev("main")))
            #expect(with["attempts"] as? Int == 1 && with["flaky"] as? Bool == false)
        }
        // Each task its own merge commit, in order; the target moved once (one reflog entry).
        let subjects = try project.repo.git("log", "--first-parent", "--format=%s", "\(before)..main").split(separator: "\n").map(String.init)
        #expect(subjects == ids.reversed().map { "Merge task/\($0): \($0)" })
        #expect(try project.repo.git("reflog", "show", "--format=%H", "refs/heads/main").split(separator: "\n").first == Substring(try project.rev("main")))
        #expect(try project.repo.git("reflog", "show", "--format=%gs", "-1", "refs/heads/main").contains("train of 5"))
        #expect(try project.repo.git("status", "--porcelain").isEmpty)
        try project.expectConsistent()
    }

    @Test("a culprit in the middle: the passing prefix lands, the culprit fails naming its prefix, the rest is not attempted")
    func culpritStops() throws {
        let project = try queue(["a", "b", "c", "d", "e", "f", "g", "h"], broken: ["f"], label: "train-culprit")
        let result = try project.gorch("merge", "--batch", "8", "--validate", Self.gate, "--json")
        #expect(result.status == 1, "\(result.stderr)")
        let report = try jsonDocument(result)
        // Tip (8) fails, then 4 passes, 6 fails, 5 passes: four validations, 1 + log2(8).
        #expect(report["validations"] as? Int == 4)
        let results = try tasks(report)
        #expect(results.map { $0["outcome"] as? String } == ["merged", "merged", "merged", "merged", "merged", "failed", "not-attempted", "not-attempted"])
        let culprit = results[5]
        #expect((culprit["validated_with"] as? [String: Any])?["tasks"] as? [String] == ["a", "b", "c", "d", "e", "f"])
        let message = try #require(culprit["message"] as? String)
        #expect(message.contains("with f merged on main + a .. e (5 tasks)") && message.contains("f.log"), "\(message)")
        #expect(try project.state("f") == "failed")
        #expect(try project.state("g") == "ready" && project.state("h") == "ready")
        let log = try String(contentsOfFile: project.path + "/.git/gorch/logs/f.log", encoding: .utf8)
        #expect(log.contains("= main + a b c d e f in lane 1"), "\(log)")
        #expect(try project.repo.git("show", "main:src/e.txt") == "e")
        #expect(isNull(try project.json("status")["interrupted"]))
    }

    @Test("culprit first, last, every task: the outcome the serial run would have", arguments: [
        (["x"], ["failed", "not-attempted", "not-attempted", "not-attempted"]),
        (["z4"], ["merged", "merged", "merged", "failed"]),
    ])
    func edges(broken: [String], outcomes: [String]) throws {
        let ids = broken == ["x"] ? ["x", "y2", "y3", "y4"] : ["z1", "z2", "z3", "z4"]
        let project = try queue(ids, broken: Set(broken), label: "train-edge")
        let result = try project.gorch("merge", "--batch", "4", "--validate", Self.gate, "--json")
        #expect(result.status == 1)
        let report = try jsonDocument(result)
        #expect(try tasks(report).map { $0["outcome"] as? String } == outcomes)
        // First: tip, 2, 1 (3 validations); last: tip, 2, 3 (3).
        #expect(report["validations"] as? Int == 3)
    }

    @Test("every task a culprit, --keep-going: each fails on its own, nothing lands")
    func allCulprits() throws {
        let project = try TaskProject(label: "train-all")
        for id in ["p", "q", "r"] { try project.agent(id, ["BROKEN-\(id)": "\(id)\n"]) }
        let before = try project.rev("main")
        let result = try project.gorch("merge", "--batch", "3", "--keep-going", "--validate", "! ls BROKEN-* > /dev/null 2>&1", "--json")
        #expect(result.status == 1)
        let report = try jsonDocument(result)
        #expect(try tasks(report).map { $0["outcome"] as? String } == ["failed", "failed", "failed"])
        #expect(try project.rev("main") == before)
        #expect(try ["p", "q", "r"].allSatisfy { try project.state($0) == "failed" })
    }

    @Test("two lanes: the tip and the midpoint at once, each lane its own worktree; --keep-going lands the rest in a new train")
    func twoLanes() throws {
        let ids = (1...8).map { "l\($0)" }
        let project = try queue(ids, broken: ["l3"], label: "train-lanes")
        let result = try project.gorch("merge", "--batch", "8", "--lanes", "2", "--keep-going", "--validate", Self.gate, "--json")
        #expect(result.status == 1, "\(result.stderr)")
        let report = try jsonDocument(result)
        let outcomes = try tasks(report).map { $0["outcome"] as? String }
        #expect(outcomes == ["merged", "merged", "failed", "merged", "merged", "merged", "merged", "merged"])
        // Round 1: 8 and 4 fail; round 2: 2 passes... ternary: at most 2 rounds of 2 in (0, 4); then a train of 5.
        let validations = try #require(report["validations"] as? Int)
        #expect(validations <= 2 + 4 + 2, "\(validations)")
        #expect(FileManager.default.fileExists(atPath: project.path + "/.git/gorch/validate-2"))
        #expect(try project.repo.git("worktree", "list").contains("validate-2"))
        #expect(!(try project.repo.git("ls-tree", "--name-only", "main").contains("BROKEN")))
    }

    @Test("a complex conflict inside a train: the prefix before it lands, then the run stops on it as the serial run does")
    func conflictInsideTrain() throws {
        let project = try TaskProject(label: "train-conflict")
        try project.agent("one", ["shared.txt": "one\n"])
        try project.agent("two", ["two.txt": "2\n"])
        try project.agent("clash", ["shared.txt": "clash\n"])
        try project.agent("four", ["four.txt": "4\n"])
        let result = try project.gorch("merge", "--batch", "4", "--validate", "true", "--json")
        #expect(result.status == 1)
        let report = try jsonDocument(result)
        #expect(try tasks(report).map { $0["outcome"] as? String } == ["merged", "merged", "conflicted", "not-attempted"])
        #expect(report["validations"] as? Int == 1, "the train of two; clash conflicts before any validation")
        #expect((report["stopped"] as? [String: Any])?["task"] as? String == "clash")
        #expect(try project.state("clash") == "conflicted")
        #expect(FileManager.default.fileExists(atPath: project.worktree("clash") + "/.git"))
        #expect(try Shell.runGit(["rev-parse", "-q", "--verify", "MERGE_HEAD"], cwd: project.worktree("clash")).status == 0)
    }

    @Test("gorch.validateRetries: a failure that passes on the retry lands, recorded as flaky in JSON, the log and status")
    func flakyRetry() throws {
        let project = try queue(["f1", "f2", "f3"], label: "train-flaky")
        try project.repo.git("config", "gorch.validateRetries", "1")
        // Fails the first time it sees a commit, passes the second time.
        let seen = project.path + "/.git/test-seen"
        let flaky = "c=$(git rev-parse HEAD); if grep -qx \"$c\" '\(seen)' 2>/dev/null; then exit 0; fi; echo \"$c\" >> '\(seen)'; exit 1"
        let report = try project.json("merge", "--batch", "3", "--validate", flaky)
        #expect(report["validations"] as? Int == 2)
        let results = try tasks(report)
        #expect(results.allSatisfy { $0["outcome"] as? String == "merged" })
        let with = try #require(results.first?["validated_with"] as? [String: Any])
        #expect(with["attempts"] as? Int == 2 && with["flaky"] as? Bool == true)
        let status = try project.json("status")
        let records = try #require(status["flaky"] as? [[String: Any]])
        #expect(records.count == 1 && records.first?["tasks"] as? [String] == ["f1", "f2", "f3"])
        let table = try project.gorch("status")
        #expect(table.stdout.contains("flaky validation"), "\(table.stdout)")
        let log = try String(contentsOfFile: project.path + "/.git/gorch/logs/f3.log", encoding: .utf8)
        #expect(log.contains("flaky"), "\(log)")
    }

    @Test("status --json shows the train in flight and what each lane validates",
          .enabled(if: faultPointsCompiledIn, "fault points are compiled into debug builds only"))
    func statusShowsTrain() throws {
        let project = try queue(["s1", "s2", "s3", "s4"], broken: ["s4"], label: "train-status")
        let run = try runGorch(fault: "merge.train-validating@2", ["merge", "--batch", "4", "--lanes", "2", "--validate", Self.gate], in: project)
        #expect(killedBySIGKILL(run))
        let status = try project.json("status")
        let train = try #require(status["train"] as? [String: Any], "\(status)")
        #expect(train["tasks"] as? [String] == ["s1", "s2", "s3", "s4"])
        #expect(train["round"] as? Int == 2)
        let lanes = try #require(train["lanes"] as? [[String: Any]])
        #expect(!lanes.isEmpty && lanes.allSatisfy { $0["state"] as? String == "validating" })
        #expect(try project.gorch("status").stdout.contains("train of 4"))
        #expect(try project.gorch("merge", "--abort").status == 0)
        #expect(isNull(try project.json("status")["train"]))
    }
}
