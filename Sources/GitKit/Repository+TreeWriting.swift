internal import CLibGit2

extension Repository {
    /// Writes one tree object from its entries, sorted here into git's order (a directory
    /// compares as its name plus "/") (`git_odb_write`). Subtrees must already exist.
    public func writeTree(_ entries: [TreeEntry]) throws -> OID {
        // git's order: bytes, a directory compared as if its name ended in "/".
        var keys = ByteKeys(capacity: entries.count)
        for entry in entries { keys.append(rawPath: entry.name, terminator: entry.mode.isTree ? 0x2F : nil) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(entries.count * 48)
        for index in keys.sortedOrder() {
            let entry = entries[index]
            bytes.append(contentsOf: String(entry.mode.rawValue, radix: 8).utf8)
            bytes.append(0x20)
            keys.withKey(index, dropping: entry.mode.isTree ? 1 : 0) { bytes.append(contentsOf: $0) }
            bytes.append(0)
            var raw = entry.oid.raw
            withUnsafeBytes(of: &raw.id) { bytes.append(contentsOf: $0) }
        }
        var odb: OpaquePointer?
        try check(git_repository_odb(&odb, raw), "git_repository_odb")
        guard let odb else { throw GitError(code: .notFound, function: "git_repository_odb", message: "no object database") }
        defer { git_odb_free(odb) }
        var id = git_oid()
        try bytes.withUnsafeBytes { buffer in
            _ = try check(git_odb_write(&id, odb, buffer.baseAddress, buffer.count, GIT_OBJECT_TREE), "git_odb_write")
        }
        scratchBytes += bytes.count
        return OID(id)
    }
}
