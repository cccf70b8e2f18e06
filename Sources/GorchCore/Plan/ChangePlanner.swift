import Foundation

/// `gorch plan <change>`: the parsed tasks.md of `openspec/changes/<change>/` in a work tree.
public struct ChangePlan: Sendable {
    public let change: String
    /// The tasks.md that was read: `<root>/openspec/changes/<change>/tasks.md`.
    public let path: String
    public let document: TasksDocument
    /// Duplicate or mismatched task numbers, as OpenSpec 1.9+ reports them (`TaskNumbering`).
    public let numbering: [TaskNumbering.Issue]

    public init(change: String, path: String, document: TasksDocument, numbering: [TaskNumbering.Issue] = []) {
        self.change = change
        self.path = path
        self.document = document
        self.numbering = numbering
    }
}

/// Finds and reads an OpenSpec change's tasks.md (contracts.md section 3 for the layout).
public enum ChangePlanner {
    /// Files larger than this are refused rather than read: no real task list comes near it.
    public static let maximumSize = 10 * 1024 * 1024
    /// Change names follow the task-id character rules with a longer limit.
    public static let maximumNameLength = 100

    static let formatHint = "tasks.md lists tasks as checkboxes under numbered headings, as OpenSpec's template does: "
        + "'## 1. Group' then '- [ ] 1.1 Description (Files: a.py, web/*.js)'"

    /// Reads `<root>/openspec/changes/<change>/tasks.md` and parses it.
    ///
    /// Fails with `.usage` for an invalid change name (letters, digits, `.`, `_`, `-`; at most 100
    /// bytes; not starting with `-` or `.`; no `..`; not `archive`, which is OpenSpec's archive
    /// folder), and `.environment` when the change folder or its tasks.md is missing (the message
    /// names the path and the changes that exist), when the file is unreadable, binary (a NUL
    /// byte), not UTF-8, over 10 MB, empty (or only whitespace), or has no checkbox line outside
    /// code fences.
    public static func load(change: String, root: String) throws(GorchFailure) -> ChangePlan {
        if let problem = problem(withName: change) {
            throw GorchFailure(.usage, "invalid change name \(TaskID.quoted(change)): \(problem)",
                               hint: "a change is a folder under openspec/changes/: letters, digits, '.', '_' and '-' "
                                   + "(at most \(maximumNameLength), not starting with '-' or '.'), e.g. add-login")
        }
        let changesDirectory = join(root, "openspec/changes")
        let directory = join(changesDirectory, change)
        let path = join(directory, "tasks.md")
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false

        guard fileManager.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw GorchFailure(.environment, "no OpenSpec change '\(change)': \(directory) does not exist; \(existing(root: root))",
                               hint: "create it with 'openspec new change \(change)' (or mkdir \(directory)) and write its tasks.md; "
                                   + formatHint)
        }
        guard fileManager.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw GorchFailure(.environment, "OpenSpec change '\(change)' has no tasks.md: \(path) does not exist; \(existing(root: root))",
                               hint: "write \(path) (OpenSpec's spec-driven schema makes it after the proposal, specs and design); "
                                   + formatHint)
        }
        if isDirectory.boolValue {
            throw GorchFailure(.environment, "cannot read \(path): it is a directory", hint: "tasks.md must be a file; " + formatHint)
        }

        let data = try read(path)
        if let nul = data.firstIndex(of: 0) {
            throw GorchFailure(.environment,
                               "\(path) is binary (a NUL byte at offset \(nul - data.startIndex)), not a Markdown task list",
                               hint: formatHint)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw GorchFailure(.environment, "\(path) is not UTF-8 text", hint: "save it as UTF-8; " + formatHint)
        }
        if text.allSatisfy(\.isWhitespace) {
            throw GorchFailure(.environment, "\(path) is empty", hint: formatHint)
        }
        let scan = TasksScanner.scan(text)
        let document = TasksParser.parse(scan).document
        if document.tasks.isEmpty {
            let fenced = scan.fencedCheckboxes == 0 ? ""
                : " (\(scan.fencedCheckboxes) checkbox line\(scan.fencedCheckboxes == 1 ? " is" : "s are") inside code fences, "
                    + "which gorch does not count)"
            throw GorchFailure(.environment, "\(path) has no tasks: no '- [ ]' checkbox lines\(fenced)", hint: formatHint)
        }
        return ChangePlan(change: change, path: path, document: document, numbering: TaskNumbering.issues(in: text))
    }

    /// Names of the changes under `openspec/changes` (folders, excluding `archive` and hidden
    /// ones), sorted; empty when there is no such folder.
    public static func changes(root: String) -> [String] {
        let directory = join(root, "openspec/changes")
        let fileManager = FileManager.default
        guard let names = try? fileManager.contentsOfDirectory(atPath: directory) else { return [] }
        return names.filter { name in
            var isDirectory: ObjCBool = false
            return name != "archive" && !name.hasPrefix(".")
                && fileManager.fileExists(atPath: join(directory, name), isDirectory: &isDirectory) && isDirectory.boolValue
        }.sorted()
    }

    /// Why `name` is not a valid change name, or nil.
    static func problem(withName name: String) -> String? {
        if name.isEmpty { return "it is empty" }
        if name.utf8.count > maximumNameLength {
            return "it is \(name.utf8.count) bytes long; the limit is \(maximumNameLength)"
        }
        if let bad = name.unicodeScalars.first(where: { !isAllowed($0) }) {
            return "it contains \(describe(bad)), which is not allowed"
        }
        if name.hasPrefix("-") { return "it starts with '-', which would read as an option" }
        if name.hasPrefix(".") { return "it starts with '.'" }
        if name.contains("..") { return "it contains '..'" }
        if name == "archive" { return "openspec/changes/archive holds archived changes, not a change" }
        return nil
    }

    // Change names follow the task-id character rules (they become paths the same way).
    private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool { TaskID.isAllowed(scalar) }

    private static func describe(_ scalar: Unicode.Scalar) -> String { TaskID.describe(scalar) }

    /// "changes: a, b" or why there are none.
    private static func existing(root: String) -> String {
        let names = changes(root: root)
        if !names.isEmpty { return "existing changes: " + names.joined(separator: ", ") }
        let openspec = join(root, "openspec")
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: openspec, isDirectory: &isDirectory) {
            return "there is no OpenSpec here (\(openspec) does not exist; 'openspec init' creates it)"
        }
        return "there are no changes in \(join(root, "openspec/changes"))"
    }

    /// At most `maximumSize` bytes of the file; refuses a bigger one without reading all of it.
    private static func read(_ path: String) throws(GorchFailure) -> Data {
        let data: Data
        do {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            data = try handle.read(upToCount: maximumSize + 1) ?? Data()
        } catch {
            throw GorchFailure(.environment, "cannot read \(path): \(error.localizedDescription)",
                               hint: "check the file's permissions")
        }
        if data.count > maximumSize {
            throw GorchFailure(.environment, "\(path) is larger than 10 MB (\(maximumSize) bytes), too big for a task list",
                               hint: "split the change into smaller changes")
        }
        return data
    }

    private static func join(_ directory: String, _ component: String) -> String {
        directory.hasSuffix("/") ? directory + component : directory + "/" + component
    }
}
