import Foundation
import GitKit

/// One generated merge scenario: merge branch `ours` with branch `theirs`.
public struct MergeCase: Sendable, CustomStringConvertible {
    public let seed: UInt64
    public let ours: String
    public let theirs: String
    /// What was done, one step per line, for failure messages.
    public let description: String
    /// The history's kind and the operations used ("history: criss-cross, 3 sides",
    /// "operation: rename"), for per-cause counts.
    public let features: [String]

    public init(seed: UInt64, ours: String, theirs: String, description: String, features: [String] = []) {
        self.seed = seed
        self.ours = ours
        self.theirs = theirs
        self.description = description
        self.features = features
    }
}

/// Seeded, deterministic generator of small histories that exercise merge-ort's corners:
/// content conflicts, renames (exact, edited, rename/rename, directory renames), mode changes,
/// file/directory swaps, binaries, symlinks, add/add, modify/delete, criss-cross merge bases and
/// names that differ only in Unicode normalization (two paths to git, which compares bytes).
/// The same seed gives the same commits (fixed dates and identity).
public struct MergeCaseGenerator: Sendable {
    /// Relative frequencies of operations, and rates of special histories.
    public struct Weights: Sendable, Equatable {
        public var edit = 36.0
        public var add = 9.0
        public var delete = 4.0
        public var rename = 10.0
        public var renameDirectory = 4.0
        public var chmod = 4.0
        public var fileToDirectory = 2.0
        public var directoryToFile = 1.5
        public var makeBinary = 2.0
        public var copy = 3.0
        public var symlink = 3.0
        /// Renames and adds whose names differ from another side's only in Unicode normalization.
        public var normalizationTwin = 3.0
        /// Renames and adds to names that are not UTF-8 (Latin-1 bytes).
        public var rawByteName = 1.5
        /// Fraction of cases whose branches have two or more merge bases.
        public var crissCross = 0.2
        /// Fraction of cases whose `theirs` shares no history with `ours`.
        public var unrelated = 0.03

        public init() {}
    }

    public let seed: UInt64
    public var weights = Weights()

    public init(seed: UInt64) { self.seed = seed }

    public func generate(in repo: TempRepo) throws -> MergeCase {
        try CaseBuilder(seed: seed, repo: repo, weights: weights).buildHistory()
    }
}

/// The history: base commit, optional criss-cross prelude, then each side's commits. Commits are
/// built in memory and written with fast-import; criss-cross merges use merge-tree + commit-tree.
/// HEAD, the index and the work tree are left alone.
extension CaseBuilder {
    /// A commit (handle or id) and its files.
    typealias Tip = (commit: String, tree: TreeModel)

    func buildHistory() throws -> MergeCase {
        let existing = Set(try repo.git("for-each-ref", "--format=%(refname:short)", "refs/heads/")
            .split(separator: "\n").map(String.init))
        let ours = uniqueName("ours", existing)
        let theirs = uniqueName("theirs", existing)
        let oursRef = "refs/heads/" + ours
        let theirsRef = "refs/heads/" + theirs

        let unrelated = rng.chance(weights.unrelated)
        let crissCross = !unrelated && rng.chance(weights.crissCross)
        log.append("seed \(seed): \(unrelated ? "unrelated histories" : crissCross ? "criss-cross" : "plain")")
        log.append(buildBase())
        let baseTree = tree
        let base = importer.commit(ref: oursRef, message: "base", parents: [], tree: baseTree)
        makePlan()

        var oursStart: Tip = (base, baseTree)
        var theirsStart: Tip = (base, baseTree)
        if crissCross {
            (oursStart, theirsStart) = try crissCrossPrelude(base: (base, baseTree), oursRef: oursRef, theirsRef: theirsRef)
        }

        tree = oursStart.tree
        var tip = oursStart.commit
        for i in 1...rng.int(in: 1...4) { tip = commit("ours \(i)", ref: oursRef, parents: [tip]) }

        // Unrelated: theirs starts as a root commit sharing base's paths, not its history.
        tree = theirsStart.tree
        var theirsTip: String? = unrelated ? nil : theirsStart.commit
        for i in 1...rng.int(in: 1...4) {
            theirsTip = commit("theirs \(i)", ref: theirsRef, parents: theirsTip.map { [$0] } ?? [])
        }
        try importer.run()
        let history = unrelated ? "unrelated" : crissCross ? "criss-cross, \(crossSides) sides\(crossRounds == 2 ? ", nested" : "")" : "plain"
        return MergeCase(seed: seed, ours: ours, theirs: theirs, description: log.joined(separator: "\n"),
                         features: ["history: \(history)"] + operations.sorted().map { "operation: \($0)" })
    }

    /// Side commits off base that both lines merge, so every side commit is a merge base:
    /// 2-8 bases, and with a second round the bases themselves have two bases (nested recursion).
    func crissCrossPrelude(base: Tip, oursRef: String, theirsRef: String) throws -> (Tip, Tip) {
        let sides = [2, 2, 2, 3, 3, 4, 4, 6, 8][rng.int(in: 0...8)]
        let rounds = rng.chance(0.3) ? 2 : 1
        (crossSides, crossRounds) = (sides, rounds)
        log.append("criss-cross: \(sides) side commits, \(rounds) round(s)")
        var tips: [String] = []
        for i in 1...sides {
            tree = base.tree
            tips.append(commit("side \(i)", ref: i == 2 ? theirsRef : oursRef, parents: [base.commit]))
        }
        try importer.run()
        tips = tips.map(importer.resolve)
        var ours = try mergeChain(tips[0], with: Array(tips.dropFirst()))
        var theirs = try mergeChain(tips[1], with: [tips[0]] + tips.dropFirst(2))
        if rounds == 2 {
            tree = try TreeModel.load(commit: ours, repo: repo.path)
            let o2 = commit("ours pre", ref: oursRef, parents: [ours])
            tree = try TreeModel.load(commit: theirs, repo: repo.path)
            let t2 = commit("theirs pre", ref: theirsRef, parents: [theirs])
            try importer.run()
            ours = try mergeCommit(importer.resolve(o2), importer.resolve(t2))
            theirs = try mergeCommit(importer.resolve(t2), importer.resolve(o2))
        }
        return ((ours, try TreeModel.load(commit: ours, repo: repo.path)),
                (theirs, try TreeModel.load(commit: theirs, repo: repo.path)))
    }

    func mergeChain(_ start: String, with others: [String]) throws -> String {
        var current = start
        for other in others { current = try mergeCommit(current, other) }
        return current
    }

    /// A merge commit of `a` and `b` whose tree is merge-ort's result. A conflicted merge is
    /// resolved by committing the tree with conflict markers (what recursive merging must
    /// reproduce in virtual bases) or, now and then, one parent's tree (like `-s ours`).
    func mergeCommit(_ a: String, _ b: String) throws -> String {
        let args = ["merge-tree", "--write-tree", "--name-only", "--no-messages", "-z", a, b]
        let result = try Shell.runGit(args, cwd: repo.path)
        guard result.status == 0 || result.status == 1,
              let merged = GitOracle.nulFields(result.stdoutData).first, GitOracle.isObjectId(merged) else {
            throw ShellError(command: ["git"] + args, status: result.status, stderr: result.stderr, cwd: repo.path)
        }
        var treeish = merged
        var how = "clean"
        if result.status == 1 {
            switch rng.int(in: 0...4) {
            case 0: treeish = a + "^{tree}"; how = "conflicted, kept first parent's tree"
            case 1: treeish = b + "^{tree}"; how = "conflicted, kept second parent's tree"
            default: how = "conflicted, committed with markers"
            }
        }
        let id = try repo.git("commit-tree", treeish, "-p", a, "-p", b, "-m", "merge")
        log.append("merge \(a.prefix(10)) + \(b.prefix(10)) -> \(id.prefix(10)) (\(how))")
        return id
    }

    /// 1-3 random operations on `tree`, queued as a commit; returns its handle.
    func commit(_ label: String, ref: String, parents: [String]) -> String {
        let ops = Op.allCases
        let weightList = ops.map(weight) + [weights.normalizationTwin, weights.rawByteName]
        var done: [String] = []
        // Mostly one operation per commit: more and the two sides collide on nearly every case.
        let count = 1 + (rng.weightedIndex([0.55, 0.3, 0.15]) ?? 0)
        for _ in 0..<count {
            for _ in 0..<4 {
                guard let index = rng.weightedIndex(weightList),
                      let note = index < ops.count ? apply(ops[index]) : index == ops.count ? normalizationTwin() : rawByteName()
                else { continue }
                operations.insert(index < ops.count ? "\(ops[index])" : index == ops.count ? "normalization twin" : "latin-1 name")
                done.append(note)
                break
            }
        }
        log.append("\(label): \(done.isEmpty ? "(no change)" : done.joined(separator: "; "))")
        return importer.commit(ref: ref, message: label, parents: parents, tree: tree)
    }

    func uniqueName(_ name: String, _ existing: Set<String>) -> String {
        if !existing.contains(name) { return name }
        var i = 2
        while existing.contains("\(name)-\(i)") { i += 1 }
        return "\(name)-\(i)"
    }
}

/// Names that differ only in Unicode normalization: NFC "caf\u{e9}" and NFD "cafe\u{301}" are
/// one name to Swift's `String` ==, two paths to git. Each side respells or accents names on
/// its own, so the two sides often end up with different spellings of one name: an add/add
/// git keeps apart, a rename/rename, a directory renamed to its twin.
extension CaseBuilder {
    /// Precomposed letters (NFC) and their canonical decompositions (NFD), as scalars.
    static let twinLetters: [(composed: Unicode.Scalar, base: Unicode.Scalar, mark: Unicode.Scalar)] = [
        ("\u{e9}", "e", "\u{301}"), ("\u{ef}", "i", "\u{308}"), ("\u{fc}", "u", "\u{308}"), ("\u{f1}", "n", "\u{303}"),
    ]

    /// Whether `name` has a letter this generator can respell.
    static func isTwinnable(_ name: String) -> Bool {
        name.unicodeScalars.contains { s in twinLetters.contains { $0.composed == s || $0.mark == s } }
    }

    /// `name` with its known letters decomposed when any is precomposed, else composed: the
    /// other spelling, byte-different and canonically equivalent. Scalar by scalar, so nothing
    /// else is normalized.
    static func respelled(_ name: String) -> String {
        let scalars = Array(name.unicodeScalars)
        let decompose = scalars.contains { s in twinLetters.contains { $0.composed == s } }
        var out = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            let s = scalars[i]
            if decompose, let letter = twinLetters.first(where: { $0.composed == s }) {
                out.append(letter.base); out.append(letter.mark)
            } else if !decompose, i + 1 < scalars.count,
                      let letter = twinLetters.first(where: { $0.base == s && $0.mark == scalars[i + 1] }) {
                out.append(letter.composed); i += 1
            } else {
                out.append(s)
            }
            i += 1
        }
        return String(out)
    }

    /// `name` with an accented letter before its extension, spelled NFC or NFD.
    func accented(_ name: String) -> String {
        let letter = rng.pick(Self.twinLetters) ?? Self.twinLetters[0]
        var mark = String.UnicodeScalarView()
        if rng.chance(0.5) { mark.append(letter.composed) } else { mark.append(letter.base); mark.append(letter.mark) }
        let utf8 = Array(name.utf8)
        let dot = utf8.lastIndex(of: 0x2E).flatMap { $0 > 0 ? $0 : nil } ?? utf8.count
        return String(decoding: utf8[..<dot], as: UTF8.self) + String(mark) + String(decoding: utf8[dot...], as: UTF8.self)
    }

    /// `path` with non-ASCII scalars escaped, so the log tells the two spellings apart (raw
    /// bytes that are not UTF-8 as \\xNN).
    static func shown(_ path: String) -> String {
        path.unicodeScalars.map { scalar in
            if let byte = RawPath.escapedByte(scalar) { return "\\x" + String(byte, radix: 16) }
            return scalar.isASCII ? String(scalar) : "\\u{\(String(scalar.value, radix: 16))}"
        }.joined()
    }

    /// Files under `dir` by byte prefix (TreeModel's own prefix test treats twins as equal).
    func filesByBytes(under dir: String) -> [String] {
        let prefix = Array((dir + "/").utf8)
        return tree.paths.filter { $0.utf8.starts(with: prefix) }
    }

    func normalizationTwin() -> String? {
        switch rng.int(in: 0...9) {
        case 0...2:
            // Respell a file's name (or accent it first): a rename git sees, between twins.
            let twinnable = tree.paths.filter { Self.isTwinnable(baseName($0)) }
            guard let source = rng.chance(0.7) ? rng.pick(twinnable) : pickFile(hot: 0.5) else { return nil }
            let name = baseName(source)
            return moveFile(source, to: join(parentDir(source), Self.isTwinnable(name) ? Self.respelled(name) : accented(name)),
                            note: "respell")
        case 3...4:
            // An accented rename of a (hot) file: the other side may pick the other spelling.
            guard let source = pickFile(hot: 0.6) else { return nil }
            return moveFile(source, to: join(parentDir(source), accented(baseName(source))), note: "accent rename")
        case 5...6:
            // A shared add under an accented name, spelled either way.
            guard let shared = rng.pick(plan.sharedAdds) else { return nil }
            let path = join(parentDir(shared.path), accented(baseName(shared.path)))
            guard tree.isFree(path) else { return nil }
            tree.put(path, rng.chance(0.6) ? FileEntry(content: .text(shared.lines)) : textEntry())
            return "twin add \(Self.shown(path))"
        default:
            // A directory renamed to its twin spelling, or to an accented name spelled either way.
            guard let dir = pickDir(hot: 0.6) else { return nil }
            let name = baseName(dir)
            let dest = join(parentDir(dir), Self.isTwinnable(name) ? Self.respelled(name) : accented(name))
            guard let moved = moveDirectory(dir, to: dest) else { return nil }
            return "twin dir \(Self.shown(dir))/ -> \(Self.shown(dest))/ (\(moved) files)"
        }
    }

    /// Moves every file under `dir` (by bytes) to `dest` unless `dest` is taken; the count moved.
    func moveDirectory(_ dir: String, to dest: String) -> Int? {
        let moved = filesByBytes(under: dir)
        let entries = moved.compactMap { path in tree.files[path].map { (path, $0) } }
        guard !entries.isEmpty else { return nil }
        for path in moved { tree.delete(path) }
        guard tree.isFree(dest) else {
            for (path, entry) in entries { tree.put(path, entry) }
            return nil
        }
        let prefix = RawPath.bytes(dir).count
        for (path, entry) in entries { tree.put(dest + RawPath.decode(Array(RawPath.bytes(path)[prefix...])), entry) }
        return moved.count
    }

    /// Renames `source` to `dest` (maybe with a small edit) unless `dest` is taken.
    func moveFile(_ source: String, to dest: String, note: String) -> String? {
        guard Array(source.utf8) != Array(dest.utf8), var entry = tree.files[source] else { return nil }
        tree.delete(source)
        guard tree.isFree(dest) else {
            tree.put(source, entry)
            return nil
        }
        let edited = rng.chance(0.3) && smallEdit(&entry)
        tree.put(dest, entry)
        return "\(note) \(Self.shown(source)) -> \(Self.shown(dest))\(edited ? " (edited)" : "")"
    }
}
