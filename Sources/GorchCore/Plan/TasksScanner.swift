/// Splits a tasks.md into the lines the parser cares about: `##` headings and checkbox lines
/// outside code fences (see `TasksDocument` for the rules).
enum TasksScanner {
    struct Item {
        enum Kind {
            /// A `## ` heading's text, trimmed, closing `#`s removed.
            case heading(String)
            /// A checkbox line: ticked or not, the text after the box, and the byte range of the
            /// character inside the box within the whole file.
            case checkbox(done: Bool, body: String, box: Range<Int>)
        }
        let line: Int
        let kind: Kind
    }

    struct Result {
        var items: [Item] = []
        /// Checkbox lines inside code fences: OpenSpec counts these, gorch does not.
        var fencedCheckboxes = 0
    }

    static func scan(_ text: String) -> Result {
        var result = Result()
        var fence: Fence?
        let lines = text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false)
        for (index, bytes) in lines.enumerated() {
            var content = Substring(bytes)
            if content.utf8.last == 0x0D { content = Substring(content.utf8.dropLast()) }
            let line = Line(content, in: text, isFirst: index == 0)
            if let open = fence {
                if line.closes(open) { fence = nil }
                else if line.checkbox() != nil { result.fencedCheckboxes += 1 }
            } else if let open = line.opensFence() {
                fence = open
            } else if let box = line.checkbox() {
                result.items.append(Item(line: index + 1, kind: .checkbox(done: box.done, body: box.body, box: box.range)))
            } else if let heading = line.heading() {
                result.items.append(Item(line: index + 1, kind: .heading(heading)))
            }
        }
        return result
    }

    struct Fence {
        let character: Unicode.Scalar
        let length: Int
    }

    /// One line without its line ending, a slice of the file's text (so indices convert to byte offsets).
    struct Line {
        typealias Scalars = Substring.UnicodeScalarView
        let text: String
        let scalars: Scalars

        init(_ content: Substring, in text: String, isFirst: Bool) {
            var scalars = content.unicodeScalars
            // A byte-order mark is not part of the first heading.
            if isFirst, scalars.first == "\u{FEFF}", scalars.dropFirst().first == "#" { scalars = Scalars(scalars.dropFirst()) }
            self.text = text
            self.scalars = scalars
        }

        /// OpenSpec's `/^\s*[-*]\s*\[([\sxX])\]\s*(.*)/`.
        func checkbox() -> (done: Bool, body: String, range: Range<Int>)? {
            var index = skip(from: scalars.startIndex, while: Self.isJavaScriptSpace)
            guard index < scalars.endIndex, scalars[index] == "-" || scalars[index] == "*" else { return nil }
            index = skip(from: scalars.index(after: index), while: Self.isJavaScriptSpace)
            guard index < scalars.endIndex, scalars[index] == "[" else { return nil }
            let markIndex = scalars.index(after: index)
            guard markIndex < scalars.endIndex else { return nil }
            let mark = scalars[markIndex]
            guard mark == "x" || mark == "X" || Self.isJavaScriptSpace(mark) else { return nil }
            let closing = scalars.index(after: markIndex)
            guard closing < scalars.endIndex, scalars[closing] == "]" else { return nil }
            let offset = text.utf8.distance(from: text.utf8.startIndex, to: markIndex)
            let bodyStart = skip(from: scalars.index(after: closing), while: Self.isJavaScriptSpace)
            return (mark == "x" || mark == "X", String(scalars[bodyStart...]), offset..<(offset + UTF8.width(mark)))
        }

        /// A `##` heading (not `#`, not `###`), up to three spaces before it.
        func heading() -> String? {
            let index = skip(from: scalars.startIndex, while: { $0 == " " })
            guard scalars.distance(from: scalars.startIndex, to: index) <= 3 else { return nil }
            var rest = scalars[index...]
            guard rest.starts(with: "##".unicodeScalars) else { return nil }
            rest = rest.dropFirst(2)
            guard rest.isEmpty || rest.first == " " || rest.first == "\t" else { return nil }
            var text = Array(rest)
            trimSpaces(&text)
            // An ATX closing sequence: a run of `#` that is the whole text or follows a space.
            if let last = text.lastIndex(where: { $0 != "#" }) {
                if last < text.count - 1, text[last] == " " || text[last] == "\t" {
                    text.removeSubrange((last + 1)...)
                }
            } else {
                text = []
            }
            trimSpaces(&text)
            var view = String.UnicodeScalarView()
            view.append(contentsOf: text)
            return String(view)
        }

        /// A fence opening: three or more backticks or tildes (an info string may follow; after
        /// backticks it may not contain a backtick, or the line is inline code).
        func opensFence() -> Fence? {
            let index = skip(from: scalars.startIndex, while: { $0 == " " || $0 == "\t" })
            guard index < scalars.endIndex, scalars[index] == "`" || scalars[index] == "~" else { return nil }
            let character = scalars[index]
            let end = skip(from: index, while: { $0 == character })
            let length = scalars.distance(from: index, to: end)
            guard length >= 3 else { return nil }
            if character == "`", scalars[end...].contains("`") { return nil }
            return Fence(character: character, length: length)
        }

        /// A closing fence for `fence`: the same character, at least as many, nothing else but spaces.
        func closes(_ fence: Fence) -> Bool {
            let index = skip(from: scalars.startIndex, while: { $0 == " " || $0 == "\t" })
            let end = skip(from: index, while: { $0 == fence.character })
            guard scalars.distance(from: index, to: end) >= fence.length else { return false }
            return skip(from: end, while: { $0 == " " || $0 == "\t" }) == scalars.endIndex
        }

        private func skip(from start: Scalars.Index, while matches: (Unicode.Scalar) -> Bool) -> Scalars.Index {
            var index = start
            while index < scalars.endIndex && matches(scalars[index]) { index = scalars.index(after: index) }
            return index
        }

        private func trimSpaces(_ text: inout [Unicode.Scalar]) {
            while let last = text.last, last == " " || last == "\t" { text.removeLast() }
            while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        }

        /// JavaScript's `\s` (ECMA-262 WhiteSpace and LineTerminator), which OpenSpec's regex uses.
        static func isJavaScriptSpace(_ scalar: Unicode.Scalar) -> Bool {
            switch scalar.value {
            case 0x09...0x0D, 0x20, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF: true
            default: false
            }
        }
    }
}
