/// The engine's caches: a map that forgets everything at once when an insert would take it past
/// its bound, so long `--stdin` streams stay flat in memory. Each entry costs 1 (a bound on
/// entries) unless the caller says otherwise (a bound on bytes). Values are pure functions of
/// their keys, so the first value stored for a key is kept.
struct BoundedMap<Key: Hashable, Value> {
    private var storage: [Key: Value] = [:]
    private var total = 0
    let limit: Int

    init(limit: Int) { self.limit = limit }

    subscript(key: Key) -> Value? { storage[key] }

    /// Stores `value` unless `key` already has one; returns the value now stored.
    @discardableResult
    mutating func insert(_ value: Value, for key: Key, cost: Int = 1) -> Value {
        if let first = storage[key] { return first }
        if total + cost > limit { storage.removeAll(keepingCapacity: true); total = 0 }
        storage[key] = value
        total += cost
        return value
    }
}
