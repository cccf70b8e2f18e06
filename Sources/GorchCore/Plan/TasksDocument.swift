/// An OpenSpec change's tasks.md, parsed (contracts.md section 3; DESIGN.md `plan`, `populate`).
///
/// Where gorch reads the file as OpenSpec does:
/// - a task is a line matching OpenSpec's own regex (`src/utils/task-progress.ts`)
///   `/^\s*[-*]\s*\[([\sxX])\]\s*(.*)/`: any indentation, `-` or `*`, `[x]`/`[X]` done, any one
///   whitespace character in the box open. Indented checkboxes (sub-items) are tasks of their own,
///   as OpenSpec counts them. `\s` is JavaScript's set, Unicode spaces and the BOM included.
///
/// Where gorch deliberately differs:
/// - OpenSpec counts checkboxes even inside code fences; gorch skips fenced blocks (``` and ~~~,
///   CommonMark's rules: any indentation here, closed by the same character at least as long, an
///   unclosed fence runs to the end of the file), so an example in a task's notes is not a task.
///   `unchecked` can therefore be lower than OpenSpec's count.
/// - OpenSpec does not parse headings; gorch reads `## ` headings (exactly two `#`, up to three
///   spaces before them, an optional closing `#` run) as phases: `## N. Title` is phase N. A `##`
///   heading without that number (`## Phase 2: Build`, `## Notes`) is a phase titled with the whole
///   heading and numbered one more than the heading before it (the first one: 1). `#` and `###`+
///   headings do not start phases. A heading with no task under it is not a phase (it is dropped).
///   Tasks before the first `##` heading make phase 0, titled "", present only when there are some.
///   Two headings with the same number stay two phases.
///
/// Numbers: a task's number is the `N.M` or `N.M.K` token that starts its text (a trailing `.`
/// allowed: `1.2.` reads as "1.2"); a task without one gets "P.K", its phase number and its
/// position in the phase (1-based, counting every task of the phase). Numbers are not checked for
/// uniqueness: two tasks with the same number (written twice, or a generated one equal to a written
/// one) are both kept, in file order; `tick` ticks the first.
///
/// Annotations, at the end of a task line in any order (each `(...)` group is peeled off from the
/// right while it is one of these):
/// - `(Files: a.py, web/*.js)`: "Files:" in any case; comma-separated, trimmed, surrounding
///   backticks removed, empty entries dropped. Several groups add up. An empty list is `nil`
///   (unknown scope), as no declaration is. A path cannot contain `(` or `)`: such a group is
///   left in the text (and the scope is unknown).
/// - `(after 1.2)`, `(after 1.2, 2.1)`: "after" in any case, an optional `:`, then task numbers
///   (`N.M` or `N.M.K`) separated by commas, spaces or "and". Anything else in the parentheses
///   (`(after the migration)`, `(after 2)`) is prose and stays in the text.
///
/// Lines end at LF; a CR before it is not part of the line (CRLF files parse and tick the same).
public struct TasksDocument: Sendable, Equatable {
    public struct Task: Sendable, Equatable {
        /// "1.2" as written (the text's leading number), or a generated "P.K" when the line has none.
        public let number: String
        /// The task text without the number and the `(Files: ...)` / `(after ...)` annotations.
        public let text: String
        /// From a trailing `(Files: a.py, web/*.js)`; nil = unknown scope.
        public let files: [String]?
        /// Task numbers from `(after 1.2)` / `(after 1.2, 1.3)` written in the line.
        public let after: [String]
        /// `[x]` or `[X]`.
        public let done: Bool
        /// 1-based line number in the file.
        public let line: Int

        public init(number: String, text: String, files: [String]?, after: [String], done: Bool, line: Int) {
            self.number = number
            self.text = text
            self.files = files
            self.after = after
            self.done = done
            self.line = line
        }
    }

    public struct Phase: Sendable, Equatable {
        public let number: Int
        public let title: String
        public let tasks: [Task]

        public init(number: Int, title: String, tasks: [Task]) {
            self.number = number
            self.title = title
            self.tasks = tasks
        }
    }

    public let phases: [Phase]

    public init(phases: [Phase]) {
        self.phases = phases
    }

    /// All tasks, in file order.
    public var tasks: [Task] { phases.flatMap(\.tasks) }

    public var unchecked: Int { phases.reduce(0) { $0 + $1.tasks.count { !$0.done } } }

    /// "sequential" (1-4 unchecked), "parallel-phases" (5+), "complete" (0).
    public var mode: String {
        switch unchecked {
        case 0: "complete"
        case 1...4: "sequential"
        default: "parallel-phases"
        }
    }

    /// The first task numbered `number`, if any.
    public func task(_ number: String) -> Task? {
        tasks.first { $0.number == number }
    }

    public static func parse(_ text: String) -> TasksDocument {
        TasksParser.parse(text).document
    }

    /// The text with task `number`'s box ticked: only that line's box changes (`[ ]` -> `[x]`),
    /// every other byte stays as it was (CRLF and a missing final newline too); nil when there is
    /// no such task; the text unchanged when it is already ticked. With duplicate numbers, the
    /// first task in file order is the one ticked.
    public static func tick(_ text: String, number: String) -> String? {
        let parsed = TasksParser.parse(text)
        guard let index = parsed.document.tasks.firstIndex(where: { $0.number == number }) else { return nil }
        if parsed.document.tasks[index].done { return text }
        var bytes = Array(text.utf8)
        bytes.replaceSubrange(parsed.boxes[index], with: [UInt8(ascii: "x")])
        return String(decoding: bytes, as: UTF8.self)
    }
}
