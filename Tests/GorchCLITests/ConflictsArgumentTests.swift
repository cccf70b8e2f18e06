import Foundation
import GorchTestSupport
import Testing

/// `gorch conflicts REV...` and `--matrix`: verdicts, JSON shape, human table, exit codes.
@Suite(.timeLimit(.minutes(20))) struct ConflictsArgumentTests {
    @Test func fastForwardAndUpToDateCarryTreeAndBases() throws {
        let fixture = try ConflictsFixture()
        let result = try runGorch(["conflicts", "ahead", "old", "--json"], cwd: fixture.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        #expect(keysAppearInOrder(["target", "results", "conflicting"], in: result.stdout))
        let document = try jsonDocument(result)
        #expect(document["target"] as? String == "main")
        #expect(document["conflicting"] as? Int == 0)
        let results = try #require(document["results"] as? [[String: Any]])
        try #require(results.count == 2)

        #expect(Set(results[0].keys) == Set(resultKeys))
        #expect(results[0]["target"] as? String == "main")
        #expect(results[0]["branch"] as? String == "ahead")
        #expect(results[0]["verdict"] as? String == "fast-forward")
        #expect((results[0]["conflicts"] as? [Any])?.isEmpty == true)
        #expect(results[0]["tree"] as? String == (try fixture.tree("ahead")))
        #expect(results[0]["bases"] as? Int == 1)
        #expect(isNull(results[0]["error"]))

        #expect(results[1]["branch"] as? String == "old")
        #expect(results[1]["verdict"] as? String == "up-to-date")
        #expect(results[1]["tree"] as? String == (try fixture.tree("main")))
        #expect(results[1]["bases"] as? Int == 1)
    }

    @Test func unknownRevisionIsAPerResultErrorAndExitsThree() throws {
        let fixture = try ConflictsFixture()
        let result = try runGorch(["conflicts", "ahead", "no-such-branch", "--json"], cwd: fixture.path)
        #expect(result.status == 3)
        let results = try #require(try jsonDocument(result)["results"] as? [[String: Any]])
        try #require(results.count == 2)
        #expect(results[0]["verdict"] as? String == "fast-forward")
        let failed = results[1]
        #expect(Set(failed.keys) == Set(resultKeys))
        #expect(failed["branch"] as? String == "no-such-branch")
        #expect(isNull(failed["verdict"]))
        #expect(isNull(failed["conflicts"]))
        #expect(isNull(failed["tree"]))
        let error = try #require(failed["error"] as? [String: Any])
        #expect(error["kind"] as? String == "unknown-revision")
        #expect((error["message"] as? String)?.contains("no-such-branch") == true)
    }

    @Test func unknownRevisionInHumanModeIsShownAndRepeatedOnStderr() throws {
        let fixture = try ConflictsFixture()
        let result = try runGorch(["conflicts", "no-such-branch"], cwd: fixture.path)
        #expect(result.status == 3)
        #expect(result.stdout.contains("no-such-branch  error"))
        #expect(result.stderr.contains("error: cannot merge 'no-such-branch' into 'main'"))
        #expect(result.stderr.contains("hint: "))
    }

    @Test func humanOutputIsAnAlignedTableWithoutColourOffATerminal() throws {
        let fixture = try ConflictsFixture()
        let result = try runGorch(["conflicts", "ahead", "old"], cwd: fixture.path)
        #expect(result.status == 0)
        #expect(result.stdout == """
            target: main
            REV    VERDICT       BASES  CONFLICTS
            ahead  fast-forward      1          0
            old    up-to-date        1          0

            """)
        #expect(!result.stdout.contains("\u{1B}["))
    }

    @Test func unknownTargetIsAnEnvironmentError() throws {
        let fixture = try ConflictsFixture()
        let result = try runGorch(["conflicts", "ahead", "--target", "nope", "--json"], cwd: fixture.path)
        #expect(result.status == 3)
        let error = try errorObject(result)
        #expect(error["kind"] as? String == "environment")
        #expect((error["message"] as? String)?.contains("nope") == true)
        #expect(!isNull(error["hint"]))
    }

    @Test func taskBranchTargetIsRefused() throws {
        let fixture = try ConflictsFixture()
        try fixture.repo.git("branch", "task/x")
        let result = try runGorch(["conflicts", "ahead", "--target", "task/x"], cwd: fixture.path)
        #expect(result.status == 3)
        #expect(result.stderr.contains("error: target 'task/x' is a task branch"))
    }

    @Test func targetMayBeAnyRevision() throws {
        let fixture = try ConflictsFixture()
        let base = try fixture.repo.git("rev-parse", "old")
        let result = try runGorch(["conflicts", "main", "--target", base, "--json"], cwd: fixture.path)
        #expect(result.status == 0, "\(result.stderr)")
        let document = try jsonDocument(result)
        #expect(document["target"] as? String == base)
        #expect((document["results"] as? [[String: Any]])?.first?["verdict"] as? String == "fast-forward")
    }

    @Test func matrixChecksEveryPairEarlierAsTarget() throws {
        let fixture = try ConflictsFixture()
        let result = try runGorch(["conflicts", "--matrix", "old", "main", "ahead", "--json"], cwd: fixture.path)
        #expect(result.status == 0, "\(result.stderr)")
        let document = try jsonDocument(result)
        #expect(isNull(document["target"]))
        let results = try #require(document["results"] as? [[String: Any]])
        let pairs = results.map { "\($0["target"] as? String ?? "?")<-\($0["branch"] as? String ?? "?")" }
        #expect(pairs == ["old<-main", "old<-ahead", "main<-ahead"])
        #expect(results.allSatisfy { $0["verdict"] as? String == "fast-forward" })
    }

    @Test(arguments: [
        (["conflicts", "--matrix", "ahead"], "--matrix needs two or more revisions"),
        (["conflicts"], "give revisions to check, or --stdin"),
        (["conflicts", "--matrix", "ahead", "old", "--target", "main"], "--target does not apply to --matrix"),
        (["conflicts", "--stdin", "ahead"], "give no revisions with it"),
        (["conflicts", "--stdin", "--matrix"], "cannot be combined"),
        (["--target", "main", "conflicts", "--stdin"], "--target does not apply to --stdin"),
    ])
    func invalidCombinationsExitTwo(arguments: [String], message: String) throws {
        let fixture = try ConflictsFixture()
        let result = try runGorch(arguments, cwd: fixture.path)
        #expect(result.status == 2)
        let text = arguments.contains("--stdin") ? result.stdout : result.stderr
        #expect(text.contains(message), "\(result.stdout)\(result.stderr)")
    }
}
