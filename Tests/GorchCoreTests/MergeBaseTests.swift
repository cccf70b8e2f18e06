import Foundation
import Testing
import GitKit
import GorchTestSupport

/// gorch's own merge-base walk (kept across merges for speed) against libgit2's
/// `git_merge_bases` and `git merge-base --all`: the same set for every pair.
@Suite(.timeLimit(.minutes(20)))
struct MergeBaseTests {
    /// Random histories with many merges, criss-crosses and equal or skewed commit dates.
    @Test(arguments: [1, 2, 3, 4, 5, 6])
    func generatedHistoriesAgreeWithGit(seed: UInt64) throws {
        ProcessIsolation.apply()
        let dir = try TempDirectory(label: "merge-base")
        defer { dir.remove() }
        let repo = dir.path + "/repo"
        try Shell.git(["init", "-q", "-b", "main", repo], cwd: dir.path)
        var random = SplitMix64(seed: seed)
        var script = ""
        let count = 60
        for i in 1...count {
            // Dates repeat and go backwards now and then: git's walk must cope with skew.
            let date = 1_700_000_000 + Int(random.next() % 40) * 60 + (random.next() % 5 == 0 ? -100_000 : 0) + i
            script += "commit refs/heads/c\(i)\nmark :\(i)\ncommitter t <t@e> \(date) +0000\ndata 2\nc\n"
            if i > 1 {
                let first = 1 + Int(random.next() % UInt64(i - 1))
                script += "from :\(first)\n"
                if i > 3 && random.next() % 3 == 0 {
                    let second = 1 + Int(random.next() % UInt64(i - 1))
                    if second != first { script += "merge :\(second)\n" }
                }
            }
            script += "M 100644 inline f\(i)\ndata 2\n\(i % 10)\n\n"
        }
        _ = try Shell.runGit(["fast-import", "--quiet"], cwd: repo, stdin: script)
        let repository = try Repository.open(at: repo)
        let merger = OrtMerger(repository: repository)
        var compared = 0, several = 0
        for a in stride(from: 2, through: count, by: 3) {
            for b in stride(from: a + 1, through: count, by: 4) {
                let one = try repository.resolveCommit("c\(a)"), two = try repository.resolveCommit("c\(b)")
                let ours = try merger.mergeBases(one, two)
                let libgit2 = try repository.mergeBases(one, two)
                let git = try Shell.git(["merge-base", "--all", "c\(a)", "c\(b)"], cwd: repo)
                    .split(separator: "\n").compactMap { OID(hex: String($0)) }
                #expect(Set(ours) == Set(git), "c\(a) c\(b)")
                #expect(Set(ours) == Set(libgit2), "c\(a) c\(b)")
                #expect(ours.count == Set(ours).count)
                compared += 1
                if git.count > 1 { several += 1 }
            }
        }
        #expect(compared > 100)
        print("seed \(seed): \(compared) pairs, \(several) with several merge bases")
    }

    @Test(.enabled(if: Corpus.isEnabled, "needs ../shared/corpus/libgit2.bundle"))
    func corpusBranchTipsAgreeWithLibgit2() throws {
        ProcessIsolation.apply()
        let repo = try Corpus.mirror()
        let repository = try Repository.open(at: repo)
        let merger = OrtMerger(repository: repository)
        let pairs = try Corpus.branchTipPairs(in: repo, limit: 400)
        for (a, b) in pairs {
            let one = try repository.resolveCommit(a), two = try repository.resolveCommit(b)
            #expect(Set(try merger.mergeBases(one, two)) == Set(try repository.mergeBases(one, two)), "\(a) \(b)")
        }
    }
}
