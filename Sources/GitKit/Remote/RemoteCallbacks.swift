internal import CLibGit2

/// The C callbacks of a `RemoteOperation`. Each one first checks the deadline: returning
/// non-zero (GIT_EUSER) makes libgit2 stop, and the operation throws its recorded failure.
enum RemoteCallbacks {
    static let stop = GIT_EUSER.rawValue

    static let remoteReady: git_remote_ready_cb = { _, _, payload in
        RemoteOperation.from(payload)?.mayContinue() == false ? stop : 0
    }

    static let sideband: git_transport_message_cb = { _, _, payload in
        RemoteOperation.from(payload)?.mayContinue() == false ? stop : 0
    }

    static let transfer: git_indexer_progress_cb = { _, payload in
        RemoteOperation.from(payload)?.mayContinue() == false ? stop : 0
    }

    static let pack: git_packbuilder_progress = { _, _, _, payload in
        RemoteOperation.from(payload)?.mayContinue() == false ? stop : 0
    }

    static let pushTransfer: git_push_transfer_progress_cb = { _, _, _, payload in
        RemoteOperation.from(payload)?.mayContinue() == false ? stop : 0
    }

    /// The server's verdict on one reference: a NULL status means accepted.
    static let pushUpdateReference: git_push_update_reference_cb = { refname, status, payload in
        guard let operation = RemoteOperation.from(payload), let refname else { return 0 }
        operation.pushStatuses.append((String(cString: refname), status.map { String(cString: $0) }))
        return 0
    }

    /// Before any object is sent: refuses updates that are not fast-forwards, as git does
    /// ("rejected (non-fast-forward)", "rejected (fetch first)"). libgit2 would fail the whole
    /// push with GIT_ENONFASTFORWARD instead; recording the references lets `push` report them
    /// and push the rest.
    static let pushNegotiation: git_push_negotiation = { updates, count, payload in
        guard let operation = RemoteOperation.from(payload) else { return 0 }
        guard operation.mayContinue() else { return stop }
        guard let updates else { return 0 }
        for index in 0..<count {
            guard let update = updates[index]?.pointee, let name = update.dst_refname.map({ String(cString: $0) }) else { continue }
            var remoteTip = update.src, newTip = update.dst
            if operation.forcedDestinations.contains(name) || git_oid_is_zero(&remoteTip) == 1 || git_oid_is_zero(&newTip) == 1
                || git_oid_equal(&remoteTip, &newTip) == 1 { continue }
            if let rejection = fastForwardRejection(from: &remoteTip, to: &newTip, in: operation.handle.repository) {
                operation.negotiationRejections[name] = rejection
            }
        }
        return operation.negotiationRejections.isEmpty ? 0 : stop
    }

    /// nil when `newTip` descends from `remoteTip`, else git's reason.
    private static func fastForwardRejection(from remoteTip: inout git_oid, to newTip: inout git_oid, in repository: Repository) -> String? {
        var odb: OpaquePointer?
        guard git_repository_odb(&odb, repository.raw) == 0, let odb else { return "non-fast-forward" }
        defer { git_odb_free(odb) }
        guard git_odb_exists(odb, &remoteTip) == 1 else { return "fetch first" }
        return git_graph_descendant_of(repository.raw, &newTip, &remoteTip) == 1 ? nil : "non-fast-forward"
    }

    static let credentials: git_credential_acquire_cb = { out, url, usernameFromURL, allowedTypes, payload in
        guard let operation = RemoteOperation.from(payload), let out else { return GIT_PASSTHROUGH.rawValue }
        guard operation.mayContinue() else { return stop }
        let shownURL = RemoteURL.redacted(url.map { String(cString: $0) } ?? operation.handle.url)
        let allowed = CredentialAttempts.Allowed(rawValue: allowedTypes)
        guard let offer = operation.attempts.next(url: shownURL, usernameFromURL: usernameFromURL.map { String(cString: $0) },
                                                   allowed: allowed) else {
            operation.authenticationFailed(allowed: allowed)
            return stop
        }
        let rc: Int32
        switch offer {
        case .username(let name):
            rc = git_credential_username_new(out, name)
        case .sshAgent(let name):
            rc = git_credential_ssh_key_from_agent(out, name)
        case .sshKey(let name, let key):
            rc = withOptionalCString(key.publicKeyPath) { publicKey in
                withOptionalCString(key.passphrase) { passphrase in
                    git_credential_ssh_key_new(out, name, publicKey, key.privateKeyPath, passphrase)
                }
            }
        case .userPassword(let name, let password):
            rc = git_credential_userpass_plaintext_new(out, name, password)
        }
        if rc < 0 { operation.failure = operation.error(rc, "git_credential_*_new") }
        return rc < 0 ? stop : 0
    }
}
