/// A string-keyed map (keys compared as bytes, as git's are) that iterates in the order git's strmap does (hashmap.c: FNV-1 `strhash`,
/// 64 buckets growing fourfold past 80% load, new entries at the head of their bucket's chain).
/// merge-ort walks some maps in that order, and the order decides ties: which deferred
/// directory is walked first (and so which of two identical files is a rename's target), and
/// which of two equally counted directories is the guess for a rename's new directory.
struct GitStrMap<Value> {
    private var keys: [String] = []
    private var values: [Value] = []
    private var hashes: [UInt32] = []
    private var slot: [PathKey: Int] = [:]
    /// Buckets of entry indices, chain head first.
    private var table = [[Int]](repeating: [], count: 64)

    var isEmpty: Bool { keys.isEmpty }
    /// Keys in insertion order (for lookups where order does not matter).
    var insertedKeys: [String] { keys }

    subscript(key: String) -> Value? {
        get { slot[PathKey(key)].map { values[$0] } }
        set {
            guard let newValue else { preconditionFailure("GitStrMap does not remove entries") }
            if let index = slot[PathKey(key)] { values[index] = newValue; return }
            let index = keys.count
            keys.append(key); values.append(newValue); slot[PathKey(key)] = index
            let hash = Self.strhash(key)
            hashes.append(hash)
            table[Int(hash & UInt32(table.count - 1))].insert(index, at: 0)
            if keys.count > table.count * 80 / 100 { rehash(to: table.count << 2) }
        }
    }

    /// A copy without `key`. (The copy's own iteration order is not git's; callers use it only
    /// where order no longer matters.)
    func removing(_ key: String) -> GitStrMap {
        var copy = GitStrMap()
        for (k, v) in ordered where !bytesEqual(k, key) { copy[k] = v }
        return copy
    }

    /// Entries in git's iteration order.
    var ordered: [(key: String, value: Value)] {
        table.flatMap { $0 }.map { (keys[$0], values[$0]) }
    }

    private mutating func rehash(to size: Int) {
        var fresh = [[Int]](repeating: [], count: size)
        for chain in table {
            for index in chain { fresh[Int(hashes[index] & UInt32(size - 1))].insert(index, at: 0) }
        }
        table = fresh
    }

    /// git's strhash over the name's bytes: a name that is not UTF-8 hashes its raw bytes, not
    /// its `RawPath` escapes, or it would land in another bucket than in git.
    static func strhash(_ key: String) -> UInt32 {
        var hash: UInt32 = 0x811c9dc5
        if key.utf8.contains(RawPath.escapeLead) {
            for byte in RawPath.bytes(key) { hash = (hash &* 0x01000193) ^ UInt32(byte) }
        } else {
            for byte in key.utf8 { hash = (hash &* 0x01000193) ^ UInt32(byte) }
        }
        return hash
    }
}

extension GitStrMap where Value == Int {
    /// Adds one to `key`'s count (a new key starts at one), with one lookup.
    mutating func increment(_ key: String) {
        if let index = slot[PathKey(key)] { values[index] += 1 } else { self[key] = 1 }
    }
}
