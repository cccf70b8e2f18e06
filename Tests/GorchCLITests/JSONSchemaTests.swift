import Foundation
import GorchTestSupport
import Testing

/// Every command's `--json` output, run for real when it succeeds, when it stops and when it
/// fails, matches its JSON Schema in docs/schema (runGorch checks each document it sees; these
/// rows make sure every schema is met in each outcome a command has).
@Suite("--json documents match docs/schema", .timeLimit(.minutes(20)))
struct JSONSchemaTests {
    /// Runs `gorch arguments --json` and checks the exit status and that one document came out
    /// (runGorch validated it).
    @discardableResult
    static func document(_ arguments: [String], in directory: String, status: Int32, environment: [String: String] = [:],
                         sourceLocation: SourceLocation = #_sourceLocation) throws -> ShellResult {
        let words = arguments.firstIndex(of: "--").map { Array(arguments[..<$0]) + ["--json"] + arguments[$0...] } ?? arguments + ["--json"]
        let result = try runGorch(words, cwd: directory, environment: environment, sourceLocation: sourceLocation)
        #expect(result.status == status, "gorch \(words.joined(separator: " ")): \(result.stdout) \(result.stderr)", sourceLocation: sourceLocation)
        #expect(!result.stdout.isEmpty, "gorch \(words.joined(separator: " ")) printed no document", sourceLocation: sourceLocation)
        return result
    }

    @Test("every subcommand's document has a schema, and every schema is a valid draft 2020-12 schema")
    func everyCommandHasASchema() throws {
        let help = try runGorch(["--help"]).stdout
        let list = help.components(separatedBy: "SUBCOMMANDS:").last?.components(separatedBy: "\n\n").first ?? ""
        let commands = list.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("  "), !line.hasPrefix("   ") else { return nil }
            return line.split(separator: " ").first.map(String.init)
        }
        #expect(commands.count > 10)
        let directory = SchemaValidator.packageRoot.appendingPathComponent("docs/schema").path
        var names = Set(commands.compactMap { jsonSchemaName(for: [$0, "--json"]) })
        names.formUnion(["error", "merge-abort", "conflicts-stdin", "hooks-status", "defs"])
        for name in names.sorted() {
            #expect(FileManager.default.fileExists(atPath: "\(directory)/\(name).json"), "no docs/schema/\(name).json")
            // Loading checks every schema against the metaschema; {} then fails as a document, not as a schema.
            let verdict = SchemaValidator.shared.check("{}", schema: name)
            #expect(!verdict.hasPrefix("cannot run") && !verdict.hasPrefix("no schema"), "\(name): \(verdict)")
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".json") }
        #expect(Set(files.map { String($0.dropLast(5)) }) == names, "schemas no command prints: \(files)")
    }

    @Test("a document that breaks its schema is caught")
    func validatorCatchesDrift() {
        #expect(SchemaValidator.shared.check(#"{"error":{"kind":"usage","message":"m","hint":null}}"#, schema: "error") == "ok")
        #expect(SchemaValidator.shared.check(#"{"error":{"kind":"usage","message":"m"}}"#, schema: "error") != "ok", "missing key")
        #expect(SchemaValidator.shared.check(#"{"error":{"kind":"oops","message":"m","hint":null}}"#, schema: "error") != "ok", "bad enum")
        #expect(SchemaValidator.shared.check(#"{"agents":[],"extra":1}"#, schema: "run") != "ok", "extra key")
    }

    @Test("task lifecycle: init, add, start, done, status, sync, cleanup, doctor, hooks, skills")
    func lifecycle() throws {
        let project = try TaskProject()
        let path = project.path
        try Self.document(["init", "--no-hooks"], in: path, status: 0)
        try Self.document(["add", "a", "--files", "a.txt"], in: path, status: 0)
        try Self.document(["add", "bad id"], in: path, status: 2)
        try Self.document(["start", "a"], in: path, status: 0)
        try Self.document(["start", "a"], in: path, status: 0)       // exists: bootstrap null
        try Self.document(["start", "b", "--base", "no-such-rev"], in: path, status: 2)
        try Self.document(["done", "a"], in: path, status: 1)         // no commits yet: stopped
        try project.commit(in: project.worktree("a"), ["a.txt": "a\n"], message: "a")
        try Self.document(["done", "a"], in: path, status: 0)
        try Self.document(["status"], in: path, status: 0)
        try Self.document(["sync"], in: path, status: 0)
        try Self.document(["cleanup", "--dry-run"], in: path, status: 0)
        try Self.document(["doctor"], in: path, status: 0)
        try Self.document(["hooks", "install"], in: path, status: 0)
        try Self.document(["hooks", "status"], in: path, status: 0)
        try Self.document(["hooks", "uninstall"], in: path, status: 0)
        try Self.document(["skills", "install", "--dir", path], in: path, status: 0)
        try Self.document(["status"], in: "/", status: 3)
    }

    @Test("merge: merged, conflicted (stop), --continue with nothing open, --abort, unknown task")
    func merge() throws {
        let project = try TaskProject()
        let path = project.path
        try project.agent("one", ["app/config.txt": "name = one\nport = 8080\n"])
        try project.agent("two", ["app/config.txt": "name = two\nport = 8080\n"])
        try Self.document(["merge", "one", "--validate", "true"], in: path, status: 0)
        try Self.document(["merge", "two"], in: path, status: 1)
        try Self.document(["status"], in: path, status: 0)             // with the open run
        try Self.document(["merge"], in: path, status: 3)              // a run is open
        try Self.document(["merge", "--abort"], in: path, status: 0)
        try Self.document(["merge", "--abort"], in: path, status: 0)   // nothing open
        try Self.document(["merge", "--continue"], in: path, status: 0)
        try Self.document(["merge", "nope"], in: path, status: 2)
    }

    @Test("agents: run (ready, failed), batch (proposal, --run), loop")
    func agents() throws {
        let project = try TaskProject()
        let path = project.path
        let agent = "echo $GORCH_TASK_ID > $GORCH_TASK_ID.txt && git add -A && git commit -qm $GORCH_TASK_ID"
        for id in ["a", "b", "c"] { try project.gorch("add", id, "--files", "\(id).txt") }
        try Self.document(["batch"], in: path, status: 0)
        try Self.document(["batch", "--ids", "a", "--run", "exit 4"], in: path, status: 1)
        try Self.document(["start", "b"], in: path, status: 0)
        try Self.document(["run", "b", "--", "sh", "-c", agent], in: path, status: 0)
        try Self.document(["run", "nope", "--", "true"], in: path, status: 2)
        try Self.document(["loop", "--run", agent], in: path, status: 0)
    }

    @Test("agent presets: agents (presets only, with config), run --agent unknown")
    func agentPresets() throws {
        let project = try TaskProject()
        let path = project.path
        try Self.document(["agents"], in: path, status: 0)
        try project.repo.git("config", "gorch.agent.claude.command", "true")
        try project.repo.git("config", "gorch.agent.mine.command", "true")
        try project.repo.git("config", "gorch.agent", "mine")
        try Self.document(["agents"], in: path, status: 0)
        try project.gorch("add", "a")
        try Self.document(["run", "a", "--agent", "nope"], in: path, status: 2)
    }

    @Test("conflicts: clean, conflict found (stop), --matrix, --stdin lines, unknown revision")
    func conflicts() throws {
        let project = try TaskProject()
        let path = project.path
        try project.agent("one", ["app/config.txt": "name = one\nport = 8080\n"])
        try project.agent("two", ["app/config.txt": "name = two\nport = 8080\n"])
        try Self.document(["conflicts", "task/one"], in: path, status: 0)
        try Self.document(["conflicts", "task/one", "task/two", "--matrix"], in: path, status: 1)
        try Self.document(["conflicts", "no-such-rev"], in: path, status: 3)
        let stdin = try runGorch(["conflicts", "--stdin", "--json"], cwd: path, stdin: "main task/one\nmain nope\nnot a pair at all\n")
        #expect(stdin.stdout.split(separator: "\n").count == 3, "\(stdin.stdout)")
    }

    @Test("OpenSpec and Beads: plan, populate (and a bad phase), demo")
    func seedAndDemo() throws {
        let project = try SeedFlowTests.SeedProject(era: .dolt)
        let environment = project.toolEnvironment
        try Self.document(["plan", SeedFlowTests.change], in: project.path, status: 0, environment: environment)
        try Self.document(["plan", "no-such-change"], in: project.path, status: 3, environment: environment)
        try Self.document(["populate", SeedFlowTests.change], in: project.path, status: 0, environment: environment)
        try Self.document(["populate", SeedFlowTests.change, "--phase", "7"], in: project.path, status: 2, environment: environment)
        let scratch = try TempDirectory(label: "schema-demo")
        try Self.document(["demo", "--dir", scratch.path + "/demo"], in: scratch.path, status: 0)
    }
}
