import Foundation
import GitKit
import GorchTestSupport
import Testing

/// The entry point's contract: version, help, exit codes, error rendering, global options.
@Suite(.timeLimit(.minutes(20))) struct GlobalBehaviourTests {
    @Test func versionNamesGorchAndTheLinkedLibgit2() throws {
        let result = try runGorch(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout == "gorch 0.1.0 (libgit2 \(LibGit2.version))\n")
    }

    @Test(arguments: [["--help"], ["conflicts", "--help"], ["help", "conflicts"]])
    func helpExitsZero(arguments: [String]) throws {
        let result = try runGorch(arguments)
        #expect(result.status == 0)
        #expect(result.stdout.contains("USAGE: gorch"))
        #expect(result.stderr.isEmpty)
    }

    @Test func conflictsHelpStatesTheExitRule() throws {
        let result = try runGorch(["conflicts", "--help"])
        #expect(result.stdout.contains("Exit status: 1 if any result is a conflict"))
        #expect(result.stdout.contains("--stdin"))
        #expect(result.stdout.contains("--matrix"))
    }

    @Test func unknownFlagIsAUsageErrorWithExitTwo() throws {
        let fixture = try ConflictsFixture()
        let result = try runGorch(["conflicts", "ahead", "--bogus"], cwd: fixture.path)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        // ArgumentParser may add "Did you mean '--jobs'?" on the same line.
        #expect(result.stderr.hasPrefix("error: unknown option '--bogus'"))
        #expect(result.stderr.contains("hint: run `gorch conflicts --help` for usage"))
    }

    @Test(arguments: [["conflicts", "ahead", "--bogus", "--json"], ["--json", "conflicts", "ahead", "--bogus"]])
    func usageErrorUnderJSONIsTheErrorDocument(arguments: [String]) throws {
        let fixture = try ConflictsFixture()
        let result = try runGorch(arguments, cwd: fixture.path)
        #expect(result.status == 2)
        #expect(result.stderr.isEmpty)
        let error = try errorObject(result)
        #expect(error["kind"] as? String == "usage")
        #expect((error["message"] as? String)?.contains("--bogus") == true)
        #expect(error["hint"] as? String == "run `gorch conflicts --help` for usage")
        #expect(keysAppearInOrder(["kind", "message", "hint"], in: result.stdout))
    }

    @Test(arguments: [
        ["--repo", "REPO", "conflicts", "ahead", "--json"],
        ["conflicts", "ahead", "--json", "--repo", "REPO"],
        ["--json", "conflicts", "--repo", "REPO", "ahead"],
        ["--repo", "REPO", "--json", "--target", "main", "conflicts", "ahead"],
        ["conflicts", "--target", "main", "ahead", "--repo", "REPO", "--json"],
    ])
    func globalOptionsWorkBeforeAndAfterTheSubcommand(arguments: [String]) throws {
        let fixture = try ConflictsFixture()
        let elsewhere = try TempDirectory(label: "cli-elsewhere")
        let result = try runGorch(arguments.map { $0 == "REPO" ? fixture.path : $0 }, cwd: elsewhere.path)
        #expect(result.status == 0, "\(result.stderr)")
        let document = try jsonDocument(result)
        #expect(document["target"] as? String == "main")
        let results = try #require(document["results"] as? [[String: Any]])
        #expect(results.first?["verdict"] as? String == "fast-forward")
    }

    @Test func subcommandValueWinsOverTheRootValue() throws {
        let fixture = try ConflictsFixture()
        let result = try runGorch(["--target", "main", "conflicts", "--target", "old", "clean", "--json"], cwd: fixture.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try jsonDocument(result)["target"] as? String == "old")
    }

    @Test func notARepositoryIsAnEnvironmentErrorWithAHint() throws {
        let empty = try TempDirectory(label: "cli-not-a-repo")
        let human = try runGorch(["conflicts", "main"], cwd: empty.path)
        #expect(human.status == 3)
        #expect(human.stdout.isEmpty)
        #expect(human.stderr.hasPrefix("error: not a git repository: \(empty.path)"))
        #expect(human.stderr.contains("\nhint: "))

        let json = try runGorch(["--repo", empty.path, "conflicts", "main", "--json"])
        #expect(json.status == 3)
        let error = try errorObject(json)
        #expect(error["kind"] as? String == "environment")
        #expect((error["message"] as? String)?.contains(empty.path) == true)
        #expect((error["hint"] as? String)?.contains("--repo") == true)
    }

    @Test func missingRepoPathIsAnEnvironmentError() throws {
        let result = try runGorch(["conflicts", "main", "--repo", "/nonexistent/gorch-repo", "--json"])
        #expect(result.status == 3)
        let error = try errorObject(result)
        #expect(error["kind"] as? String == "environment")
        #expect((error["message"] as? String)?.contains("/nonexistent/gorch-repo") == true)
    }
}
