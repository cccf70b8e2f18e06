/// A fast 64-bit hash for the merge engine's hash tables, used through `_rawHashValue(seed:)`,
/// the hook Swift's `Dictionary` and `Set` call: the default goes through SipHash (`Hasher`),
/// which was 10% of a branch-tip merge (paths hashed a few hundred thousand times each). Keys
/// here are paths and object ids of our own repositories, not attacker-chosen table input, so a
/// multiply-mix hash (wyhash's folding step) is enough; the per-process seed still varies it.
enum ByteHash {
    private static let k0: UInt64 = 0xA076_1D64_78BD_642F, k1: UInt64 = 0xE703_7ED1_A0B4_28DB

    /// Folds a 128-bit product: cheap, and every input bit reaches every output bit.
    @inline(__always) static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ product.low
    }

    @inline(__always) static func hash(_ bytes: UnsafeRawBufferPointer, seed: Int) -> Int {
        let count = bytes.count
        var h = UInt64(bitPattern: Int64(seed)) ^ k0 ^ UInt64(count)
        var i = 0
        while i + 8 <= count {
            h = mix(h ^ bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self), k1)
            i += 8
        }
        if i < count {
            var tail: UInt64 = 0
            for j in i..<count { tail |= UInt64(bytes[j]) << UInt64((j - i) * 8) }
            h = mix(h ^ tail, k1)
        }
        return Int(bitPattern: UInt(mix(h, k0 ^ UInt64(count))))
    }

    @inline(__always) static func hash(_ word: UInt64, seed: Int) -> Int {
        Int(bitPattern: UInt(mix(word ^ UInt64(bitPattern: Int64(seed)) ^ k0, k1)))
    }
}
