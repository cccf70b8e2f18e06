internal import CLibGit2

/// Reads blobs for one checkout worker straight from its object database's backends (pack and
/// loose), in the odb's priority order, as `git_odb_read` does, minus two costs a checkout does
/// not need: the object cache (blobs are not cached anyway) and libgit2's strict re-hash of every
/// object read, which was a tenth of checkout's CPU time. git's own checkout does not re-hash
/// blobs either; zlib and the pack checksums still catch damage. An object no backend has right
/// now goes through `git_odb_read`, which refreshes the packs and retries or names the error.
///
/// One per thread: it owns an odb handle of its own repository (libgit2's rule).
final class BlobReader {
    private let repository: Repository
    private let odb: OpaquePointer
    private let backends: [UnsafeMutablePointer<git_odb_backend>]

    init(repository: Repository) throws {
        self.repository = repository
        var odb: OpaquePointer?
        try check(git_repository_odb(&odb, repository.raw), "git_repository_odb")
        guard let odb else { throw GitError(code: .notFound, function: "git_repository_odb", message: "no object database") }
        self.odb = odb
        backends = (0..<git_odb_num_backends(odb)).compactMap { position in
            var backend: UnsafeMutablePointer<git_odb_backend>?
            return git_odb_get_backend(&backend, odb, position) == 0 ? backend : nil
        }
    }

    deinit { git_odb_free(odb) }

    /// Lends the bytes of blob `id` to `body`; `path` only names it in errors.
    func withBlob<T>(_ id: git_oid, path: @autoclosure () -> String, _ body: (UnsafeRawBufferPointer) throws -> T) throws -> T {
        var oid = id
        for backend in backends {
            guard let read = backend.pointee.read else { continue }
            var data: UnsafeMutableRawPointer?
            var size = 0
            var type = GIT_OBJECT_INVALID
            let rc = read(&data, &size, &type, backend, &oid)
            if rc == GIT_ENOTFOUND.rawValue || rc == GIT_PASSTHROUGH.rawValue { git_error_clear(); continue }
            try check(rc, "git_odb_backend.read")
            defer { git_odb_backend_data_free(backend, data) }
            try Self.requireBlob(type, path())
            return try body(UnsafeRawBufferPointer(start: data, count: size))
        }
        var object: OpaquePointer?
        try check(git_odb_read(&object, odb, &oid), "git_odb_read")
        guard let object else { throw GitError(code: .notFound, function: "git_odb_read", message: path()) }
        defer { git_odb_object_free(object) }
        try Self.requireBlob(git_odb_object_type(object), path())
        return try body(UnsafeRawBufferPointer(start: git_odb_object_data(object), count: git_odb_object_size(object)))
    }

    /// The size of blob `id` from its object header (for a packed delta, the size the delta
    /// records, without resolving the chain); nil when no backend can say or it is no blob.
    func size(of id: git_oid) -> Int? {
        var oid = id
        for backend in backends {
            guard let readHeader = backend.pointee.read_header else { continue }
            var size = 0
            var type = GIT_OBJECT_INVALID
            let rc = readHeader(&size, &type, backend, &oid)
            if rc != 0 { git_error_clear(); continue }
            return type == GIT_OBJECT_BLOB ? size : nil
        }
        return nil
    }

    private static func requireBlob(_ type: git_object_t, _ path: @autoclosure () -> String) throws {
        guard type == GIT_OBJECT_BLOB else {
            throw GitError(code: .other(-1), function: "git_odb_read", message: "\(path()) is not a blob in the tree")
        }
    }
}
