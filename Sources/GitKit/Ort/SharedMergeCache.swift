import Synchronization

/// What several `OrtMerger`s on other threads (one repository handle each, as libgit2 requires)
/// may share: similarity signatures, matrix cells and content merges are pure functions of blob
/// contents, so one worker's result serves every other. Each merger's `OrtCache` looks here only
/// on a miss of its own, so the lock is taken once per blob or cell per worker, not per lookup.
public final class SharedMergeCache: Sendable {
    /// The same bounds as one merger's own caches (see `OrtCache`), twice the bytes for merges.
    private struct State {
        var signatures = BoundedMap<OID, SimilaritySignature>(limit: OrtCache.treeLimit)
        var copied = BoundedMap<CellKey, UInt32>(limit: OrtCache.copiedLimit)
        var merges = BoundedMap<ContentMergeKey, MemoisedMerge>(limit: 64 << 20)
        var nextSignatureID: UInt32 = 0
    }
    private let state = Mutex(State())

    public init() {}

    func signature(of blob: OID) -> SimilaritySignature? {
        state.withLock { $0.signatures[blob] }
    }

    /// A fresh id for a signature about to be computed; ids are never reused, so cells
    /// memoised for an evicted signature simply stop matching.
    func nextID() -> UInt32 {
        state.withLock { $0.nextSignatureID &+= 1; return $0.nextSignatureID }
    }

    /// Publishes `signature`; when another worker published one for the same blob first, that
    /// one is returned (one id per blob, so their memoised cells are found by both).
    func publish(_ signature: SimilaritySignature, of blob: OID) -> SimilaritySignature {
        state.withLock { $0.signatures.insert(signature, for: blob) }
    }

    func copied(_ key: CellKey) -> UInt32? {
        state.withLock { $0.copied[key] }
    }

    func publish(copied value: UInt32, for key: CellKey) {
        state.withLock { _ = $0.copied.insert(value, for: key) }
    }

    func contentMerge(_ key: ContentMergeKey) -> MemoisedMerge? {
        state.withLock { $0.merges[key] }
    }

    func publish(_ merge: MemoisedMerge, for key: ContentMergeKey) {
        state.withLock { _ = $0.merges.insert(merge, for: key, cost: merge.byteCount) }
    }
}
