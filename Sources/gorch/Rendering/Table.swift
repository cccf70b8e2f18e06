/// Plain-text columns aligned by width, with optional free-form lines under a row.
///
/// Widths are measured on the plain text, so escape codes from styling (colour) never disturb
/// alignment.
struct Table {
    struct Column {
        enum Alignment { case left, right }
        var title: String
        var alignment: Alignment = .left
    }

    struct Cell {
        var text: String
        /// Applied to the text when colour is on (e.g. Rainbow's `{ $0.red }`).
        var style: ((String) -> String)?

        /// Control characters in `text` (a title with a newline, say) are written as escapes
        /// (`\n`, `\t`, `\u{1b}`): a row is always one line, and no escape sequence reaches the terminal.
        init(_ text: String, style: ((String) -> String)? = nil) {
            self.text = Cell.visible(text)
            self.style = style
        }

        static func visible(_ text: String) -> String {
            guard text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return text }
            var out = ""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\n": out += "\\n"
                case "\t": out += "\\t"
                case "\r": out += "\\r"
                case _ where scalar.value < 0x20 || scalar.value == 0x7F: out += "\\u{\(String(scalar.value, radix: 16))}"
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out
        }
    }

    private enum Row {
        case cells([Cell])
        /// A line under the previous row, outside the columns (not counted in widths).
        case detail(String, style: ((String) -> String)?)
    }

    var columns: [Column]
    /// Spaces between columns.
    var gap = 2
    private var rows: [Row] = []

    init(columns: [Column]) {
        self.columns = columns
    }

    mutating func add(_ cells: [Cell]) {
        rows.append(.cells(cells))
    }

    mutating func addDetail(_ text: String, style: ((String) -> String)? = nil) {
        rows.append(.detail(text, style: style))
    }

    /// The header and every row, one string per line, no trailing spaces.
    func render(color: Bool) -> [String] {
        var widths = columns.map { $0.title.count }
        for case .cells(let cells) in rows {
            for (index, cell) in cells.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.text.count)
            }
        }
        var lines = [line(columns.map { Cell($0.title) }, widths: widths, color: color)]
        for row in rows {
            switch row {
            case .cells(let cells): lines.append(line(cells, widths: widths, color: color))
            case .detail(let text, let style): lines.append(color ? style?(text) ?? text : text)
            }
        }
        return lines
    }

    private func line(_ cells: [Cell], widths: [Int], color: Bool) -> String {
        var parts: [String] = []
        for (index, column) in columns.enumerated() {
            let cell = index < cells.count ? cells[index] : Cell("")
            let padding = String(repeating: " ", count: max(0, widths[index] - cell.text.count))
            let isLast = index == columns.count - 1
            // Styled before padding, so the escape codes wrap the text and not the spaces.
            let text = color ? cell.style?(cell.text) ?? cell.text : cell.text
            switch column.alignment {
            case .left: parts.append(isLast ? text : text + padding)
            case .right: parts.append(padding + text)
            }
        }
        var joined = parts.joined(separator: String(repeating: " ", count: gap))
        while joined.last == " " { joined.removeLast() }
        return joined
    }
}
