import Foundation
import GitKit
import Testing

@Suite(.timeLimit(.minutes(20))) struct TreeTests {
    @Test func updateTreeMatchesACommitMadeByGit() throws {
        let repo = try Fixture.repo()
        repo.write("keep", "k\n")
        repo.write("change", "old\n")
        repo.write("gone/only", "x\n")
        repo.write("deep/er/file", "1\n")
        try repo.commitAll("base")
        let base = try repo.oid("HEAD^{tree}")
        repo.write("change", "new\n")
        repo.remove("gone")
        repo.write("deep/er/new", "2\n")
        repo.write("fresh/dir/file", "3\n")
        try repo.commitAll("next")

        let updated = try repo.open().updateTree(base, changes: [
            (path: "change", entry: (try repo.oid("HEAD:change"), .blob)),
            (path: "gone/only", entry: nil),
            (path: "deep/er/new", entry: (try repo.oid("HEAD:deep/er/new"), .blob)),
            (path: "fresh/dir/file", entry: (try repo.oid("HEAD:fresh/dir/file"), .blob)),
        ])
        #expect(updated == (try repo.oid("HEAD^{tree}")))
    }

    @Test func updateTreeTurnsAFileIntoADirectoryAndBack() throws {
        let repo = try Fixture.repo()
        repo.write("a", "file\n")
        repo.write("z", "z\n")
        let fileCommit = try repo.commitAll("a is a file")
        repo.remove("a")
        repo.write("a/b", "nested\n")
        repo.write("a/c", "nested too\n")
        let directoryCommit = try repo.commitAll("a is a directory")
        let repository = try repo.open()
        let fileTree = try repo.oid("\(fileCommit)^{tree}"), directoryTree = try repo.oid("\(directoryCommit)^{tree}")

        let toDirectory = try repository.updateTree(fileTree, changes: [
            (path: "a", entry: nil),
            (path: "a/b", entry: (try repo.oid("HEAD:a/b"), .blob)),
            (path: "a/c", entry: (try repo.oid("HEAD:a/c"), .blob)),
        ])
        #expect(toDirectory == directoryTree)

        let toFile = try repository.updateTree(directoryTree, changes: [
            (path: "a/b", entry: nil),
            (path: "a/c", entry: nil),
            (path: "a", entry: (try repo.oid("\(fileCommit):a"), .blob)),
        ])
        #expect(toFile == fileTree)

        // Replacing the directory by a file without listing its contents works as well.
        #expect(try repository.updateTree(directoryTree, changes: [(path: "a", entry: (try repo.oid("\(fileCommit):a"), .blob))]) == fileTree)
        // A whole subtree can replace a file, and nothing at all changes nothing.
        #expect(try repository.updateTree(fileTree, changes: [(path: "a", entry: (try repo.oid("\(directoryCommit):a"), .tree))]) == directoryTree)
        #expect(try repository.updateTree(fileTree, changes: []) == fileTree)
        // Removing every file of a directory drops the directory.
        let emptied = try repository.updateTree(directoryTree, changes: [(path: "a/b", entry: nil), (path: "a/c", entry: nil)])
        #expect(try repository.treeEntries(emptied).map(\.name) == ["z"])
    }
}
