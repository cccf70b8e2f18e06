internal import CLibGit2

extension Repository {
    /// One tree's entries parsed straight from the object's bytes (`git_odb_read`), in the order
    /// stored (git's tree order: a directory compares as its name plus "/"). For merges, which
    /// read every tree they visit once: libgit2's `git_tree_lookup` builds an entry array and
    /// caches a parsed object on top of the raw one, and was a sixth of a cold criss-cross merge.
    /// Modes are returned as stored (`git_tree_entry_filemode_raw`).
    func rawTreeEntries(_ oid: OID) throws -> [(name: String, mode: UInt32, oid: OID)] {
        var odb: OpaquePointer?
        try check(git_repository_odb(&odb, raw), "git_repository_odb")
        guard let odb else { throw GitError(code: .notFound, function: "git_repository_odb", message: "no object database") }
        defer { git_odb_free(odb) }
        var id = oid.raw
        var object: OpaquePointer?
        try check(git_odb_read(&object, odb, &id), "git_odb_read")
        guard let object else { throw GitError(code: .notFound, function: "git_odb_read", message: oid.hex) }
        defer { git_odb_object_free(object) }
        guard git_odb_object_type(object) == GIT_OBJECT_TREE else {
            throw GitError(code: .other(-3), function: "git_odb_read", message: "object \(oid.hex) is not a tree")
        }
        let size = git_odb_object_size(object)
        guard size > 0, let data = git_odb_object_data(object) else { return [] }
        let bytes = UnsafeBufferPointer(start: data.assumingMemoryBound(to: UInt8.self), count: size)
        var entries: [(name: String, mode: UInt32, oid: OID)] = []
        entries.reserveCapacity(size / 40)
        var i = 0
        while i < size {
            var mode: UInt32 = 0
            while i < size, bytes[i] != 0x20 {
                let digit = bytes[i] &- 0x30
                guard digit < 8 else { throw malformed(oid) }
                mode = mode << 3 | UInt32(digit)
                i += 1
            }
            i += 1
            let nameStart = i
            while i < size, bytes[i] != 0 { i += 1 }
            guard i + 21 <= size, i > nameStart else { throw malformed(oid) }
            let name = RawPath.decode(UnsafeBufferPointer(rebasing: bytes[nameStart..<i]))
            entries.append((name, mode, OID(rawBytes: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[(i + 1)..<(i + 21)]))))
            i += 21
        }
        return entries
    }

    private func malformed(_ oid: OID) -> GitError {
        GitError(code: .other(-3), function: "git_odb_read", message: "malformed tree \(oid.hex)")
    }
}
