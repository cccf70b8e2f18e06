/// OpenSpec's task-numbering rule (1.9.0 and later, contracts-update.md section 4): `openspec
/// validate` warns, and under `--strict` rejects the change, when a task id is declared twice or
/// its leading number disagrees with the `## N.` group it sits under. gorch applies the same rule
/// itself, so `plan` reports it whether or not openspec (or which version of it) is installed, and
/// before `populate` turns ambiguous numbers into issues.
///
/// Matching follows OpenSpec's expressions (JavaScript semantics) line by line, a line being what
/// lies between two `\n` bytes (a CRLF line keeps its `\r`, as there):
/// - a level-two heading: up to three spaces, `##` not followed by `#`, then blanks, or only
///   blanks to the end; it starts a group, numbered when it reads `## N.` followed by a blank or
///   the end;
/// - a task: blanks, `-` or `*`, blanks, `[` one of space, `x`, `X` or another blank `]`, then the
///   description, trimmed;
/// - its id: digits, one or more `.digits`, optional ASCII letters, then a blank or the end
///   (`1.2`, `2.3.1`, `1.2a`); tasks without one are not checked;
/// - group numbers compare without leading zeros; ids compare as written.
/// Nothing is checked when no line is a numbered group heading.
public enum TaskNumbering {
    public struct Issue: Sendable, Equatable {
        /// 1-based line in tasks.md.
        public let line: Int
        /// OpenSpec's wording.
        public let message: String
    }

    public static func issues(in text: String) -> [Issue] {
        let lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .map { Array(String(decoding: $0, as: UTF8.self).unicodeScalars) }
        guard lines.contains(where: { numberedGroup($0) != nil }) else { return [] }
        var issues: [Issue] = []
        var firstLine: [String: Int] = [:]
        var group: String?
        for (index, line) in lines.enumerated() {
            if isLevelTwoHeading(line) { group = numberedGroup(line) }
            guard let description = taskDescription(line), let id = taskID(description) else { continue }
            let number = index + 1
            let taskGroup = String(id.prefix { $0 != "." })
            if let group, withoutLeadingZeros(taskGroup) != withoutLeadingZeros(group) {
                issues.append(Issue(line: number, message: "Task \"\(id)\" is under group \(group), but its leading number points to "
                                    + "group \(taskGroup). Move it to group \(taskGroup) or renumber it."))
            }
            if let first = firstLine[id] {
                issues.append(Issue(line: number, message: "Task ID \"\(id)\" is duplicated; it was first declared on line \(first)."))
            } else {
                firstLine[id] = number
            }
        }
        return issues
    }

    /// JavaScript's `\s` (and what `String.prototype.trim` removes).
    static func isBlank(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x09...0x0D, 0x20, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF: true
        default: false
        }
    }

    private static func isSpaceOrTab(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" }

    private static func isDigit(_ c: Unicode.Scalar) -> Bool { ("0"..."9").contains(c) }

    /// Where `##` starts after at most three spaces, or nil.
    private static func hashes(_ line: [Unicode.Scalar]) -> Int? {
        var i = 0
        while i < 3, i < line.count, line[i] == " " { i += 1 }
        guard i + 1 < line.count, line[i] == "#", line[i + 1] == "#" else { return nil }
        return i + 2
    }

    /// `/^ {0,3}##(?!#)(?:[ \t]+|[ \t]*\r?$)/`
    static func isLevelTwoHeading(_ line: [Unicode.Scalar]) -> Bool {
        guard let after = hashes(line) else { return false }
        if after == line.count { return true }
        if line[after] == "#" { return false }
        if isSpaceOrTab(line[after]) { return true }
        return line[after] == "\r" && after + 1 == line.count
    }

    /// The N of `/^ {0,3}##[ \t]+(\d+)\.(?:[ \t]|\r?$)/`, as written.
    static func numberedGroup(_ line: [Unicode.Scalar]) -> String? {
        guard var i = hashes(line), i < line.count, isSpaceOrTab(line[i]) else { return nil }
        while i < line.count, isSpaceOrTab(line[i]) { i += 1 }
        let start = i
        while i < line.count, isDigit(line[i]) { i += 1 }
        guard i > start, i < line.count, line[i] == "." else { return nil }
        let next = i + 1
        let ends = next == line.count || isSpaceOrTab(line[next]) || (line[next] == "\r" && next + 1 == line.count)
        return ends ? String(String.UnicodeScalarView(line[start..<i])) : nil
    }

    /// The trimmed description of `/^\s*[-*]\s*\[([\sxX])\]\s*(.*)/`: `.` stops at `\r`,
    /// U+2028 and U+2029, JavaScript's line terminators.
    static func taskDescription(_ line: [Unicode.Scalar]) -> String? {
        var i = 0
        while i < line.count, isBlank(line[i]) { i += 1 }
        guard i < line.count, line[i] == "-" || line[i] == "*" else { return nil }
        i += 1
        while i < line.count, isBlank(line[i]) { i += 1 }
        guard i + 2 < line.count, line[i] == "[", isBlank(line[i + 1]) || line[i + 1] == "x" || line[i + 1] == "X",
              line[i + 2] == "]" else { return nil }
        i += 3
        while i < line.count, isBlank(line[i]) { i += 1 }
        var end = i
        while end < line.count, !["\r", "\n", "\u{2028}", "\u{2029}"].contains(line[end]) { end += 1 }
        var rest = line[i..<end]
        while let last = rest.last, isBlank(last) { rest = rest.dropLast() }
        return String(String.UnicodeScalarView(rest))
    }

    /// `/^(\d+(?:\.\d+)+(?:[A-Za-z]+)?)(?=\s|$)/` on a description.
    static func taskID(_ description: String) -> String? {
        let s = Array(description.unicodeScalars)
        var i = 0
        while i < s.count, isDigit(s[i]) { i += 1 }
        guard i > 0 else { return nil }
        var parts = 0
        while i + 1 < s.count, s[i] == ".", isDigit(s[i + 1]) {
            i += 1
            while i < s.count, isDigit(s[i]) { i += 1 }
            parts += 1
        }
        guard parts > 0 else { return nil }
        while i < s.count, ("A"..."Z").contains(s[i]) || ("a"..."z").contains(s[i]) { i += 1 }
        guard i == s.count || isBlank(s[i]) else { return nil }
        return String(String.UnicodeScalarView(s[..<i]))
    }

    /// `replace(/^0+(?=\d)/, '')`: "007" -> "7", "0" stays "0".
    private static func withoutLeadingZeros(_ number: String) -> String {
        var digits = Substring(number)
        while digits.count > 1, digits.first == "0", let next = digits.dropFirst().first, next.isASCII && next.isNumber {
            digits = digits.dropFirst()
        }
        return String(digits)
    }
}
