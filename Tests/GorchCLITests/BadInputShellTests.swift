import Foundation
import GorchTestSupport
import Testing

/// Task titles full of shell syntax through `{title}` in setup commands, `gorch run` (also
/// inside `sh -c '...'`, where the placeholder sits in quotes), validation steps and the merge
/// commit message: nothing in a title ever runs (AgentRunTests.titleNeverRuns covers a bare
/// `{title}` word in run and --validate).
@Suite("bad input: shell metacharacters in titles", .timeLimit(.minutes(20)))
struct BadInputShellTests {
    /// Every trick at once: command substitution both ways, a quote breaking out, `;`, `&&`, a
    /// pipe, a redirection, a glob, a newline, a variable, a backslash.
    static let title = "Evil $(touch pwned-dollar) `touch pwned-tick` '; touch pwned-quote; ' \"; touch pwned-dq; \" "
        + "&& touch pwned-and | tee pwned-pipe > pwned-redirect * \\ $HOME\ntouch pwned-newline"

    /// No file named pwned-* anywhere in the repository, its worktrees or gorch's folders.
    static func expectNothingRan(_ project: TaskProject, sourceLocation: SourceLocation = #_sourceLocation) {
        let walker = FileManager.default.enumerator(atPath: project.path)
        var found: [String] = []
        while let path = walker?.nextObject() as? String {
            if (path as NSString).lastPathComponent.hasPrefix("pwned") { found.append(path) }
        }
        #expect(found.isEmpty, "something ran: \(found)", sourceLocation: sourceLocation)
    }

    static func read(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test("setup commands: {title} bare, in single quotes, in double quotes and inside sh -c '...'; nothing runs")
    func setupCommands() throws {
        let project = try TaskProject()
        for command in [
            "printf %s {title} > bare.out",
            "sh -c 'printf %s {title} > nested-single.out'",
            "sh -c \"printf %s {title} > nested-double.out\"",
            "printf %s \"$(printf %s {title})\" > substituted.out",
            "printf %s '{title}' > quoted-single.out",
            "printf %s \"{title}\" > quoted-double.out",
            "printf %s {id}-'{id}'-\"{id}\" > id.out",
        ] {
            try project.repo.git("config", "--add", "gorch.setup", command)
        }
        try project.gorch("add", "evil", "--title", Self.title)
        let start = try project.json("start", "evil")
        #expect((start["warnings"] as? [String])?.isEmpty == true, "\(start)")
        Self.expectNothingRan(project)
        let worktree = project.worktree("evil")
        for exact in ["bare", "nested-single", "nested-double", "substituted"] {
            #expect(Self.read(worktree + "/\(exact).out") == Self.title, "\(exact)")
        }
        // Written inside quotes at the same level, the value arrives as its quoted word: safe, with the quotes.
        for quoted in ["quoted-single", "quoted-double"] {
            let text = Self.read(worktree + "/\(quoted).out") ?? ""
            #expect(text.hasPrefix("'Evil $(touch pwned-dollar)") && text.contains("pwned-newline"), "\(quoted): \(text)")
        }
        #expect(Self.read(worktree + "/id.out") == "evil-evil-evil")
    }

    @Test("gorch run -- sh -c '... {title} ...' and bash -c with {title} in double quotes inside: the exact title, nothing runs")
    func runNested() throws {
        let project = try TaskProject()
        try project.gorch("add", "evil", "--title", Self.title)
        try project.gorch("start", "evil")
        let script = "printf %s {title} > nested.txt && printf %s \"prompt: {title}\" > prompt.txt && git add -A && git commit -qm t"
        let result = try runGorch(["run", "evil", "--json", "--", "sh", "-c", script], cwd: project.path)
        let agents = try jsonDocument(result)["agents"] as? [[String: Any]]
        #expect(agents?.first?["state"] as? String == "ready", "\(result.stdout) \(result.stderr)")
        Self.expectNothingRan(project)
        #expect(Self.read(project.worktree("evil") + "/nested.txt") == Self.title)
        let prompt = Self.read(project.worktree("evil") + "/prompt.txt") ?? ""
        #expect(prompt.hasPrefix("prompt: 'Evil $(touch pwned-dollar)"), "\(prompt)")
    }

    @Test("the merge commit message carries the title literally; --validate with the title in quotes runs nothing")
    func mergeMessageAndValidation() throws {
        let project = try TaskProject()
        try project.gorch("add", "evil", "--title", Self.title)
        try project.agent("evil", ["evil.txt": "x\n"])
        let report = try project.json("merge", "--validate", "printf %s '{title}' > /dev/null",
                                      "--validate", "sh -c 'test \"$1\" = {title}' check {title}",
                                      "--validate", "printf %s \"{title}\" | grep -q pwned-newline")
        let task = try #require((report["tasks"] as? [[String: Any]])?.first)
        #expect(task["outcome"] as? String == "merged", "\(task)")
        Self.expectNothingRan(project)
        // The subject is the title's first line.
        let message = try project.repo.git("log", "-1", "--format=%B", "main").trimmingCharacters(in: .newlines)
        let firstLine = Self.title.split(separator: "\n").first.map(String.init) ?? ""
        #expect(message == "Merge task/evil: \(firstLine)", "\(message.debugDescription)")
    }

    @Test("a title with a newline or an escape sequence keeps status and merge tables one line per task")
    func controlCharactersInTables() throws {
        let project = try TaskProject()
        try project.gorch("add", "odd", "--title", "first line\nsecond \u{1B}[31mred\u{1B}[0m\ttab")
        let status = try project.gorch("status")
        let row = status.stdout.split(separator: "\n").first { $0.hasPrefix("odd ") }.map(String.init) ?? ""
        #expect(row.hasSuffix("first line\\nsecond \\u{1b}[31mred\\u{1b}[0m\\ttab"), "\(status.stdout.debugDescription)")
        #expect(!status.stdout.contains("\u{1B}") && !status.stdout.contains("second \u{1B}"))
        #expect(status.stdout.split(separator: "\n").count == 3, "header, summary and one row: \(status.stdout)")
        let json = try project.json("status")
        #expect((json["tasks"] as? [[String: Any]])?.first?["title"] as? String == "first line\nsecond \u{1B}[31mred\u{1B}[0m\ttab")
    }
}
