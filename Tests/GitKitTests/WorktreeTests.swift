import Foundation
import GitKit
import Testing

@Suite(.timeLimit(.minutes(20))) struct WorktreeTests {
    /// The `worktree <path>` stanzas of `git worktree list --porcelain`, keyed by path.
    private func porcelain(_ repo: FixtureRepo) throws -> [String: [String]] {
        var result: [String: [String]] = [:]
        for stanza in try repo.git("worktree", "list", "--porcelain").components(separatedBy: "\n\n") {
            let lines = stanza.split(separator: "\n").map(String.init)
            guard let first = lines.first, first.hasPrefix("worktree ") else { continue }
            result[String(first.dropFirst("worktree ".count))] = Array(lines.dropFirst())
        }
        return result
    }

    @Test func addListLookupRemoveALockedOne() throws {
        let repo = try Fixture.twoCommits()
        let elsewhere = try Fixture.directory()
        let path = elsewhere.path + "/task-1"
        let repository = try repo.open()
        try repository.createBranch("task/1", at: repo.oid("HEAD~1"))

        let added = try repository.addWorktree(name: "task-1", path: path, branch: "task/1")
        #expect(added.name == "task-1")
        #expect(added.path == path)
        #expect(added.isValid && !added.isLocked && !added.isPrunable)
        // libgit2 checked out the branch's tree: HEAD~1 has b, not d.
        #expect(FileManager.default.contents(atPath: path + "/b") == Data("b1\n".utf8))
        #expect(!FileManager.default.fileExists(atPath: path + "/d"))
        #expect(try GitCLI.git(["status", "--porcelain"], in: path) == "")
        #expect(try GitCLI.git(["symbolic-ref", "HEAD"], in: path) == "refs/heads/task/1")
        #expect(try porcelain(repo)[path]?.contains("branch refs/heads/task/1") == true)

        #expect(try repository.worktrees() == [added])
        #expect(try repository.worktree(named: "task-1") == added)
        #expect(try repository.worktree(named: "nope") == nil)
        #expect(repository.worktreeHeads().contains { $0.name == "task-1" && $0.branch == "refs/heads/task/1" })

        try repo.git("worktree", "lock", "--reason", "agent running", path)
        let locked = try #require(try repository.worktree(named: "task-1"))
        // git ends the reason with a newline (libgit2's own lock does not).
        #expect(locked.isLocked && locked.lockReason?.trimmingCharacters(in: .newlines) == "agent running")
        let refused = try #require(throws: GitError.self) { try repository.removeWorktree(name: "task-1") }
        #expect(refused.code == .locked)
        #expect(refused.message.contains("agent running"))
        #expect(FileManager.default.fileExists(atPath: path))

        try repo.git("worktree", "unlock", path)
        #expect(try repository.worktree(named: "task-1")?.isLocked == false)

        try repository.removeWorktree(name: "task-1")
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(try porcelain(repo)[path] == nil)
        #expect(try repository.worktrees().isEmpty)
        #expect(try repository.branchTarget("task/1") == repo.oid("HEAD~1"))
        #expect(!repository.worktreeHeads().contains { $0.branch == "refs/heads/task/1" })
    }

    @Test func lockedWithoutReason() throws {
        let repo = try Fixture.twoCommits()
        let elsewhere = try Fixture.directory()
        let repository = try repo.open()
        try repository.createBranch("t", at: repo.oid("HEAD"))
        try repository.addWorktree(name: "t", path: elsewhere.path + "/t", branch: "t")
        try repo.git("worktree", "lock", elsewhere.path + "/t")
        let locked = try #require(try repository.worktree(named: "t"))
        #expect(locked.isLocked && locked.lockReason == nil)
    }

    @Test func addNeedsAnExistingBranchNotCheckedOutElsewhere() throws {
        let repo = try Fixture.twoCommits()
        let elsewhere = try Fixture.directory()
        let repository = try repo.open()
        let missing = try #require(throws: GitError.self) {
            try repository.addWorktree(name: "x", path: elsewhere.path + "/x", branch: "no-such-branch")
        }
        #expect(missing.code == .notFound && missing.message.contains("no-such-branch"))
        #expect(throws: GitError.self) { try repository.addWorktree(name: "y", path: elsewhere.path + "/y", branch: "main") }
        #expect(try repository.worktrees().isEmpty)
    }

    @Test func removeRefusesLocalChangesUnlessForced() throws {
        let repo = try Fixture.twoCommits()
        let elsewhere = try Fixture.directory()
        let path = elsewhere.path + "/wt"
        let repository = try repo.open()
        try repository.createBranch("wt", at: repo.oid("HEAD"))
        try repository.addWorktree(name: "wt", path: path, branch: "wt")

        // An untracked file counts, as for `git worktree remove`.
        try FileManager.default.createDirectory(atPath: path + "/scratch", withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: path + "/scratch/notes.txt", contents: Data("n\n".utf8)))
        let untracked = try #require(throws: GitError.self) { try repository.removeWorktree(name: "wt") }
        #expect(untracked.code == .uncommitted)
        #expect(untracked.message.contains("scratch/notes.txt"))
        try FileManager.default.removeItem(atPath: path + "/scratch")

        try Data("changed\n".utf8).write(to: URL(fileURLWithPath: path + "/a"))
        let modified = try #require(throws: GitError.self) { try repository.removeWorktree(name: "wt") }
        #expect(modified.code == .uncommitted && modified.message.contains("a"))
        #expect(FileManager.default.fileExists(atPath: path + "/a"))

        try repo.git("worktree", "lock", "--reason", "busy", path)
        try repository.removeWorktree(name: "wt", force: true)
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(try repository.worktree(named: "wt") == nil)
        #expect(try repository.branchTarget("wt") != nil)
    }

    @Test func pruneAWorktreeWhoseFolderWasDeletedByHand() throws {
        let repo = try Fixture.twoCommits()
        let elsewhere = try Fixture.directory()
        let path = elsewhere.path + "/gone"
        try repo.git("worktree", "add", "-q", "-b", "gone", path)
        let repository = try repo.open()

        // Valid worktrees are not pruned without `valid`.
        #expect(throws: GitError.self) { try repository.pruneWorktree(name: "gone") }
        #expect(try repository.worktree(named: "gone")?.isValid == true)

        try FileManager.default.removeItem(atPath: path)
        let stale = try #require(try repository.worktree(named: "gone"))
        #expect(!stale.isValid && stale.isPrunable)
        try repository.pruneWorktree(name: "gone")
        #expect(try repository.worktree(named: "gone") == nil)
        #expect(try porcelain(repo)[path] == nil)
        #expect(!FileManager.default.fileExists(atPath: repo.path + "/.git/worktrees/gone"))
        #expect(try repository.branchTarget("gone") != nil)

        let missing = try #require(throws: GitError.self) { try repository.pruneWorktree(name: "gone") }
        #expect(missing.code == .notFound)
    }
}
