import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Whether two file-scope globs can name a common path, and whether a glob names a path.
/// Exact for literal paths; for two patterns it compares the literal directory prefixes before
/// the first wildcard, which may say "overlap" when they don't (safe: a skipped task waits for
/// the next batch) but never the reverse for patterns rooted in the same tree.
public enum GlobOverlap {
    public static func overlaps(_ a: String, _ b: String) -> Bool {
        let a = normalize(a), b = normalize(b)
        if a == b { return true }
        if !hasWildcard(a) { return matches(b, a) || isUnder(a, b) }
        if !hasWildcard(b) { return matches(a, b) || isUnder(b, a) }
        let pa = literalPrefix(a), pb = literalPrefix(b)
        return pa.hasPrefix(pb) || pb.hasPrefix(pa)
    }

    /// Whether `pattern` names `path` (or a directory containing it): `*` within a component,
    /// `**` across components, a bare directory name covers everything below it.
    public static func matches(_ pattern: String, _ path: String) -> Bool {
        let pattern = normalize(pattern)
        if pattern.contains("**") {
            let prefix = literalPrefix(pattern)
            let regex = "^" + NSRegularExpression.escapedPattern(for: pattern)
                .replacingOccurrences(of: "\\*\\*/", with: "(.*/)?")
                .replacingOccurrences(of: "\\*\\*", with: ".*")
                .replacingOccurrences(of: "\\*", with: "[^/]*")
                .replacingOccurrences(of: "\\?", with: "[^/]") + "$"
            return path.hasPrefix(prefix) && path.range(of: regex, options: .regularExpression) != nil
        }
        if fnmatch(pattern, path, FNM_PATHNAME) == 0 { return true }
        return isUnder(path, pattern)
    }

    static func normalize(_ glob: String) -> String {
        var text = glob.trimmingCharacters(in: .whitespaces)
        while text.hasPrefix("./") { text.removeFirst(2) }
        while text.hasPrefix("/") { text.removeFirst() }
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }

    static func hasWildcard(_ glob: String) -> Bool { glob.contains { "*?[".contains($0) } }

    /// The directories before the first wildcard, e.g. `web/` for `web/*.js`.
    static func literalPrefix(_ glob: String) -> String {
        guard let first = glob.firstIndex(where: { "*?[".contains($0) }) else { return glob }
        let head = glob[..<first]
        guard let slash = head.lastIndex(of: "/") else { return "" }
        return String(head[...slash])
    }

    /// `path` lies below the literal directory `directory`.
    static func isUnder(_ path: String, _ directory: String) -> Bool {
        !hasWildcard(directory) && path.hasPrefix(directory + "/")
    }
}
