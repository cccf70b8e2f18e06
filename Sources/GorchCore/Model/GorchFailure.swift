/// A failure of a gorch command that is not a bug: it names the thing, the cause and the fix, and
/// says which exit code it deserves (DESIGN.md: 1 stopped, 2 usage, 3 environment).
public struct GorchFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The command line is wrong (a bad task id, an unknown option value): exit 2.
        case usage
        /// The repository or machine is not as needed (missing branch, lock held): exit 3.
        case environment
        /// gorch stopped on purpose and a person has to act (conflict, failed validation): exit 1.
        case stopped
    }

    public let kind: Kind
    public let message: String
    public let hint: String?

    public init(_ kind: Kind, _ message: String, hint: String? = nil) {
        self.kind = kind
        self.message = message
        self.hint = hint
    }

    public var description: String { message }
}
