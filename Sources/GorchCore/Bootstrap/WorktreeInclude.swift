import Foundation

/// `.worktreeinclude` at the top of the main checkout: the convention of Claude Code (and Codex,
/// Conductor, ccmanager) for git-ignored files to carry into every new worktree (`.env`, local
/// config). Its lines are `.gitignore` lines, and a file is copied when it is matched by them and
/// git ignores it, so nothing tracked is ever duplicated: the set `git ls-files --others --ignored
/// --exclude-from=.worktreeinclude` lists, filtered by `git check-ignore`.
///
/// Rules as git reads an exclude file (dir.c): blank lines and `#` comments skipped, trailing
/// spaces dropped unless escaped, `!` negates, a trailing `/` matches directories only, a pattern
/// with no other `/` matches a name at any depth, otherwise it is anchored at the top (a leading
/// `/` dropped). The last matching line decides, and a path inside a matched directory is matched
/// (a negation cannot re-include it). Patterns match as git's wildmatch with WM_PATHNAME: `*`,
/// `?` and `[...]` never cross a `/`; `**/`, `/**` and `/**/` cross any number of directories.
struct WorktreeInclude {
    static let fileName = ".worktreeinclude"

    struct Rule {
        let pattern: [UInt8]
        let negative: Bool
        let directoryOnly: Bool
        /// No `/` in the pattern: it is matched against the last component.
        let nameOnly: Bool
    }

    let rules: [Rule]

    init(_ text: String) {
        rules = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).compactMap { Self.rule(Array($0)) }
    }

    private static func rule(_ line: [UInt8]) -> Rule? {
        var bytes = line
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }   // git reads CRLF files too
        guard let first = bytes.first, first != UInt8(ascii: "#") else { return nil }
        // trim_trailing_spaces(): the run of unescaped spaces at the end goes; "\ " stays as is.
        var lastSpace: Int?
        var i = 0
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: " "): if lastSpace == nil { lastSpace = i }
            case UInt8(ascii: "\\"):
                i += 1
                lastSpace = nil
            default: lastSpace = nil
            }
            i += 1
        }
        if let lastSpace { bytes.removeSubrange(lastSpace...) }
        var negative = false
        if bytes.first == UInt8(ascii: "!") { negative = true; bytes.removeFirst() }
        var directoryOnly = false
        if bytes.last == UInt8(ascii: "/") { directoryOnly = true; bytes.removeLast() }
        guard !bytes.isEmpty else { return nil }
        let nameOnly = !bytes.contains(UInt8(ascii: "/"))
        if bytes.first == UInt8(ascii: "/") { bytes.removeFirst() }
        return Rule(pattern: bytes, negative: negative, directoryOnly: directoryOnly, nameOnly: nameOnly)
    }

    /// Whether `path` (relative to the top, `/`-separated) is matched: by a directory above it, or
    /// by the last rule that matches it.
    func matches(_ path: String, isDirectory: Bool) -> Bool {
        let bytes = Array(path.utf8)
        for (i, byte) in bytes.enumerated() where byte == UInt8(ascii: "/") {
            if decision(bytes[..<i], isDirectory: true) == true { return true }
        }
        return decision(bytes[...], isDirectory: isDirectory) ?? false
    }

    /// The last matching rule's verdict for `path` alone: true (matched), false (negated), nil.
    private func decision(_ path: ArraySlice<UInt8>, isDirectory: Bool) -> Bool? {
        let name = path.lastIndex(of: UInt8(ascii: "/")).map { path[($0 + 1)...] } ?? path
        for rule in rules.reversed() {
            if rule.directoryOnly && !isDirectory { continue }
            let subject = rule.nameOnly ? name : path
            if Self.wildmatch(rule.pattern[...], subject) { return !rule.negative }
        }
        return nil
    }

    // MARK: - wildmatch (WM_PATHNAME)

    private enum Outcome { case match, noMatch, abortAll, abortToStarStar }

    static func wildmatch(_ pattern: ArraySlice<UInt8>, _ text: ArraySlice<UInt8>) -> Bool {
        match(pattern, text) == .match
    }

    private static let slash = UInt8(ascii: "/"), star = UInt8(ascii: "*"), backslash = UInt8(ascii: "\\")

    private static func match(_ pattern: ArraySlice<UInt8>, _ text: ArraySlice<UInt8>) -> Outcome {
        var p = pattern.startIndex, t = text.startIndex
        while p < pattern.endIndex {
            var c = pattern[p]
            if t == text.endIndex && c != star { return .abortAll }
            switch c {
            case UInt8(ascii: "?"):
                if text[t] == slash { return .noMatch }
            case star:
                var matchSlash = false
                let before = p
                p += 1
                if p < pattern.endIndex && pattern[p] == star {
                    while p < pattern.endIndex && pattern[p] == star { p += 1 }
                    let atStart = before == pattern.startIndex || pattern[before - 1] == slash
                    let atEnd = p == pattern.endIndex || pattern[p] == slash
                        || (pattern[p] == backslash && p + 1 < pattern.endIndex && pattern[p + 1] == slash)
                    if atStart && atEnd {
                        // "**/": zero directories too.
                        if p < pattern.endIndex && pattern[p] == slash && match(pattern[(p + 1)...], text[t...]) == .match { return .match }
                        matchSlash = true
                    }
                }
                if p == pattern.endIndex {
                    // A trailing `*` matches the rest of this component only.
                    if !matchSlash && text[t...].contains(slash) { return .abortToStarStar }
                    return .match
                }
                if !matchSlash && pattern[p] == slash {
                    guard let next = text[t...].firstIndex(of: slash) else { return .abortAll }
                    t = next
                    continue   // pattern[p] is the "/" to compare with text[t]
                }
                while t < text.endIndex {
                    let outcome = match(pattern[p...], text[t...])
                    if outcome != .noMatch {
                        if !matchSlash || outcome != .abortToStarStar { return outcome }
                    } else if !matchSlash && text[t] == slash {
                        return .abortToStarStar
                    }
                    t += 1
                }
                return .abortAll
            case UInt8(ascii: "["):
                guard let (matched, end) = bracket(pattern, p, text[t]) else {
                    // An unterminated class matches nothing, as in git.
                    return .abortAll
                }
                if !matched || text[t] == slash { return .noMatch }
                p = end
            default:
                if c == backslash {
                    // An escaped character; a backslash at the very end matches nothing.
                    p += 1
                    guard p < pattern.endIndex else { return .noMatch }
                    c = pattern[p]
                }
                if text[t] != c { return .noMatch }
            }
            p += 1
            t += 1
        }
        return t == text.endIndex ? .match : .noMatch
    }

    /// The class starting at `open` ("["): whether `byte` is in it, and the index of its "]".
    private static func bracket(_ pattern: ArraySlice<UInt8>, _ open: Int, _ byte: UInt8) -> (Bool, Int)? {
        var p = open + 1
        guard p < pattern.endIndex else { return nil }
        var negated = false
        if pattern[p] == UInt8(ascii: "!") || pattern[p] == UInt8(ascii: "^") { negated = true; p += 1 }
        var matched = false
        var previous: UInt8?
        var first = true
        while p < pattern.endIndex {
            var c = pattern[p]
            if c == UInt8(ascii: "]") && !first { return (matched != negated, p) }
            first = false
            if c == backslash {
                p += 1
                guard p < pattern.endIndex else { return nil }
                c = pattern[p]
                if byte == c { matched = true }
                previous = c
            } else if c == UInt8(ascii: "-"), let low = previous, p + 1 < pattern.endIndex, pattern[p + 1] != UInt8(ascii: "]") {
                p += 1
                var high = pattern[p]
                if high == backslash {
                    p += 1
                    guard p < pattern.endIndex else { return nil }
                    high = pattern[p]
                }
                if low <= byte && byte <= high { matched = true }
                previous = nil
            } else if c == UInt8(ascii: "["), p + 1 < pattern.endIndex, pattern[p + 1] == UInt8(ascii: ":") {
                guard let close = pattern[(p + 2)...].firstIndex(of: UInt8(ascii: "]")), pattern[close - 1] == UInt8(ascii: ":") else {
                    if byte == c { matched = true }
                    previous = c
                    p += 1
                    continue
                }
                let name = String(decoding: pattern[(p + 2)..<(close - 1)], as: UTF8.self)
                guard let test = Self.posixClasses[name] else { return nil }
                if test(byte) { matched = true }
                previous = nil
                p = close
            } else {
                if byte == c { matched = true }
                previous = c
            }
            p += 1
        }
        return nil
    }

    private static let posixClasses: [String: @Sendable (UInt8) -> Bool] = [
        "alnum": { isalnum(Int32($0)) != 0 }, "alpha": { isalpha(Int32($0)) != 0 }, "blank": { $0 == 0x20 || $0 == 0x09 },
        "cntrl": { iscntrl(Int32($0)) != 0 }, "digit": { isdigit(Int32($0)) != 0 }, "graph": { isgraph(Int32($0)) != 0 },
        "lower": { islower(Int32($0)) != 0 }, "print": { isprint(Int32($0)) != 0 }, "punct": { ispunct(Int32($0)) != 0 },
        "space": { isspace(Int32($0)) != 0 }, "upper": { isupper(Int32($0)) != 0 }, "xdigit": { isxdigit(Int32($0)) != 0 },
    ]
}
