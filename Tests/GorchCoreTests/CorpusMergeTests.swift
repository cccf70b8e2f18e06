import Foundation
import Synchronization
import Testing
import GitKit
import GorchCore
import GorchTestSupport

/// The libgit2 history in ../shared/corpus: main-line merges (M^1 with M^2) and pairs of branch
/// tips, each predicted by gorch and by git's merge-ort. CI runs a capped set;
/// `GORCH_CORPUS_MAINLINE` / `GORCH_CORPUS_PAIRS` raise the caps (0 = all) for scripts/fuzz.
@Suite(.enabled(if: Corpus.isEnabled, "needs ../shared/corpus/libgit2.bundle"), .timeLimit(.minutes(Corpus.suiteTimeLimitMinutes)))
struct CorpusMergeTests {
    @Test func mainlineMergesAgreeWithMergeOrt() throws {
        let limit = Differential.env("GORCH_CORPUS_MAINLINE", default: 150)
        let repo = try Corpus.mirror()
        let pairs = try Corpus.mainlineMerges(in: repo, limit: limit == 0 ? Int.max : limit)
        try check(pairs, in: repo, label: "mainline")
    }

    @Test func branchTipPairsAgreeWithMergeOrt() throws {
        let limit = Differential.env("GORCH_CORPUS_PAIRS", default: 60)
        let repo = try Corpus.mirror()
        let pairs = try Corpus.branchTipPairs(in: repo, limit: limit == 0 ? nil : limit)
        try check(pairs, in: repo, label: "branch tips")
    }

    private func check(_ pairs: [(String, String)], in repo: String, label: String) throws {
        // Long runs (scripts/fuzz: all ~10,000 pairs) use both cores: one predictor per shard,
        // since a libgit2 repository handle belongs to one thread.
        let shards = pairs.count >= 1000 ? 2 : 1
        let results = Mutex([Result<Differential.Tally, any Error>?](repeating: nil, count: shards))
        DispatchQueue.concurrentPerform(iterations: shards) { shard in
            let result = Result {
                let predictor = try Differential.predictor(repo)
                var tally = Differential.Tally()
                for index in stride(from: shard, to: pairs.count, by: shards) {
                    try tally.check(predictor, repo: repo, pairs[index].0, pairs[index].1)
                }
                return tally
            }
            results.withLock { $0[shard] = result }
        }
        var tally = Differential.Tally()
        for result in results.withLock({ $0 }) {
            guard let part = try result?.get() else { continue }
            tally.add(part)
        }
        print("\(label): \(tally.summary)")
        print("\(label) by cause (agreed/cases):\n\(tally.causeReport)")
        for mismatch in tally.mismatches.prefix(15) { print("  \(mismatch.description.prefix(600))") }
        #expect(tally.falseClean == 0, "gorch said clean where git conflicts (\(label))")
        #expect(pairs.count > 0)
        // Exact: verdict, tree (conflicted ones too) and conflict paths for every pair.
        #expect(tally.agreed == pairs.count, "\(label): \(tally.agreed)/\(pairs.count)")
    }
}
