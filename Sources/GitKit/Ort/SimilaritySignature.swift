/// git's rename similarity (diffcore-delta.c): content cut into spans at LF or every 64 bytes,
/// each span hashed modulo 107927; CR of CRLF ignored in text. Score = bytes copied / larger size.
struct SimilaritySignature {
    /// Span hashes, ascending and distinct, and the bytes each stands for (equal hashes summed).
    let hashes: [UInt32]
    let counts: [UInt32]
    let size: Int
    /// Unique per signature made by one OrtCache (0 when made outside one): the memo key.
    let id: UInt32

    init(_ data: [UInt8], id: UInt32 = 0) {
        self.id = id
        size = data.count
        let isText = !ContentMerge.isBinary(data)
        // (hash << 32 | bytes) per span, sorted, then equal hashes merged: cheaper than a hash
        // map for the few hundred spans of a typical file.
        var packed: [UInt64] = []
        packed.reserveCapacity(data.count / 24 + 1)
        data.withUnsafeBufferPointer { bytes in
            var accum1: UInt32 = 0, accum2: UInt32 = 0, n: UInt32 = 0
            var i = 0
            let count = bytes.count
            while i < count {
                let c = UInt32(bytes[i])
                i += 1
                if isText && c == 0x0D && i < count && bytes[i] == 0x0A { continue }
                let old1 = accum1
                accum1 = (accum1 << 7) ^ (accum2 >> 25)
                accum2 = (accum2 << 7) ^ (old1 >> 25)
                accum1 &+= c
                n += 1
                if n < 64 && c != 0x0A { continue }
                let hash = (accum1 &+ accum2 &* 0x61) % 107927
                packed.append(UInt64(hash) << 32 | UInt64(n))
                n = 0; accum1 = 0; accum2 = 0
            }
        }
        packed.sort()
        var hashes: [UInt32] = [], counts: [UInt32] = []
        hashes.reserveCapacity(packed.count)
        counts.reserveCapacity(packed.count)
        for value in packed {
            let hash = UInt32(truncatingIfNeeded: value >> 32), n = UInt32(truncatingIfNeeded: value)
            if let last = hashes.last, last == hash { counts[counts.count - 1] += n } else { hashes.append(hash); counts.append(n) }
        }
        self.hashes = hashes
        self.counts = counts
    }

    /// Bytes of `self` (the source) found again in `destination` (diffcore_count_changes' src_copied).
    func copiedBytes(into destination: SimilaritySignature) -> Int {
        hashes.withUnsafeBufferPointer { sh in counts.withUnsafeBufferPointer { sc in
            destination.hashes.withUnsafeBufferPointer { dh in destination.counts.withUnsafeBufferPointer { dc in
                var copied = 0, i = 0, j = 0
                while i < sh.count && j < dh.count {
                    if sh[i] < dh[j] { i += 1 } else if sh[i] > dh[j] { j += 1 } else {
                        copied += Int(min(sc[i], dc[j]))
                        i += 1; j += 1
                    }
                }
                return copied
            } }
        } }
    }
}
