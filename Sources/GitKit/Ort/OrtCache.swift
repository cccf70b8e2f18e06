/// Objects read during merges, kept across merges of one OrtMerger: trees are immutable, so a
/// tree or a similarity signature read for one pair serves every later pair.
final class OrtCache {
    /// Consulted on a miss of this cache's signatures and cells, and told every new one.
    let shared: SharedMergeCache?

    init(shared: SharedMergeCache? = nil) { self.shared = shared }

    private var trees: [OID: SortedTree] = [:]
    private var signatures: [OID: SimilaritySignature] = [:]
    private var sizes: [OID: Int] = [:]
    private var commits: [OID: CommitInfo] = [:]
    /// Bytes copied between two signatures (by their ids), the rename matrix's cell value. Pairs
    /// of branches that share a side and a base compare the same blobs again and again; the
    /// value is a pure function of the two blobs, so a hit is exact.
    private var copied: [CellKey: UInt32] = [:]
    private var nextSignatureID: UInt32 = 0
    /// Bound on memoised matrix cells (about 40 bytes each).
    var copiedLimit = 2_000_000
    /// Bound on cached trees, so long --stdin streams stay flat in memory.
    var treeLimit = 50_000
    /// Paths the last merge visited: the next one's path map starts that large, since growing a
    /// map of ten thousand paths rehashes every key at each doubling.
    var pathCountHint = 0

    /// A tree's entries sorted by name bytes (the order ort's walk visits them in), sorted once
    /// per tree however many merges read it.
    func sortedTree(_ tree: OID, in repository: Repository) throws -> SortedTree {
        if let hit = trees[tree] { return hit }
        let entries = try repository.treeEntries(tree)
            .sorted { compareBytes($0.name, $1.name) < 0 }
        let sorted = SortedTree(names: entries.map(\.name), versions: entries.map { Version(mode: $0.mode.rawValue, oid: $0.oid) })
        if trees.count >= treeLimit { trees.removeAll(keepingCapacity: true) }
        trees[tree] = sorted
        return sorted
    }

    func commit(_ oid: OID, in repository: Repository) throws -> CommitInfo {
        if let hit = commits[oid] { return hit }
        let commit = try repository.commit(oid)
        if commits.count >= treeLimit { commits.removeAll(keepingCapacity: true) }
        commits[oid] = commit
        return commit
    }

    func size(of blob: OID, in repository: Repository) throws -> Int {
        if let hit = sizes[blob] { return hit }
        let size = try repository.blobSize(blob)
        if sizes.count >= treeLimit * 4 { sizes.removeAll(keepingCapacity: true) }
        sizes[blob] = size
        return size
    }

    func signature(of blob: OID, in repository: Repository) throws -> SimilaritySignature {
        if let hit = signatures[blob] { return hit }
        var signature: SimilaritySignature
        if let shared {
            if let known = shared.signature(of: blob) { signature = known } else {
                signature = SimilaritySignature(try repository.blobData(blob), id: shared.nextID())
                signature = shared.publish(signature, of: blob)
            }
        } else {
            // Ids are never reused, so cells memoised for an evicted signature simply stop matching.
            nextSignatureID &+= 1
            signature = SimilaritySignature(try repository.blobData(blob), id: nextSignatureID)
        }
        if signatures.count >= treeLimit { signatures.removeAll(keepingCapacity: true) }
        signatures[blob] = signature
        return signature
    }

    private var merges: [ContentMergeKey: MemoisedMerge] = [:]
    private var mergeBytes = 0
    /// Bound on the bytes of memoised merge results.
    var mergeByteLimit = 32 << 20

    /// The merge of `key`'s blobs (conflict markers carrying `LabelTemplate`'s placeholders),
    /// made by `merge` on the first request only.
    func contentMerge(_ key: ContentMergeKey, merge: () throws -> MemoisedMerge) rethrows -> MemoisedMerge {
        if let hit = merges[key] { return hit }
        let result: MemoisedMerge
        if let known = shared?.contentMerge(key) { result = known } else {
            result = try merge()
            shared?.publish(result, for: key)
        }
        if mergeBytes + result.byteCount > mergeByteLimit { merges.removeAll(keepingCapacity: true); mergeBytes = 0 }
        merges[key] = result
        mergeBytes += result.byteCount
        return result
    }

    /// `source.copiedBytes(into: destination)`, memoised.
    func copiedBytes(_ source: SimilaritySignature, _ destination: SimilaritySignature) -> Int {
        let key = CellKey(bits: UInt64(source.id) << 32 | UInt64(destination.id))
        if let hit = copied[key] { return Int(hit) }
        let value: Int
        if let known = shared?.copied(key) { value = Int(known) } else {
            value = source.copiedBytes(into: destination)
            guard let stored = UInt32(exactly: value) else { return value }
            shared?.publish(copied: stored, for: key)
        }
        if copied.count >= copiedLimit { copied.removeAll(keepingCapacity: true) }
        copied[key] = UInt32(truncatingIfNeeded: value)
        return value
    }
}

/// One tree's entries as parallel arrays, in name-byte order.
struct SortedTree {
    let names: [String]
    let versions: [Version]
}


/// Two signature ids, hashed with one multiply-mix instead of SipHash (a lookup per matrix cell).
struct CellKey: Hashable {
    let bits: UInt64
    func hash(into hasher: inout Hasher) { hasher.combine(bits) }
    func _rawHashValue(seed: Int) -> Int { ByteHash.hash(bits, seed: seed) }
}
