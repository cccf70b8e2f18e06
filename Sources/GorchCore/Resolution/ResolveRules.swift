#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `gorch.resolve` says to do with a conflicted path.
public enum ResolveRule: String, Sendable, CaseIterable {
    /// Both sides' lines, ours first (the `union` merge driver).
    case union
    /// Conflicting hunks take ours (`-X ours`); a modify/delete keeps ours' version or deletion.
    case ours
    /// Conflicting hunks take theirs (`-X theirs`); a modify/delete keeps theirs'.
    case theirs
}

/// A `gorch.resolve` setting gorch cannot use.
public struct ResolveRulesError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public let hint: String
    public var description: String { "\(message) (\(hint))" }
}

/// The per-path rules from git config, in two spellings:
///
///     gorch.resolve.CHANGELOG.md = union        # the glob is the name after `gorch.resolve.`
///     gorch.resolve = "docs/** ours"            # multi-valued: "<glob> <rule>", any glob
///
/// In the first form git lowercases the part after the final dot (`gorch.resolve.README` arrives
/// as the glob `readme`) and that part must be a valid key name, so globs with `/`, `*` or an
/// upper-case last part need the second form. Globs work as in .gitattributes: without a `/` they
/// match the file name at any depth; with one they match the whole path from the root (a leading
/// `/` only anchors); `*`, `?` and `[...]` never cross `/`; `**` as a whole segment matches any
/// number of directories. Matching is case-sensitive. When several globs match, the last wins.
public struct ResolveRules: Sendable {
    public let patterns: [(glob: String, rule: ResolveRule)]

    static let key = "gorch.resolve"

    /// Builds the rules from config entries (`Repository.configEntries(matchingPrefix:)`), in
    /// config order; entries that are not `gorch.resolve` or `gorch.resolve.<glob>` are ignored.
    public init(entries: [(name: String, value: String)]) throws {
        var patterns: [(glob: String, rule: ResolveRule)] = []
        let prefix = Self.key + "."
        for (name, value) in entries {
            let glob: String, ruleText: String
            if name.lowercased() == Self.key {
                let trimmed = value.trimmingWhitespace()
                guard let split = trimmed.lastIndex(where: { $0 == " " || $0 == "\t" }) else {
                    throw ResolveRulesError(
                        message: "\(name) = \"\(value)\": expected \"<glob> <rule>\"",
                        hint: "write it as e.g. git config --add gorch.resolve \"docs/** union\"; rules: \(Self.allowed)")
                }
                glob = String(trimmed[..<split]).trimmingWhitespace()
                ruleText = String(trimmed[trimmed.index(after: split)...])
            } else if name.count > prefix.count, name.lowercased().hasPrefix(prefix) {
                glob = String(name.dropFirst(prefix.count))
                ruleText = value.trimmingWhitespace()
            } else {
                continue
            }
            guard let rule = ResolveRule(rawValue: ruleText.lowercased()) else {
                throw ResolveRulesError(message: "\(name) = \"\(value)\": unknown rule \"\(ruleText)\"",
                                        hint: "use one of \(Self.allowed)")
            }
            if glob.hasSuffix("/") {
                throw ResolveRulesError(message: "\(name) = \"\(value)\": \"\(glob)\" names a directory, and rules apply to files",
                                        hint: "match the files inside it: \"\(glob)** \(rule.rawValue)\"")
            }
            patterns.append((glob, rule))
        }
        self.patterns = patterns
    }

    /// The rule of the last glob matching `path` (relative to the repository root, `/`-separated).
    public func rule(for path: String) -> ResolveRule? {
        patterns.last { Self.matches(glob: $0.glob, path: path) }?.rule
    }

    /// gitattributes-style matching of one glob against one path.
    public static func matches(glob: String, path: String) -> Bool {
        guard !glob.isEmpty else { return false }
        let names = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard let basename = names.last else { return false }
        var pattern = glob
        if pattern.hasPrefix("/") {
            pattern.removeFirst()
        } else if !pattern.contains("/") {
            return fnmatch(pattern, basename, 0) == 0
        }
        let segments = pattern.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        return match(segments[...], names[...])
    }

    /// Segment by segment: `**` takes zero or more directories (one or more names when it ends the
    /// pattern, so `docs/**` matches what is inside docs/); any other segment is an fnmatch glob
    /// for exactly one name.
    private static func match(_ pattern: ArraySlice<String>, _ names: ArraySlice<String>) -> Bool {
        guard let first = pattern.first else { return names.isEmpty }
        if first == "**" {
            let rest = pattern.dropFirst()
            if rest.isEmpty { return !names.isEmpty }
            var remaining = names
            while true {
                if match(rest, remaining) { return true }
                guard !remaining.isEmpty else { return false }
                remaining = remaining.dropFirst()
            }
        }
        guard let name = names.first, fnmatch(first, name, 0) == 0 else { return false }
        return match(pattern.dropFirst(), names.dropFirst())
    }

    private static var allowed: String { ResolveRule.allCases.map(\.rawValue).joined(separator: ", ") }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[start...end])
    }
}
