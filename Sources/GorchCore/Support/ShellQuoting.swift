/// Turning values into shell words, for the placeholders of `--validate`, `--run` and setup
/// commands (DESIGN.md: tracker values never reach shell text unescaped).
public enum ShellQuoting {
    /// One POSIX shell word that means exactly `value`: single-quoted, with embedded single
    /// quotes written as '\''.
    public static func quote(_ value: String) -> String {
        if isInert(value) { return value }
        return "'" + value.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Replaces `{name}` placeholders with their shell-quoted values; unknown `{...}` text is
    /// left alone (it may be shell syntax such as `${HOME}` or a brace expansion).
    ///
    /// The command is read as sh reads it, so a value never becomes shell syntax whatever the
    /// placeholder is written in, also when the text is a script handed to another shell:
    /// - unquoted (`echo {title}`): one quoted word, `quote(value)`; exact.
    /// - inside single quotes, or double quotes without `$` or backticks: the quoted text is
    ///   itself expanded as a script (it is one when handed to `sh -c` or `bash -lc`), then
    ///   escaped for the quotes. So `sh -c 'echo {title}'` (and every word of `gorch run -- ...`
    ///   holding a placeholder) is exact, and `echo '{title}'` prints the quoted word: safe,
    ///   with the quotes.
    /// - in a comment, after a backslash, inside backticks, `${...}`, `$'...'` or double
    ///   quotes with `$`/backticks, or after a here-document operator (`<<`), where the rules
    ///   are harder to follow: a value that needs quoting is not substituted at all; the
    ///   placeholder stays as written.
    /// Values of letters, digits and `-_./,:@%+=` need no quoting and are substituted as they
    /// are everywhere (outside comments), so `'{id}'` still reads the id.
    public static func expand(_ command: String, _ values: [String: String]) -> String {
        var scanner = Scanner(text: Array(command), values: values)
        scanner.run()
        return scanner.output
    }

    /// Whether `value` means itself as an unquoted shell word in every context.
    static func isInert(_ value: String) -> Bool {
        !value.isEmpty && value.unicodeScalars.allSatisfy(isSafe)
    }

    private static func isSafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "-", "_", ".", "/", ",", ":", "@", "%", "+", "=": true
        default: false
        }
    }

    /// The text of a double-quoted string as the shell reads it (`\$`, `` \` ``, `\"`, `\\`
    /// unescaped, `\` + newline removed).
    static func unescapeDoubleQuoted(_ text: [Character]) -> [Character] {
        var result: [Character] = []
        var index = 0
        while index < text.count {
            if text[index] == "\\", index + 1 < text.count, "$`\"\\\n".contains(text[index + 1]) {
                if text[index + 1] != "\n" { result.append(text[index + 1]) }
                index += 2
            } else {
                result.append(text[index])
                index += 1
            }
        }
        return result
    }

    /// Text that reads as `text` between double quotes.
    static func escapeDoubleQuoted(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if "\\$`\"".contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }

    /// A small POSIX sh lexer: enough of quoting, `$(...)`, backticks, `${...}`, comments and
    /// here-documents to know where each placeholder stands.
    private struct Scanner {
        enum Frame {
            /// Top level, or inside `$(...)`: `parens` counts `(` opened inside it.
            case unquoted(parens: Int)
            /// Double quotes holding `$` or backticks: its literal parts are opaque.
            case double
            case backtick
            /// `${...}`: `depth` counts nested braces.
            case braces(depth: Int)
        }

        let text: [Character]
        let values: [String: String]
        var output = ""
        var index = 0
        var frames: [Frame] = [.unquoted(parens: 0)]
        /// A `<<` was seen: from the next newline on everything is opaque.
        var hereDocumentPending = false

        init(text: [Character], values: [String: String]) {
            self.text = text
            self.values = values
        }

        mutating func run() {
            while index < text.count {
                if text[index] == "\n", hereDocumentPending {
                    opaqueRest()
                    return
                }
                if substitute(unquoted: frames.count == 1 || isUnquotedFrame) { continue }
                switch frames.last ?? .unquoted(parens: 0) {
                case .unquoted(let parens): unquoted(parens: parens)
                case .double: doubleQuoted()
                case .backtick:
                    if text[index] == "\\" { copy(2); continue }
                    if text[index] == "`" { frames.removeLast() }
                    copy()
                case .braces(let depth):
                    if text[index] == "\\" { copy(2); continue }
                    if text[index] == "{" { frames[frames.count - 1] = .braces(depth: depth + 1) }
                    if text[index] == "}" {
                        if depth == 0 { frames.removeLast() } else { frames[frames.count - 1] = .braces(depth: depth - 1) }
                    }
                    copy()
                }
            }
        }

        var isUnquotedFrame: Bool {
            if case .unquoted? = frames.last { return true }
            return false
        }

        /// A placeholder at `index`: writes its value (quoted when `unquoted`, else only an
        /// inert one, else the placeholder as it is) and moves past it.
        mutating func substitute(unquoted: Bool) -> Bool {
            guard text[index] == "{", let (value, end) = placeholder(at: index) else { return false }
            if ShellQuoting.isInert(value) {
                output += value
            } else if unquoted {
                output += ShellQuoting.quote(value)
            } else {
                output += String(text[index...end])
            }
            index = end + 1
            return true
        }

        /// `{name}` at `start` with a known name: its value and the index of `}`.
        func placeholder(at start: Int) -> (value: String, end: Int)? {
            var end = start + 1
            while end < text.count, text[end] != "}" {
                if text[end] == "{" || end - start > 40 { return nil }
                end += 1
            }
            guard end < text.count, let value = values[String(text[(start + 1)..<end])] else { return nil }
            return (value, end)
        }

        func next(_ offset: Int = 1) -> Character? {
            index + offset < text.count ? text[index + offset] : nil
        }

        /// Copies `count` characters to the output.
        mutating func copy(_ count: Int = 1) {
            let end = min(index + count, text.count)
            output += String(text[index..<end])
            index = end
        }

        mutating func unquoted(parens: Int) {
            let character = text[index]
            switch character {
            case "\\":
                // An escaped `{` is not a placeholder: copy both characters.
                copy(2)
            case "'":
                singleQuoted()
            case "\"":
                doubleQuotedStart()
            case "`":
                frames.append(.backtick)
                copy()
            case "$" where next() == "(":
                frames.append(.unquoted(parens: 0))
                copy(2)
            case "$" where next() == "{":
                frames.append(.braces(depth: 0))
                copy(2)
            case "$" where next() == "'":
                ansiQuoted()
            case "(":
                if frames.count > 1 { frames[frames.count - 1] = .unquoted(parens: parens + 1) }
                copy()
            case ")":
                if frames.count > 1 {
                    if parens == 0 { frames.removeLast() } else { frames[frames.count - 1] = .unquoted(parens: parens - 1) }
                }
                copy()
            case "#" where startsWord():
                while index < text.count, text[index] != "\n" { copy() }
            case "<" where next() == "<":
                hereDocumentPending = true
                copy(2)
            default:
                copy()
            }
        }

        /// Inside double quotes with `$` or backticks.
        mutating func doubleQuoted() {
            switch text[index] {
            case "\\": copy(2)
            case "\"":
                frames.removeLast()
                copy()
            case "`":
                frames.append(.backtick)
                copy()
            case "$" where next() == "(":
                frames.append(.unquoted(parens: 0))
                copy(2)
            case "$" where next() == "{":
                frames.append(.braces(depth: 0))
                copy(2)
            default: copy()
            }
        }

        /// At an opening `'`: the quoted text is expanded as a script of its own, then quoted
        /// again (each `'` as `'\''`).
        mutating func singleQuoted() {
            var end = index + 1
            while end < text.count, text[end] != "'" { end += 1 }
            var inner = Scanner(text: Array(text[(index + 1)..<min(end, text.count)]), values: values)
            inner.run()
            output += "'" + inner.output.replacingOccurrences(of: "'", with: "'\\''")
            if end < text.count { output += "'" }
            index = end + 1
        }

        /// At an opening `"`: without `$` or backticks inside, the text is expanded as a script
        /// of its own and escaped again; otherwise its literal parts are opaque.
        mutating func doubleQuotedStart() {
            var end = index + 1
            while end < text.count, text[end] != "\"" {
                if text[end] == "$" || text[end] == "`" {
                    frames.append(.double)
                    copy()
                    return
                }
                end += text[end] == "\\" ? 2 : 1
            }
            let literal = ShellQuoting.unescapeDoubleQuoted(Array(text[(index + 1)..<min(end, text.count)]))
            var inner = Scanner(text: literal, values: values)
            inner.run()
            output += "\"" + ShellQuoting.escapeDoubleQuoted(inner.output)
            if end < text.count { output += "\"" }
            index = end + 1
        }

        /// `$'...'` (bash, and sh on some systems): backslash escapes inside; opaque.
        mutating func ansiQuoted() {
            copy(2)
            while index < text.count, text[index] != "'" {
                if text[index] == "\\" { copy(2); continue }
                if substitute(unquoted: false) { continue }
                copy()
            }
            copy()
        }

        /// After a here-document starts: only inert values are substituted.
        mutating func opaqueRest() {
            while index < text.count {
                if substitute(unquoted: false) { continue }
                copy()
            }
        }

        /// Whether the character at `index` begins a word (so `#` starts a comment).
        func startsWord() -> Bool {
            guard index > 0 else { return true }
            let previous = text[index - 1]
            return previous.isWhitespace || ";&|()<>".contains(previous)
        }
    }
}
