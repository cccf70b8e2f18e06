import Foundation
import GorchTestSupport
import Testing

/// Real three-way merges through the merge engine, checked against git's merge-ort.
@Suite(.timeLimit(.minutes(20))) struct ConflictsMergeTests {
    @Test func cleanMergeTreeMatchesGitMergeTree() throws {
        let fixture = try ConflictsFixture()
        let oracle = try GitOracle.mergeTree(repo: fixture.path, "main", "clean")
        try #require(oracle.clean)
        let result = try runGorch(["conflicts", "clean", "--json"], cwd: fixture.path)
        #expect(result.status == 0, "\(result.stderr)")
        let document = try jsonDocument(result)
        #expect(document["conflicting"] as? Int == 0)
        let merged = try #require((document["results"] as? [[String: Any]])?.first)
        #expect(merged["verdict"] as? String == "clean")
        #expect(merged["tree"] as? String == oracle.tree)
        #expect(merged["bases"] as? Int == 1)
        #expect((merged["conflicts"] as? [Any])?.isEmpty == true)
        #expect(isNull(merged["error"]))
    }

    @Test func contentConflictExitsOneAndNamesPathAndKind() throws {
        let fixture = try ConflictsFixture()
        let oracle = try GitOracle.mergeTree(repo: fixture.path, "main", "conf")
        let result = try runGorch(["conflicts", "clean", "conf", "--json"], cwd: fixture.path)
        #expect(result.status == 1, "\(result.stderr)")
        let document = try jsonDocument(result)
        #expect(document["conflicting"] as? Int == 1)
        let results = try #require(document["results"] as? [[String: Any]])
        try #require(results.count == 2)
        #expect(results[0]["verdict"] as? String == "clean")
        #expect(results[1]["verdict"] as? String == "conflict")
        let conflicts = try #require(results[1]["conflicts"] as? [[String: Any]])
        #expect(conflicts.count == 1)
        #expect(conflicts.first?["path"] as? String == "a")
        #expect(conflicts.first?["kind"] as? String == "content")
        #expect(results[1]["tree"] as? String == oracle.tree, "the tree with conflict markers, as git writes it")
        #expect(Set(conflicts.compactMap { $0["path"] as? String }) == oracle.conflictPaths)
        #expect(keysAppearInOrder(["path", "kind"], in: result.stdout))
    }

    @Test func conflictInHumanModeListsThePathUnderItsRevision() throws {
        let fixture = try ConflictsFixture()
        let result = try runGorch(["conflicts", "conf", "clean"], cwd: fixture.path)
        #expect(result.status == 1)
        #expect(result.stdout == """
            target: main
            REV    VERDICT   BASES  CONFLICTS
            conf   conflict      1          1
              a (content)
            clean  clean         1          0

            """)
    }

    @Test func conflictMakesAStdinRunExitOne() throws {
        let fixture = try ConflictsFixture()
        let result = try runGorch(["conflicts", "--stdin"], cwd: fixture.path, stdin: "main clean\nmain conf\nmain nope\n")
        #expect(result.status == 1)
        let verdicts = try result.stdout.split(separator: "\n").map { try jsonObject(String($0))["verdict"] as? String }
        #expect(verdicts == ["clean", "conflict", nil])
    }

    @Test func unrelatedHistoriesAreAPerResultError() throws {
        let fixture = try ConflictsFixture()
        let result = try runGorch(["conflicts", "orphan", "--json"], cwd: fixture.path)
        #expect(result.status == 3)
        let failed = try #require((try jsonDocument(result)["results"] as? [[String: Any]])?.first)
        #expect(isNull(failed["verdict"]))
        let error = try #require(failed["error"] as? [String: Any])
        #expect(error["kind"] as? String == "unrelated-histories")
        #expect(error["message"] as? String == "unrelated histories")
    }

    @Test func predictionsWriteNothingIntoTheRepository() throws {
        let fixture = try ConflictsFixture()
        let before = try fixture.objectCount()
        let result = try runGorch(["conflicts", "clean", "conf", "ahead", "old"], cwd: fixture.path)
        #expect(result.status == 1)
        #expect(try fixture.objectCount() == before)
    }
}
