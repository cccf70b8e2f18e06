import Foundation
import GitKit
import Testing

/// `addWorktree` against `git worktree add` of the same commit: admin files as git writes them,
/// nothing left behind on failure.
@Suite struct WorktreeCheckoutTests {
    @Test func adminFilesAreWrittenAsGitWritesThem() throws {
        let repo = try Fixture.twoCommits()
        let elsewhere = try Fixture.directory()
        let ours = elsewhere.path + "/ours", theirs = elsewhere.path + "/theirs"
        let repository = try repo.open()
        try repository.createBranch("ours", at: repo.oid("HEAD"))
        try repository.addWorktree(name: "ours", path: ours, branch: "ours")
        try repo.git("worktree", "add", "-q", "-b", "theirs", theirs, "HEAD")

        func admin(_ name: String) -> [String: String] {
            let dir = repo.path + "/.git/worktrees/" + name
            var files: [String: String] = [:]
            for file in ["gitdir", "commondir", "HEAD"] {
                files[file] = (try? String(contentsOfFile: dir + "/" + file, encoding: .utf8))?
                    .replacingOccurrences(of: name, with: "NAME")
            }
            files[".git"] = (try? String(contentsOfFile: elsewhere.path + "/" + name + "/.git", encoding: .utf8))?
                .replacingOccurrences(of: name, with: "NAME")
            return files
        }
        #expect(admin("ours") == admin("theirs"))
        #expect(admin("ours")["commondir"] == "../..\n")
        #expect(admin("ours")[".git"] == "gitdir: \(repo.path)/.git/worktrees/NAME\n")
        #expect(!FileManager.default.fileExists(atPath: repo.path + "/.git/worktrees/ours/locked"))
        // git reads it as its own: it can lock, list and remove it.
        try repo.git("worktree", "lock", ours)
        try repo.git("worktree", "unlock", ours)
        try repo.git("worktree", "remove", ours)
        #expect(!FileManager.default.fileExists(atPath: ours))
    }

    @Test func aMissingBlobFailsAndLeavesNothingBehind() throws {
        let repo = try Fixture.twoCommits()
        try repo.git("update-index", "--add", "--cacheinfo", "100644,2222222222222222222222222222222222222222,missing")
        let tree = try repo.git("write-tree", "--missing-ok")
        let commit = try repo.git("commit-tree", tree, "-p", "HEAD", "-m", "broken")
        let elsewhere = try Fixture.directory()
        let repository = try repo.open()
        try repository.createBranch("broken", at: #require(OID(hex: commit)))
        #expect(throws: GitError.self) { try repository.addWorktree(name: "broken", path: elsewhere.path + "/b", branch: "broken") }
        #expect(!FileManager.default.fileExists(atPath: elsewhere.path + "/b"))
        #expect(!FileManager.default.fileExists(atPath: repo.path + "/.git/worktrees/broken"))
        #expect(try repository.worktrees().isEmpty)
    }

    @Test func anExistingPathOrACheckedOutBranchIsRefusedUntouched() throws {
        let repo = try Fixture.twoCommits()
        let elsewhere = try Fixture.directory()
        let repository = try repo.open()
        try repository.createBranch("t", at: repo.oid("HEAD"))
        try FileManager.default.createDirectory(atPath: elsewhere.path + "/taken", withIntermediateDirectories: true)
        let exists = try #require(throws: GitError.self) { try repository.addWorktree(name: "t", path: elsewhere.path + "/taken", branch: "t") }
        #expect(exists.code == .exists && exists.message.contains("taken"))
        #expect(!FileManager.default.fileExists(atPath: repo.path + "/.git/worktrees/t"))
        let busy = try #require(throws: GitError.self) { try repository.addWorktree(name: "m", path: elsewhere.path + "/m", branch: "main") }
        #expect(busy.message.contains("already checked out"))
        #expect(!FileManager.default.fileExists(atPath: elsewhere.path + "/m"))
    }

}
