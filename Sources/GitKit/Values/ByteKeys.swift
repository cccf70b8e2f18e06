import Foundation

/// Byte strings stored end to end in one buffer, to sort by: each key is built once, and a
/// comparison is one `memcmp` with no reference counting. Sorting arrays of strings (or of
/// records holding them) with a comparator that re-reads the bytes was a quarter of a heavy
/// criss-cross merge's profile (writing trees, ordering ort's paths).
struct ByteKeys {
    private var bytes: [UInt8] = []
    private var starts: [Int] = [0]

    init(capacity: Int) {
        starts.reserveCapacity(capacity + 1)
        bytes.reserveCapacity(capacity * 24)
    }

    var count: Int { starts.count - 1 }

    /// Adds a key: `key`'s bytes, then `terminator` when given.
    mutating func append<Bytes: Sequence<UInt8>>(_ key: Bytes, terminator: UInt8? = nil) {
        bytes.append(contentsOf: key)
        if let terminator { bytes.append(terminator) }
        starts.append(bytes.count)
    }

    /// Adds a path's git bytes (`RawPath.bytes`) without building an array for it.
    mutating func append(rawPath path: String, terminator: UInt8? = nil) {
        if path.utf8.contains(RawPath.escapeLead) { append(RawPath.bytes(path), terminator: terminator) } else { append(path.utf8, terminator: terminator) }
    }

    /// Key `index`'s bytes without its last `dropping` bytes.
    func withKey<T>(_ index: Int, dropping: Int = 0, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        try bytes.withUnsafeBufferPointer { base in
            try body(UnsafeBufferPointer(rebasing: base[starts[index]..<(starts[index + 1] - dropping)]))
        }
    }

    /// The keys' indices in byte order (a key that is a prefix of another first); equal keys
    /// keep their insertion order.
    func sortedOrder() -> [Int] {
        var order = Array(0..<count)
        bytes.withUnsafeBufferPointer { base in
            starts.withUnsafeBufferPointer { start in
                guard let origin = base.baseAddress else { return }   // every key empty: already in order
                func precedes(_ a: Int, _ b: Int) -> Bool {
                    let la = start[a + 1] - start[a], lb = start[b + 1] - start[b]
                    let c = memcmp(origin + start[a], origin + start[b], min(la, lb))
                    if c != 0 { return c < 0 }
                    return la != lb ? la < lb : a < b
                }
                // Callers often add keys in order or in reverse (ort writes a directory's
                // entries last path first): one pass each instead of a sort.
                if order.indices.dropFirst().allSatisfy({ precedes($0 - 1, $0) }) { return }
                if order.indices.dropFirst().allSatisfy({ precedes($0, $0 - 1) }) {
                    order.reverse()
                    return
                }
                order.sort(by: precedes)
            }
        }
        return order
    }
}
