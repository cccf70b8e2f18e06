internal import CLibGit2

extension Repository {
    /// Writes one tree object from its entries, sorted here into git's order (a directory
    /// compares as its name plus "/") (`writeObject`). Subtrees must already exist.
    public func writeTree(_ entries: [TreeEntry]) throws -> OID {
        // git's order: bytes, a directory compared as if its name ended in "/".
        var keys = ByteKeys(capacity: entries.count)
        for entry in entries { keys.append(rawPath: entry.name, terminator: entry.mode.isTree ? 0x2F : nil) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(entries.count * 48)
        for index in keys.sortedOrder() {
            let entry = entries[index]
            bytes.append(contentsOf: Self.octal(entry.mode.rawValue))
            bytes.append(0x20)
            keys.withKey(index, dropping: entry.mode.isTree ? 1 : 0) { bytes.append(contentsOf: $0) }
            bytes.append(0)
            var raw = entry.oid.raw
            withUnsafeBytes(of: &raw.id) { bytes.append(contentsOf: $0) }
        }
        return try bytes.withUnsafeBytes { try writeObject($0, type: GIT_OBJECT_TREE) }
    }

    /// A mode as a tree entry spells it (octal, no leading zero); the usual five without
    /// formatting a number each time.
    private static func octal(_ mode: UInt32) -> [UInt8] {
        switch mode {
        case 0o100644: Array("100644".utf8)
        case 0o040000: Array("40000".utf8)
        case 0o100755: Array("100755".utf8)
        case 0o120000: Array("120000".utf8)
        case 0o160000: Array("160000".utf8)
        default: Array(String(mode, radix: 8).utf8)
        }
    }
}
