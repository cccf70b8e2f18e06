/// Turning values into shell words, for the placeholders of `--validate`, `--run` and setup
/// commands (DESIGN.md: tracker values never reach shell text unescaped).
public enum ShellQuoting {
    /// One POSIX shell word that means exactly `value`: single-quoted, with embedded single
    /// quotes written as '\''.
    public static func quote(_ value: String) -> String {
        if !value.isEmpty, value.unicodeScalars.allSatisfy(isSafe) { return value }
        return "'" + value.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Replaces `{name}` placeholders with their shell-quoted values; unknown `{...}` text is
    /// left alone (it may be shell syntax such as `${HOME}` or a brace expansion).
    public static func expand(_ command: String, _ values: [String: String]) -> String {
        var result = ""
        var rest = Substring(command)
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            let afterOpen = rest.index(after: open)
            if let close = rest[afterOpen...].firstIndex(of: "}"),
               let value = values[String(rest[afterOpen..<close])],
               open == rest.startIndex || rest[rest.index(before: open)] != "$" {
                result += quote(value)
                rest = rest[rest.index(after: close)...]
            } else {
                result += "{"
                rest = rest[afterOpen...]
            }
        }
        return result + rest
    }

    private static func isSafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "-", "_", ".", "/", ",", ":", "@", "%", "+", "=": true
        default: false
        }
    }
}
