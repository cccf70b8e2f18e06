import Foundation
import GitKit
import Testing

@Suite(.timeLimit(.minutes(20))) struct DiscoveryTests {
    @Test func discoversFromASubdirectory() throws {
        let repo = try Fixture.repo()
        repo.write("src/deep/file.txt", "x\n")
        try repo.commitAll("one")

        let found = try Repository.discover(from: repo.absolute("src/deep"))
        #expect(found.workingDirectory == repo.path + "/")
        #expect(found.gitDirectory == repo.path + "/.git/")
        #expect(found.commonDirectory == repo.path + "/.git/")
        #expect(!found.isBare)
        #expect(!found.isLinkedWorktree)
    }

    @Test func discoversFromInsideALinkedWorktree() throws {
        let repo = try Fixture.repo()
        repo.write("src/file.txt", "x\n")
        try repo.commitAll("one")
        let elsewhere = try Fixture.directory()
        let worktreePath = elsewhere.path + "/wt"
        try repo.git("worktree", "add", "-q", "-b", "feature", worktreePath)

        let found = try Repository.discover(from: worktreePath + "/src")
        #expect(found.isLinkedWorktree)
        #expect(found.commonDirectory == repo.path + "/.git/")
        #expect(found.gitDirectory == repo.path + "/.git/worktrees/wt/")
        #expect(found.workingDirectory == worktreePath + "/")
        #expect(try found.headBranch() == "feature")
    }

    @Test func opensABareRepository() throws {
        let repo = try Fixture.repo(bare: true)

        let found = try Repository.discover(from: repo.path)
        #expect(found.isBare)
        #expect(found.workingDirectory == nil)
        #expect(found.gitDirectory == repo.path + "/")
        #expect(try found.headBranch() == "main")
        #expect(try found.headCommit() == nil)
    }

    @Test func reportsNoRepository() throws {
        let directory = try Fixture.directory()
        let error = try #require(throws: GitError.self) { try Repository.discover(from: directory.path) }
        #expect(error.code == .notFound)
    }
}
