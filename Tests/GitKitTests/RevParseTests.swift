import Foundation
import GitKit
import Testing

@Suite(.timeLimit(.minutes(20))) struct RevParseTests {
    @Test func resolvesRevisionsLikeGit() throws {
        let repo = try Fixture.twoCommits()
        try repo.git("tag", "light", "HEAD~1")
        try repo.git("tag", "-a", "-m", "annotated", "v1", "HEAD~1")
        let repository = try repo.open()

        for spec in ["HEAD", "HEAD~1", "main", "light", "v1^{commit}"] {
            #expect(try repository.resolveCommit(spec) == repo.oid(spec), "\(spec)")
        }
        // An annotated tag is its own object; resolveCommit peels it.
        #expect(try repository.resolveCommit("v1") == repo.oid("HEAD~1"))
        #expect(try repository.resolveCommit("light") == repo.oid("HEAD~1"))
    }

    @Test func unknownRevisionThrowsLibgit2sMessage() throws {
        let repo = try Fixture.twoCommits()
        let repository = try repo.open()

        let error = try #require(throws: GitError.self) { try repository.resolveCommit("no-such-branch") }
        #expect(error.code == .notFound)
        #expect(error.function == "git_revparse_single")
        #expect(error.message.contains("no-such-branch"))

        let tooFar = try #require(throws: GitError.self) { try repository.resolveCommit("HEAD~5") }
        #expect(tooFar.code == .notFound)
    }

    @Test func resolveCommitRefusesATree() throws {
        let repo = try Fixture.twoCommits()
        let error = try #require(throws: GitError.self) { try repo.open().resolveCommit("HEAD^{tree}") }
        #expect(error.function == "git_object_peel")
    }
}
