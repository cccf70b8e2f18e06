import Foundation
import GitKit
import Testing

@Suite(.timeLimit(.minutes(20))) struct TreeTests {
    /// Every path of a commit's tree with its blob id and mode, from `git ls-tree -r`.
    private func flatTree(_ repo: FixtureRepo, _ revision: String) throws -> [String: (OID, FileMode)] {
        var result: [String: (OID, FileMode)] = [:]
        for line in try repo.git("ls-tree", "-r", "-z", revision).split(separator: "\0") {
            let parts = line.split(separator: "\t", maxSplits: 1)
            let meta = parts[0].split(separator: " ")
            let mode = try #require(UInt32(meta[0], radix: 8))
            result[String(parts[1])] = (try #require(OID(hex: String(meta[2]))), FileMode(rawValue: mode))
        }
        return result
    }

    @Test func buildTreeEqualsGitWriteTree() throws {
        let repo = try Fixture.repo()
        repo.write("README", "hello\n")
        repo.write("src/main.swift", "print(1)\n")
        repo.write("src/lib/util.swift", "let x = 1\n")
        repo.write("src/lib2/z", "z\n")
        repo.write("run.sh", "#!/bin/sh\n")
        repo.setExecutable("run.sh")
        repo.symlink("link", to: "src/main.swift")
        repo.write("a-b", "dash\n")
        repo.write("a/b", "dir\n")
        try repo.commitAll("content")
        try repo.git("add", "-A")
        #expect(try repo.git("write-tree") == repo.git("rev-parse", "HEAD^{tree}"))

        let entries = try flatTree(repo, "HEAD")
        #expect(entries.count == 8)
        #expect(try repo.open().buildTree(from: entries) == repo.oid("HEAD^{tree}"))
    }

    @Test func buildTreeGraftsSubtreesAndWritesTheEmptyTree() throws {
        let repo = try Fixture.twoCommits()
        let repository = try repo.open()
        #expect(try repository.buildTree(from: [:]) == OID.emptyTree)
        let entries: [String: (OID, FileMode)] = [
            "a": (try repo.oid("HEAD:a"), .blob),
            "d": (try repo.oid("HEAD:d"), .blob),
            "dir": (try repo.oid("HEAD:dir"), .tree),
        ]
        #expect(try repository.buildTree(from: entries) == repo.oid("HEAD^{tree}"))
    }

    @Test func buildTreeRejectsAPathThatIsFileAndDirectory() throws {
        let repo = try Fixture.twoCommits()
        let blob = try repo.oid("HEAD:a")
        let clash = try #require(throws: GitError.self) {
            try repo.open().buildTree(from: ["x": (blob, .blob), "x/y": (blob, .blob)])
        }
        #expect(clash.code == .conflict && clash.message.contains("'x'"))
        let empty = try #require(throws: GitError.self) { try repo.open().buildTree(from: ["x//y": (blob, .blob)]) }
        #expect(empty.code == .invalidSpec)
        let missing = try #require(throws: GitError.self) {
            try repo.open().buildTree(from: ["x": (try #require(OID(hex: String(repeating: "1", count: 40))), .blob)])
        }
        #expect(missing.function == "git_treebuilder_insert")
    }

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
