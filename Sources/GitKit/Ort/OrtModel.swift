import Foundation
/// merge-ort's per-path bookkeeping (merge-ort.c `struct merged_info` / `struct conflict_info`),
/// kept close to the original so the port can be checked against it line by line.

/// A (mode, oid) pair; mode 0 means "absent".
struct Version: Equatable {
    var mode: UInt32
    var oid: OID
    static let null = Version(mode: 0, oid: .zero)
    var isNull: Bool { mode == 0 }
    var isRegular: Bool { mode & 0o170000 == 0o100000 }
    var isDirectory: Bool { mode == 0o040000 }
    var isGitlink: Bool { mode == 0o160000 }
    var isSymlink: Bool { mode == 0o120000 }
    /// S_IFMT bits: file type without permissions.
    var type: UInt32 { mode & 0o170000 }
}

/// One side's add or delete (diffcore's `diff_filepair`), turned into a rename when paired. A
/// value, so a side's pairs lie in one array that rename detection walks several times.
struct FilePair {
    enum Status { case added, deleted, renamed }
    var status: Status
    var onePath: String     // source path (deleted, renamed) or the added path
    var one: Version        // base version (null for adds)
    var twoPath: String     // destination path (added, renamed) or the deleted path
    var two: Version        // side version (null for deletes)
    var score = 0
    var side = 0

    init(status: Status, onePath: String, one: Version, twoPath: String, two: Version) {
        self.status = status; self.onePath = onePath; self.one = one; self.twoPath = twoPath; self.two = two
    }
}

/// Relevance of a removed directory for directory rename detection (diffcore.h).
enum DirRelevance: Int { case notRelevant = 0, forAncestor = 1, forSelf = 2 }

/// Relevance of a rename source (merge-ort.c RELEVANT_CONTENT / RELEVANT_LOCATION; NO_MORE once
/// an already decided directory rename makes a location-only source unnecessary).
enum SourceRelevance { case noMore, content, location }

// Paths are split and joined for every visited entry, so these work on the UTF-8 bytes in
// place (one allocation per result) rather than through String.UTF8View's indices.

/// Byte offset of the last "/" in `path`, or nil.
@inline(__always) func lastSlash(_ path: String) -> Int? {
    if let found = path.utf8.withContiguousStorageIfAvailable({ bytes -> Int? in
        var i = bytes.count
        while i > 0 { i -= 1; if bytes[i] == 0x2F { return i } }
        return nil
    }) { return found }
    return path.utf8.lastIndex(of: 0x2F).map { path.utf8.distance(from: path.utf8.startIndex, to: $0) }
}

/// `path`'s UTF-8 bytes in `range`, as a String ("/" is ASCII, so a split never cuts a scalar).
@inline(__always) func utf8Slice(_ path: String, _ range: Range<Int>) -> String {
    if let slice = path.utf8.withContiguousStorageIfAvailable({
        String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self)
    }) { return slice }
    let utf8 = path.utf8
    return String(path[utf8.index(utf8.startIndex, offsetBy: range.lowerBound)..<utf8.index(utf8.startIndex, offsetBy: range.upperBound)])
}

func dirname(_ path: String) -> String {
    guard let slash = lastSlash(path) else { return "" }
    return utf8Slice(path, 0..<slash)
}

func basename(_ path: String) -> String {
    guard let slash = lastSlash(path) else { return path }
    return utf8Slice(path, slash + 1..<path.utf8.count)
}

/// Whether the two paths end in the same component (bytes after the last "/"), without copying.
func sameLastComponent(_ a: String, _ b: String) -> Bool {
    let (ua, ub) = (a.utf8, b.utf8)
    var i = ua.endIndex, j = ub.endIndex
    while i > ua.startIndex && j > ub.startIndex {
        let (x, y) = (ua[ua.index(before: i)], ub[ub.index(before: j)])
        if x != y { return false }
        if x == 0x2F { return true }
        i = ua.index(before: i); j = ub.index(before: j)
    }
    // One ran out: equal only if the other's component ends here too.
    return (i == ua.startIndex || ua[ua.index(before: i)] == 0x2F) && (j == ub.startIndex || ub[ub.index(before: j)] == 0x2F)
}

func joinPath(_ dir: String, _ name: String) -> String {
    if dir.isEmpty { return name }
    let (a, b) = (dir.utf8.count, name.utf8.count)
    return String(unsafeUninitializedCapacity: a + 1 + b) { buffer in
        copyUTF8(dir, into: UnsafeMutableBufferPointer(rebasing: buffer[0..<a]))
        buffer[a] = 0x2F
        copyUTF8(name, into: UnsafeMutableBufferPointer(rebasing: buffer[(a + 1)...]))
        return a + 1 + b
    }
}

@inline(__always) private func copyUTF8(_ string: String, into buffer: UnsafeMutableBufferPointer<UInt8>) {
    let copied: Void? = string.utf8.withContiguousStorageIfAvailable { source in
        if let from = source.baseAddress, let to = buffer.baseAddress { to.update(from: from, count: source.count) }
    }
    if copied == nil { _ = buffer.initialize(from: string.utf8) }
}

/// Three values inline (base, side 1, side 2): ort's per-path arrays without a heap allocation
/// each, which a merge of a large tree makes by the ten thousand.
struct Three<Element> {
    var v0: Element, v1: Element, v2: Element

    init(_ v0: Element, _ v1: Element, _ v2: Element) { (self.v0, self.v1, self.v2) = (v0, v1, v2) }
    init(_ all: Element) { (v0, v1, v2) = (all, all, all) }

    subscript(index: Int) -> Element {
        get { index == 0 ? v0 : index == 1 ? v1 : v2 }
        set { if index == 0 { v0 = newValue } else if index == 1 { v1 = newValue } else { v2 = newValue } }
    }

    var array: [Element] { [v0, v1, v2] }
}

/// Orders two names by their UTF-8 bytes, as git does (Swift's `<` and `==` compare canonical
/// equivalents, which git keeps apart). Negative, zero or positive.
func compareBytes(_ a: String, _ b: String) -> Int {
    var x = a, y = b
    let fast: Int? = x.withUTF8 { pa in
        y.withUTF8 { pb in
            let n = min(pa.count, pb.count)
            if n > 0, let x = pa.baseAddress, let y = pb.baseAddress {
                let c = memcmp(x, y, n)
                if c != 0 {
                    // A name with raw (non-UTF-8) bytes holds them as escape scalars whose UTF-8
                    // order is not the bytes' order; all of them start with F4. A shared prefix
                    // ends on a scalar boundary, so only a mismatch needs the raw bytes.
                    guard memchr(x, Int32(RawPath.escapeLead), n) != nil || memchr(y, Int32(RawPath.escapeLead), n) != nil
                    else { return Int(c) }
                    return nil
                }
            }
            return pa.count - pb.count
        }
    }
    return fast ?? RawPath.compare(a, b)
}
