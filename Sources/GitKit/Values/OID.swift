internal import CLibGit2

/// A git object id (SHA-1), as a value.
public struct OID: Hashable, Sendable, Comparable, CustomStringConvertible {
    // Three words keep hashing and equality cheap in the merge engine's path maps.
    let a: UInt64, b: UInt64, c: UInt32

    init(_ oid: git_oid) {
        var copy = oid
        (a, b, c) = withUnsafeBytes(of: &copy.id) { raw in
            (raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
             raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
             raw.loadUnaligned(fromByteOffset: 16, as: UInt32.self))
        }
    }

    init(_ pointer: UnsafePointer<git_oid>) { self.init(pointer.pointee) }

    private init(words a: UInt64, _ b: UInt64, _ c: UInt32) { (self.a, self.b, self.c) = (a, b, c) }

    /// The all-zero id, git's "null oid": no object.
    public static let zero = OID(words: 0, 0, 0)
    public var isZero: Bool { a == 0 && b == 0 && c == 0 }

    /// Parses 40 hex digits; nil for anything else.
    public init?(hex: String) {
        guard hex.utf8.count == 40, hex.utf8.allSatisfy({ $0.isHexDigit }) else { return nil }
        var raw = git_oid()
        guard git_oid_fromstr(&raw, hex) == 0 else { return nil }
        self.init(raw)
    }

    var raw: git_oid {
        var oid = git_oid()
        withUnsafeMutableBytes(of: &oid.id) { buf in
            buf.storeBytes(of: a, toByteOffset: 0, as: UInt64.self)
            buf.storeBytes(of: b, toByteOffset: 8, as: UInt64.self)
            buf.storeBytes(of: c, toByteOffset: 16, as: UInt32.self)
        }
        return oid
    }

    public var hex: String {
        var oid = raw
        var buffer = [CChar](repeating: 0, count: 41)
        git_oid_tostr(&buffer, 41, &oid)
        return String(decoding: buffer.prefix(40).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    public var description: String { hex }

    /// The first `length` hex digits.
    public func short(_ length: Int = 7) -> String { String(hex.prefix(length)) }

    public static func < (l: OID, r: OID) -> Bool { l.hex < r.hex }

    /// One word is enough: ids are uniformly random, and the merge engine hashes millions.
    public func hash(into hasher: inout Hasher) { hasher.combine(a) }

    /// What `Dictionary`/`Set` call: one multiply-mix of the first word instead of SipHash.
    public func _rawHashValue(seed: Int) -> Int { ByteHash.hash(a, seed: seed) }

    /// The empty blob, e69de29…, which merge-ort never treats as a rename source or target.
    static let emptyBlob = OID(hex: "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391")!
}

extension UInt8 {
    var isHexDigit: Bool { (48...57).contains(self) || (97...102).contains(self) || (65...70).contains(self) }
}
