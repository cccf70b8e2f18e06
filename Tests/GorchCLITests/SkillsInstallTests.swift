import Foundation
import GorchTestSupport
import Testing

/// `gorch skills install`: the six workflow skills as SKILL.md files (DESIGN.md "Commands").
@Suite("skills install", .timeLimit(.minutes(20)))
struct SkillsInstallTests {
    static let names = ["spec-planner", "populate-task", "task-populator", "batch-orchestration", "task-execution", "merge-coordinator"]

    /// Commands each skill must tell the agent to run.
    static let commands: [String: [String]] = [
        "spec-planner": ["gorch plan <change> --json", "## 1.", "- [ ] 1.1", "(Files:", "(after "],
        "populate-task": ["gorch populate <change> --json", "cycles", "gorch add"],
        "task-populator": ["gorch populate <change> --phase N --json", "gorch populate <change> --link --json"],
        "batch-orchestration": ["gorch batch --json", "gorch batch --ids", "--run", "gorch run <id> --", "gorch status --json"],
        "task-execution": ["gorch done --json", "git add", "git commit", "git diff --name-only --diff-filter=U", "scope"],
        "merge-coordinator": ["gorch merge --validate", "--json", "stopped", "--resolve-with", "gorch merge --continue --json",
                              "gorch merge --abort --json", "gorch status --json", "gorch sync --json"],
    ]

    private func install(_ arguments: [String], cwd: String, status: Int32 = 0,
                         sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let result = try runGorch(["skills", "install"] + arguments + ["--json"], cwd: cwd)
        #expect(result.status == status, "\(result.stdout) \(result.stderr)", sourceLocation: sourceLocation)
        #expect(keysAppearInOrder(["root", "layout", "written", "skipped"], in: result.stdout), "\(result.stdout)",
                sourceLocation: sourceLocation)
        return try jsonDocument(result, sourceLocation: sourceLocation)
    }

    private func read(_ path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8)
    }

    @Test("default: Claude Code layout in the main checkout, six SKILL.md files with front matter that call gorch")
    func installsClaudeSkills() throws {
        let project = try TaskProject()
        let sub = project.repo.absolute("app")
        let report = try install([], cwd: sub)   // from a subfolder: still the main checkout
        #expect(report["root"] as? String == project.path)
        #expect(report["layout"] as? String == "claude")
        let expected = Self.names.map { project.repo.absolute(".claude/skills/\($0)/SKILL.md") }
        #expect(report["written"] as? [String] == expected)
        #expect((report["skipped"] as? [Any])?.isEmpty == true)

        for name in Self.names {
            let text = try read(project.repo.absolute(".claude/skills/\(name)/SKILL.md"))
            #expect(text.hasPrefix("---\nname: \(name)\ndescription: \""), "\(name): \(text.prefix(200))")
            let frontMatter = text.components(separatedBy: "\n---\n").first ?? ""
            #expect(frontMatter.split(separator: "\n").filter { $0.hasPrefix("description: ") }.count == 1)
            let body = String(text.dropFirst(frontMatter.count))
            #expect(body.contains("\n# "), "\(name) has no title")
            for command in Self.commands[name] ?? [] {
                #expect(body.contains(command), "\(name) does not mention \(command)")
            }
        }
        // gorch neither commits nor ignores them: the user decides whether the team shares them.
        #expect(try project.repo.git("status", "--porcelain").contains(".claude/"))
    }

    @Test("opencode: --layout opencode writes .opencode/skill/<name>/SKILL.md; an existing .opencode/ folder selects it by default")
    func installsOpencodeSkills() throws {
        let project = try TaskProject()
        let report = try install(["--layout", "opencode"], cwd: project.path)
        #expect(report["layout"] as? String == "opencode")
        #expect(report["written"] as? [String] == Self.names.map { project.repo.absolute(".opencode/skill/\($0)/SKILL.md") })
        let text = try read(project.repo.absolute(".opencode/skill/task-execution/SKILL.md"))
        #expect(text.hasPrefix("---\nname: task-execution\ndescription: \""))
        #expect(!FileManager.default.fileExists(atPath: project.repo.absolute(".claude")))

        let other = try TaskProject(label: "opencode-detect")
        try FileManager.default.createDirectory(atPath: other.repo.absolute(".opencode"), withIntermediateDirectories: true)
        #expect(try install([], cwd: other.path)["layout"] as? String == "opencode")
        // Both folders present: Claude Code, the documented default.
        try FileManager.default.createDirectory(atPath: other.repo.absolute(".claude"), withIntermediateDirectories: true)
        #expect(try install([], cwd: other.path)["layout"] as? String == "claude")
    }

    @Test("--dir installs into any folder, relative to the current directory, with no repository needed")
    func installsIntoDirectory() throws {
        let outside = try TempDirectory(label: "skills-dir")
        let report = try install(["--dir", "home/agent"], cwd: outside.path)
        let root = (outside.path as NSString).appendingPathComponent("home/agent")
        #expect(report["root"] as? String == root)
        #expect((report["written"] as? [String])?.count == 6)
        #expect(FileManager.default.fileExists(atPath: root + "/.claude/skills/merge-coordinator/SKILL.md"))

        // Without --dir, outside a repository: the usual environment error.
        let failed = try runGorch(["skills", "install", "--json"], cwd: outside.path)
        #expect(failed.status == 3)
        #expect(try errorObject(failed)["kind"] as? String == "environment")
    }

    @Test("a second run writes nothing and leaves every file as it was")
    func isIdempotent() throws {
        let project = try TaskProject()
        _ = try install([], cwd: project.path)
        let path = project.repo.absolute(".claude/skills/spec-planner/SKILL.md")
        let before = try read(path)
        let modified = try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date

        let again = try install([], cwd: project.path)
        #expect(again["written"] as? [String] == [])
        let skipped = try #require(again["skipped"] as? [[String: Any]])
        #expect(skipped.count == 6)
        #expect(skipped.allSatisfy { $0["reason"] as? String == "up to date" }, "\(skipped)")
        #expect(try read(path) == before)
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date == modified)

        let human = try runGorch(["skills", "install"], cwd: project.path)
        #expect(human.status == 0)
        #expect(human.stdout.contains("already installed: nothing changed"), "\(human.stdout)")
    }

    @Test("a file the user changed, or did not get from gorch, is kept unless --force")
    func keepsUserEdits() throws {
        let project = try TaskProject()
        _ = try install([], cwd: project.path)
        let edited = project.repo.absolute(".claude/skills/task-execution/SKILL.md")
        let original = try read(edited)
        let mine = original + "\nAlways run `make lint` before committing.\n"
        try Data(mine.utf8).write(to: URL(fileURLWithPath: edited))
        let foreign = project.repo.absolute(".claude/skills/merge-coordinator/SKILL.md")
        try Data("---\nname: merge-coordinator\ndescription: ours\n---\n\nOur own process.\n".utf8).write(to: URL(fileURLWithPath: foreign))
        try FileManager.default.removeItem(atPath: project.repo.absolute(".claude/skills/batch-orchestration"))

        let report = try install([], cwd: project.path)
        #expect(report["written"] as? [String] == [project.repo.absolute(".claude/skills/batch-orchestration/SKILL.md")])
        let skipped = try #require(report["skipped"] as? [[String: Any]])
        let reasons = Dictionary(uniqueKeysWithValues: skipped.map { ($0["path"] as? String ?? "", $0["reason"] as? String ?? "") })
        #expect(reasons[edited]?.contains("changed") == true && reasons[edited]?.contains("--force") == true, "\(reasons)")
        #expect(reasons[foreign]?.contains("not written by gorch") == true, "\(reasons)")
        #expect(try read(edited) == mine)

        let human = try runGorch(["skills", "install"], cwd: project.path)
        #expect(human.stdout.contains("task-execution/SKILL.md: changed since gorch wrote it"), "\(human.stdout)")

        let forced = try install(["--force"], cwd: project.path)
        #expect(Set(forced["written"] as? [String] ?? []) == [edited, foreign])
        #expect(try read(edited) == original)
    }

    @Test("a file an earlier gorch wrote and nobody edited (its stamp still matches) is updated without --force")
    func updatesPristineOlderVersion() throws {
        let project = try TaskProject()
        _ = try install([], cwd: project.path)
        let path = project.repo.absolute(".claude/skills/populate-task/SKILL.md")
        // An older text with a stamp computed the way gorch computes it: FNV-1a 64 of the file
        // without the stamp line.
        let prefix = "# gorch skills install: fnv1a64="
        let unstamped = "---\nname: populate-task\ndescription: \"old\"\n---\n\nOld steps.\n"
        let stamped = unstamped.replacingOccurrences(of: "\"old\"\n---", with: "\"old\"\n\(prefix)\(fnv1a64(unstamped)) (old)\n---")
        try Data(stamped.utf8).write(to: URL(fileURLWithPath: path))

        let report = try install([], cwd: project.path)
        #expect(report["written"] as? [String] == [path])
        #expect(try read(path).contains("gorch populate <change> --json"))
    }

    @Test("an unknown --layout is a usage error (exit 2) naming the choices")
    func rejectsUnknownLayout() throws {
        let project = try TaskProject()
        let result = try runGorch(["skills", "install", "--layout", "cursor"], cwd: project.path)
        #expect(result.status == 2)
        #expect(result.stderr.contains("claude") && result.stderr.contains("opencode"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: project.repo.absolute(".claude")))
    }

    @Test("global options work on either side: gorch --json --repo R skills install")
    func acceptsRootGlobalOptions() throws {
        let project = try TaskProject()
        let elsewhere = try TempDirectory(label: "skills-elsewhere")
        let result = try runGorch(["--json", "--repo", project.path, "skills", "install"], cwd: elsewhere.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try jsonDocument(result)["root"] as? String == project.path)
    }

    private func fnv1a64(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
