/// Objects read during merges, kept across merges of one OrtMerger: trees are immutable, so a
/// tree, a similarity signature or a content merge made for one pair serves every later pair.
final class OrtCache {
    /// Consulted on a miss of this cache's signatures, cells and content merges, and told every
    /// new one.
    let shared: SharedMergeCache?

    init(shared: SharedMergeCache? = nil) { self.shared = shared }

    /// Bound on cached trees and signatures.
    static let treeLimit = 50_000
    /// Bound on memoised matrix cells (about 40 bytes each).
    static let copiedLimit = 2_000_000

    private var trees = BoundedMap<OID, SortedTree>(limit: treeLimit)
    private var sizes = BoundedMap<OID, Int>(limit: treeLimit * 4)
    private var signatures = BoundedMap<OID, SimilaritySignature>(limit: treeLimit)
    /// Bytes copied between two signatures (by their ids), the rename matrix's cell value. Pairs
    /// of branches that share a side and a base compare the same blobs again and again; the
    /// value is a pure function of the two blobs, so a hit is exact.
    private var copied = BoundedMap<CellKey, UInt32>(limit: copiedLimit)
    /// Memoised content merges, bounded by their bytes.
    private var merges = BoundedMap<ContentMergeKey, MemoisedMerge>(limit: 32 << 20)
    private var nextSignatureID: UInt32 = 0
    /// Paths the last merge visited: the next one's path map starts that large, since growing a
    /// map of ten thousand paths rehashes every key at each doubling.
    var pathCountHint = 0
    /// Arenas of finished merges, reset, with their chunks ready for the next merge's records.
    private var arenas: [PathArena] = []

    func takeArena() -> PathArena { arenas.popLast() ?? PathArena() }

    func recycle(_ arena: PathArena) { if arenas.count < 4 { arenas.append(arena) } }

    /// A tree's entries sorted by name bytes (the order ort's walk visits them in), sorted once
    /// per tree however many merges read it.
    func sortedTree(_ tree: OID, in repository: Repository) throws -> SortedTree {
        if let hit = trees[tree] { return hit }
        var entries = try repository.rawTreeEntries(tree)
        // Stored order is name-byte order except where a directory's name is a prefix of a
        // sibling's ("a" as "a/" after "a.c"): sort only those trees.
        if zip(entries, entries.dropFirst()).contains(where: { compareBytes($0.name, $1.name) > 0 }) {
            entries.sort { compareBytes($0.name, $1.name) < 0 }
        }
        let sorted = SortedTree(names: entries.map(\.name), versions: entries.map { Version(mode: $0.mode, oid: $0.oid) })
        return trees.insert(sorted, for: tree)
    }

    func size(of blob: OID, in repository: Repository) throws -> Int {
        if let hit = sizes[blob] { return hit }
        return sizes.insert(try repository.blobSize(blob), for: blob)
    }

    func signature(of blob: OID, in repository: Repository) throws -> SimilaritySignature {
        if let hit = signatures[blob] { return hit }
        let signature: SimilaritySignature
        if let shared {
            if let known = shared.signature(of: blob) { signature = known } else {
                signature = shared.publish(SimilaritySignature(try repository.blobData(blob), id: shared.nextID()), of: blob)
            }
        } else {
            // Ids are never reused, so cells memoised for an evicted signature simply stop matching.
            nextSignatureID &+= 1
            signature = SimilaritySignature(try repository.blobData(blob), id: nextSignatureID)
        }
        return signatures.insert(signature, for: blob)
    }

    /// The merge of `key`'s blobs (conflict markers carrying `LabelTemplate`'s placeholders),
    /// made by `merge` on the first request only.
    func contentMerge(_ key: ContentMergeKey, merge: () throws -> MemoisedMerge) rethrows -> MemoisedMerge {
        if let hit = merges[key] { return hit }
        let result: MemoisedMerge
        if let known = shared?.contentMerge(key) { result = known } else {
            result = try merge()
            shared?.publish(result, for: key)
        }
        return merges.insert(result, for: key, cost: result.byteCount)
    }

    /// Virtual merge bases already built, valid while the objects written to memory for them
    /// are (`Repository.scratchGeneration`). Merges into one branch share their oldest merge
    /// bases (a criss-cross history's new bases are newer ones), and ort folds bases oldest
    /// first, so a later merge redoes only the folds past the shared ones.
    private var virtualBases: [VirtualBaseKey: OrtMerger.Node] = [:]
    private var virtualGeneration = 0
    /// Bound on remembered virtual bases (each holds its chain of folded commits).
    static let virtualBaseLimit = 4096

    func virtualBase(_ key: VirtualBaseKey, in repository: Repository) -> OrtMerger.Node? {
        forgetVirtualBases(unlessValidIn: repository)
        let hit = virtualBases[key]
        if hit != nil { virtualBaseHits += 1 }
        return hit
    }

    /// Folds answered from `virtualBases` (for tests and profiles).
    private(set) var virtualBaseHits = 0

    func storeVirtualBase(_ node: OrtMerger.Node, for key: VirtualBaseKey, in repository: Repository) {
        forgetVirtualBases(unlessValidIn: repository)
        if virtualBases.count >= Self.virtualBaseLimit { virtualBases.removeAll() }
        virtualBases[key] = node
    }

    /// Drops the remembered virtual bases once `repository` has discarded the objects they
    /// were written to.
    private func forgetVirtualBases(unlessValidIn repository: Repository) {
        guard virtualGeneration != repository.scratchGeneration else { return }
        virtualBases.removeAll()
        virtualGeneration = repository.scratchGeneration
    }

    /// `source.copiedBytes(into: destination)`, memoised.
    func copiedBytes(_ source: SimilaritySignature, _ destination: SimilaritySignature) -> Int {
        let key = CellKey(bits: UInt64(source.id) << 32 | UInt64(destination.id))
        if let hit = copied[key] { return Int(hit) }
        let value: UInt32
        if let known = shared?.copied(key) { value = known } else {
            let bytes = source.copiedBytes(into: destination)
            guard let stored = UInt32(exactly: bytes) else { return bytes }
            value = stored
            shared?.publish(copied: stored, for: key)
        }
        return Int(copied.insert(value, for: key))
    }
}

/// A virtual merge base: the merge bases folded into it, oldest first, and the recursion depth
/// it was built at (conflict markers inside it depend on the depth).
struct VirtualBaseKey: Hashable {
    let depth: Int
    let bases: [OID]
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
