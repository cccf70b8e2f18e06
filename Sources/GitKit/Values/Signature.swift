internal import CLibGit2
import Foundation

/// Who made a commit and when, as a value: git's author or committer line.
public struct Signature: Hashable, Sendable {
    public var name: String
    public var email: String
    /// Whole seconds: git stores no fractions, so they are dropped when a commit is written.
    public var time: Date
    /// The author's UTC offset in minutes, e.g. 120 for +0200.
    public var offsetMinutes: Int

    /// `offsetMinutes` defaults to this machine's time zone at `time`.
    public init(name: String, email: String, time: Date = Date(), offsetMinutes: Int? = nil) {
        self.name = name
        self.email = email
        self.time = time
        self.offsetMinutes = offsetMinutes ?? TimeZone.current.secondsFromGMT(for: time) / 60
    }

    init(_ signature: git_signature) {
        name = signature.name.map { String(cString: $0) } ?? ""
        email = signature.email.map { String(cString: $0) } ?? ""
        time = Date(timeIntervalSince1970: TimeInterval(signature.when.time))
        offsetMinutes = Int(signature.when.offset)
    }

    /// Lends a libgit2 copy of this signature to `body` (`git_signature_new`), freed afterwards.
    func withRaw<T>(_ body: (UnsafePointer<git_signature>) throws -> T) throws -> T {
        var raw: UnsafeMutablePointer<git_signature>?
        let seconds = git_time_t(time.timeIntervalSince1970.rounded(.down))
        try check(git_signature_new(&raw, name, email, seconds, Int32(offsetMinutes)), "git_signature_new")
        guard let raw else { throw GitError(code: .other(-1), function: "git_signature_new", message: "no signature for \(name) <\(email)>") }
        defer { git_signature_free(raw) }
        return try body(raw)
    }
}
