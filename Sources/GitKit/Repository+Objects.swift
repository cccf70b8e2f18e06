internal import CLibGit2
import Foundation

extension Repository {
    /// Resolves a revision to the commit it names, peeling tags (`git_revparse_single` + `git_object_peel`).
    public func resolveCommit(_ spec: String) throws -> OID {
        var object: OpaquePointer?
        try check(git_revparse_single(&object, raw, spec), "git_revparse_single")
        guard let object else { throw GitError(code: .notFound, function: "git_revparse_single", message: spec) }
        defer { git_object_free(object) }
        var peeled: OpaquePointer?
        try check(git_object_peel(&peeled, object, GIT_OBJECT_COMMIT), "git_object_peel")
        guard let peeled else { throw GitError(code: .notFound, function: "git_object_peel", message: spec) }
        defer { git_object_free(peeled) }
        guard let id = git_object_id(peeled) else { throw GitError(code: .notFound, function: "git_object_id", message: spec) }
        return OID(id)
    }

    /// Reads a commit (`git_commit_lookup`).
    public func commit(_ oid: OID) throws -> CommitInfo {
        try withCommit(oid) { commit in
            let count = git_commit_parentcount(commit)
            let parents = (0..<count).compactMap { git_commit_parent_id(commit, $0).map(OID.init) }
            guard let tree = git_commit_tree_id(commit) else {
                throw GitError(code: .notFound, function: "git_commit_tree_id", message: oid.hex)
            }
            return CommitInfo(oid: oid, tree: OID(tree), parents: parents, time: Int64(git_commit_time(commit)),
                              summary: git_commit_summary(commit).map { String(cString: $0) } ?? "",
                              message: git_commit_message(commit).map { String(cString: $0) } ?? "")
        }
    }

    /// A commit's committer time and parents only, for history walks: from the commit-graph
    /// file when the repository has one that holds the commit, else from the commit.
    func commitDateAndParents(_ oid: OID) throws -> (date: Int64, parents: [OID]) {
        if let hit = commitGraphFile?.dateAndParents(oid) { return hit }
        return try withCommit(oid) { commit in
            let count = git_commit_parentcount(commit)
            return (Int64(git_commit_time(commit)), (0..<count).compactMap { git_commit_parent_id(commit, $0).map(OID.init) })
        }
    }

    func withCommit<T>(_ oid: OID, _ body: (OpaquePointer) throws -> T) throws -> T {
        var id = oid.raw
        var commit: OpaquePointer?
        try check(git_commit_lookup(&commit, raw, &id), "git_commit_lookup")
        guard let commit else { throw GitError(code: .notFound, function: "git_commit_lookup", message: oid.hex) }
        defer { git_commit_free(commit) }
        return try body(commit)
    }

    /// The entries of one tree, in git's order (`git_tree_lookup`).
    public func treeEntries(_ oid: OID) throws -> [TreeEntry] {
        var id = oid.raw
        var tree: OpaquePointer?
        try check(git_tree_lookup(&tree, raw, &id), "git_tree_lookup")
        guard let tree else { throw GitError(code: .notFound, function: "git_tree_lookup", message: oid.hex) }
        defer { git_tree_free(tree) }
        let count = git_tree_entrycount(tree)
        var entries: [TreeEntry] = []
        entries.reserveCapacity(count)
        for index in 0..<count {
            guard let entry = git_tree_entry_byindex(tree, index), let name = git_tree_entry_name(entry),
                  let eid = git_tree_entry_id(entry) else { continue }
            entries.append(TreeEntry(name: RawPath.decode(name), oid: OID(eid),
                                     mode: FileMode(rawValue: git_tree_entry_filemode_raw(entry).rawValue)))
        }
        return entries
    }

    /// The content of a blob (`git_blob_lookup`).
    public func blobData(_ oid: OID) throws -> [UInt8] {
        var id = oid.raw
        var blob: OpaquePointer?
        try check(git_blob_lookup(&blob, raw, &id), "git_blob_lookup")
        guard let blob else { throw GitError(code: .notFound, function: "git_blob_lookup", message: oid.hex) }
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        guard size > 0, let content = git_blob_rawcontent(blob) else { return [] }
        return Array(UnsafeRawBufferPointer(start: content, count: size))
    }

    /// The size of a blob without reading it whole (`git_odb_read_header`).
    func blobSize(_ oid: OID) throws -> Int {
        var odb: OpaquePointer?
        try check(git_repository_odb(&odb, raw), "git_repository_odb")
        guard let odb else { return 0 }
        defer { git_odb_free(odb) }
        var id = oid.raw
        var size = 0
        var type = GIT_OBJECT_ANY
        try check(git_odb_read_header(&size, &type, odb, &id), "git_odb_read_header")
        return size
    }

    /// Writes a blob (`writeObject`); goes to memory after `useInMemoryObjectWrites()`.
    public func writeBlob(_ bytes: [UInt8]) throws -> OID {
        try bytes.withUnsafeBytes { try writeObject($0, type: GIT_OBJECT_BLOB) }
    }

    /// Writes an object: straight into the mempack after `useInMemoryObjectWrites()` (hashed
    /// here), else through `git_odb_write`. libgit2's write first asks every backend whether the
    /// object exists and, when a pack or loose file has it, "freshens" that file's mtime: a stat,
    /// an open and a utimensat per object a merge rewrote unchanged, and a prediction that touched
    /// the repository's files it promises to leave alone.
    func writeObject(_ buffer: UnsafeRawBufferPointer, type: git_object_t) throws -> OID {
        var id = git_oid()
        if let mempack {
            try check(git_odb_hash(&id, buffer.baseAddress, buffer.count, type), "git_odb_hash")
            let backend = UnsafeMutablePointer<git_odb_backend>(mempack)
            guard let write = backend.pointee.write else {
                throw GitError(code: .other(-1), function: "git_mempack", message: "the in-memory object store cannot write")
            }
            try check(write(backend, &id, buffer.baseAddress, buffer.count, type), "git_mempack write")
            scratchBytes += buffer.count
            return OID(id)
        }
        var odb: OpaquePointer?
        try check(git_repository_odb(&odb, raw), "git_repository_odb")
        guard let odb else { throw GitError(code: .notFound, function: "git_repository_odb", message: "no object database") }
        defer { git_odb_free(odb) }
        try check(git_odb_write(&id, odb, buffer.baseAddress, buffer.count, type), "git_odb_write")
        return OID(id)
    }

    /// Whether an object is in the object database (`git_odb_exists`), not only in libgit2's
    /// object cache; tests use it to see scratch objects go.
    func objectExists(_ oid: OID) -> Bool {
        var odb: OpaquePointer?
        guard git_repository_odb(&odb, raw) == 0, let odb else { return false }
        defer { git_odb_free(odb) }
        var id = oid.raw
        return git_odb_exists(odb, &id) == 1
    }

    /// The shortest unambiguous abbreviation of an object id, at least core.abbrev (7) digits
    /// (`git_object_short_id`), as git labels a single merge base.
    func shortID(_ oid: OID) throws -> String {
        var id = oid.raw
        var object: OpaquePointer?
        try check(git_object_lookup(&object, raw, &id, GIT_OBJECT_ANY), "git_object_lookup")
        guard let object else { return oid.short() }
        defer { git_object_free(object) }
        var buffer = git_buf()
        defer { git_buf_dispose(&buffer) }
        try check(git_object_short_id(&buffer, object), "git_object_short_id")
        return buffer.ptr.map { String(cString: $0) } ?? oid.short()
    }
}
