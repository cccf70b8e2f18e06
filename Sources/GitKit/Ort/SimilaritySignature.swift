/// git's rename similarity (diffcore-delta.c): content cut into spans at LF or every 64 bytes,
/// each span hashed modulo 107927; CR of CRLF ignored in text. Score = bytes copied / larger size.
struct SimilaritySignature {
    /// (hash, byte count) sorted by hash, counts of equal hashes summed.
    let spans: [(hash: UInt32, count: UInt32)]
    let size: Int

    init(_ data: [UInt8]) {
        size = data.count
        let isText = !ContentMerge.isBinary(data)
        var counts: [UInt32: UInt32] = [:]
        var accum1: UInt32 = 0, accum2: UInt32 = 0, n: UInt32 = 0
        var i = 0
        let count = data.count
        while i < count {
            let c = UInt32(data[i])
            i += 1
            if isText && c == 0x0D && i < count && data[i] == 0x0A { continue }
            let old1 = accum1
            accum1 = (accum1 << 7) ^ (accum2 >> 25)
            accum2 = (accum2 << 7) ^ (old1 >> 25)
            accum1 &+= c
            n += 1
            if n < 64 && c != 0x0A { continue }
            let hash = (accum1 &+ accum2 &* 0x61) % 107927
            counts[hash, default: 0] += n
            n = 0; accum1 = 0; accum2 = 0
        }
        spans = counts.map { ($0.key, $0.value) }.sorted { $0.hash < $1.hash }
    }

    /// Bytes of `self` (the source) found again in `destination` (diffcore_count_changes' src_copied).
    func copiedBytes(into destination: SimilaritySignature) -> Int {
        var copied = 0
        var j = 0
        let d = destination.spans
        for s in spans {
            while j < d.count && d[j].hash < s.hash { j += 1 }
            if j < d.count && d[j].hash == s.hash {
                copied += Int(min(s.count, d[j].count))
                j += 1
            }
        }
        return copied
    }
}
