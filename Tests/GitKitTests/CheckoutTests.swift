import Foundation
import GitKit
import Testing

@Suite(.timeLimit(.minutes(20))) struct CheckoutTests {
    @Test func checkoutAnotherCommitsTreeThenMoveHead() throws {
        let repo = try Fixture.twoCommits()
        try repo.git("branch", "old", "HEAD~1")
        let repository = try repo.open()

        try repository.checkout(tree: repo.oid("old^{tree}"))
        #expect(repo.read("a") == Data("a1\n".utf8))
        #expect(repo.read("b") == Data("b1\n".utf8))
        #expect(repo.read("d") == nil)
        try repository.setHead(branch: "old")
        #expect(try repo.git("status", "--porcelain") == "")
        #expect(try repo.git("symbolic-ref", "HEAD") == "refs/heads/old")

        try repository.checkout(tree: repo.oid("main"))  // a commit peels to its tree
        try repo.git("update-ref", "--no-deref", "HEAD", repo.oid("main").hex)
        #expect(try repo.git("status", "--porcelain") == "")
        #expect(try repository.headBranch() == nil)
        #expect(repo.read("d") == Data("d2\n".utf8))
    }

    @Test func checkoutIntoALinkedWorktree() throws {
        let repo = try Fixture.twoCommits()
        let elsewhere = try Fixture.directory()
        let path = elsewhere.path + "/wt"
        let repository = try repo.open()
        try repository.createBranch("task", at: repo.oid("HEAD"))
        try repository.addWorktree(name: "wt", path: path, branch: "task")

        // The branch moved first (as a CAS would); the worktree still has the old files,
        // so the baseline is the tree it was checked out at.
        let old = try repo.oid("HEAD^{tree}")
        try repo.git("update-ref", "refs/heads/task", "HEAD~1")
        try repository.checkout(tree: repo.oid("HEAD~1^{tree}"), in: path, baseline: old)
        #expect(try GitCLI.git(["status", "--porcelain"], in: path) == "")
        #expect(FileManager.default.contents(atPath: path + "/b") == Data("b1\n".utf8))
        #expect(try repo.git("status", "--porcelain") == "")  // the main worktree is untouched
    }

    @Test func refusesToOverwriteAModifiedTrackedFile() throws {
        let repo = try Fixture.twoCommits()
        let repository = try repo.open()
        let local = Data("my local edit\r\n\u{0}binary\n".utf8)
        repo.write("a", data: local)

        let error = try #require(throws: GitError.self) { try repository.checkout(tree: repo.oid("HEAD~1")) }
        #expect(error.code == .conflict)
        #expect(error.function == "git_checkout_tree")
        #expect(error.message.contains("a"))
        #expect(repo.read("a") == local)
        // Nothing else happened either: b was not restored, d not removed.
        #expect(repo.read("b") == nil)
        #expect(repo.read("d") == Data("d2\n".utf8))
        #expect(try repo.git("status", "--porcelain") == " M a")
    }

    @Test func aModifiedFileTheTreeDoesNotTouchIsKept() throws {
        let repo = try Fixture.twoCommits()
        let repository = try repo.open()
        repo.write("dir/c", "local\n")  // same in both commits
        try repository.checkout(tree: repo.oid("HEAD~1"))
        #expect(repo.read("dir/c") == Data("local\n".utf8))
        #expect(repo.read("a") == Data("a1\n".utf8))
    }

    @Test func refusesToOverwriteAnUntrackedFile() throws {
        let repo = try Fixture.twoCommits()
        try repo.git("checkout", "-q", "HEAD~1")
        let repository = try repo.open()
        repo.write("d", "untracked, mine\n")
        repo.write("a", "also mine\n")

        let error = try #require(throws: GitError.self) { try repository.checkout(tree: repo.oid("main")) }
        #expect(error.code == .conflict)
        #expect(error.message.contains("d"))
        #expect(error.message.contains("a"))
        #expect(repo.read("d") == Data("untracked, mine\n".utf8))
        #expect(repo.read("a") == Data("also mine\n".utf8))
        #expect(repo.read("b") == Data("b1\n".utf8))
    }

    @Test func checkoutOfSomePaths() throws {
        let repo = try Fixture.twoCommits()
        let repository = try repo.open()
        try repository.checkout(tree: repo.oid("HEAD~1"), paths: ["a"])
        #expect(repo.read("a") == Data("a1\n".utf8))
        #expect(repo.read("b") == nil)
        #expect(repo.read("d") == Data("d2\n".utf8))
        #expect(try repo.git("status", "--porcelain") == "M  a")
    }

    @Test func statusAndDirtiness() throws {
        let repo = try Fixture.twoCommits()
        let repository = try repo.open()
        #expect(try repository.status().isEmpty)
        #expect(try !repository.isDirty())

        repo.write("new/deeper/u.txt", "u\n")
        #expect(try !repository.isDirty())
        #expect(try repository.isDirty(ignoringUntracked: false))
        repo.write(".gitignore", "*.log\n")
        repo.write("noise.log", "ignored\n")

        repo.write("a", "edited\n")
        repo.write("d", "staged\n")
        try repo.git("add", "d")
        repo.remove("dir/c")
        let status = Dictionary(uniqueKeysWithValues: try repository.status().map { ($0.path, $0) })
        #expect(Set(status.keys) == ["a", "d", "dir/c", "new/deeper/u.txt", ".gitignore"])
        #expect(status["new/deeper/u.txt"]?.isUntracked == true)
        #expect(status["new/deeper/u.txt"].map { $0.indexChanged || $0.worktreeChanged } == false)
        #expect(status["a"]?.worktreeChanged == true && status["a"]?.indexChanged == false)
        #expect(status["d"]?.indexChanged == true && status["d"]?.worktreeChanged == false)
        #expect(status["dir/c"]?.worktreeChanged == true)
        #expect(status.values.allSatisfy { !$0.isConflicted })
        #expect(try repository.isDirty())
    }

    @Test func statusShowsAConflictedPath() throws {
        let repo = try Fixture.twoCommits()
        try repo.git("checkout", "-q", "-b", "side", "HEAD~1")
        repo.write("a", "side\n")
        try repo.commitAll("side")
        try repo.git("checkout", "-q", "main")
        #expect(try !GitCLI.succeeds(["merge", "side"], in: repo.path))
        let status = try repo.open().status()
        #expect(status.filter(\.isConflicted).map(\.path) == ["a"])
    }
}
