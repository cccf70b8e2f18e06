/// One line of a text file: its content and its line ending ("\n", "\r\n", or none for a last
/// line without a final newline), so resolvers can rebuild files byte for byte.
struct TextLine: Equatable {
    var content: ArraySlice<UInt8>
    var ending: ArraySlice<UInt8>

    var bytes: [UInt8] { Array(content) + Array(ending) }

    /// Splits on "\n"; a "\r" before it belongs to the ending. No trailing empty line is made for
    /// text that ends with a newline.
    static func split(_ text: [UInt8]) -> [TextLine] {
        var lines: [TextLine] = []
        var start = text.startIndex
        while start < text.endIndex {
            guard let newline = text[start...].firstIndex(of: UInt8(ascii: "\n")) else {
                lines.append(TextLine(content: text[start...], ending: []))
                break
            }
            let contentEnd = newline > start && text[newline - 1] == UInt8(ascii: "\r") ? newline - 1 : newline
            lines.append(TextLine(content: text[start..<contentEnd], ending: text[contentEnd...newline]))
            start = newline + 1
        }
        return lines
    }
}
