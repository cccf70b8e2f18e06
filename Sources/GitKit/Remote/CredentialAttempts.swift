import Foundation

/// Which credential to offer next. libgit2 asks again after every refusal, so each method is
/// offered at most once per URL; when none is left the operation gives up instead of looping
/// (a wrong key or token must not retry forever).
final class CredentialAttempts {
    enum Offer: Equatable {
        case username(String)
        case sshAgent(username: String)
        case sshKey(username: String, RemoteCredentials.SSHKey)
        case userPassword(username: String, password: String)
    }

    /// libgit2's allowed-type bits (GIT_CREDENTIAL_*), spelled out so this logic is plain Swift.
    struct Allowed: OptionSet {
        let rawValue: UInt32
        static let userPassPlaintext = Allowed(rawValue: 1 << 0)
        static let sshKey = Allowed(rawValue: 1 << 1)
        static let username = Allowed(rawValue: 1 << 5)
    }

    private let credentials: RemoteCredentials
    /// URL (redacted) and method, for each offer made.
    private var offered: Set<String> = []
    /// What was offered, in order and without secrets, for the error message.
    private(set) var tried: [String] = []
    /// Passwords handed out, to scrub from any message.
    private(set) var secrets: [String] = []
    /// How often the userPassword provider was asked (tests check it is once).
    private(set) var providerCalls = 0

    init(_ credentials: RemoteCredentials) { self.credentials = credentials }

    /// The next untried method `allowed` permits for `url`, or nil: give up.
    func next(url: String, usernameFromURL: String?, allowed: Allowed) -> Offer? {
        let sshUser = usernameFromURL ?? credentials.sshUsername ?? Self.localUser
        if allowed.contains(.username), take("username", url: url, describe: nil) {
            return .username(sshUser)
        }
        if allowed.contains(.sshKey) {
            if credentials.useSSHAgent, take("agent", url: url, describe: "ssh-agent") {
                return .sshAgent(username: sshUser)
            }
            for key in credentials.sshKeys where take("key " + key.privateKeyPath, url: url, describe: Self.abbreviated(key.privateKeyPath)) {
                return .sshKey(username: sshUser, key)
            }
        }
        if allowed.contains(.userPassPlaintext), let provider = credentials.userPassword,
           take("userpass", url: url, describe: "the credential provider") {
            providerCalls += 1
            if let answer = provider(url, usernameFromURL) {
                secrets.append(answer.password)
                return .userPassword(username: answer.username, password: answer.password)
            }
            tried[tried.count - 1] = "the credential provider (it had none)"
        }
        return nil
    }

    /// "ssh-agent, ~/.ssh/id_ed25519", or a sentence saying nothing applied.
    func summary(allowed: Allowed) -> String {
        if !tried.isEmpty { return "tried " + tried.joined(separator: ", ") }
        var accepts: [String] = []
        if allowed.contains(.sshKey) { accepts.append("ssh keys") }
        if allowed.contains(.userPassPlaintext) { accepts.append("a user name and password") }
        let wanted = accepts.isEmpty ? "a method gorch does not offer" : accepts.joined(separator: " or ")
        return "the server wants \(wanted) and none is configured"
    }

    private func take(_ method: String, url: String, describe: String?) -> Bool {
        guard offered.insert(url + "\u{0}" + method).inserted else { return false }
        if let describe { tried.append(describe) }
        return true
    }

    private static var localUser: String {
        ProcessInfo.processInfo.environment["USER"] ?? NSUserName()
    }

    /// The home directory shown as "~".
    static func abbreviated(_ path: String) -> String {
        let home = NSHomeDirectory()
        guard !home.isEmpty, home != "/", path.hasPrefix(home + "/") else { return path }
        return "~" + path.dropFirst(home.count)
    }
}
