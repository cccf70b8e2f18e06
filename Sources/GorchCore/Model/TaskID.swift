/// A task's id, checked once at the boundary so every branch, worktree and file name built from
/// it is safe (DESIGN.md "Tasks"): ASCII letters, digits, `.`, `_`, `-`; at most 64 characters;
/// not starting with `-` or `.`; no `..`. Beads ids such as `proj-a1b2.3` are valid.
///
/// Two more rules come from git's ref-name format, since the id becomes `refs/heads/task/<id>`:
/// it may not end with `.` or `.lock`.
public struct TaskID: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    public let rawValue: String

    public static let maximumLength = 64

    public init(_ text: String) throws(GorchFailure) {
        if let problem = Self.problem(with: text) {
            throw GorchFailure(.usage, "invalid task id \(Self.quoted(text)): \(problem)",
                               hint: "use letters, digits, '.', '_' and '-' (at most 64, not starting with '-' or '.'), e.g. auth-login or proj-a1b2.3")
        }
        rawValue = text
    }

    /// Ids read back from gorch's own store were validated when written.
    init(trusted text: String) { rawValue = text }

    public var branch: String { "task/" + rawValue }
    public var worktreeName: String { "wt-" + rawValue }
    public var description: String { rawValue }

    public static func < (a: TaskID, b: TaskID) -> Bool { a.rawValue < b.rawValue }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// The task id of a branch name `task/<id>`, if it is one.
    public static func fromBranch(_ branch: String) -> TaskID? {
        let short = branch.hasPrefix("refs/heads/") ? String(branch.dropFirst(11)) : branch
        guard short.hasPrefix("task/") else { return nil }
        return try? TaskID(String(short.dropFirst(5)))
    }

    static func problem(with text: String) -> String? {
        if text.isEmpty { return "it is empty" }
        if text.utf8.count > maximumLength { return "it is \(text.utf8.count) bytes long; the limit is \(maximumLength)" }
        if let bad = text.unicodeScalars.first(where: { !isAllowed($0) }) {
            return "it contains \(describe(bad)), which is not allowed"
        }
        if text.hasPrefix("-") { return "it starts with '-', which would read as an option" }
        if text.hasPrefix(".") { return "it starts with '.'" }
        if text.contains("..") { return "it contains '..'" }
        if text.hasSuffix(".") { return "it ends with '.', which git does not allow in a branch name" }
        if text.hasSuffix(".lock") { return "it ends with '.lock', which git reserves for lock files" }
        return nil
    }

    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", ".", "_", "-": true
        default: false
        }
    }

    static func describe(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "/": "'/'"
        case " ": "a space"
        case "\n": "a newline"
        case "\t": "a tab"
        default:
            scalar.isASCII && scalar.value >= 0x20 && scalar.value < 0x7F
                ? "'\(Character(scalar))'" : "U+\(String(scalar.value, radix: 16, uppercase: true))"
        }
    }

    /// The text as the user typed it, with control characters made visible.
    static func quoted(_ text: String) -> String {
        var out = "'"
        for scalar in text.unicodeScalars.prefix(80) {
            switch scalar {
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += "\\u{\(String(scalar.value, radix: 16))}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + (text.unicodeScalars.count > 80 ? "…'" : "'")
    }
}
