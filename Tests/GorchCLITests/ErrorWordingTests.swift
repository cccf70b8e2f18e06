import Foundation
import GorchTestSupport
import Testing

/// Errors are worded in one place (`Sources/gorch/Rendering/ErrorReport.swift` and its
/// extensions), every error type thrown below the CLI has a wording there, and conditions a
/// person causes are reported as such, not as a gorch bug.
@Suite("errors: one wording per error type", .timeLimit(.minutes(20)))
struct ErrorWordingTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources")

    /// Public types in GitKit, Adapters and GorchCore that conform to Error: each can reach the CLI.
    static func publicErrorTypes() throws -> [String] {
        var names: [String] = []
        let declaration = try NSRegularExpression(pattern: #"public (?:final )?(?:struct|enum|class) (\w+)\s*:([^{]*)\{"#)
        for layer in ["GitKit", "Adapters", "GorchCore"] {
            let root = sources.appendingPathComponent(layer)
            let files = FileManager.default.enumerator(atPath: root.path)?.compactMap { $0 as? String } ?? []
            for file in files where file.hasSuffix(".swift") {
                let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
                let range = NSRange(text.startIndex..., in: text)
                for match in declaration.matches(in: text, range: range) {
                    guard let name = Range(match.range(at: 1), in: text).map({ String(text[$0]) }),
                          let list = Range(match.range(at: 2), in: text).map({ text[$0] }) else { continue }
                    let conformances = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
                    if conformances.contains("Error") { names.append(name) }
                }
            }
        }
        return names.sorted()
    }

    @Test("every public error type below the CLI has a case in ErrorReport")
    func everyErrorTypeIsWorded() throws {
        let types = try Self.publicErrorTypes()
        #expect(types.count >= 10, "found \(types)")
        let report = try String(contentsOf: Self.sources.appendingPathComponent("gorch/Rendering/ErrorReport.swift"), encoding: .utf8)
        for type in types {
            #expect(report.contains("as \(type):") || report.contains("as \(type) "), "\(type) has no wording in ErrorReport.init(_:)")
        }
    }

    @Test("a task branch with unrelated history: the task fails with a note, exit 1, target untouched")
    func unrelatedHistories() throws {
        let project = try TaskProject()
        #expect(try project.gorch("start", "t").status == 0)
        // An empty tree's commit: no ancestor shared with main.
        let orphan = try project.repo.git("commit-tree", "4b825dc642cb6eb9a060e54bf8d69288fbee4904", "-m", "orphan")
        try Shell.git(["reset", "-q", "--hard", orphan], cwd: project.worktree("t"))
        let before = try project.rev("main")
        let result = try runGorch(["merge", "t", "--json"], cwd: project.path)
        #expect(result.status == 1, "\(result.stdout) \(result.stderr)")
        let document = try jsonDocument(result)
        let task = try #require((document["tasks"] as? [[String: Any]])?.first)
        #expect(task["outcome"] as? String == "failed")
        #expect((task["message"] as? String)?.contains("unrelated histories") == true, "\(task)")
        #expect(!result.stdout.contains("bug in gorch"))
        #expect(try project.rev("main") == before)
        #expect(try project.state("t") == "failed")
    }

    @Test("an unknown gorch.resolve rule: exit 2 naming the key and the rules, before anything is written")
    func badResolveRule() throws {
        let project = try TaskProject()
        try project.agent("t", ["t.txt": "t\n"])
        try project.repo.git("config", "gorch.resolve.CHANGELOG", "newest")
        let result = try runGorch(["merge", "--json"], cwd: project.path)
        #expect(result.status == 2, "\(result.stdout) \(result.stderr)")
        let error = try errorObject(result)
        #expect(error["kind"] as? String == "usage")
        #expect((error["message"] as? String)?.contains("gorch.resolve.changelog") == true, "\(error)")
        #expect((error["hint"] as? String)?.contains("union") == true, "\(error)")
        #expect(!project.exists(".git/gorch/journal.json"))
        try project.repo.git("config", "--unset", "gorch.resolve.CHANGELOG")
        #expect(try project.state("t") == "ready")
    }

    /// Each `gorch.*` setting with a value gorch cannot use, and a word of what it allows.
    static let badSettings: [(key: String, value: String, allowed: String)] = [
        ("gorch.toolTimeout", "soon", "s, m or h"), ("gorch.agentTimeout", "-1", "s, m or h"),
        ("gorch.validateTimeout", "1d", "s, m or h"), ("gorch.setupTimeout", "0", "s, m or h"),
        ("gorch.agentMail.timeout", "x", "s, m or h"), ("gorch.reservationTTL", "30", "from 60 to 31536000"),
        ("gorch.portBase", "80", "1024 to 65535"), ("gorch.archive", "always", "never or auto"),
        ("gorch.tracker", "jira", "beads or embedded"), ("gorch.resolve", "docs/** newest", "union"),
        ("gorch.batch", "0", "from 1 to 1000"), ("gorch.validateLanes", "two", "from 1 to 16"),
        ("gorch.validateRetries", "11", "from 0 to 10"),
        ("gorch.agent.claude.command", " ", "shell command line"), ("gorch.agent.claude.model", "opus", "only command"),
    ]

    @Test("a bad setting: exit 2 naming the key and what it allows, whatever the command", arguments: 0..<15)
    func badSetting(_ index: Int) throws {
        let (key, value, allowed) = Self.badSettings[index]
        let project = try TaskProject(label: "bad-setting-\(index)")
        try project.repo.git("config", key, value)
        for command in [["status"], ["add", "t"]] {
            let result = try runGorch(command + ["--json"], cwd: project.path)
            #expect(result.status == 2, "\(key)=\(value): \(result.stdout) \(result.stderr)")
            let error = try errorObject(result)
            let text = "\(error["message"] ?? "") \(error["hint"] ?? "")"
            #expect(error["kind"] as? String == "usage")
            #expect(text.lowercased().contains(key.lowercased()) && text.contains(allowed), "\(key): \(text)")
        }
        #expect(!project.exists(".git/gorch/tasks.json"), "nothing written")
    }
}
