import Foundation
import GitKit
import Testing

/// Merge bases from libgit2 against `git merge-base --all`. The merges themselves are the Ort
/// engine's, tested against git in ConflictStageTests and GorchCoreTests.
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
}
