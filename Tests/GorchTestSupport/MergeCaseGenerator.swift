import Foundation

/// One generated merge scenario: merge branch `ours` with branch `theirs`.
public struct MergeCase: Sendable, CustomStringConvertible {
    public let seed: UInt64
    public let ours: String
    public let theirs: String
    /// What was done, one step per line, for failure messages.
    public let description: String

    public init(seed: UInt64, ours: String, theirs: String, description: String) {
        self.seed = seed
        self.ours = ours
        self.theirs = theirs
        self.description = description
    }
}

/// Seeded, deterministic generator of small histories that exercise merge-ort's corners:
/// content conflicts, renames (exact, edited, rename/rename, directory renames), mode changes,
/// file/directory swaps, binaries, symlinks, add/add, modify/delete and criss-cross merge bases.
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
        return MergeCase(seed: seed, ours: ours, theirs: theirs, description: log.joined(separator: "\n"))
    }

    /// Side commits off base that both lines merge, so every side commit is a merge base:
    /// 2-4 bases, and with a second round the bases themselves have two bases (nested recursion).
    func crissCrossPrelude(base: Tip, oursRef: String, theirsRef: String) throws -> (Tip, Tip) {
        let sides = [2, 2, 2, 3, 3, 4][rng.int(in: 0...5)]
        let rounds = rng.chance(0.3) ? 2 : 1
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
        let weightList = ops.map(weight)
        var done: [String] = []
        // Mostly one operation per commit: more and the two sides collide on nearly every case.
        let count = 1 + (rng.weightedIndex([0.55, 0.3, 0.15]) ?? 0)
        for _ in 0..<count {
            for _ in 0..<4 {
                guard let index = rng.weightedIndex(weightList), let note = apply(ops[index]) else { continue }
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
