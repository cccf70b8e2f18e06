import Foundation

/// A fetch, push or ls-remote that failed. `url` is the remote's URL with any user name and
/// password removed, and no message carries a secret.
public struct RemoteError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Every credential that applied was tried once and refused (or none applied).
        case authenticationFailed
        /// The operation's timeout passed (see `Repository.fetch` for what is bounded).
        case timedOut
        /// No remote of that name is configured, and the name is not a URL or path.
        case noSuchRemote
        /// libgit2 failed: connection refused, unknown host, protocol error, missing repository...
        case transport(GitError.Code)
    }

    public let kind: Kind
    /// What was attempted: "fetch from", "push to", "list the heads of".
    public let operation: String
    /// The remote's URL without its user-info part.
    public let url: String
    /// Why, in libgit2's words where it has some.
    public let message: String
    /// The libgit2 function that failed, or "" when gorch stopped the operation itself.
    public let function: String

    public init(kind: Kind, operation: String, url: String, message: String, function: String = "") {
        self.kind = kind
        self.operation = operation
        self.url = url
        self.message = message
        self.function = function
    }

    public var description: String { "cannot \(operation) \(url): \(message)" }
}

/// URLs as they may be shown: without "user:password@", a query or a fragment (either may hold a token).
public enum RemoteURL {
    /// `scheme://user:password@host/path?q` becomes `scheme://host/path`; scp-like `user@host:path`
    /// and paths are returned unchanged (they carry no password).
    public static func redacted(_ url: String) -> String {
        var shown = url
        if let userInfo = userInfo(of: url) { shown = shown.replacingOccurrences(of: userInfo + "@", with: "") }
        if shown.contains("://"), let cut = shown.firstIndex(where: { $0 == "?" || $0 == "#" }) { shown = String(shown[..<cut]) }
        return shown
    }

    /// The "user:password" (or "user") between "://" and the host's "@", if any.
    static func userInfo(of url: String) -> String? {
        guard let scheme = url.range(of: "://") else { return nil }
        let rest = url[scheme.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard let at = authority.lastIndex(of: "@") else { return nil }
        return String(authority[..<at])
    }

    /// The password in the URL's user-info, if it has one.
    static func password(of url: String) -> String? {
        guard let info = userInfo(of: url), let colon = info.firstIndex(of: ":") else { return nil }
        let password = info[info.index(after: colon)...]
        return password.isEmpty ? nil : String(password)
    }

    /// `text` with every secret replaced by "***" (libgit2 messages may quote a URL).
    static func scrub(_ text: String, secrets: [String]) -> String {
        secrets.filter { !$0.isEmpty }.sorted { $0.count > $1.count }.reduce(text) {
            $0.replacingOccurrences(of: $1, with: "***")
        }
    }
}
