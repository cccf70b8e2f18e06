internal import CLibGit2

/// Fetch, push and ls-remote in process (libgit2: file://, git://, ssh, https).
///
/// What `timeout` bounds: libgit2 1.5 has no socket timeouts (GIT_OPT_SET_SERVER_TIMEOUT and
/// _CONNECT_TIMEOUT arrived in 1.7), so the deadline is checked in every callback libgit2 makes:
/// before connecting (remote_ready), on each credential request, on the server's progress
/// messages (sideband), on each chunk of a fetch's transfer and indexing, and while a push
/// builds and sends its pack. A refused connection or unknown host fails at once on its own.
/// Not bounded: a TCP connect to a host that drops packets (the kernel's ~2 min SYN retries),
/// and a server that accepts the connection and then says nothing, or stalls mid-transfer
/// without sending progress — libgit2 sits in a blocking recv() and no callback runs. Bounding
/// those needs a deadline-aware socket registered with git_stream_register (git2/sys/stream.h).
extension Repository {
    /// The URL configured for remote `name` (`git_remote_lookup`, `git_remote_url`), nil when
    /// there is no such remote. Returned as configured: it may hold a password.
    public func remoteURL(_ name: String) throws -> String? {
        try RemoteHandle.lookup(name, in: self)?.url
    }

    /// Fetches `refspecs` (e.g. "+refs/heads/main:refs/remotes/origin/main") from a configured
    /// remote name or a URL (`git_remote_fetch`). Tags only when `tags` is true; prunes nothing;
    /// records nothing in FETCH_HEAD (libgit2 1.5 still leaves an empty one). Throws `RemoteError` (see the extension's note on `timeout`).
    public func fetch(remote: String, refspecs: [String], credentials: RemoteCredentials, timeout: Duration,
                      tags: Bool = false) throws {
        try fetch(remote: remote, refspecs: refspecs, credentials: credentials, deadline: RemoteDeadline(timeout: timeout), tags: tags)
    }

    func fetch(remote: String, refspecs: [String], credentials: RemoteCredentials, deadline: RemoteDeadline,
               tags: Bool = false) throws {
        let operation = try RemoteOperation(handle: RemoteHandle.open(remote, in: self, operation: "fetch from"),
                                            operation: "fetch from", credentials: credentials, deadline: deadline)
        var options = git_fetch_options()
        try check(git_fetch_options_init(&options, UInt32(GIT_FETCH_OPTIONS_VERSION)), "git_fetch_options_init")
        options.callbacks = try operation.callbacks()
        options.prune = GIT_FETCH_NO_PRUNE
        options.update_fetchhead = 0
        options.download_tags = tags ? GIT_REMOTE_DOWNLOAD_TAGS_ALL : GIT_REMOTE_DOWNLOAD_TAGS_NONE
        try withStringArray(refspecs) { specs in
            try operation.run("git_remote_fetch") { git_remote_fetch(operation.handle.raw, &specs, &options, nil) }
        }
    }

    /// Pushes `refspecs` ("refs/heads/task/x:refs/heads/task/x"; ":refs/heads/task/x" deletes;
    /// a '+' prefix forces) to a remote name or URL (`git_remote_push`). Use full reference
    /// names. Returns one `PushedRef` per refspec, in order: a non-fast-forward (refused here
    /// before anything is sent, as git does) or the server's refusal (a hook, say) is a
    /// `rejection`, and the other references are still pushed. Transport, authentication and
    /// timeout failures throw `RemoteError`.
    public func push(remote: String, refspecs: [String], credentials: RemoteCredentials, timeout: Duration) throws -> [PushedRef] {
        try push(remote: remote, refspecs: refspecs, credentials: credentials, deadline: RemoteDeadline(timeout: timeout))
    }

    func push(remote: String, refspecs: [String], credentials: RemoteCredentials, deadline: RemoteDeadline) throws -> [PushedRef] {
        var pending = refspecs
        var rejected: [String: String] = [:]
        var statuses: [String: String] = [:]
        // At most one round per refspec: each round either pushes or drops a rejected one.
        while !pending.isEmpty {
            let operation = try RemoteOperation(handle: RemoteHandle.open(remote, in: self, operation: "push to"),
                                                operation: "push to", credentials: credentials, deadline: deadline)
            operation.forcedDestinations = Set(pending.filter { $0.hasPrefix("+") }.map(Self.destination))
            var options = git_push_options()
            try check(git_push_options_init(&options, UInt32(GIT_PUSH_OPTIONS_VERSION)), "git_push_options_init")
            options.callbacks = try operation.callbacks()
            options.pb_parallelism = 1  // callbacks stay on this thread
            do {
                try withStringArray(pending) { specs in
                    try operation.run("git_remote_push") { git_remote_push(operation.handle.raw, &specs, &options) }
                }
            } catch where !operation.negotiationRejections.isEmpty && operation.failure == nil {
                rejected.merge(operation.negotiationRejections) { first, _ in first }
                let before = pending.count
                pending.removeAll { rejected[Self.destination($0)] != nil }
                if pending.count == before {  // names libgit2 spelled differently: report, push nothing more
                    let reason = operation.negotiationRejections.values.first ?? "non-fast-forward"
                    for spec in pending { rejected[Self.destination(spec)] = reason }
                    pending = []
                }
                continue
            }
            for (reference, status) in operation.pushStatuses { statuses[reference] = status }
            break
        }
        return refspecs.map(Self.destination).map { PushedRef(reference: $0, rejection: rejected[$0] ?? statuses[$0]) }
    }

    /// The remote reference a refspec updates: "+a:b" -> "b", ":b" -> "b", "a" -> "a".
    static func destination(_ refspec: String) -> String {
        let spec = refspec.hasPrefix("+") ? refspec.dropFirst() : Substring(refspec)
        guard let colon = spec.firstIndex(of: ":") else { return String(spec) }
        return String(spec[spec.index(after: colon)...])
    }

    /// What the remote advertises (`git_remote_connect`, `git_remote_ls`), e.g.
    /// ["HEAD": id, "refs/heads/main": id]; peeled tags appear as "refs/tags/v1^{}".
    public func remoteHeads(remote: String, credentials: RemoteCredentials, timeout: Duration) throws -> [String: OID] {
        try remoteHeads(remote: remote, credentials: credentials, deadline: RemoteDeadline(timeout: timeout))
    }

    func remoteHeads(remote: String, credentials: RemoteCredentials, deadline: RemoteDeadline) throws -> [String: OID] {
        let operation = try RemoteOperation(handle: RemoteHandle.open(remote, in: self, operation: "list the heads of"),
                                            operation: "list the heads of", credentials: credentials, deadline: deadline)
        var callbacks = try operation.callbacks()
        try operation.run("git_remote_connect") {
            git_remote_connect(operation.handle.raw, GIT_DIRECTION_FETCH, &callbacks, nil, nil)
        }
        var heads: UnsafeMutablePointer<UnsafePointer<git_remote_head>?>?
        var count = 0
        try operation.run("git_remote_ls") { git_remote_ls(&heads, &count, operation.handle.raw) }
        var result: [String: OID] = [:]
        for index in 0..<count {
            guard let head = heads?[index]?.pointee, let name = head.name else { continue }
            result[String(cString: name)] = OID(head.oid)
        }
        return result
    }
}
