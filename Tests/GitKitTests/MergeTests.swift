import Foundation
import GitKit
import Testing

@Suite(.timeLimit(.minutes(20))) struct MergeTests {
    @Test func mergeBasesOfACrissCrossHistory() throws {
        let repo = try Fixture.repo()
        repo.write("f", "0\n")
        try repo.commitAll("root")
        try repo.git("checkout", "-q", "-b", "left")
        repo.write("l", "1\n")
        let left1 = try repo.commitAll("left 1")
        try repo.git("checkout", "-q", "-b", "right", "main")
        repo.write("r", "1\n")
        let right1 = try repo.commitAll("right 1")
        // Each side merges the other's first commit: two best common ancestors.
        try repo.git("merge", "-q", "--no-ff", "-m", "left merges right", left1)
        try repo.git("checkout", "-q", "left")
        try repo.git("merge", "-q", "--no-ff", "-m", "right merges left", right1)

        let expected = try Set(repo.git("merge-base", "--all", "left", "right").split(separator: "\n").map {
            try #require(OID(hex: String($0)))
        })
        #expect(expected == [try repo.oid(left1), try repo.oid(right1)])
        let repository = try repo.open()
        #expect(Set(try repository.mergeBases(repo.oid("left"), repo.oid("right"))) == expected)
        #expect(try repository.mergeBases(repo.oid("left"), repo.oid("right")).count == 2)
    }

    @Test func contentConflictHasAllThreeStages() throws {
        let repo = try Fixture.repo()
        repo.write("f", "1\n2\n3\n")
        repo.write("other", "same\n")
        let base = try repo.commitAll("base")
        repo.write("f", "1\nours\n3\n")
        let ours = try repo.commitAll("ours")
        try repo.git("checkout", "-q", "-b", "theirs", base)
        repo.write("f", "1\ntheirs\n3\n")
        repo.write("added", "clean\n")
        let theirs = try repo.commitAll("theirs")
        let repository = try repo.open()

        let index = try repository.mergeTrees(ancestor: repo.oid("\(base)^{tree}"), ours: repo.oid(ours), theirs: repo.oid(theirs))
        #expect(index.hasConflicts)
        let conflicts = try index.conflicts()
        #expect(conflicts.count == 1)
        let conflict = try #require(conflicts.first)
        #expect(conflict.path == "f")
        #expect(conflict.ancestor == IndexEntry(path: "f", oid: try repo.oid("\(base):f"), mode: .blob, stage: 1))
        #expect(conflict.ours == IndexEntry(path: "f", oid: try repo.oid("\(ours):f"), mode: .blob, stage: 2))
        #expect(conflict.theirs == IndexEntry(path: "f", oid: try repo.oid("\(theirs):f"), mode: .blob, stage: 3))
        let merged = index.entries().filter { $0.stage == 0 }.map(\.path)
        #expect(merged == ["added", "other"])
        let error = try #require(throws: GitError.self) { try index.writeTree() }
        #expect(error.code == .conflict && error.message.contains("f"))

        #expect(try !GitCLI.mergeTree(in: repo.path, ours, theirs).clean)
        let named = try GitCLI.run("git", ["merge-tree", "--write-tree", "--name-only", "--no-messages", ours, theirs], in: repo.path)
        #expect(String(decoding: named.stdout, as: UTF8.self).split(separator: "\n").dropFirst() == ["f"])
    }

    @Test func cleanMergeWritesGitsTree() throws {
        let repo = try Fixture.repo()
        repo.write("f", "1\n2\n3\n4\n5\n")
        let base = try repo.commitAll("base")
        repo.write("f", "one\n2\n3\n4\n5\n")
        repo.write("ours-only", "o\n")
        let ours = try repo.commitAll("ours")
        try repo.git("checkout", "-q", "-b", "theirs", base)
        repo.write("f", "1\n2\n3\n4\nfive\n")
        repo.write("dir/theirs-only", "t\n")
        let theirs = try repo.commitAll("theirs")
        let repository = try repo.open()
        let expected = try GitCLI.mergeTree(in: repo.path, ours, theirs)
        #expect(expected.clean)

        let index = try repository.mergeTrees(ancestor: repo.oid(base), ours: repo.oid(ours), theirs: repo.oid(theirs))
        #expect(!index.hasConflicts)
        #expect(try index.conflicts().isEmpty)
        #expect(try index.writeTree().hex == expected.tree)

        let viaCommits = try repository.mergeCommits(repo.oid(ours), repo.oid(theirs))
        #expect(try viaCommits.writeTree().hex == expected.tree)
    }

    @Test func renamesOnlyWhenAsked() throws {
        let repo = try Fixture.repo()
        let body = (1...20).map { "line \($0)\n" }.joined()
        repo.write("old-name", body)
        let base = try repo.commitAll("base")
        repo.remove("old-name")
        repo.write("new-name", body)
        let ours = try repo.commitAll("rename")
        try repo.git("checkout", "-q", "-b", "theirs", base)
        repo.write("old-name", body.replacingOccurrences(of: "line 20", with: "line twenty"))
        let theirs = try repo.commitAll("edit")
        let repository = try repo.open()

        let plain = try repository.mergeTrees(ancestor: repo.oid(base), ours: repo.oid(ours), theirs: repo.oid(theirs))
        #expect(try plain.conflicts().map(\.path) == ["old-name"])  // modify/delete without renames
        #expect(try plain.conflicts().first?.ours == nil)

        let renamed = try repository.mergeTrees(ancestor: repo.oid(base), ours: repo.oid(ours), theirs: repo.oid(theirs), findRenames: true)
        #expect(!renamed.hasConflicts)
        let tree = try renamed.writeTree()
        #expect(try repository.treeEntries(tree).map(\.name) == ["new-name"])
        #expect(try GitCLI.mergeTree(in: repo.path, ours, theirs).tree == tree.hex)
    }

    @Test func addAddConflictHasNoAncestor() throws {
        let repo = try Fixture.repo()
        repo.write("x", "x\n")
        let base = try repo.commitAll("base")
        repo.write("new", "ours\n")
        let ours = try repo.commitAll("ours")
        try repo.git("checkout", "-q", "-b", "theirs", base)
        repo.write("new", "theirs\n")
        let theirs = try repo.commitAll("theirs")
        let index = try repo.open().mergeTrees(ancestor: nil, ours: repo.oid(ours), theirs: repo.oid(theirs))
        let conflicts = try index.conflicts()
        #expect(conflicts.map(\.path) == ["new"])
        #expect(conflicts.first?.ancestor == nil && conflicts.first?.ours != nil && conflicts.first?.theirs != nil)
    }
}
