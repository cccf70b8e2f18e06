/// One row of diffcore-rename's inexact matrix: every source scored against one destination,
/// the best four kept by record_if_better(). Rows have thousands of cells and only a few per
/// cent pass the size check, so the loop over sizes must cost nanoseconds per cell: flat arrays,
/// the four slots in locals, no reference counting.
enum RenameMatrix {
    /// The four slots after every source `k` (source index `sources[k]`) was offered, in slot
    /// order. `score(k, maxSize)` is called only when the sizes allow a rename (0 otherwise).
    static func bestFour(destination d: Int, sources: [Int], sizes: [Int], basenames: [Int],
                         targetSize: Int, targetBasename: Int,
                         score: (_ k: Int, _ maxSize: Int) throws -> Int) rethrows -> (Candidate, Candidate, Candidate, Candidate) {
        let empty = Candidate(dst: -1, src: -1, score: 0, nameScore: 0)
        var slots = (empty, empty, empty, empty)
        // record_if_better()'s worst slot, found again only when a slot changes: the same index
        // git's scan would find, without scanning four slots per cell.
        var worst = 0, worstCandidate = empty
        try sizes.withUnsafeBufferPointer { sizes in
            try basenames.withUnsafeBufferPointer { basenames in
                try sources.withUnsafeBufferPointer { sources in
                    for k in 0..<sizes.count {
                        var cellScore = 0
                        if let maxSize = SimilarityInput.comparableSize(sizes[k], targetSize, minimum: OrtMergeState.minimumScore) {
                            cellScore = try score(k, maxSize)
                        }
                        // Every cell is offered, as record_if_better() does, also under the
                        // minimum: it fills a slot and so decides which slot a later equal-scoring
                        // source takes, which the stable sort turns into who wins a tie.
                        let candidate = Candidate(dst: d, src: sources[k], score: cellScore,
                                                  nameScore: basenames[k] == targetBasename ? 1 : 0)
                        guard Candidate.compare(worstCandidate, candidate) > 0 else { continue }
                        switch worst {
                        case 0: slots.0 = candidate
                        case 1: slots.1 = candidate
                        case 2: slots.2 = candidate
                        default: slots.3 = candidate
                        }
                        worst = 0; worstCandidate = slots.0
                        if Candidate.compare(slots.1, worstCandidate) > 0 { worst = 1; worstCandidate = slots.1 }
                        if Candidate.compare(slots.2, worstCandidate) > 0 { worst = 2; worstCandidate = slots.2 }
                        if Candidate.compare(slots.3, worstCandidate) > 0 { worst = 3; worstCandidate = slots.3 }
                    }
                }
            }
        }
        return slots
    }
}
