internal import CLibGit2
import Foundation

/// An open git repository: owns one `git_repository*`, freed once in `deinit`.
/// Not Sendable: libgit2 wants one repository object per thread.
public final class Repository {
    let raw: OpaquePointer
    private(set) var mempack: OpaquePointer?

    private init(raw: OpaquePointer) { self.raw = raw }

    deinit { git_repository_free(raw) }

    /// Opens the repository containing `path`: a work tree, a linked worktree, a `.git` dir or a
    /// bare repository (`git_repository_open_ext`, searching parent directories).
    public static func discover(from path: String) throws -> Repository {
        Runtime.initialize()
        var raw: OpaquePointer?
        try check(git_repository_open_ext(&raw, path, 0, nil), "git_repository_open_ext")
        guard let raw else { throw GitError(code: .notFound, function: "git_repository_open_ext", message: "no repository at \(path)") }
        return Repository(raw: raw)
    }

    /// Opens exactly `path` (no parent search) (`git_repository_open`).
    public static func open(at path: String) throws -> Repository {
        Runtime.initialize()
        var raw: OpaquePointer?
        try check(git_repository_open(&raw, path), "git_repository_open")
        guard let raw else { throw GitError(code: .notFound, function: "git_repository_open", message: "no repository at \(path)") }
        return Repository(raw: raw)
    }

    /// Creates a new repository (`git_repository_init`).
    public static func create(at path: String, bare: Bool = false) throws -> Repository {
        Runtime.initialize()
        var raw: OpaquePointer?
        try check(git_repository_init(&raw, path, bare ? 1 : 0), "git_repository_init")
        guard let raw else { throw GitError(code: .notFound, function: "git_repository_init", message: path) }
        return Repository(raw: raw)
    }

    /// The repository's git dir (for a linked worktree: `.git/worktrees/<name>/`), with a trailing slash.
    public var gitDirectory: String { String(cString: git_repository_path(raw)) }

    /// The git dir shared by all worktrees (`git_repository_commondir`).
    public var commonDirectory: String { String(cString: git_repository_commondir(raw)) }

    /// The work tree, nil for a bare repository.
    public var workingDirectory: String? { git_repository_workdir(raw).map { String(cString: $0) } }

    public var isBare: Bool { git_repository_is_bare(raw) == 1 }

    /// True when this handle was opened from a linked worktree.
    public var isLinkedWorktree: Bool { git_repository_is_worktree(raw) == 1 }

    /// Sends every object this handle writes to memory (libgit2's mempack backend), so that
    /// predictions leave the repository untouched and work on read-only or bare repositories.
    /// Objects written so far stay readable until `discardScratchObjects()`.
    public func useInMemoryObjectWrites() throws {
        guard mempack == nil else { return }
        var odb: OpaquePointer?
        try check(git_repository_odb(&odb, raw), "git_repository_odb")
        guard let odb else { return }
        defer { git_odb_free(odb) }
        var backend: UnsafeMutablePointer<git_odb_backend>?
        try check(git_mempack_new(&backend), "git_mempack_new")
        guard let backend else { return }
        // Priority above the loose/pack backends, so that writes land here.
        if let error = Result(catching: { try check(git_odb_add_backend(odb, backend, 999), "git_odb_add_backend") }).failure {
            backend.pointee.free?(backend)
            throw error
        }
        mempack = OpaquePointer(backend)  // now owned by the odb, which frees it
    }

    /// Drops every object written since `useInMemoryObjectWrites()` (`git_mempack_reset`),
    /// keeping memory flat over long prediction streams.
    public func discardScratchObjects() {
        guard let mempack else { return }
        _ = git_mempack_reset(UnsafeMutablePointer<git_odb_backend>(mempack))
    }
}

extension Result where Failure == any Error {
    var failure: (any Error)? { if case .failure(let e) = self { return e } else { return nil } }
}
