/// Paths in human output, quoted as git quotes them with `core.quotePath=false`: a path with a
/// control character (newline, tab...), a `"` or a `\` is written in double quotes with C-style
/// escapes (`"new\nline.txt"`), so every path stays on one line and reads back unambiguously;
/// other paths, spaces and non-ASCII letters included, are written as they are. JSON output
/// carries paths exactly and is never quoted.
enum PathQuoting {
    static func quoted(_ path: String) -> String {
        guard path.unicodeScalars.contains(where: needsQuoting) else { return path }
        var out = "\""
        for scalar in path.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{07}": out += "\\a"
            case "\u{08}": out += "\\b"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\u{0B}": out += "\\v"
            case "\u{0C}": out += "\\f"
            case "\r": out += "\\r"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                out += "\\" + String(repeating: "0", count: 3 - String(scalar.value, radix: 8).count) + String(scalar.value, radix: 8)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    private static func needsQuoting(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || scalar.value == 0x7F || scalar == "\"" || scalar == "\\"
    }
}
