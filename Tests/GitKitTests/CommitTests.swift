import Foundation
import GitKit
import Testing

@Suite(.timeLimit(.minutes(20))) struct CommitTests {
    @Test func defaultSignatureReadsTheRepositoryConfig() throws {
        let repo = try Fixture.twoCommits()
        try repo.git("config", "user.name", "Fixture Person")
        try repo.git("config", "user.email", "fixture@example.com")
        let signature = try repo.open().defaultSignature()
        #expect(signature.name == "Fixture Person")
        #expect(signature.email == "fixture@example.com")
        #expect(abs(signature.time.timeIntervalSinceNow) < 60)
    }

    @Test func defaultSignatureWithoutIdentityIsAClearError() throws {
        let repo = try Fixture.twoCommits()
        let repository = try repo.open()
        // Only meaningful while libgit2 in this process sees no global config. Fixture isolates it,
        // unless another suite in the same process initialised libgit2 first: then there is nothing to test.
        guard try repository.configString("user.name") == nil else { return }
        let error = try #require(throws: GitError.self) { try repository.defaultSignature() }
        #expect(error.code == .notFound)
        #expect(error.function == "git_signature_default")
        #expect(error.message.contains("user.name"))
        #expect(throws: GitError.self) {
            try repository.createCommit(tree: repo.oid("HEAD^{tree}"), parents: [], message: "m\n")
        }
    }

    @Test func mergeCommitWithTwoParentsAndTheConfiguredAuthor() throws {
        let repo = try Fixture.twoCommits()
        try repo.git("config", "user.name", "Fixture Person")
        try repo.git("config", "user.email", "fixture@example.com")
        try repo.git("checkout", "-q", "-b", "side", "HEAD~1")
        repo.write("side.txt", "s\n")
        let side = try repo.commitAll("side")
        try repo.git("checkout", "-q", "main")
        let main = try repo.head()
        let repository = try repo.open()

        let merged = try repository.createCommit(tree: repo.oid("main^{tree}"), parents: [repo.oid("main"), repo.oid("side")],
                                                 message: "Merge side\n")
        let text = try repo.git("cat-file", "-p", merged.hex)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.hasPrefix("parent ") } == ["parent \(main)", "parent \(side)"])
        #expect(lines.contains { $0.hasPrefix("author Fixture Person <fixture@example.com> ") })
        #expect(lines.contains { $0.hasPrefix("committer Fixture Person <fixture@example.com> ") })
        #expect(text.hasSuffix("\nMerge side"))
        #expect(try repo.git("rev-parse", "\(merged.hex)^{tree}") == repo.git("rev-parse", "main^{tree}"))
        // No ref moved.
        #expect(try repo.head() == main)
        #expect(try repository.commit(merged).parents.map(\.hex) == [main, side])
    }

    @Test func explicitSignaturesAreWrittenExactly() throws {
        let repo = try Fixture.twoCommits()
        let repository = try repo.open()
        let author = Signature(name: "A U Thor", email: "a@example.com", time: Date(timeIntervalSince1970: 1_700_000_000), offsetMinutes: 90)
        let committer = Signature(name: "Com Mitter", email: "c@example.com", time: Date(timeIntervalSince1970: 1_700_000_100.7),
                                  offsetMinutes: -300)
        let id = try repository.createCommit(tree: repo.oid("HEAD^{tree}"), parents: [repo.oid("HEAD")], message: "explicit\n",
                                             author: author, committer: committer)
        let text = try repo.git("cat-file", "-p", id.hex)
        #expect(text.contains("\nauthor A U Thor <a@example.com> 1700000000 +0130\n"))
        #expect(text.contains("\ncommitter Com Mitter <c@example.com> 1700000100 -0500\n"))

        // A root commit: no parents.
        let root = try repository.createCommit(tree: repo.oid("HEAD^{tree}"), parents: [], message: "root\n", author: author,
                                                committer: author)
        #expect(try repository.commit(root).parents.isEmpty)
    }

    @Test func updateRefMovesOnlyFromTheFirstParent() throws {
        let repo = try Fixture.twoCommits()
        let repository = try repo.open()
        let author = Signature(name: "A", email: "a@example.com", time: Date(timeIntervalSince1970: 1_700_000_000), offsetMinutes: 0)
        let head = try repo.oid("HEAD")
        let next = try repository.createCommit(tree: repo.oid("HEAD^{tree}"), parents: [head], message: "next\n",
                                               author: author, committer: author, updateRef: "refs/heads/main")
        #expect(try repo.oid("main") == next)

        let stale = try #require(throws: GitError.self) {
            try repository.createCommit(tree: repo.oid("HEAD^{tree}"), parents: [head], message: "stale\n",
                                        author: author, committer: author, updateRef: "refs/heads/main")
        }
        #expect(stale.code == .refMoved)
        #expect(try repo.oid("main") == next)
    }
}
