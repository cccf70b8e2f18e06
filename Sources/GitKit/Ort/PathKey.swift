import Foundation

/// A path as git sees it: equal, hashed and ordered by its UTF-8 bytes. Swift's `String` `==`,
/// `<` and hashing use Unicode canonical equivalence, so NFC "caf\u{e9}" and NFD "cafe\u{301}"
/// would be one key where git has two paths; every path-keyed map and set of the engine goes
/// through this type instead.
struct PathKey: Hashable, Comparable {
    let string: String

    @inline(__always) init(_ string: String) { self.string = string }

    @inline(__always) static func == (a: PathKey, b: PathKey) -> Bool { bytesEqual(a.string, b.string) }

    @inline(__always) static func < (a: PathKey, b: PathKey) -> Bool { compareBytes(a.string, b.string) < 0 }

    @inline(__always) func hash(into hasher: inout Hasher) { hasher.combine(_rawHashValue(seed: 0)) }

    /// What `Dictionary`/`Set` call: `ByteHash` over the UTF-8 bytes instead of SipHash.
    @inline(__always) func _rawHashValue(seed: Int) -> Int {
        if let hash = string.utf8.withContiguousStorageIfAvailable({ ByteHash.hash(UnsafeRawBufferPointer($0), seed: seed) }) {
            return hash
        }
        var copy = string
        return copy.withUTF8 { ByteHash.hash(UnsafeRawBufferPointer($0), seed: seed) }
    }
}

/// Whether two strings have the same UTF-8 bytes (git's `strcmp(a, b) == 0`).
@inline(__always) func bytesEqual(_ a: String, _ b: String) -> Bool {
    let (ua, ub) = (a.utf8, b.utf8)
    guard ua.count == ub.count else { return false }
    let same = ua.withContiguousStorageIfAvailable { pa in
        ub.withContiguousStorageIfAvailable { pb in
            pa.count == 0 || memcmp(pa.baseAddress!, pb.baseAddress!, pa.count) == 0
        }
    }
    return (same ?? nil) ?? ua.elementsEqual(ub)
}

/// A dictionary keyed by paths compared as bytes, with `Dictionary`'s interface over `String`
/// keys (iteration order is a hash order, as `Dictionary`'s: callers must not depend on it).
struct PathMap<Value>: Sequence, ExpressibleByDictionaryLiteral {
    private(set) var storage: [PathKey: Value]

    init() { storage = [:] }
    init(minimumCapacity: Int) { storage = Dictionary(minimumCapacity: minimumCapacity) }
    init(dictionaryLiteral elements: (String, Value)...) {
        storage = Dictionary(uniqueKeysWithValues: elements.map { (PathKey($0.0), $0.1) })
    }
    private init(storage: [PathKey: Value]) { self.storage = storage }

    var count: Int { storage.count }
    var isEmpty: Bool { storage.isEmpty }
    mutating func reserveCapacity(_ minimumCapacity: Int) { storage.reserveCapacity(minimumCapacity) }
    var keys: LazyMapSequence<Dictionary<PathKey, Value>.Keys, String> { storage.keys.lazy.map(\.string) }
    var values: Dictionary<PathKey, Value>.Values { storage.values }

    subscript(key: String) -> Value? {
        @inline(__always) get { storage[PathKey(key)] }
        @inline(__always) _modify { yield &storage[PathKey(key)] }
    }

    subscript(key: String, default defaultValue: @autoclosure () -> Value) -> Value {
        @inline(__always) get { storage[PathKey(key), default: defaultValue()] }
        @inline(__always) _modify { yield &storage[PathKey(key), default: defaultValue()] }
    }

    @discardableResult
    mutating func removeValue(forKey key: String) -> Value? { storage.removeValue(forKey: PathKey(key)) }

    func filter(_ isIncluded: ((key: String, value: Value)) throws -> Bool) rethrows -> PathMap {
        PathMap(storage: try storage.filter { try isIncluded((key: $0.key.string, value: $0.value)) })
    }

    func mapValues<T>(_ transform: (Value) throws -> T) rethrows -> PathMap<T> {
        PathMap<T>(storage: try storage.mapValues(transform))
    }

    /// Keys with their values, sorted by key bytes.
    func sortedByPath() -> [(key: String, value: Value)] {
        storage.sorted { $0.key < $1.key }.map { (key: $0.key.string, value: $0.value) }
    }

    struct Iterator: IteratorProtocol {
        var base: Dictionary<PathKey, Value>.Iterator
        mutating func next() -> (key: String, value: Value)? {
            base.next().map { (key: $0.key.string, value: $0.value) }
        }
    }

    func makeIterator() -> Iterator { Iterator(base: storage.makeIterator()) }
}

/// A set of paths compared as bytes.
struct PathSet: Sequence, ExpressibleByArrayLiteral {
    private var storage: Set<PathKey>

    init() { storage = [] }
    init(arrayLiteral elements: String...) { storage = Set(elements.map(PathKey.init)) }
    init<S: Sequence>(_ paths: S) where S.Element == String { storage = Set(paths.map(PathKey.init)) }

    var count: Int { storage.count }
    var isEmpty: Bool { storage.isEmpty }

    @inline(__always) func contains(_ path: String) -> Bool { storage.contains(PathKey(path)) }

    @discardableResult @inline(__always)
    mutating func insert(_ path: String) -> (inserted: Bool, memberAfterInsert: String) {
        let (inserted, member) = storage.insert(PathKey(path))
        return (inserted, member.string)
    }

    @discardableResult
    mutating func remove(_ path: String) -> String? { storage.remove(PathKey(path))?.string }

    /// The paths sorted by their bytes.
    func sorted() -> [String] { storage.sorted().map(\.string) }

    func makeIterator() -> LazyMapSequence<Set<PathKey>, String>.Iterator { storage.lazy.map(\.string).makeIterator() }
}
