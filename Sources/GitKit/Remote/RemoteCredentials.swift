/// What a fetch, push or ls-remote may authenticate with. Holds secrets (a key passphrase, and
/// whatever `userPassword` returns), so it has no description: never print or log it.
public struct RemoteCredentials: Sendable {
    /// A private key file for ssh, tried after the agent (`git_credential_ssh_key_new`).
    public struct SSHKey: Sendable, Equatable {
        public var publicKeyPath: String?
        public var privateKeyPath: String
        public var passphrase: String?

        public init(publicKeyPath: String? = nil, privateKeyPath: String, passphrase: String? = nil) {
            self.publicKeyPath = publicKeyPath
            self.privateKeyPath = privateKeyPath
            self.passphrase = passphrase
        }
    }

    /// Offer the keys of a running ssh-agent first (`git_credential_ssh_key_from_agent`).
    public var useSSHAgent = true
    /// Key files, tried in order after the agent.
    public var sshKeys: [SSHKey] = []
    /// The user name ssh logs in with when the URL names none (as OpenSSH: the local user).
    public var sshUsername: String?
    /// A user name and password (an https token) for a URL, or nil for none. The URL never
    /// carries a password (it is redacted); the second argument is the user name the URL names.
    /// Supplied by the caller: GorchCore reads the environment or runs a credential helper
    /// through its Adapters layer; GitKit never spawns anything.
    public var userPassword: (@Sendable (_ url: String, _ usernameFromURL: String?) -> (username: String, password: String)?)?

    public init() {}
}

/// One pushed reference and how the remote took it.
public struct PushedRef: Sendable, Equatable {
    /// The remote reference, e.g. "refs/heads/task/x".
    public let reference: String
    /// nil when accepted; otherwise why not: "non-fast-forward", "fetch first", or the server's
    /// own text ("pre-receive hook declined").
    public let rejection: String?

    public init(reference: String, rejection: String?) {
        self.reference = reference
        self.rejection = rejection
    }

    public var isAccepted: Bool { rejection == nil }
}
