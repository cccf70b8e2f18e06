import Foundation
import GorchTestSupport
import Testing

/// Parallel prediction (`--jobs`) and the verdict cache in .git/gorch/verdicts.
@Suite(.timeLimit(.minutes(20))) struct ConflictsCacheTests {
    static let pairs = ["main ahead", "main old", "main clean", "main conf", "main orphan", "clean conf", "conf clean", "main nope"]

    /// Many lines over two workers come back in input order, identical to one worker.
    @Test func parallelStreamKeepsInputOrder() throws {
        let fixture = try ConflictsFixture()
        let input = (0..<25).flatMap { _ in Self.pairs }.joined(separator: "\n") + "\n"
        let serial = try runGorch(["conflicts", "--stdin", "--jobs", "1", "--no-cache"], cwd: fixture.path, stdin: input)
        let parallel = try runGorch(["conflicts", "--stdin", "--jobs", "2", "--no-cache"], cwd: fixture.path, stdin: input)
        #expect(serial.status == 1 && parallel.status == 1)
        #expect(parallel.stdout == serial.stdout)
        let lines = parallel.stdout.split(separator: "\n")
        #expect(lines.count == 25 * Self.pairs.count)
        for (index, line) in lines.enumerated() {
            let pair = Self.pairs[index % Self.pairs.count].split(separator: " ")
            let object = try jsonObject(String(line))
            #expect(object["target"] as? String == String(pair[0]) && object["branch"] as? String == String(pair[1]), "\(index): \(line)")
        }
        #expect(!FileManager.default.fileExists(atPath: fixture.path + "/.git/gorch/verdicts"), "--no-cache writes nothing")
    }

    @Test func matrixInParallelMatchesSerial() throws {
        let fixture = try ConflictsFixture()
        let revisions = ["main", "ahead", "old", "clean", "conf"]
        let serial = try runGorch(["--json", "conflicts", "--matrix", "-j", "1", "--no-cache"] + revisions, cwd: fixture.path)
        let parallel = try runGorch(["--json", "conflicts", "--matrix", "-j", "2"] + revisions, cwd: fixture.path)
        #expect(serial.status == 1 && parallel.status == 1)
        #expect(parallel.stdout == serial.stdout)
    }

    /// A second run answers from the cache: proved by doctoring the cached verdict, which only
    /// a cache hit can report; --no-cache and a moved branch merge again.
    @Test func verdictsAreCachedByCommitPair() throws {
        let fixture = try ConflictsFixture()
        let cachePath = fixture.path + "/.git/gorch/verdicts"
        let first = try runGorch(["conflicts", "--stdin"], cwd: fixture.path, stdin: "main conf\nmain clean\n")
        #expect(first.status == 1)
        let cached = try String(contentsOfFile: cachePath, encoding: .utf8)
        #expect(cached.split(separator: "\n").count == 2)
        #expect(cached.contains("\tconflict 1 ") && cached.contains(" content a .\n"), "\(cached)")

        try cached.replacingOccurrences(of: "\tconflict ", with: "\tclean ")
            .write(toFile: cachePath, atomically: true, encoding: .utf8)
        let hit = try runGorch(["conflicts", "--stdin"], cwd: fixture.path, stdin: "main conf\n")
        #expect(try jsonObject(hit.stdout)["verdict"] as? String == "clean", "answered from the (doctored) cache")
        let fresh = try runGorch(["conflicts", "--stdin", "--no-cache"], cwd: fixture.path, stdin: "main conf\n")
        #expect(try jsonObject(fresh.stdout)["verdict"] as? String == "conflict")

        // conf moves: its new commit is a new pair, merged afresh.
        try fixture.repo.git("checkout", "-q", "conf")
        fixture.repo.write("a", "1\nOURS\n3\n")
        try fixture.repo.commitAll("agree with main")
        try fixture.repo.git("checkout", "-q", "main")
        let moved = try runGorch(["conflicts", "--stdin"], cwd: fixture.path, stdin: "main conf\n")
        #expect(try jsonObject(moved.stdout)["verdict"] as? String == "clean")
        #expect(try String(contentsOfFile: cachePath, encoding: .utf8).split(separator: "\n").count == 3)
    }

    /// Garbage and a torn last line in the cache are misses, never errors.
    @Test func damagedCacheIsIgnored() throws {
        let fixture = try ConflictsFixture()
        let expected = try runGorch(["conflicts", "--stdin", "--no-cache"], cwd: fixture.path, stdin: Self.pairs.joined(separator: "\n"))
        try FileManager.default.createDirectory(atPath: fixture.path + "/.git/gorch", withIntermediateDirectories: true)
        let garbage = "not a cache line\n\u{1}\u{2}\tclean\nort1 x y\tclean 1 nothex\nort1\tconflict 1 - nokind\nort1 a\tclean 1 - con\n" + "ort1\tconflict 1 - content a"
        try garbage.write(toFile: fixture.path + "/.git/gorch/verdicts", atomically: true, encoding: .utf8)
        let result = try runGorch(["conflicts", "--stdin"], cwd: fixture.path, stdin: Self.pairs.joined(separator: "\n"))
        #expect(result.stdout == expected.stdout)
        #expect(result.status == expected.status)

        // Real entries cut short at a field boundary (a torn append) and lying: still misses.
        let cachePath = fixture.path + "/.git/gorch/verdicts"
        let torn = try String(contentsOfFile: cachePath, encoding: .utf8).split(separator: "\n")
            .filter { $0.hasSuffix(" .") }
            .map { $0.dropLast(2).replacingOccurrences(of: "\tconflict ", with: "\tclean ") }
        #expect(torn.count >= 4)
        try torn.joined(separator: "\n").write(toFile: cachePath, atomically: true, encoding: .utf8)
        let again = try runGorch(["conflicts", "--stdin"], cwd: fixture.path, stdin: Self.pairs.joined(separator: "\n"))
        #expect(again.stdout == expected.stdout)
    }

    @Test func jobsMustBePositive() throws {
        let fixture = try ConflictsFixture()
        let result = try runGorch(["conflicts", "--jobs", "0", "main", "clean"], cwd: fixture.path)
        #expect(result.status == 2)
        #expect(result.stderr.contains("--jobs"))
    }
}
