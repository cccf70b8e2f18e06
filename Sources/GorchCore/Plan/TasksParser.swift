/// Builds a `TasksDocument` from the scanner's headings and checkbox lines (rules in `TasksDocument`).
enum TasksParser {
    struct Parsed {
        let document: TasksDocument
        /// Per task, in file order: the byte range of the character inside its box.
        let boxes: [Range<Int>]
    }

    static func parse(_ text: String) -> Parsed {
        parse(TasksScanner.scan(text))
    }

    static func parse(_ scan: TasksScanner.Result) -> Parsed {
        var phases: [TasksDocument.Phase] = []
        var boxes: [Range<Int>] = []
        var current: (number: Int, title: String, tasks: [TasksDocument.Task])?
        var previousHeading = 0

        func finishPhase() {
            if let phase = current, !phase.tasks.isEmpty {
                phases.append(.init(number: phase.number, title: phase.title, tasks: phase.tasks))
            }
            current = nil
        }

        for item in scan.items {
            switch item.kind {
            case .heading(let heading):
                finishPhase()
                let (number, title) = numberedHeading(heading) ?? (previousHeading + 1, heading)
                previousHeading = number
                current = (number, title, [])
            case .checkbox(let done, let body, let box):
                if current == nil { current = (0, "", []) }
                let position = current!.tasks.count + 1
                current!.tasks.append(task(body, done: done, line: item.line, phase: current!.number, position: position))
                boxes.append(box)
            }
        }
        finishPhase()
        return Parsed(document: TasksDocument(phases: phases), boxes: boxes)
    }

    /// `N. Title` (N an integer that fits an Int, then `.`, then a space or the end).
    static func numberedHeading(_ heading: String) -> (Int, String)? {
        let digits = heading.prefix { $0.isASCII && $0.isNumber }
        let rest = heading[digits.endIndex...]
        guard !digits.isEmpty, let number = Int(digits), rest.first == "." else { return nil }
        let title = rest.dropFirst()
        guard title.isEmpty || title.first == " " || title.first == "\t" else { return nil }
        return (number, title.trimmingSpaces())
    }

    static func task(_ body: String, done: Bool, line: Int, phase: Int, position: Int) -> TasksDocument.Task {
        var rest = Substring(body).trimmingSpaces()[...]
        var number = "\(phase).\(position)"
        if let written = leadingNumber(rest) {
            number = String(written.number)
            rest = rest[written.end...].drop { $0.isWhitespace }
        }
        var files: [String] = []
        var after: [String] = []
        var declaresFiles = false
        // Peel `(...)` groups off the end while they are annotations.
        while rest.last == ")", let open = rest.lastIndex(of: "(") {
            let inner = rest[rest.index(after: open)..<rest.index(before: rest.endIndex)]
            if let list = filesAnnotation(inner) {
                files = list + files
                declaresFiles = true
            } else if let list = afterAnnotation(inner) {
                after = list + after
            } else {
                break
            }
            rest = rest[..<open].trimmingSpaces()[...]
        }
        return .init(number: number, text: rest.trimmingSpaces(), files: declaresFiles && !files.isEmpty ? files : nil,
                     after: after, done: done, line: line)
    }

    /// A leading `N.M` or `N.M.K` token (a trailing `.` allowed), followed by whitespace or the end.
    static func leadingNumber(_ text: Substring) -> (number: Substring, end: Substring.Index)? {
        guard let end = numberEnd(text, from: text.startIndex) else { return nil }
        var after = end
        if after < text.endIndex, text[after] == "." { after = text.index(after: after) }
        guard after == text.endIndex || text[after].isWhitespace else { return nil }
        return (text[..<end], after)
    }

    /// Where an `N.M` or `N.M.K` number starting at `start` ends, or nil when there is none.
    private static func numberEnd(_ text: Substring, from start: Substring.Index) -> Substring.Index? {
        var index = start
        var groups = 0
        while true {
            let digitsStart = index
            while index < text.endIndex, text[index].isASCII, text[index].isNumber { index = text.index(after: index) }
            if index == digitsStart { return nil }
            groups += 1
            guard groups < 3, index < text.endIndex, text[index] == ".",
                  text.index(after: index) < text.endIndex, text[text.index(after: index)].isASCII,
                  text[text.index(after: index)].isNumber else { break }
            index = text.index(after: index)
        }
        return groups >= 2 ? index : nil
    }

    /// A whole `N.M` or `N.M.K` token.
    static func isTaskNumber(_ text: Substring) -> Bool {
        numberEnd(text, from: text.startIndex) == text.endIndex
    }

    /// `Files: a, b` (any case) -> the trimmed, non-empty entries.
    static func filesAnnotation(_ inner: Substring) -> [String]? {
        let trimmed = inner.trimmingSpaces()
        guard trimmed.lowercased().hasPrefix("files:") else { return nil }
        return trimmed.dropFirst(6).split(separator: ",", omittingEmptySubsequences: false).compactMap { entry in
            var path = entry.trimmingSpaces()[...]
            if path.count >= 2, path.first == "`", path.last == "`" { path = path.dropFirst().dropLast() }
            let result = path.trimmingSpaces()
            return result.isEmpty ? nil : result
        }
    }

    /// `after 1.2, 2.1` (any case, optional `:`, separators `,`, spaces, "and") -> the numbers;
    /// nil when anything in it is not a task number.
    static func afterAnnotation(_ inner: Substring) -> [String]? {
        let trimmed = inner.trimmingSpaces()
        guard trimmed.lowercased().hasPrefix("after") else { return nil }
        var list = trimmed.dropFirst(5)
        if list.first == ":" {
            list = list.dropFirst()
        } else {
            guard let first = list.first, first.isWhitespace else { return nil }  // "afterwards ..."
        }
        let words = list.split { $0 == "," || $0.isWhitespace }.filter { $0.lowercased() != "and" }
        guard !words.isEmpty, words.allSatisfy(isTaskNumber) else { return nil }
        return words.map(String.init)
    }
}

fileprivate extension StringProtocol {
    /// The text without leading and trailing whitespace.
    func trimmingSpaces() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }),
              let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[first...last])
    }
}
