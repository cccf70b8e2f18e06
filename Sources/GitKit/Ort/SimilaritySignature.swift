/// git's rename similarity (diffcore-delta.c): content cut into spans at LF or every 64 bytes,
/// each span hashed modulo 107927; CR of CRLF ignored in text. Score = bytes copied / larger size.
struct SimilaritySignature {
    /// Spans as (hash << 32 | bytes), ascending by hash with distinct hashes (equal hashes
    /// summed): one array, so a copy is one retain and the merge join reads one stream.
    let spans: [UInt64]
    let size: Int
    /// Unique per signature made by one OrtCache or SharedMergeCache (0 when made outside one):
    /// the memo key.
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
        // Equal hashes merged in place.
        var kept = 0
        for value in packed {
            if kept > 0 && packed[kept - 1] >> 32 == value >> 32 { packed[kept - 1] &+= value & 0xFFFF_FFFF } else { packed[kept] = value; kept += 1 }
        }
        packed.removeLast(packed.count - kept)
        spans = packed
    }

    /// Bytes of `self` (the source) found again in `destination` (diffcore_count_changes' src_copied).
    func copiedBytes(into destination: SimilaritySignature) -> Int {
        spans.withUnsafeBufferPointer { source in destination.spans.withUnsafeBufferPointer { target in
            // Branch-free merge join: which side advances is data-dependent and unpredictable.
            var copied = 0, i = 0, j = 0
            let m = source.count, n = target.count
            while i < m && j < n {
                let a = source[i], b = target[j]
                let ha = a >> 32, hb = b >> 32
                let same = ha == hb
                copied &+= same ? Int(min(a & 0xFFFF_FFFF, b & 0xFFFF_FFFF)) : 0
                i &+= ha <= hb ? 1 : 0
                j &+= ha >= hb ? 1 : 0
            }
            return copied
        } }
    }
}
