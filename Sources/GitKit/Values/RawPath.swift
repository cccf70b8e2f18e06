import Foundation

/// Path names are bytes to git and need not be valid UTF-8 (Latin-1 names from old
/// repositories, "caf\xe9"). A Swift `String` holds only Unicode, and `String(cString:)` would
/// replace such bytes with U+FFFD: a merged tree would then write the name changed. So paths
/// cross the libgit2 boundary through this codec, which is lossless:
/// - a byte that does not start a valid UTF-8 sequence becomes the private-use scalar
///   U+10FF00 + byte (bytes 0x80-0xFF, so U+10FF80-U+10FFFF);
/// - a valid sequence for a scalar in that same range is escaped byte by byte too, so decoding
///   is one-to-one and `bytes(decode(x)) == x` for every byte string;
/// - everything else (all valid UTF-8 names, which is nearly every name) is the same string as
///   `String(cString:)` gives, at the cost of one validation pass.
/// Byte order differs from the string's UTF-8 order only where an escape is involved;
/// `compare` orders by the raw bytes, as git does.
public enum RawPath {
    static let escapeBase: UInt32 = 0x10FF00
    /// Every escape scalar is F4 8F BE xx or F4 8F BF xx in UTF-8.
    static let escapeLead: UInt8 = 0xF4

    /// The string for a NUL-terminated name from libgit2.
    public static func decode(_ cString: UnsafePointer<CChar>) -> String {
        if let valid = String(validatingCString: cString), !valid.utf8.contains(escapeLead) { return valid }
        return decode(UnsafeBufferPointer(start: UnsafeRawPointer(cString).assumingMemoryBound(to: UInt8.self),
                                          count: strlen(cString)))
    }

    /// The string for a name's bytes (no NUL).
    public static func decode<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String where Bytes.Index == Int {
        if !bytes.contains(where: { $0 >= 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        var scalars = String.UnicodeScalarView()
        var i = bytes.startIndex
        while i < bytes.endIndex {
            if let length = validLength(bytes, at: i) {
                let scalar = String(decoding: bytes[i..<(i + length)], as: UTF8.self).unicodeScalars
                scalars.append(contentsOf: scalar)
                i += length
            } else {
                scalars.append(Unicode.Scalar(escapeBase + UInt32(bytes[i])) ?? "\u{FFFD}") // always in range
                i += 1
            }
        }
        return String(scalars)
    }

    /// git's bytes for a decoded name.
    public static func bytes(_ path: String) -> [UInt8] {
        guard path.utf8.contains(escapeLead) else { return Array(path.utf8) }
        var out: [UInt8] = []
        out.reserveCapacity(path.utf8.count)
        for scalar in path.unicodeScalars {
            if let byte = escapedByte(scalar) { out.append(byte) } else { out.append(contentsOf: String(scalar).utf8) }
        }
        return out
    }

    /// Runs `body` with git's bytes for `path` as a C string.
    public static func withCString<Result>(_ path: String, _ body: (UnsafePointer<CChar>) throws -> Result) rethrows -> Result {
        guard path.utf8.contains(escapeLead) else { return try path.withCString(body) }
        let terminated = bytes(path).map { CChar(bitPattern: $0) } + [0]
        return try terminated.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return try "".withCString(body) } // never: holds the NUL
            return try body(base)
        }
    }

    /// Whether `path` carries bytes that are not valid UTF-8.
    public static func hasRawBytes(_ path: String) -> Bool {
        path.utf8.contains(escapeLead) && path.unicodeScalars.contains { escapedByte($0) != nil }
    }

    /// strcmp on git's bytes: negative, zero or positive.
    public static func compare(_ a: String, _ b: String) -> Int {
        let (x, y) = (bytes(a), bytes(b))
        for (p, q) in zip(x, y) where p != q { return Int(p) - Int(q) }
        return x.count - y.count
    }

    /// The raw byte an escape scalar stands for; nil for any other scalar.
    @inline(__always) public static func escapedByte(_ scalar: Unicode.Scalar) -> UInt8? {
        scalar.value >= escapeBase + 0x80 && scalar.value <= escapeBase + 0xFF ? UInt8(scalar.value - escapeBase) : nil
    }

    /// The length of the valid UTF-8 sequence at `i` (RFC 3629: no overlong forms, no
    /// surrogates, nothing past U+10FFFF), nil when there is none or it encodes an escape scalar.
    static func validLength<Bytes: Collection<UInt8>>(_ bytes: Bytes, at i: Int) -> Int? where Bytes.Index == Int {
        let lead = bytes[i]
        let (length, second): (Int, ClosedRange<UInt8>)
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: (length, second) = (2, 0x80...0xBF)
        case 0xE0: (length, second) = (3, 0xA0...0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: (length, second) = (3, 0x80...0xBF)
        case 0xED: (length, second) = (3, 0x80...0x9F)
        case 0xF0: (length, second) = (4, 0x90...0xBF)
        case 0xF1...0xF3: (length, second) = (4, 0x80...0xBF)
        case 0xF4: (length, second) = (4, 0x80...0x8F)
        default: return nil
        }
        guard i + length <= bytes.endIndex, second.contains(bytes[i + 1]) else { return nil }
        for k in 2..<max(2, length) where !(0x80...0xBF).contains(bytes[i + k]) { return nil }
        if lead == 0xF4, bytes[i + 1] == 0x8F, bytes[i + 2] >= 0xBE { return nil } // an escape scalar's own spelling
        return length
    }
}
