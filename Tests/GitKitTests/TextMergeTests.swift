import Foundation
import GitKit
import GorchTestSupport
import Testing

/// TextMerge against git itself. The exact oracle is merge-ort (`git merge-tree --write-tree`,
/// `git merge -X ours|theirs`, the `union` merge driver): it runs the same xdiff with histogram
/// diff and the zealous level. `git merge-file` (git 2.39 has no `--diff-algorithm`) uses myers
/// diff and the zealous-alnum level, so it is compared only on cases where those cannot differ.
@Suite(.timeLimit(.minutes(20))) struct TextMergeTests {
    /// One generated three-way case.
    struct Case: CustomStringConvertible {
        let seed: UInt64
        let base: [UInt8], ours: [UInt8], theirs: [UInt8]
        var description: String {
            "seed \(seed)\n--- base\n\(String(decoding: base, as: UTF8.self))--- ours\n"
                + "\(String(decoding: ours, as: UTF8.self))--- theirs\n\(String(decoding: theirs, as: UTF8.self))"
        }
    }

    static let vocabulary = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta",
                             "iota", "kappa", "}", "", "return x", "lambda", "mu"]

    /// Line-level edits (replace, insert, delete; sometimes the same edit on both sides), some CRLF
    /// files, some without a final newline.
    static func generate(seed: UInt64) -> Case {
        var rng = SplitMix64(seed: seed)
        let base = (0..<rng.int(in: 4...16)).map { _ in rng.pick(vocabulary)! + (rng.chance(0.5) ? " \(rng.int(in: 0...9))" : "") }
        func edit(_ lines: [String], _ rng: inout SplitMix64) -> [String] {
            var lines = lines
            for _ in 0..<rng.int(in: 1...3) {
                let at = rng.int(in: 0...max(lines.count - 1, 0))
                switch rng.int(in: 0...3) {
                case 0 where !lines.isEmpty: lines[at] = "changed \(rng.int(in: 0...99))"
                case 1: lines.insert(contentsOf: (0..<rng.int(in: 1...2)).map { _ in "new \(rng.int(in: 0...99))" }, at: at)
                case 2 where lines.count > 1: lines.remove(at: at)
                default: if !lines.isEmpty { lines[at] += " edited" }
                }
            }
            return lines
        }
        let ours = edit(base, &rng)
        let theirs = rng.chance(0.15) ? edit(ours, &rng) : edit(base, &rng)
        let eol = rng.chance(0.2) ? "\r\n" : "\n"
        func render(_ lines: [String], _ rng: inout SplitMix64) -> [UInt8] {
            let text = lines.joined(separator: eol) + (rng.chance(0.15) ? "" : eol)
            return Array(text.utf8)
        }
        return Case(seed: seed, base: render(base, &rng), ours: render(ours, &rng), theirs: render(theirs, &rng))
    }

    static let cases = (UInt64(1)...40).map { generate(seed: $0 &* 7919) }

    /// A repository with one file per case on branches `ours` and `theirs` from a common base.
    static func fixture(_ cases: [Case], attributes: String? = nil, label: String = #function) throws -> TempRepo {
        ProcessIsolation.apply()
        let repo = try TempRepo(label: label)
        if let attributes { repo.write(".git/info/attributes", attributes) }
        for (i, c) in cases.enumerated() { repo.write("case\(i).txt", data: Data(c.base)) }
        try repo.commitAll("base")
        try repo.git("branch", "theirs")
        try repo.git("checkout", "-q", "-b", "ours")
        for (i, c) in cases.enumerated() { repo.write("case\(i).txt", data: Data(c.ours)) }
        try repo.commitAll("ours")
        try repo.git("checkout", "-q", "theirs")
        for (i, c) in cases.enumerated() { repo.write("case\(i).txt", data: Data(c.theirs)) }
        try repo.commitAll("theirs")
        return repo
    }

    static func blob(_ repo: TempRepo, _ spec: String) throws -> [UInt8] {
        let result = try Shell.runGit(["cat-file", "blob", spec], cwd: repo.path)
        #expect(result.status == 0, "git cat-file blob \(spec): \(result.stderr)")
        return Array(result.stdoutData)
    }

    /// Compares `favor` with merge-tree's merged blobs (markers included).
    func compareWithMergeTree(favor: TextMerge.Favor, attributes: String?, markerSize: Int = 7) throws {
        let repo = try Self.fixture(Self.cases, attributes: attributes)
        let result = try Shell.runGit(["merge-tree", "--write-tree", "--no-messages", "ours", "theirs"], cwd: repo.path)
        let tree = String(result.stdout.split(separator: "\n").first ?? "")
        var conflicted = 0
        for (i, c) in Self.cases.enumerated() {
            let expected = try Self.blob(repo, "\(tree):case\(i).txt")
            let merged = try #require(try TextMerge.merge3(base: c.base, ours: c.ours, theirs: c.theirs, favor: favor,
                                                           markerSize: markerSize))
            #expect(merged.bytes == expected, "case \(i): \(c)\n--- gorch\n\(String(decoding: merged.bytes, as: UTF8.self))--- git\n\(String(decoding: expected, as: UTF8.self))")
            if merged.conflictHunks > 0 { conflicted += 1 }
            if favor != .none { #expect(merged.conflictHunks == 0) }
        }
        if favor == .none {
            #expect(conflicted > 5, "the generator should make real conflicts")
            #expect((result.status == 0) == (conflicted == 0))
        }
    }

    @Test func plainMergeMatchesMergeTree() throws {
        try compareWithMergeTree(favor: .none, attributes: nil)
    }

    @Test func unionMatchesTheUnionDriver() throws {
        try compareWithMergeTree(favor: .union, attributes: "* merge=union\n")
    }

    @Test func markerSizeMatchesTheConflictMarkerSizeAttribute() throws {
        try compareWithMergeTree(favor: .none, attributes: "* conflict-marker-size=37\n", markerSize: 37)
    }

    @Test(arguments: [TextMerge.Favor.ours, .theirs])
    func favorMatchesMergeStrategyOption(_ favor: TextMerge.Favor) throws {
        let repo = try Self.fixture(Self.cases)
        try repo.git("checkout", "-q", "ours")
        try repo.git("merge", "-q", "--no-edit", "-X", favor == .ours ? "ours" : "theirs", "theirs")
        for (i, c) in Self.cases.enumerated() {
            let expected = try Self.blob(repo, "HEAD:case\(i).txt")
            let merged = try #require(try TextMerge.merge3(base: c.base, ours: c.ours, theirs: c.theirs, favor: favor))
            #expect(merged.bytes == expected, "case \(i): \(c)")
            #expect(merged.conflictHunks == 0)
        }
    }

    /// Single-hunk edits between unique, unchanged lines: myers and histogram, zealous and
    /// zealous-alnum all agree, so `git merge-file` is an oracle too.
    static let simpleCases: [(base: String, ours: String, theirs: String)] = [
        ("a\nb\nc\nd\ne\n", "a\nB\nc\nd\ne\n", "a\nb\nc\nD\ne\n"),
        ("a\nb\nc\nd\ne\n", "a\nB\nc\nd\ne\n", "a\nb2\nc\nd\ne\n"),
        ("a\nb\nc\n", "a\nours 1\nours 2\nb\nc\n", "a\ntheirs\nb\nc\n"),
        ("a\nb\nc\n", "a\nc\n", "a\nB\nc\n"),
        ("a\nb\nc", "a\nB\nc", "a\nb\nC"),
        ("a\r\nb\r\nc\r\n", "a\r\nB\r\nc\r\n", "a\r\nbee\r\nc\r\n"),
        ("", "ours only\n", "theirs only\n"),
        ("one\ntwo\nthree\nfour\nfive\nsix\n", "one\n2\nthree\nfour\nfive\n6\n", "one\nTWO\nthree\nfour\nfive\nSIX\n"),
        ("x\ny\n", "x\ny\n", "x\nY\n"),
        ("x\ny\n", "x\nsame\n", "x\nsame\n"),
    ]

    @Test(arguments: [TextMerge.Favor.none, .ours, .theirs, .union])
    func simpleCasesMatchMergeFile(_ favor: TextMerge.Favor) throws {
        let dir = try Fixture.directory()
        for (i, c) in Self.simpleCases.enumerated() {
            for (name, text) in [("ours", c.ours), ("base", c.base), ("theirs", c.theirs)] {
                try Data(text.utf8).write(to: URL(fileURLWithPath: "\(dir.path)/\(name)"))
            }
            let flag: [String] = switch favor {
            case .none: []
            case .ours: ["--ours"]
            case .theirs: ["--theirs"]
            case .union: ["--union"]
            }
            let git = try Shell.runGit(["merge-file", "-p"] + flag + ["-L", "ours", "-L", "base", "-L", "theirs",
                                                                   "ours", "base", "theirs"], cwd: dir.path)
            let merged = try #require(try TextMerge.merge3(base: Array(c.base.utf8), ours: Array(c.ours.utf8),
                                                           theirs: Array(c.theirs.utf8), favor: favor))
            #expect(merged.bytes == Array(git.stdoutData), "case \(i)")
            #expect(merged.conflictHunks == Int(git.status), "case \(i)")  // merge-file exits with the hunk count
        }
    }

    @Test func conflictHunksCountsEachHunkAndLabelsFollowMarkers() throws {
        let merged = try #require(try TextMerge.merge3(
            base: Array("1\n2\n3\n4\n5\n6\n".utf8), ours: Array("one\n2\n3\n4\n5\nsix\n".utf8),
            theirs: Array("uno\n2\n3\n4\n5\nseis\n".utf8), labels: ("B", "task/x", "main")))
        #expect(merged.conflictHunks == 2)
        #expect(String(decoding: merged.bytes, as: UTF8.self) == """
            <<<<<<< task/x
            one
            =======
            uno
            >>>>>>> main
            2
            3
            4
            5
            <<<<<<< task/x
            six
            =======
            seis
            >>>>>>> main

            """)
    }

    /// xdiff joins conflicts with three or fewer lines between them into one hunk, as git does.
    @Test func nearbyConflictsAreOneHunk() throws {
        let merged = try #require(try TextMerge.merge3(
            base: Array("1\n2\n3\n4\n5\n".utf8), ours: Array("one\n2\n3\n4\nfive\n".utf8),
            theirs: Array("uno\n2\n3\n4\ncinco\n".utf8)))
        #expect(merged.conflictHunks == 1)
    }

    @Test func cleanMergeHasNoHunks() throws {
        let merged = try #require(try TextMerge.merge3(base: Array("a\nb\nc\n".utf8), ours: Array("A\nb\nc\n".utf8),
                                                       theirs: Array("a\nb\nC\n".utf8)))
        #expect(merged == TextMerge.Result(bytes: Array("A\nb\nC\n".utf8), conflictHunks: 0))
        #expect(merged.isClean)
    }

    @Test func binaryOnAnySideIsNotMerged() throws {
        let text = Array("text\n".utf8), binary: [UInt8] = [0x41, 0x00, 0x42, 0x0a]
        #expect(try TextMerge.merge3(base: binary, ours: text, theirs: text) == nil)
        #expect(try TextMerge.merge3(base: text, ours: binary, theirs: text) == nil)
        #expect(try TextMerge.merge3(base: text, ours: text, theirs: binary, favor: .union) == nil)
        // A NUL after the first 8000 bytes does not count, as in git.
        let late = Array(repeating: UInt8(ascii: "a"), count: 8000) + [0, 0x0a]
        #expect(try TextMerge.merge3(base: text, ours: late, theirs: text) != nil)
    }

    @Test func emptyInputsMergeToEmpty() throws {
        #expect(try TextMerge.merge3(base: [], ours: [], theirs: []) == TextMerge.Result(bytes: [], conflictHunks: 0))
    }
}
