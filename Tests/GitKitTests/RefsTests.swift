import Foundation
import GitKit
import Testing

@Suite(.timeLimit(.minutes(20))) struct RefsTests {
    @Test func compareAndSwapMovesOnlyFromTheExpectedTarget() throws {
        let repo = try Fixture.twoCommits()
        let one = try repo.oid("HEAD~1"), two = try repo.oid("HEAD")
        try repo.git("branch", "task", one.hex)
        let repository = try repo.open()

        try repository.updateReference("refs/heads/task", to: two, expected: one, message: "advance")
        #expect(try repo.oid("refs/heads/task") == two)

        // Stale expectation: someone else already moved it.
        let stale = try #require(throws: GitError.self) {
            try repository.updateReference("refs/heads/task", to: one, expected: one, message: "stale")
        }
        #expect(stale.code == .refMoved)
        #expect(stale.function == "git_reference_create_matching")
        #expect(stale.message == "old reference value does not match")  // libgit2 1.5.1, GIT_EMODIFIED
        #expect(try repo.oid("refs/heads/task") == two)

        // nil expected means "must not exist yet".
        let exists = try #require(throws: GitError.self) {
            try repository.updateReference("refs/heads/task", to: one, expected: nil, message: "create")
        }
        #expect(exists.code == .exists)
        #expect(try repo.oid("refs/heads/task") == two)

        try repository.updateReference("refs/heads/fresh", to: one, expected: nil, message: "create")
        #expect(try repo.oid("refs/heads/fresh") == one)
    }

    @Test func expectingARefThatDoesNotExist() throws {
        let repo = try Fixture.twoCommits()
        let repository = try repo.open()
        let one = try repo.oid("HEAD~1")
        let error = try #require(throws: GitError.self) {
            try repository.updateReference("refs/heads/ghost", to: one, expected: one, message: "cas")
        }
        #expect(error.code == .notFound)  // libgit2 1.5.1: "reference 'refs/heads/ghost' not found"
        #expect(try repository.branchTarget("ghost") == nil)
    }

    @Test func branchesCreateDeleteAndCheckedOut() throws {
        let repo = try Fixture.twoCommits()
        let repository = try repo.open()
        let one = try repo.oid("HEAD~1")

        try repository.createBranch("feature", at: one)
        #expect(try repo.git("branch", "--list", "feature") != "")
        #expect(try repository.branchTarget("feature") == one)
        #expect(repository.worktreeHeads().map(\.branch) == ["refs/heads/main"])
        #expect(throws: GitError.self) { try repository.createBranch("feature", at: one) }

        try repository.deleteBranch("feature")
        #expect(try repo.git("branch", "--list", "feature") == "")
        #expect(try repository.branchTarget("feature") == nil)

        #expect(throws: GitError.self) { try repository.deleteBranch("main") }
        #expect(try repo.git("branch", "--list", "main") != "")
    }

    @Test func branchCheckedOutInALinkedWorktree() throws {
        let repo = try Fixture.twoCommits()
        let elsewhere = try Fixture.directory()
        try repo.git("worktree", "add", "-q", "-b", "busy", elsewhere.path + "/wt")
        let repository = try repo.open()
        #expect(repository.worktreeHeads().map(\.branch) == ["refs/heads/main", "refs/heads/busy"])
        #expect(throws: GitError.self) { try repository.deleteBranch("busy") }
    }
}
