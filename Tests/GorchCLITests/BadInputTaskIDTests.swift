import Foundation
import GorchTestSupport
import Testing

/// What a refused command must leave as it was: refs, worktrees, the repository config, gorch's
/// own state under the common git dir (task store, journal, reservations, ports; not its logs,
/// lock files or the validation worktree), the main checkout's status and any `.beads/` state.
struct BadInputSnapshot: Equatable, CustomStringConvertible {
    var refs: String
    var worktrees: String
    var config: Data
    var status: String
    var files: [String: Data]

    init(_ repo: String) throws {
        refs = try Shell.runGit(["for-each-ref", "--format=%(refname) %(objectname)"], cwd: repo).stdout
        worktrees = try Shell.runGit(["worktree", "list", "--porcelain"], cwd: repo).stdout
        let gitDir = try Shell.git(["rev-parse", "--absolute-git-dir"], cwd: repo)
        config = FileManager.default.contents(atPath: gitDir + "/config") ?? Data()
        status = try Shell.runGit(["status", "--porcelain", "-uall"], cwd: repo).stdout
        files = Self.files(under: gitDir + "/gorch", skipping: ["logs", "locks", "validate"])
            .merging(Self.files(under: repo + "/.beads", skipping: [])) { a, _ in a }
    }

    /// Every regular file below `root` (by path relative to it), without the named top folders
    /// and lock files (`*.lock`, and gorch's repository lock `lock`, which stays, empty, once made).
    static func files(under root: String, skipping: Set<String>) -> [String: Data] {
        var result: [String: Data] = [:]
        guard let walker = FileManager.default.enumerator(atPath: root) else { return result }
        while let relative = walker.nextObject() as? String {
            let top = relative.split(separator: "/").first.map(String.init) ?? relative
            if skipping.contains(top) || relative.hasSuffix(".lock") || relative == "lock" { continue }
            let path = root + "/" + relative
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                result[root + ":" + relative] = FileManager.default.contents(atPath: path) ?? Data()
            }
        }
        return result
    }

    var description: String { "refs:\n\(refs)\nworktrees:\n\(worktrees)\nstatus:\n\(status)\nfiles: \(files.keys.sorted())" }
}

/// The error document of a refused command: kind, and a message and hint that contain `fragments`.
func expectRefusal(_ result: ShellResult, exit status: Int32, kind: String, message fragments: [String] = [],
                   hint hintFragments: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) throws {
    #expect(result.status == status, "exit \(result.status): \(result.stdout) \(result.stderr)", sourceLocation: sourceLocation)
    let error = try errorObject(result, sourceLocation: sourceLocation)
    #expect(error["kind"] as? String == kind, "\(error)", sourceLocation: sourceLocation)
    let message = error["message"] as? String ?? ""
    let hint = error["hint"] as? String ?? ""
    for fragment in fragments {
        #expect(message.contains(fragment), "message \(message.debugDescription) lacks \(fragment.debugDescription)",
                sourceLocation: sourceLocation)
    }
    #expect(!hint.isEmpty, "no hint: \(error)", sourceLocation: sourceLocation)
    for fragment in hintFragments {
        #expect(hint.contains(fragment), "hint \(hint.debugDescription) lacks \(fragment.debugDescription)", sourceLocation: sourceLocation)
    }
}

/// Task ids gorch refuses, given to every command that takes one (LifecycleInitAddTests covers
/// start and add for more ids; this adds done, merge and run, 300 characters, and checks that
/// nothing in the repository changes).
@Suite("bad input: task ids", .timeLimit(.minutes(20)))
struct BadInputTaskIDTests {
    /// An id and what the message must say about it.
    static let ids: [(id: String, problem: String)] = [
        ("feature/login", "contains '/'"),
        ("a..b", "contains '..'"),
        ("has space", "contains a space"),
        ("new\nline", "contains a newline"),
        ("tâche", "contains U+E2"),
        ("-rf", "starts with '-'"),
        (String(repeating: "x", count: 300), "300 bytes long; the limit is 64"),
    ]

    /// A project with a started task that has a commit, and a planned one.
    static func project(label: String = #function) throws -> TaskProject {
        let project = try TaskProject(label: label)
        try project.agent("live", ["live.txt": "work\n"], done: false)
        try project.gorch("add", "later", "--title", "Later")
        return project
    }

    @Test("start, add, done, merge and run refuse each bad id with exit 2 naming it; nothing changes", arguments: 0..<ids.count)
    func refusedEverywhere(index: Int) throws {
        let (id, problem) = Self.ids[index]
        let project = try Self.project()
        let before = try BadInputSnapshot(project.path)
        let shown = String(id.replacingOccurrences(of: "\n", with: "\\n").prefix(60))
        let commands: [[String]] = [
            ["start", "--json", "--", id], ["add", "--json", "--", id], ["done", "--json", "--", id],
            ["merge", "--json", "--", id], ["merge", "--json", "--", "live", id],
        ] + (id.contains(" ") ? [] : [["add", "ok", "--after=" + id, "--json"]])  // --after splits at spaces
        for arguments in commands {
            let result = try runGorch(arguments, cwd: project.path)
            try expectRefusal(result, exit: 2, kind: "usage", message: ["invalid task id '\(shown)", problem],
                              hint: ["letters, digits"])
        }
        // run: the id comes before `--`, so one starting with '-' cannot be given; the usage error names it.
        let run = try runGorch(["run", id, "--json", "--", "sh", "-c", "touch ran"], cwd: project.path)
        if id.hasPrefix("-") {
            try expectRefusal(run, exit: 2, kind: "usage", message: ["'\(id)' is not an option, and a task id cannot start with '-'"])
            let start = try runGorch(["start", id], cwd: project.path)
            #expect(start.status == 2 && start.stderr.contains("'\(id)' is not an option"), "\(start.stderr)")
        } else {
            try expectRefusal(run, exit: 2, kind: "usage", message: ["invalid task id", problem])
        }
        // Human mode: the same message on stderr, nothing on stdout.
        let human = try runGorch(["done", "--", id], cwd: project.path)
        #expect(human.status == 2 && human.stdout.isEmpty)
        #expect(human.stderr.hasPrefix("error: invalid task id") && human.stderr.contains("\nhint: "), "\(human.stderr)")
        #expect(try BadInputSnapshot(project.path) == before)
        #expect(!project.exists("ran") && !project.exists(".worktrees/wt-live/ran"))
    }

    @Test("a newline or escape in an id is shown escaped, on one line")
    func controlCharactersAreVisible() throws {
        let project = try Self.project()
        let result = try runGorch(["start", "--", "a\nb\u{1B}[31m"], cwd: project.path)
        #expect(result.status == 2)
        let first = result.stderr.split(separator: "\n").first.map(String.init) ?? ""
        #expect(first.contains("'a\\nb\\u{1b}[31m'"), "\(result.stderr.debugDescription)")
        #expect(!result.stderr.contains("\u{1B}"))
    }
}
