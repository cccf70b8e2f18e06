import Foundation

/// The text gorch puts into a git hook, and the byte-level editing of hook files around it.
///
/// The section is inserted right after the shebang line (at the top of a file without one), not
/// appended: a hook that ends with `exit 0`, `exec ...`, or bd's `# --- BEGIN BEADS INTEGRATION`
/// section (which may `exit` with bd's status) would never reach an appended section. gorch's
/// section cannot stop the rest of the script: it ends in `|| true`, reads nothing from stdin
/// (`</dev/null`, so a `post-rewrite` script after it still gets git's list of rewritten commits)
/// and sets nothing. `hooks/<name>` in the repository shows the text, with `@GORCH_PATH@` where the
/// absolute path of gorch goes.
public enum HookSection {
    public static let begin = "# --- BEGIN GORCH ---"
    public static let end = "# --- END GORCH ---"
    /// What the templates in `hooks/` show in place of the absolute path of gorch.
    public static let pathPlaceholder = "@GORCH_PATH@"
    /// The first line of a hook file gorch creates.
    public static let shebang = "#!/bin/sh\n"

    /// The marked section (whole lines, ending in a newline) that runs `gorch hook <name> "$@"`
    /// with the gorch at `gorchPath`, else a `gorch` on PATH, never failing the hook.
    public static func text(hook: String, gorchPath: String) -> String {
        let gorch = ShellQuoting.quote(gorchPath)
        return """
            \(begin)
            # Installed by `gorch hooks install` (removed by `gorch hooks uninstall`): reconciles gorch's
            # tasks after this git command. Never fails the hook; GORCH_SKIP_HOOKS=1 skips it.
            if [ -x \(gorch) ]; then \(gorch) hook \(hook) "$@" </dev/null || true
            elif command -v gorch >/dev/null 2>&1; then gorch hook \(hook) "$@" </dev/null || true
            fi
            \(end)

            """
    }

    /// A new hook file: the shebang and the section (what `hooks/<name>` holds, with the placeholder).
    public static func newFile(hook: String, gorchPath: String) -> String {
        shebang + text(hook: hook, gorchPath: gorchPath)
    }

    // MARK: byte editing

    /// The range of lines from the begin marker through the end marker (and its newline).
    static func range(in bytes: [UInt8]) -> Range<Int>? {
        let lines = lineRanges(bytes)
        guard let first = lines.firstIndex(where: { lineText(bytes, $0) == begin }) else { return nil }
        guard let last = lines[first...].firstIndex(where: { lineText(bytes, $0) == end }) else { return nil }
        return lines[first].lowerBound..<lines[last].upperBound
    }

    static func contains(_ bytes: [UInt8]) -> Bool { range(in: bytes) != nil }

    /// The file without gorch's section (unchanged when it has none).
    static func strip(_ bytes: [UInt8]) -> [UInt8] {
        guard let range = range(in: bytes) else { return bytes }
        var result = bytes
        result.removeSubrange(range)
        return result
    }

    /// The file with `section` in place of the existing section, or inserted after the shebang line.
    static func install(_ section: String, into bytes: [UInt8]) -> [UInt8] {
        let sectionBytes = Array(section.utf8)
        if let range = range(in: bytes) {
            var result = bytes
            result.replaceSubrange(range, with: sectionBytes)
            return result
        }
        guard bytes.starts(with: Array("#!".utf8)) else { return sectionBytes + bytes }
        let lines = lineRanges(bytes)
        let shebangEnd = lines.first?.upperBound ?? bytes.count
        var head = Array(bytes[..<shebangEnd])
        if head.last != UInt8(ascii: "\n") { head.append(UInt8(ascii: "\n")) }
        return head + sectionBytes + bytes[shebangEnd...]
    }

    /// The absolute gorch path the section runs, read back from an installed section.
    static func gorchPath(in bytes: [UInt8]) -> String? {
        guard let range = range(in: bytes),
              let text = String(bytes: bytes[range], encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("if [ -x ") {
            let rest = line.dropFirst("if [ -x ".count)
            guard let close = rest.range(of: " ]; then ") else { return nil }
            return unquote(String(rest[..<close.lowerBound]))
        }
        return nil
    }

    /// Whether a file with this content is run by a POSIX-compatible shell, so shell text can be
    /// inserted: no shebang (git runs such a hook with /bin/sh), or a shebang naming a shell.
    static func isShellScript(_ bytes: [UInt8]) -> Bool {
        guard bytes.starts(with: Array("#!".utf8)) else { return true }
        let first = lineRanges(bytes).first.map { lineText(bytes, $0) } ?? ""
        var words = first.dropFirst(2).split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard !words.isEmpty else { return false }
        if (words[0] as NSString).lastPathComponent == "env" {
            words.removeFirst()
            while let word = words.first, word.hasPrefix("-") || word.contains("=") { words.removeFirst() }
        }
        guard let interpreter = words.first else { return false }
        return ["sh", "bash", "dash", "zsh", "ksh", "mksh", "ash", "busybox"].contains((interpreter as NSString).lastPathComponent)
    }

    /// The shebang line of a file, for messages.
    static func shebangLine(_ bytes: [UInt8]) -> String? {
        guard bytes.starts(with: Array("#!".utf8)), let first = lineRanges(bytes).first else { return nil }
        return lineText(bytes, first)
    }

    private static func unquote(_ word: String) -> String {
        guard word.hasPrefix("'"), word.hasSuffix("'"), word.count >= 2 else { return word }
        return String(word.dropFirst().dropLast()).replacingOccurrences(of: "'\\''", with: "'")
    }

    /// Each line's byte range, its newline included.
    private static func lineRanges(_ bytes: [UInt8]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            ranges.append(start..<(index + 1))
            start = index + 1
        }
        if start < bytes.count { ranges.append(start..<bytes.count) }
        return ranges
    }

    /// A line's text without its newline (and a carriage return before it).
    private static func lineText(_ bytes: [UInt8], _ range: Range<Int>) -> String {
        var slice = bytes[range]
        if slice.last == UInt8(ascii: "\n") { slice = slice.dropLast() }
        if slice.last == UInt8(ascii: "\r") { slice = slice.dropLast() }
        return String(decoding: slice, as: UTF8.self)
    }
}
