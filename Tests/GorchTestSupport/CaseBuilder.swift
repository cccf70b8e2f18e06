import Foundation

/// Choices made once per case that both sides draw from, so their independent random
/// operations still collide often: same files edited, same names added, same rename targets.
struct CasePlan {
    var hotFiles: [String] = []
    var hotDir: String?
    var sharedAdds: [(path: String, lines: [String])] = []
    var renameTargets: [String] = []
    var dirTargets: [String] = []
}

/// The mutable state of generating one case: the PRNG, the tree being edited, the plan, the
/// queued commits and a log.
final class CaseBuilder {
    let seed: UInt64
    let repo: TempRepo
    let weights: MergeCaseGenerator.Weights
    let importer: FastImport
    var rng: SplitMix64
    var tree = TreeModel()
    var plan = CasePlan()
    var log: [String] = []
    /// Operations applied so far, and the criss-cross prelude's shape, for `MergeCase.features`.
    var operations: Set<String> = []
    var crossSides = 0, crossRounds = 0

    init(seed: UInt64, repo: TempRepo, weights: MergeCaseGenerator.Weights) {
        self.seed = seed
        self.repo = repo
        self.weights = weights
        importer = FastImport(repo: repo.path)
        rng = SplitMix64(seed: seed)
    }

    // Small vocabularies: lines are distinct enough that unrelated files don't look alike,
    // while a one-line edit of a 5+ line file stays well above git's 50% rename similarity.
    static let words = [
        "alpha", "beta", "gamma", "delta", "omega", "sigma", "kappa", "lambda", "red", "green",
        "blue", "black", "white", "north", "south", "east", "west", "up", "down", "left",
        "right", "one", "two", "three", "four", "five", "apple", "pear", "plum", "fig",
        "read", "write", "open", "close", "seek", "flush", "lock", "free", "init", "done",
    ]
    static let dirNames = ["src", "lib", "docs", "core", "util", "test", "include", "net", "io", "app", "misc", "data", "with space", "ünï"]
    // A few awkward names (space, non-ASCII, quote) exercise path quoting in git's output.
    static let stems = [
        "main", "util", "config", "readme", "notes", "alpha", "beta", "gamma", "index", "parser",
        "lexer", "driver", "table", "list", "map", "queue", "tree", "node", "graph", "odd name", "naïve", "q\"uote",
    ]
    static let exts = [".txt", ".c", ".h", ".md", ""]

    // MARK: content

    func line() -> String {
        (0..<rng.int(in: 2...4)).map { _ in rng.pick(Self.words) ?? "x" }.joined(separator: " ")
    }

    func lines(_ range: ClosedRange<Int>) -> [String] {
        (0..<rng.int(in: range)).map { _ in line() }
    }

    /// Lines that depend only on `key`, so both sides can make the very same change.
    func sharedLines(_ key: String, count: Int) -> [String] {
        var local = SplitMix64(seed: stableHash(String(seed), key))
        return (0..<count).map { _ in
            (0..<local.int(in: 2...4)).map { _ in local.pick(Self.words) ?? "x" }.joined(separator: " ")
        }
    }

    /// Where a file's "hot" lines are: both sides aim edits here, so they overlap or touch.
    func hotspot(_ path: String, count: Int) -> Int {
        Int(stableHash(String(seed), path) % UInt64(max(count, 1)))
    }

    func binaryBytes(prefix: [UInt8] = [0x89, 0x50, 0x4E, 0x47]) -> [UInt8] {
        prefix + [0, 0] + (0..<rng.int(in: 8...40)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    }

    func textEntry(_ range: ClosedRange<Int> = 4...14) -> FileEntry {
        FileEntry(content: .text(lines(range)), executable: rng.chance(0.08))
    }

    /// Mostly text; sometimes empty, binary, a symlink or executable.
    func randomEntry() -> FileEntry {
        let roll = rng.int(in: 0...99)
        switch roll {
        case 0..<6: return FileEntry(content: .text([]))
        case 6..<11: return FileEntry(content: .binary(binaryBytes()))
        case 11..<17: return FileEntry(content: .symlink(symlinkTarget()))
        default: return textEntry()
        }
    }

    func symlinkTarget() -> String {
        if rng.chance(0.5), let target = rng.pick(tree.paths) { return target }
        return rng.pick(["../README", "target", "lib/missing.h", "/dev/null"]) ?? "target"
    }

    // MARK: names

    func fileName() -> String {
        let stem = rng.pick(Self.stems) ?? "file"
        let suffix = rng.chance(0.3) ? String(rng.int(in: 1...9)) : ""
        return stem + suffix + (rng.pick(Self.exts) ?? "")
    }

    /// A path in `dir` where a new file can go, or nil after a few unlucky draws.
    func freshPath(in dir: String) -> String? {
        for _ in 0..<12 {
            let path = join(dir, fileName())
            if tree.isFree(path) { return path }
        }
        return nil
    }

    /// A directory path nothing occupies yet, at most three levels deep.
    func freshDir(under parent: String) -> String? {
        for _ in 0..<12 {
            let name = (rng.pick(Self.dirNames) ?? "d") + (rng.chance(0.3) ? String(rng.int(in: 2...9)) : "")
            let path = join(parent, name)
            if depth(path) <= 3, tree.isFree(path) { return path }
        }
        return nil
    }

    /// An existing directory (or the root), or now and then a new one.
    func someDir() -> String {
        let existing = [""] + tree.directories
        if rng.chance(0.25), let parent = rng.pick(existing.filter { depth($0) < 3 }), let dir = freshDir(under: parent) {
            return dir
        }
        return rng.pick(existing) ?? ""
    }

    func depth(_ path: String) -> Int {
        path.isEmpty ? 0 : path.split(separator: "/").count
    }

    // MARK: base tree and plan

    /// 3-40 files over directories up to three levels deep; returns a summary line.
    func buildBase() -> String {
        var dirs = [""]
        for _ in 0..<rng.int(in: 0...6) {
            let parent = rng.pick(dirs.filter { depth($0) < 3 }) ?? ""
            let name = rng.pick(Self.dirNames) ?? "d"
            let path = join(parent, name)
            if !dirs.contains(path) { dirs.append(path) }
        }
        for _ in 0..<rng.int(in: 3...40) {
            guard let path = freshPath(in: rng.pick(dirs) ?? "") else { continue }
            tree.put(path, randomEntry())
        }
        if tree.files.isEmpty { tree.put("README", textEntry()) }
        let entries = tree.files.values
        let exec = entries.filter { $0.executable }.count
        let links = entries.filter { !$0.isRegular }.count
        let binary = entries.filter { if case .binary = $0.content { return true } else { return false } }.count
        let empty = entries.filter { $0.lines == [] }.count
        return "base: \(tree.files.count) files in \(tree.directories.count) dirs"
            + " (\(exec) executable, \(links) symlinks, \(binary) binary, \(empty) empty)"
    }

    func makePlan() {
        let text = tree.paths(where: { ($0.lines?.count ?? 0) >= 3 })
        plan.hotFiles = Array(rng.shuffled(text.isEmpty ? tree.paths : text).prefix(rng.int(in: 1...3)))
        plan.hotDir = rng.pick(tree.directories)
        plan.sharedAdds = (0..<2).compactMap { _ in
            freshPath(in: someDir()).map { ($0, lines(3...8)) }
        }
        plan.renameTargets = (0..<2).compactMap { _ in freshPath(in: someDir()) }
        let dirParent = plan.hotDir.map(parentDir) ?? ""
        plan.dirTargets = (0..<2).compactMap { _ in freshDir(under: rng.chance(0.6) ? dirParent : "") }
        log.append("plan: hot files \(plan.hotFiles), hot dir \(plan.hotDir ?? "-")")
    }
}
