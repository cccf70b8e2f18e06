/// diffcore_rename_extended() of diffcore-rename.c for one side of a merge, as merge-ort runs it:
/// exact renames, then (for relevant sources only) unique-basename matches at >= 75%, then the
/// inexact matrix at >= 50% with four candidates per destination, all with git's tie-breaks.
extension OrtMergeState {
    static let maxScore = 60000
    static let minimumScore = 30000
    static let basenameScore = 30000 + Int(0.5 * Double(60000 - 30000))

    /// Returns whether detection ran for this side.
    func detectRegularRenames(side: Int) throws -> Bool {
        // prune_cached_from_relevant()
        for source in cachedPairs[side].insertedKeys { relevantSources[side][source] = nil }
        for source in cachedIrrelevant[side] { relevantSources[side][source] = nil }
        guard !pairs[side].isEmpty, !relevantSources[side].isEmpty else { return false }
        // The side's pairs, taken out of `pairs` so that the write-back edits them in place (a
        // shared buffer would be copied whole, every path retained again); put back on return.
        var queue: [FilePair] = []
        swap(&queue, &pairs[side])
        defer { swap(&queue, &pairs[side]) }
        // Where the destinations (adds) and sources (deletes) sit in `queue`.
        var dstAt: [Int] = [], srcAt: [Int] = []
        queue.withUnsafeBufferPointer { pairs in   // fields read in place, no pair copied
            for i in pairs.indices {
                switch pairs[i].status {
                case .added where pairs[i].two.oid != OID.emptyBlob: dstAt.append(i)
                case .deleted where pairs[i].one.oid != OID.emptyBlob: srcAt.append(i)
                default: break
                }
            }
        }
        dirRenameCount[side] = [:]
        guard !dstAt.isEmpty, !srcAt.isEmpty else { return true }
        // What the loops read, as flat arrays: reading a field through queue[i] copied the
        // whole pair (two paths retained) on every access.
        let (srcPath, srcVersion, dstPath, dstVersion) = queue.withUnsafeBufferPointer { pairs in
            (srcAt.map { pairs[$0].onePath }, srcAt.map { pairs[$0].one }, dstAt.map { pairs[$0].twoPath }, dstAt.map { pairs[$0].two })
        }

        var dstSource = [Int?](repeating: nil, count: dstAt.count)   // rename_dst[i].is_rename + source
        var dstScore = [Int](repeating: 0, count: dstAt.count)
        var srcUsed = [Bool](repeating: false, count: srcAt.count)
        var counts: PathMap<GitStrMap<Int>> = [:]
        var removed = dirsRemoved[side]
        defer { dirsRemoved[side] = removed }

        func record(_ d: Int, _ s: Int, _ score: Int) {
            dstSource[d] = s
            dstScore[d] = score
            srcUsed[s] = true
        }
        // Basenames are compared for every source/destination pair of the matrix: compute them once.
        let srcBase = srcPath.map(basename), dstBase = dstPath.map(basename)
        func sameBasename(_ s: Int, _ d: Int) -> Bool { bytesEqual(srcBase[s], dstBase[d]) }

        // 1. Exact renames (find_exact_renames), over all sources.
        // Sources by blob id, as chains through `nextSameOID` in source order (an array per
        // blob would be an allocation per source).
        var firstByOID = [OID: Int](minimumCapacity: srcVersion.count)
        var nextSameOID = [Int](repeating: -1, count: srcVersion.count)
        for i in srcVersion.indices.reversed() {
            if let next = firstByOID.updateValue(i, forKey: srcVersion[i].oid) { nextSameOID[i] = next }
        }
        for d in dstAt.indices {
            var next = firstByOID[dstVersion[d].oid] ?? -1
            var best: Int?, bestScore = -1, budget = 100
            while next >= 0 {
                let s = next
                next = nextSameOID[s]
                let source = srcVersion[s], target = dstVersion[d]
                if (!source.isRegular || !target.isRegular) && source.mode != target.mode { continue }
                if srcUsed[s] { continue }
                let score = 1 + (sameBasename(s, d) ? 1 : 0)
                if score > bestScore {
                    best = s; bestScore = score
                    if score == 2 { break }
                }
                budget -= 1
                if budget == 0 { break }
            }
            if let best { record(d, best, Self.maxScore) }
        }

        // Directory rename counts from the exact renames (initialize_dir_rename_info).
        var remaining = srcAt.indices.filter { !srcUsed[$0] }
        for d in dstAt.indices {
            if let s = dstSource[d] { updateDirRenameCounts(&counts, removed, srcPath[s], dstPath[d]) }
        }
        // idx_map: the destinations still unmatched here, by path. Only a basename match guided
        // by a directory rename reads it, which most merges never do: built on first use.
        let unmatchedBeforeBasenames = dstSource
        var idxMap: PathMap<Int>?
        func unmatchedDestination(at path: String) -> Int? {
            let map = idxMap ?? {
                var map = PathMap<Int>(minimumCapacity: dstAt.count)
                for d in dstAt.indices where unmatchedBeforeBasenames[d] == nil { map[dstPath[d]] = d }
                return map
            }()
            idxMap = map
            return map[path]
        }
        for (old, new) in cachedPairs[side].ordered {
            if let new { updateDirRenameCounts(&counts, removed, old, new) }
        }
        var guess: PathMap<String> = [:]
        for (oldDir, targets) in counts {
            // get_highest_rename_path: the first strictly highest in git's map order.
            var best: String?, high = 0
            for (dir, n) in targets.ordered where n > high { high = n; best = dir }
            if let best { guess[oldDir] = best }
        }

        // 2. Unique basenames (find_basename_matches), relevant sources only.
        var sourceByBase = PathMap<Int>(minimumCapacity: remaining.count)
        var destByBase = PathMap<Int>(minimumCapacity: dstAt.count)
        for s in remaining {
            let b = srcBase[s]
            sourceByBase[b] = sourceByBase[b] == nil ? s : -1
        }
        for d in dstAt.indices where dstSource[d] == nil {
            let b = dstBase[d]
            destByBase[b] = destByBase[b] == nil ? d : -1
        }
        let relevant = relevantSources[side]
        for i in remaining where relevant[srcPath[i]] != nil {
            let b = srcBase[i]
            guard var d = destByBase[b] else { continue }
            var s = sourceByBase[b] ?? -1
            if s == -1 || d == -1 {
                s = i
                let old = dirname(srcPath[i])
                guard let newDir = guess[old], let hit = unmatchedDestination(at: newDir + "/" + b) else { continue }
                d = hit
            }
            if dstSource[d] != nil { continue }
            let score = try similarity(srcVersion[s], dstVersion[d], minimum: Self.basenameScore)
            if score < Self.basenameScore { continue }
            record(d, s, score)
            updateDirRenameCounts(&counts, removed, srcPath[s], dstPath[d])
        }

        // 3. Everything left, pairwise (the inexact matrix), relevant sources only.
        remaining = remaining.filter { !srcUsed[$0] && relevant[srcPath[$0]] != nil }
        remaining = cullKnownDirectoryRenames(remaining.map { srcPath[$0] }, side: side,
                                              counts: &counts, removed: &removed).map { remaining[$0] }
        let openDsts = dstAt.indices.filter { dstSource[$0] == nil }
        let withinLimit = openDsts.count * remaining.count <= renameLimit * renameLimit
        if !withinLimit && !openDsts.isEmpty && !remaining.isEmpty { neededLimit = true }
        if !openDsts.isEmpty && !remaining.isEmpty && withinLimit {
            var matrix: [Candidate] = []
            matrix.reserveCapacity(openDsts.count * 4)
            // The matrix is the hot loop of a large merge: sizes, signatures and basenames are
            // looked up once per file into flat arrays (no class, string or map per cell).
            let sourceVersions = remaining.map { srcVersion[$0] }
            let sourceSizes = try sourceVersions.map { try SimilarityInput.size(of: $0, cache: cache, repository: repository) }
            var sourceSignatures = [SimilaritySignature?](repeating: nil, count: remaining.count)
            var basenameIDs = PathMap<Int>(minimumCapacity: remaining.count)
            let sourceBasenames = remaining.map { s in
                if let id = basenameIDs[srcBase[s]] { return id }
                basenameIDs[srcBase[s]] = basenameIDs.count
                return basenameIDs.count - 1
            }
            for d in openDsts {
                let target = dstVersion[d]
                let targetSize = try SimilarityInput.size(of: target, cache: cache, repository: repository)
                var targetSignature: SimilaritySignature?
                let targetBasename = basenameIDs[dstBase[d]] ?? -1
                let slots = try RenameMatrix.bestFour(destination: d, sources: remaining, sizes: sourceSizes, basenames: sourceBasenames,
                                                      targetSize: targetSize, targetBasename: targetBasename) { k, maxSize in
                    let source: SimilaritySignature
                    if let known = sourceSignatures[k] { source = known } else {
                        source = try cache.signature(of: sourceVersions[k].oid, in: repository)
                        sourceSignatures[k] = source
                    }
                    let destination: SimilaritySignature
                    if let known = targetSignature { destination = known } else {
                        destination = try cache.signature(of: target.oid, in: repository)
                        targetSignature = destination
                    }
                    return cache.copiedBytes(source, destination) * Self.maxScore / maxSize
                }
                // Only slots at or above the minimum can become renames: git's loop stops at the
                // first one below it, so the rest need not be sorted.
                for slot in [slots.0, slots.1, slots.2, slots.3] where slot.dst >= 0 && slot.score >= Self.minimumScore {
                    matrix.append(slot)
                }
            }
            for candidate in Self.sortedByScore(matrix) {
                if dstSource[candidate.dst] != nil || srcUsed[candidate.src] { continue }
                record(candidate.dst, candidate.src, candidate.score)
                updateDirRenameCounts(&counts, removed, srcPath[candidate.src], dstPath[candidate.dst])
            }
        }

        // Write back: adds that were paired become renames; the paired deletes disappear.
        var renamedSource = [Bool](repeating: false, count: queue.count)
        for d in dstAt.indices {
            guard let s = dstSource[d] else { continue }
            let q = dstAt[d]
            queue[q].status = .renamed
            queue[q].onePath = srcPath[s]
            queue[q].one = srcVersion[s]
            queue[q].score = dstScore[d]
            renamedSource[srcAt[s]] = true
        }
        // Drop the paired sources in place, keeping the order (swaps move, they do not copy).
        var kept = 0
        for i in queue.indices where !renamedSource[i] {
            if i != kept { queue.swapAt(i, kept) }
            kept += 1
        }
        queue.removeLast(queue.count - kept)
        // cleanup_dir_rename_info(): only removed directories that matter for directory rename
        // detection (relevant for themselves or an ancestor) keep their counts.
        dirRenameCount[side] = counts.filter { (removed[$0.key] ?? .notRelevant) != .notRelevant }
            .mapValues { $0.removing(Self.unknownDir) }
        return true
    }

    /// STABLE_QSORT by score_compare(): higher score first, then a same-basename candidate, then
    /// matrix order. Scores fit 16 bits and the position 40, so each candidate sorts as one
    /// integer (a closure comparing pairs of structs was most of the cost of a large matrix).
    static func sortedByScore(_ candidates: [Candidate]) -> [Candidate] {
        guard candidates.count < 1 << 40,
              candidates.allSatisfy({ (0...maxScore).contains($0.score) && (0...1).contains($0.nameScore) }) else {
            return candidates.enumerated().sorted { l, r in
                let c = Candidate.compare(l.element, r.element)
                return c != 0 ? c < 0 : l.offset < r.offset
            }.map(\.element)
        }
        var keys = candidates.indices.map { i in
            UInt64(maxScore - candidates[i].score) << 41 | UInt64(1 - candidates[i].nameScore) << 40 | UInt64(i)
        }
        keys.sort()
        return keys.map { candidates[Int($0 & (1 << 40 - 1))] }
    }

    /// estimate_similarity(): 0 unless both are regular files of compatible sizes.
    private func similarity(_ source: Version, _ target: Version, minimum: Int) throws -> Int {
        try SimilarityInput(source, cache: cache, repository: repository)
            .score(against: SimilarityInput(target, cache: cache, repository: repository), minimum: minimum)
    }

    /// update_dir_rename_counts(): counts old-dir -> new-dir for removed directories, walking up
    /// while the trailing components agree.
    func updateDirRenameCounts(_ counts: inout PathMap<GitStrMap<Int>>, _ removed: PathMap<DirRelevance>,
                                       _ oldName: String, _ newName: String) {
        var oldDir = oldName, newDir = newName, first = true
        while true {
            // The components just left must agree (compared in place: only directories are keys).
            let sameTail = first || sameLastComponent(oldDir, newDir)
            oldDir = dirname(oldDir)
            guard let flag = removed[oldDir] else { break }
            newDir = dirname(newDir)
            if !sameTail { break }
            if flag == .forSelf || first { counts[oldDir, default: GitStrMap()].increment(newDir) }
            first = false
            if flag == .notRelevant { break }
            if oldDir.isEmpty || newDir.isEmpty { break }
        }
    }
}

/// diffcore-rename's `struct diff_score`.
struct Candidate {
    var dst: Int, src: Int, score: Int, nameScore: Int

    /// score_compare(): negative when `a` sorts first (higher score, then same basename); unused
    /// slots sink to the bottom.
    static func compare(_ a: Candidate, _ b: Candidate) -> Int {
        if a.dst < 0 { return b.dst >= 0 ? 1 : 0 }
        if b.dst < 0 { return -1 }
        if a.score == b.score { return b.nameScore - a.nameScore }
        return b.score - a.score
    }
}

/// One side of estimate_similarity(), its size read up front and its signature on first use.
final class SimilarityInput {
    private let version: Version
    private let cache: OrtCache
    private let repository: Repository
    /// -1 when not a regular file (never similar).
    let size: Int
    private var signatureStorage: SimilaritySignature?

    init(_ version: Version, cache: OrtCache, repository: Repository) throws {
        self.version = version
        self.cache = cache
        self.repository = repository
        size = try Self.size(of: version, cache: cache, repository: repository)
    }

    /// A blob's size, or -1 when it is not a regular file (never similar).
    static func size(of version: Version, cache: OrtCache, repository: Repository) throws -> Int {
        version.isRegular ? try cache.size(of: version.oid, in: repository) : -1
    }

    /// estimate_similarity()'s checks before reading content: the larger size (the score's
    /// denominator) when the sizes allow `minimum`, else nil (score 0).
    static func comparableSize(_ srcSize: Int, _ dstSize: Int, minimum: Int) -> Int? {
        guard srcSize >= 0, dstSize >= 0 else { return nil }
        let maxSize = max(srcSize, dstSize), baseSize = min(srcSize, dstSize)
        if maxSize * (OrtMergeState.maxScore - minimum) < (maxSize - baseSize) * OrtMergeState.maxScore { return nil }
        if dstSize == 0 { return nil }
        return maxSize
    }

    func signature() throws -> SimilaritySignature {
        if let signatureStorage { return signatureStorage }
        let signature = try cache.signature(of: version.oid, in: repository)
        signatureStorage = signature
        return signature
    }

    /// estimate_similarity() with `self` as the source.
    func score(against target: SimilarityInput, minimum: Int) throws -> Int {
        guard let maxSize = Self.comparableSize(size, target.size, minimum: minimum) else { return 0 }
        return try signature().copiedBytes(into: target.signature()) * OrtMergeState.maxScore / maxSize
    }
}
