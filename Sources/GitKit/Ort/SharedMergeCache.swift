import Synchronization

/// What several `OrtMerger`s on other threads (one repository handle each, as libgit2 requires)
/// may share: similarity signatures, matrix cells and content merges are pure functions of blob
/// contents, so one worker's result serves every other. Each merger's `OrtCache` looks here only on a miss of its
/// own, so the lock is taken once per blob or cell per worker, not per lookup.
public final class SharedMergeCache: Sendable {
    private struct State {
        var signatures: [OID: SimilaritySignature] = [:]
        var copied: [CellKey: UInt32] = [:]
        var nextSignatureID: UInt32 = 0
        var merges: [ContentMergeKey: MemoisedMerge] = [:]
        var mergeBytes = 0
    }
    private let state = Mutex(State())
    /// Same bounds as one merger's own caches (see `OrtCache`).
    private let signatureLimit: Int, copiedLimit: Int, mergeByteLimit: Int

    public convenience init() { self.init(signatureLimit: 50_000, copiedLimit: 2_000_000, mergeByteLimit: 64 << 20) }

    init(signatureLimit: Int, copiedLimit: Int, mergeByteLimit: Int) {
        self.signatureLimit = signatureLimit
        self.copiedLimit = copiedLimit
        self.mergeByteLimit = mergeByteLimit
    }

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
        state.withLock { state in
            if let first = state.signatures[blob] { return first }
            if state.signatures.count >= signatureLimit { state.signatures.removeAll(keepingCapacity: true) }
            state.signatures[blob] = signature
            return signature
        }
    }

    func copied(_ key: CellKey) -> UInt32? {
        state.withLock { $0.copied[key] }
    }

    func publish(copied value: UInt32, for key: CellKey) {
        state.withLock { state in
            if state.copied.count >= copiedLimit { state.copied.removeAll(keepingCapacity: true) }
            state.copied[key] = value
        }
    }

    func contentMerge(_ key: ContentMergeKey) -> MemoisedMerge? {
        state.withLock { $0.merges[key] }
    }

    func publish(_ merge: MemoisedMerge, for key: ContentMergeKey) {
        state.withLock { state in
            if state.mergeBytes + merge.byteCount > mergeByteLimit { state.merges.removeAll(keepingCapacity: true); state.mergeBytes = 0 }
            state.merges[key] = merge
            state.mergeBytes += merge.byteCount
        }
    }
}
