import Foundation
import Testing
import GitKit
import GorchTestSupport

/// Paths that differ only in Unicode normalization (NFC "caf\u{e9}" and NFD "cafe\u{301}", a
/// Kelvin sign and "K", composed and jamo Hangul) are two paths to git, which compares bytes,
/// and were one to the engine's String-keyed maps. Each scenario is merged by git
/// (`git merge-tree --write-tree`) and by `OrtMerger`; verdict, tree (conflicted trees too) and
/// every conflict stage must be byte-identical.
@Suite(.timeLimit(.minutes(20))) struct UnicodePathMergeTests {
    static let nfc = "caf\u{e9}"
    static let nfd = "cafe\u{301}"

    /// A file: path and text content (mode 100644), or a gitlink when the content is
    /// `link:<commit id>` (mode 160000, SubmoduleMergeTests).
    typealias File = (path: String, content: String)

    struct Scenario: Sendable {
        let name: String
        let base: [File]
        let main: [File]
        let side: [File]
        var sideBranch = "side"
        /// What git says, checked too so the scenario keeps testing what its name says.
        var gitClean: Bool?
    }

    /// Ten distinct lines, so renamed copies stay similar and edits of one line merge.
    static func text(_ tag: String, edit: Int? = nil, with replacement: String = "edited") -> String {
        (1...10).map { (line: Int) -> String in line == edit ? "\(replacement) \(tag) \(line)" : "line \(line) of \(tag) with some words" }
            .joined(separator: "\n") + "\n"
    }

    static let scenarios: [Scenario] = {
        let (nfc, nfd) = (Self.nfc, Self.nfd)
        let x: File = ("x", "base\n")
        return [
            // The report's case: each side adds one spelling.
            Scenario(name: "add on both sides, one spelling each", base: [x],
                     main: [x, (nfd, "nfd\n")], side: [x, (nfc, "nfc\n")], gitClean: true),
            Scenario(name: "same content under both spellings", base: [x],
                     main: [x, (nfd, "same\n")], side: [x, (nfc, "same\n")], gitClean: true),
            Scenario(name: "both spellings in one tree, each edited on one side",
                     base: [(nfc, text("a")), (nfd, text("b"))],
                     main: [(nfc, text("a", edit: 2)), (nfd, text("b"))],
                     side: [(nfc, text("a")), (nfd, text("b", edit: 7))], gitClean: true),
            Scenario(name: "modify one spelling, delete it, keep the other",
                     base: [x, (nfc, text("a")), (nfd, text("b"))],
                     main: [x, (nfc, text("a", edit: 3)), (nfd, text("b"))],
                     side: [x, (nfd, text("b"))], gitClean: false),
            Scenario(name: "modify one spelling, delete the other",
                     base: [x, (nfc, text("a")), (nfd, text("b"))],
                     main: [x, (nfc, text("a", edit: 3)), (nfd, text("b"))],
                     side: [x, (nfc, text("a"))], gitClean: true),
            Scenario(name: "delete one spelling, add the other (modify/delete)",
                     base: [x, (nfc + ".txt", text("a"))],
                     main: [x, (nfc + ".txt", text("a", edit: 4))],
                     side: [x, (nfd + ".txt", "unrelated\ncontent\n")], gitClean: false),
            Scenario(name: "rename to the other spelling, edit under the old",
                     base: [x, (nfc + ".txt", text("a"))],
                     main: [x, (nfc + ".txt", text("a", edit: 2))],
                     side: [x, (nfd + ".txt", text("a"))], gitClean: true),
            Scenario(name: "rename to the other spelling and edit, conflicting edit under the old (labels)",
                     base: [x, (nfc + ".txt", text("a"))],
                     main: [x, (nfd + ".txt", text("a", edit: 5, with: "ours"))],
                     side: [x, (nfc + ".txt", text("a", edit: 5, with: "theirs"))], gitClean: false),
            Scenario(name: "renamed to each spelling (rename/rename)",
                     base: [x, ("f.txt", text("f"))],
                     main: [x, (nfc + ".txt", text("f"))],
                     side: [x, (nfd + ".txt", text("f"))], gitClean: false),
            Scenario(name: "directories differing by normalization", base: [x],
                     main: [x, ("dir" + nfc + "/a.txt", "a\n"), ("dir" + nfc + "/same.txt", "ours\n")],
                     side: [x, ("dir" + nfd + "/b.txt", "b\n"), ("dir" + nfd + "/same.txt", "theirs\n")], gitClean: true),
            Scenario(name: "directory renamed to its other spelling, a file added under the old",
                     base: [x, (nfc + "/a.txt", text("a")), (nfc + "/b.txt", text("b")), (nfc + "/c.txt", text("c"))],
                     main: [x, (nfc + "/a.txt", text("a")), (nfc + "/b.txt", text("b")), (nfc + "/c.txt", text("c")),
                            (nfc + "/new.txt", "new\n")],
                     side: [x, (nfd + "/a.txt", text("a")), (nfd + "/b.txt", text("b")), (nfd + "/c.txt", text("c"))]),
            Scenario(name: "directory renamed to each spelling",
                     base: [x, ("src/a.txt", text("a")), ("src/b.txt", text("b"))],
                     main: [x, (nfc + "/a.txt", text("a")), (nfc + "/b.txt", text("b"))],
                     side: [x, (nfd + "/a.txt", text("a")), (nfd + "/b.txt", text("b"))], gitClean: false),
            Scenario(name: "file under one spelling, directory under the other", base: [x],
                     main: [x, (nfc, "file\n")], side: [x, (nfd + "/inner", "inner\n")], gitClean: true),
            Scenario(name: "directory/file conflict on a branch named with a combining mark after a slash",
                     base: [x], main: [x, ("p/q", "dir\n")], side: [x, ("p", "file\n")],
                     sideBranch: "t/\u{301}x", gitClean: false),
            Scenario(name: "names starting with a combining mark, renamed and edited",
                     base: [x, ("d/\u{301}a.txt", text("a")), ("d/a.txt", text("b"))],
                     main: [x, ("d/\u{301}a.txt", text("a", edit: 1)), ("d/a.txt", text("b", edit: 9))],
                     side: [x, ("e/\u{301}a.txt", text("a")), ("d/a.txt", text("b"))], gitClean: true),
            Scenario(name: "byte order of tree entries and conflicts", base: [x],
                     main: [x, ("e\u{301}1", "m\n"), ("\u{e9}1", "m\n"), ("f1", "m\n"), ("ea", "m\n"), ("e\u{301}", "m\n")],
                     side: [x, ("e\u{301}1", "s\n"), ("\u{e9}1", "s\n"), ("f1", "s\n"), ("eb", "s\n"), ("\u{e9}", "s\n")],
                     gitClean: false),
            Scenario(name: "Kelvin sign and K", base: [x],
                     main: [x, ("K.txt", "k\n")], side: [x, ("\u{212a}.txt", "kelvin\n")], gitClean: true),
            Scenario(name: "composed Hangul and jamo, renamed", base: [x, ("\u{d55c}.txt", text("h"))],
                     main: [x, ("\u{d55c}.txt", text("h", edit: 6))],
                     side: [x, ("\u{1112}\u{1161}\u{11ab}.txt", text("h"))], gitClean: true),
        ]
    }()

    @Test(arguments: Self.scenarios.indices)
    func agreesWithGitByteForByte(index: Int) throws {
        try Self.checkAgainstGit(Self.scenarios[index])
    }

    /// Merges `scenario` with git and with `OrtMerger`; verdict, tree, stages and conflict paths
    /// must be byte-identical (paths compared as git's bytes, `RawPath`).
    static func checkAgainstGit(_ scenario: Scenario) throws {
        ProcessIsolation.apply()
        let dir = try TempDirectory(label: "unicode-path")
        defer { dir.remove() }
        let repo = dir.path + "/repo"
        try Shell.git(["init", "-q", "-b", "main", repo], cwd: dir.path)
        let result = try Shell.runGit(["fast-import", "--quiet"], cwd: repo, input: Self.importScript(scenario))
        #expect(result.status == 0, "fast-import: \(result.stderr)")

        let oracle = try GitOracle.mergeTree(repo: repo, "main", scenario.sideBranch)
        let stages = try #require(try GitOracle.conflictStages(repo: repo, "main", scenario.sideBranch))
        let repository = try Repository.open(at: repo)
        try repository.useInMemoryObjectWrites()
        let outcome = try OrtMerger(repository: repository).merge(
            ours: try repository.resolveCommit("main"), theirs: try repository.resolveCommit(scenario.sideBranch),
            ourLabel: "main", theirLabel: scenario.sideBranch)

        let label = scenario.name
        if let gitClean = scenario.gitClean { #expect(oracle.clean == gitClean, "git's verdict changed: \(label)") }
        #expect(outcome.isClean == oracle.clean, "verdict: \(label)")
        let listing = try Self.listing(repo, oracle.tree)
        #expect(outcome.tree.hex == oracle.tree, "tree: \(label)\ngit's tree:\n\(listing)")
        let ours = outcome.stages.map { Self.bytes(path: $0.path, stage: $0.stage, mode: $0.mode.rawValue, oid: $0.oid.hex) }
        let git = stages.map { Self.bytes(path: $0.path, stage: $0.stage, mode: UInt32($0.mode, radix: 8) ?? 0, oid: $0.oid) }
        #expect(ours == git, "stages: \(label)\ngit   \(stages.map(\.description))\ngorch \(outcome.stages.map { "\($0.stage) \(RawPath.bytes($0.path))" })")
        #expect(Set(outcome.conflicts.map { RawPath.bytes($0.path) }) == Set(stages.map { RawPath.bytes($0.path) }), "conflict paths: \(label)")
        #expect(outcome.conflicts.map { RawPath.bytes($0.path) } == outcome.conflicts.map { RawPath.bytes($0.path) }.sorted { $0.lexicographicallyPrecedes($1) },
                "conflicts in byte order: \(label)")
    }

    /// The merged tree of a clean case really holds both spellings (the bug merged them into one).
    @Test func bothSpellingsSurviveTheMerge() throws {
        ProcessIsolation.apply()
        let dir = try TempDirectory(label: "unicode-path")
        defer { dir.remove() }
        let repo = dir.path + "/repo"
        try Shell.git(["init", "-q", "-b", "main", repo], cwd: dir.path)
        _ = try Shell.runGit(["fast-import", "--quiet"], cwd: repo, input: Self.importScript(Self.scenarios[0]))
        let repository = try Repository.open(at: repo)
        try repository.useInMemoryObjectWrites()
        let outcome = try OrtMerger(repository: repository).merge(
            ours: try repository.resolveCommit("main"), theirs: try repository.resolveCommit("side"),
            ourLabel: "main", theirLabel: "side")
        #expect(outcome.isClean)
        let names = try repository.treeEntries(outcome.tree).map { Array($0.name.utf8) }
        #expect(names == [Array("caf\u{e9}".utf8), Array("cafe\u{301}".utf8), Array("x".utf8)].sorted { $0.lexicographicallyPrecedes($1) })
    }

    /// base, then main and the side branch off it; every commit holds the whole tree.
    static func importScript(_ scenario: Scenario) -> Data {
        var out = Data()
        func commit(_ ref: String, mark: Int, from: Int?, _ files: [File]) {
            out.append(Data("commit refs/heads/\(ref)\nmark :\(mark)\ncommitter t <t@e> \(1_700_000_000 + mark) +0000\ndata 1\nc\n".utf8))
            if let from { out.append(Data("from :\(from)\n".utf8)) }
            out.append(Data("deleteall\n".utf8))
            for file in files {
                // Unquoted: the path is the rest of the line, its bytes exactly as written here.
                if file.content.hasPrefix("link:") {
                    out.append(Data("M 160000 \(file.content.dropFirst(5)) ".utf8) + Data(RawPath.bytes(file.path)) + Data("\n".utf8))
                    continue
                }
                out.append(Data("M 100644 inline ".utf8) + Data(RawPath.bytes(file.path)) + Data("\ndata \(file.content.utf8.count)\n".utf8))
                out.append(Data(file.content.utf8) + Data("\n".utf8))
            }
        }
        commit("main", mark: 1, from: nil, scenario.base)
        commit("main", mark: 2, from: 1, scenario.main)
        commit(scenario.sideBranch, mark: 3, from: 1, scenario.side)
        return out
    }

    static func bytes(path: String, stage: Int, mode: UInt32, oid: String) -> [UInt8] {
        Array("\(String(mode, radix: 8)) \(oid) \(stage)\t".utf8) + RawPath.bytes(path)
    }

    /// `git ls-tree -r` of git's result, for failure messages.
    static func listing(_ repo: String, _ tree: String?) throws -> String {
        guard let tree else { return "" }
        return try Shell.git(["ls-tree", "-r", tree], cwd: repo)
    }
}
