internal import CLibGit2

extension Repository {
    /// Writes one tree object from its entries, sorted here into git's order (a directory
    /// compares as its name plus "/") (`git_odb_write`). Subtrees must already exist.
    public func writeTree(_ entries: [TreeEntry]) throws -> OID {
        let sorted = entries.sorted { Self.treeOrder($0, $1) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(sorted.count * 48)
        for entry in sorted {
            bytes.append(contentsOf: String(entry.mode.rawValue, radix: 8).utf8)
            bytes.append(0x20)
            bytes.append(contentsOf: RawPath.bytes(entry.name))
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
        return OID(id)
    }

    /// git's tree order: byte-wise, with directories compared as if their name ended in "/".
    static func treeOrder(_ l: TreeEntry, _ r: TreeEntry) -> Bool {
        let a = RawPath.bytes(l.name), b = RawPath.bytes(r.name)
        let n = min(a.count, b.count)
        for i in 0..<n where a[i] != b[i] { return a[i] < b[i] }
        let ca: UInt8 = a.count > n ? a[n] : (l.mode.isTree ? 0x2F : 0)
        let cb: UInt8 = b.count > n ? b[n] : (r.mode.isTree ? 0x2F : 0)
        return ca < cb
    }
}
