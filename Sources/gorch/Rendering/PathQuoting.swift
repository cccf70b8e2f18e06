import GitKit

/// Paths in human output, quoted as git quotes them with `core.quotePath=false`: a path with a
/// control character (newline, tab...), a `"` or a `\` is written in double quotes with C-style
/// escapes (`"new\nline.txt"`), so every path stays on one line and reads back unambiguously;
/// other paths, spaces and non-ASCII letters included, are written as they are. Bytes that are
/// not UTF-8 (a Latin-1 "caf\xe9", held as `RawPath` escapes) are written as git writes them,
/// octal in quotes: `"caf\351"`. JSON output carries paths unquoted (raw bytes as their
/// `RawPath` escape scalars, U+10FF80-U+10FFFF, so nothing is lost).
enum PathQuoting {
    static func quoted(_ path: String) -> String {
        let raw = RawPath.hasRawBytes(path)
        guard raw || path.unicodeScalars.contains(where: needsQuoting) else { return path }
        var out = "\""
        for scalar in path.unicodeScalars {
            if raw, let byte = RawPath.escapedByte(scalar) {
                out += "\\" + String(byte, radix: 8)
                continue
            }
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
