import Foundation
import GitKit
import GorchTestSupport
import Testing

/// A task that adds or edits files whose names are not UTF-8 (Latin-1 "caf\xe9.txt"), merged
/// by `gorch merge` end to end: the target's tree holds the name's bytes as git would write them,
/// the checkout has the file under its raw name, and conflicts on it are listed the way git
/// quotes such names (`"caf\351.txt"`), with JSON carrying the name losslessly (RawPath).
@Suite("raw-byte file names through merge", .timeLimit(.minutes(20)))
struct RawBytePathCLITests {
    static let name = RawPath.decode(Array("dir/caf".utf8) + [0xE9] + Array(".txt".utf8))
    static let shown = #""dir/caf\351.txt""#

    /// The names in `tree`, as git lists them (-z, so exact), decoded like gorch decodes them.
    static func names(_ project: TaskProject, _ tree: String) throws -> Set<String> {
        let data = try Shell.runGit(["ls-tree", "-r", "-z", "--name-only", tree], cwd: project.path).stdoutData
        return Set(data.split(separator: 0).map { RawPath.decode(Array($0)) })
    }

    @Test("a clean merge writes the raw name into the target's tree and checkout, as git merge-tree does")
    func cleanMergeKeepsTheBytes() throws {
        let project = try TaskProject()
        try project.commit(in: project.path, ["dir/a.txt": "a\n"], message: "dir")
        try project.agent("lat", [Self.name: "latin-1 name\n"])
        try project.commit(in: project.path, ["dir/a.txt": "a, edited on main\n"], message: "main moves")
        let oracle = try GitOracle.mergeTree(repo: project.path, "main", "task/lat")

        let result = try project.gorch("merge")
        #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
        #expect(try project.rev("main^{tree}") == oracle.tree, "the merged tree is git's")
        #expect(try Self.names(project, "main").contains(Self.name))
        #expect(RawFiles.exists((project.path as NSString).appendingPathComponent(Self.name)), "checked out under its raw name")
        #expect(try project.repo.git("status", "--porcelain").isEmpty, "checkout equals the target")
        try project.expectConsistent()
    }

    @Test("a conflict on a raw name: the table quotes it as git does, JSON and the hand-back are exact")
    func conflictIsListedExactly() throws {
        let project = try TaskProject()
        try project.commit(in: project.path, [Self.name: "base\n"], message: "latin-1 file")
        try project.agent("lat", [Self.name: "task\n"])
        try project.commit(in: project.path, [Self.name: "main\n"], message: "main edits")

        let human = try project.gorch("merge")
        #expect(human.status == 1, "\(human.stdout) \(human.stderr)")
        #expect(human.stdout.contains("content: \(Self.shown)\n"), "\(human.stdout)")
        let table = try project.gorch("conflicts", "task/lat")
        #expect(table.stdout.contains("  \(Self.shown) (content)"), "\(table.stdout)")

        let json = try project.json("conflicts", "task/lat", status: 1)
        let results = json["results"] as? [[String: Any]] ?? []
        let paths = results.flatMap { ($0["conflicts"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String } }
        #expect(paths.map(RawPath.bytes) == [RawPath.bytes(Self.name)], "\(json)")
        // The hand-back put git's stages on the raw name in the task's worktree.
        let unmerged = try Shell.runGit(["diff", "--name-only", "--diff-filter=U", "-z"], cwd: project.worktree("lat")).stdoutData
        #expect(unmerged.split(separator: 0).map { RawPath.decode(Array($0)) } == [Self.name])
        try project.expectConsistent()
    }
}
