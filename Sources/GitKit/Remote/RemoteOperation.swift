internal import CLibGit2

/// The state one fetch, push or ls-remote shares with libgit2's callbacks (`payload`): the
/// deadline, the credential attempts, per-reference push results, and the first failure a
/// callback decided on. Callbacks run synchronously on the calling thread.
final class RemoteOperation {
    let handle: RemoteHandle
    let operation: String
    let deadline: RemoteDeadline
    let attempts: CredentialAttempts
    /// Set by a callback that stopped the operation; thrown in place of libgit2's GIT_EUSER.
    var failure: RemoteError?
    /// Push: the server's verdict per remote reference (nil = accepted).
    var pushStatuses: [(reference: String, status: String?)] = []
    /// Push: references refused before anything was sent (not a fast-forward).
    var negotiationRejections: [String: String] = [:]
    /// Push: destinations of '+' refspecs, exempt from the fast-forward check.
    var forcedDestinations: Set<String> = []

    init(handle: RemoteHandle, operation: String, credentials: RemoteCredentials, deadline: RemoteDeadline) {
        self.handle = handle
        self.operation = operation
        self.attempts = CredentialAttempts(credentials)
        self.deadline = deadline
    }

    var redactedURL: String { RemoteURL.redacted(handle.url) }

    /// Secrets that must not appear in a message: the URL's user-info, passwords handed out.
    private var secrets: [String] {
        [RemoteURL.userInfo(of: handle.url), RemoteURL.password(of: handle.url)].compactMap { $0 } + attempts.secrets
    }

    /// Callbacks pointing at this object. The caller keeps `self` alive while libgit2 may call them.
    func callbacks() throws -> git_remote_callbacks {
        var callbacks = git_remote_callbacks()
        try check(git_remote_init_callbacks(&callbacks, UInt32(GIT_REMOTE_CALLBACKS_VERSION)), "git_remote_init_callbacks")
        callbacks.payload = Unmanaged.passUnretained(self).toOpaque()
        callbacks.credentials = RemoteCallbacks.credentials
        callbacks.sideband_progress = RemoteCallbacks.sideband
        callbacks.transfer_progress = RemoteCallbacks.transfer
        callbacks.pack_progress = RemoteCallbacks.pack
        callbacks.push_transfer_progress = RemoteCallbacks.pushTransfer
        callbacks.push_update_reference = RemoteCallbacks.pushUpdateReference
        callbacks.push_negotiation = RemoteCallbacks.pushNegotiation
        callbacks.remote_ready = RemoteCallbacks.remoteReady
        // certificate_check stays unset: libgit2 verifies certificates itself. update_tips is
        // unchecked: by then everything has arrived, and libgit2 ignores a refusal there anyway.
        return callbacks
    }

    /// False (and `failure` set) once the deadline has passed.
    func mayContinue() -> Bool {
        guard failure == nil else { return false }
        guard deadline.hasPassed else { return true }
        failure = RemoteError(kind: .timedOut, operation: operation, url: redactedURL,
                              message: "gave up after the timeout of \(deadline.timeout)")
        return false
    }

    /// Runs one libgit2 call, turning its return code into a `RemoteError`.
    func run(_ function: String, _ call: () -> Int32) throws {
        let rc = withExtendedLifetime(self) { call() }
        guard rc < 0 else { return }
        if let failure { throw failure }
        throw error(rc, function)
    }

    /// libgit2's error for `rc`, as a `RemoteError` without secrets. Read right after the call:
    /// `git_error_last()` is per thread.
    func error(_ rc: Int32, _ function: String) -> RemoteError {
        let raw = git_error_last().flatMap { $0.pointee.message.map { String(cString: $0) } } ?? "libgit2 error \(rc)"
        let message = RemoteURL.scrub(raw, secrets: secrets)
        let kind: RemoteError.Kind = rc == GIT_EAUTH.rawValue ? .authenticationFailed : .transport(GitError.Code(rc))
        return RemoteError(kind: kind, operation: operation, url: redactedURL, message: message, function: function)
    }

    /// Converts a `GitError` thrown by a plain `check` (say, an invalid refspec) the same way.
    func scrubbed(_ error: GitError) -> RemoteError {
        RemoteError(kind: .transport(error.code), operation: operation, url: redactedURL,
                    message: RemoteURL.scrub(error.message, secrets: secrets), function: error.function)
    }

    /// Gives up on authentication: every method that applied was tried once.
    func authenticationFailed(allowed: CredentialAttempts.Allowed) {
        failure = RemoteError(kind: .authenticationFailed, operation: operation, url: redactedURL,
                              message: "authentication failed (\(attempts.summary(allowed: allowed)))")
    }

    static func from(_ payload: UnsafeMutableRawPointer?) -> RemoteOperation? {
        payload.map { Unmanaged<RemoteOperation>.fromOpaque($0).takeUnretainedValue() }
    }
}
