import Foundation
import Testing
import GitKit
import GorchTestSupport

/// Gitlinks (submodule entries, mode 160000) in merges, against git: changed on one side, on
/// both, deleted against changed, against a file and a directory, added on both sides. The
/// submodule commits are not in the repository, as in `merge-tree` on a superproject alone.
/// Compared byte for byte by UnicodePathMergeTests' check (verdict, tree, stages, paths).
@Suite(.timeLimit(.minutes(20))) struct SubmoduleMergeTests {
    typealias Scenario = UnicodePathMergeTests.Scenario
    static let (a, b, c) = ("link:" + String(repeating: "a", count: 40), "link:" + String(repeating: "b", count: 40),
                            "link:" + String(repeating: "c", count: 40))

    static let scenarios: [Scenario] = [
        Scenario(name: "changed on one side", base: [("x", "x\n"), ("sub", a)],
                 main: [("x", "x2\n"), ("sub", a)], side: [("x", "x\n"), ("sub", b)]),
        Scenario(name: "changed on both sides alike", base: [("sub", a)], main: [("sub", b)], side: [("sub", b)]),
        Scenario(name: "changed on both sides differently", base: [("sub", a)], main: [("sub", b)], side: [("sub", c)]),
        Scenario(name: "deleted against changed", base: [("x", "x\n"), ("sub", a)],
                 main: [("x", "x\n")], side: [("x", "x\n"), ("sub", b)]),
        Scenario(name: "a file against a changed link", base: [("sub", a)], main: [("sub", "file\n")], side: [("sub", b)]),
        Scenario(name: "a directory where the other side adds a link", base: [("x", "x\n")],
                 main: [("x", "x\n"), ("sub/f", "f\n")], side: [("x", "x\n"), ("sub", a)]),
        Scenario(name: "added on both sides, same and different", base: [("x", "x\n")],
                 main: [("x", "x\n"), ("s1", a), ("s2", a)], side: [("x", "x\n"), ("s1", a), ("s2", b)]),
    ]

    @Test(arguments: Self.scenarios.indices)
    func agreesWithGit(index: Int) throws {
        try UnicodePathMergeTests.checkAgainstGit(Self.scenarios[index])
    }
}
