import Foundation
import Testing
import GitKit
import GorchTestSupport

/// Gitlinks (submodule entries, mode 160000) in merges, against git: changed on one side, on
/// both, deleted against changed, against a file and a directory, added on both sides. The
/// submodule commits are not in the repository, as in `merge-tree` on a superproject alone.
@Suite struct SubmoduleMergeTests {
    static let (a, b, c) = (String(repeating: "a", count: 40), String(repeating: "b", count: 40), String(repeating: "c", count: 40))

    /// Each entry: path -> "link:<id>" or file content.
    typealias Tree = [String: String]

    static let scenarios: [(name: String, base: Tree, main: Tree, side: Tree)] = [
        ("changed on one side", ["x": "x\n", "sub": "link:" + a], ["x": "x2\n", "sub": "link:" + a], ["x": "x\n", "sub": "link:" + b]),
        ("changed on both sides alike", ["sub": "link:" + a], ["sub": "link:" + b], ["sub": "link:" + b]),
        ("changed on both sides differently", ["sub": "link:" + a], ["sub": "link:" + b], ["sub": "link:" + c]),
        ("deleted against changed", ["x": "x\n", "sub": "link:" + a], ["x": "x\n"], ["x": "x\n", "sub": "link:" + b]),
        ("a file against a changed link", ["sub": "link:" + a], ["sub": "file\n"], ["sub": "link:" + b]),
        ("a directory where the other side adds a link", ["x": "x\n"], ["x": "x\n", "sub/f": "f\n"], ["x": "x\n", "sub": "link:" + a]),
        ("added on both sides, same and different", ["x": "x\n"], ["x": "x\n", "s1": "link:" + a, "s2": "link:" + a],
         ["x": "x\n", "s1": "link:" + a, "s2": "link:" + b]),
    ]

    @Test(arguments: Self.scenarios.indices)
    func agreesWithGit(index: Int) throws {
        let scenario = Self.scenarios[index]
        ProcessIsolation.apply()
        let dir = try TempDirectory(label: "submodule-merge")
        defer { dir.remove() }
        let repo = dir.path + "/repo"
        try Shell.git(["init", "-q", "-b", "main", repo], cwd: dir.path)
        var script = Data()
        func commit(_ ref: String, mark: Int, from: Int?, _ tree: Tree) {
            script.append(Data("commit refs/heads/\(ref)\nmark :\(mark)\ncommitter t <t@e> \(1_700_000_000 + mark) +0000\ndata 1\nc\n".utf8))
            if let from { script.append(Data("from :\(from)\n".utf8)) }
            script.append(Data("deleteall\n".utf8))
            for (path, value) in tree.sorted(by: { $0.key < $1.key }) {
                if value.hasPrefix("link:") {
                    script.append(Data("M 160000 \(value.dropFirst(5)) \(path)\n".utf8))
                } else {
                    script.append(Data("M 100644 inline \(path)\ndata \(value.utf8.count)\n\(value)\n".utf8))
                }
            }
        }
        commit("main", mark: 1, from: nil, scenario.base)
        commit("main", mark: 2, from: 1, scenario.main)
        commit("side", mark: 3, from: 1, scenario.side)
        let imported = try Shell.runGit(["fast-import", "--quiet"], cwd: repo, input: script)
        #expect(imported.status == 0, "fast-import: \(imported.stderr)")

        let oracle = try GitOracle.mergeTree(repo: repo, "main", "side")
        let repository = try Repository.open(at: repo)
        try repository.useInMemoryObjectWrites()
        let outcome = try OrtMerger(repository: repository).merge(
            ours: try repository.resolveCommit("main"), theirs: try repository.resolveCommit("side"),
            ourLabel: "main", theirLabel: "side")
        #expect(outcome.isClean == oracle.clean, "verdict: \(scenario.name)")
        #expect(outcome.tree.hex == oracle.tree, "tree: \(scenario.name)")
        #expect(Set(outcome.conflicts.map(\.path)) == oracle.conflictPaths, "conflict paths: \(scenario.name)")
    }
}
