internal import CLibGit2

/// One `git_remote*`, freed (and so disconnected) once in `deinit`. Holds its repository
/// strongly: libgit2's remote borrows the repository's pointer.
final class RemoteHandle {
    let raw: OpaquePointer
    let repository: Repository
    /// The URL as configured: may hold a password, so it is only ever shown through `RemoteURL.redacted`.
    let url: String

    private init(raw: OpaquePointer, repository: Repository) {
        self.raw = raw
        self.repository = repository
        self.url = git_remote_url(raw).map { String(cString: $0) } ?? ""
    }

    deinit { git_remote_free(raw) }

    /// The configured remote `name` (`git_remote_lookup`), or nil when there is none.
    static func lookup(_ name: String, in repository: Repository) throws -> RemoteHandle? {
        var raw: OpaquePointer?
        let rc = git_remote_lookup(&raw, repository.raw, name)
        if rc == GIT_ENOTFOUND.rawValue { return nil }
        try check(rc, "git_remote_lookup")
        guard let raw else { return nil }
        return RemoteHandle(raw: raw, repository: repository)
    }

    /// A configured remote when `remote` is a valid remote name, otherwise an in-memory remote
    /// for the URL or path (`git_remote_create_anonymous`).
    static func open(_ remote: String, in repository: Repository, operation: String) throws -> RemoteHandle {
        var valid: Int32 = 0
        try check(git_remote_name_is_valid(&valid, remote), "git_remote_name_is_valid")
        if valid == 1 {
            if let handle = try lookup(remote, in: repository) { return handle }
            throw RemoteError(kind: .noSuchRemote, operation: operation, url: RemoteURL.redacted(remote),
                              message: "no remote of that name is configured", function: "git_remote_lookup")
        }
        var raw: OpaquePointer?
        let rc = git_remote_create_anonymous(&raw, repository.raw, remote)
        guard rc == 0, let raw else {
            // libgit2's message may quote the URL, password and all.
            let message = git_error_last().flatMap { $0.pointee.message.map { String(cString: $0) } } ?? "libgit2 error \(rc)"
            let secrets = [RemoteURL.userInfo(of: remote), RemoteURL.password(of: remote)].compactMap { $0 }
            throw RemoteError(kind: .transport(GitError.Code(rc)), operation: operation, url: RemoteURL.redacted(remote),
                              message: RemoteURL.scrub(message, secrets: secrets), function: "git_remote_create_anonymous")
        }
        return RemoteHandle(raw: raw, repository: repository)
    }
}
