/// RFC 8259 string escaping, shared by every JSON gorch writes by hand (the `--json` documents
/// and `.claude/settings.json`): quote, backslash and control characters (DEL too) escaped;
/// everything else, `/` and non-ASCII included, verbatim UTF-8 so paths stay readable.
public enum JSONString {
    public static func write(_ text: String, to out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case let control where control.value < 0x20 || control.value == 0x7F:
                let hex = String(control.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
