import Testing
@testable import GitKit
import GorchTestSupport

/// The rename matrix's fast paths against a line-by-line port of diffcore-rename.c, on random
/// rows: which four candidates a row keeps, in which slots, decides who wins a tie later.
@Suite(.timeLimit(.minutes(20))) struct RenameMatrixTests {
    /// record_if_better() exactly as git writes it: scan for the worst slot on every cell.
    static func gitRow(destination d: Int, scores: [Int], nameScores: [Int]) -> [Candidate] {
        var slots = [Candidate](repeating: Candidate(dst: -1, src: -1, score: 0, nameScore: 0), count: 4)
        for k in scores.indices {
            let candidate = Candidate(dst: d, src: k, score: scores[k], nameScore: nameScores[k])
            var worst = 0
            for i in 1..<4 where Candidate.compare(slots[i], slots[worst]) > 0 { worst = i }
            if Candidate.compare(slots[worst], candidate) > 0 { slots[worst] = candidate }
        }
        return slots
    }

    @Test func bestFourKeepsGitsSlots() {
        var rng = SplitMix64(seed: 7)
        for round in 0..<5_000 {
            let n = Int(rng.next() % 40)
            // Few distinct sizes and scores, so ties (the hard part) are common.
            let sizes = (0..<n).map { _ in Int(rng.next() % 4) == 0 ? -1 : Int(rng.next() % 6) * 100 }
            let targetSize = Int(rng.next() % 6) * 100 + 100
            let basenames = (0..<n).map { _ in Int(rng.next() % 3) }
            let cellScores = (0..<n).map { _ in [0, 20_000, 30_000, 45_000, 60_000][Int(rng.next() % 5)] }
            var scores = [Int](repeating: 0, count: n)
            let slots = RenameMatrix.bestFour(destination: round, sources: Array(0..<n), sizes: sizes, basenames: basenames,
                                              targetSize: targetSize, targetBasename: 1) { k, _ in
                scores[k] = cellScores[k]
                return cellScores[k]
            }
            let row = [slots.0, slots.1, slots.2, slots.3]
            let expected = Self.gitRow(destination: round, scores: scores, nameScores: basenames.map { $0 == 1 ? 1 : 0 })
            #expect(row.map(\.src) == expected.map(\.src), "round \(round)")
            #expect(row.map(\.score) == expected.map(\.score), "round \(round)")
        }
    }

    @Test func scoresOnlyCellsWhoseSizesAllowARename() {
        // 100 vs 1000 bytes can never reach 50%: estimate_similarity() returns 0 without reading.
        var asked: [Int] = []
        _ = RenameMatrix.bestFour(destination: 0, sources: [0, 1, 2], sizes: [1000, 90, -1], basenames: [0, 0, 0],
                                  targetSize: 100, targetBasename: 0) { k, _ in asked.append(k); return 60_000 }
        #expect(asked == [1])
    }

    @Test func sharedCacheKeepsOneSignaturePerBlob() throws {
        let shared = SharedMergeCache()
        let blob = try #require(OID(hex: "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"))
        let first = SimilaritySignature(Array("a\nb\n".utf8), id: shared.nextID())
        let second = SimilaritySignature(Array("a\nb\n".utf8), id: shared.nextID())
        #expect(shared.publish(first, of: blob).id == first.id)
        #expect(shared.publish(second, of: blob).id == first.id)   // the late one adopts the first id
        #expect(shared.signature(of: blob)?.id == first.id)
        #expect(first.copiedBytes(into: second) == 4)
    }

    /// The integer-key sort of matrix candidates against git's STABLE_QSORT by score_compare,
    /// on lists full of equal scores (the stable order decides who wins a tie).
    @Test func candidatesSortAsGitsStableSort() {
        var rng = SplitMix64(seed: 3)
        for _ in 0..<2_000 {
            let n = Int(rng.next() % 60)
            let candidates = (0..<n).map { i in
                Candidate(dst: i, src: Int(rng.next() % 9), score: [30_000, 45_000, 59_999, 60_000][Int(rng.next() % 4)],
                          nameScore: Int(rng.next() % 2))
            }
            let expected = candidates.enumerated().sorted { l, r in
                let c = Candidate.compare(l.element, r.element)
                return c != 0 ? c < 0 : l.offset < r.offset
            }.map(\.element.dst)
            #expect(OrtMergeState.sortedByScore(candidates).map(\.dst) == expected)
        }
        // A score outside git's range takes the general sort, with the same order.
        let odd = [Candidate(dst: 0, src: 0, score: 70_000, nameScore: 0), Candidate(dst: 1, src: 0, score: 40_000, nameScore: 1),
                   Candidate(dst: 2, src: 0, score: 70_000, nameScore: 1)]
        #expect(OrtMergeState.sortedByScore(odd).map(\.dst) == [2, 0, 1])
    }
}
