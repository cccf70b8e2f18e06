import Foundation
import GorchTestSupport
import Testing

/// Conflicting paths with spaces, newlines, tabs, quotes, backslashes, control characters and
/// non-ASCII letters. JSON carries each path exactly (git's `merge-tree -z` is the oracle); the
/// human table keeps one line per conflict, quoting a path the way git does with
/// core.quotePath=false: in double quotes with C escapes when it has a control character, `"`
/// or `\`, as it is otherwise.
@Suite("bad input: odd paths in conflicts", .timeLimit(.minutes(20)))
struct BadInputConflictsTests {
    /// Each path and how the table shows it.
    static let paths: [(path: String, shown: String)] = [
        ("a b.txt", "a b.txt"),
        ("new\nline.txt", #""new\nline.txt""#),
        ("tab\there.txt", #""tab\there.txt""#),
        ("quo\"te.txt", #""quo\"te.txt""#),
        ("back\\slash.txt", #""back\\slash.txt""#),
        ("esc\u{1B}[31mred.txt", #""esc\033[31mred.txt""#),
        ("tâche.txt", "tâche.txt"),
        ("日本/ファイル.txt", "日本/ファイル.txt"),
        ("-rf", "-rf"),
    ]

    /// main and side change every path differently from their base.
    static func fixture(label: String = #function) throws -> TempRepo {
        let repo = try TempRepo(label: "odd-paths-" + label)
        func writeAll(_ text: String) { for (path, _) in paths { repo.write(path, text) } }
        writeAll("base\n")
        try repo.commitAll("base")
        try repo.git("checkout", "-q", "-b", "side")
        writeAll("side\n")
        try repo.commitAll("side")
        try repo.git("checkout", "-q", "main")
        writeAll("main\n")
        try repo.commitAll("main")
        return repo
    }

    /// The conflicting paths git reports (NUL-separated, so exact).
    static func gitConflicts(_ repo: TempRepo) throws -> Set<String> {
        let result = try Shell.runGit(["merge-tree", "--write-tree", "--name-only", "-z", "main", "side"], cwd: repo.path)
        let fields = result.stdoutData.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        // tree id, then the paths, then an empty field before the messages.
        return Set(fields.dropFirst().prefix { !$0.isEmpty })
    }

    @Test("JSON: every path exactly as git names it, also from the verdict cache and through --stdin")
    func jsonIsExact() throws {
        let repo = try Self.fixture()
        let expected = try Self.gitConflicts(repo)
        #expect(expected == Set(Self.paths.map(\.path)))
        func paths(_ object: [String: Any]) -> [String] {
            (object["conflicts"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }
        }
        var seen: [[String]] = []
        for _ in 0..<2 {  // the second run reads the verdict cache
            let result = try runGorch(["conflicts", "side", "--json"], cwd: repo.path)
            #expect(result.status == 1)
            let prediction = try #require((try jsonDocument(result)["results"] as? [[String: Any]])?.first)
            #expect(Set(paths(prediction)) == expected)
            seen.append(paths(prediction))
        }
        #expect(seen[0] == seen[1])
        let uncached = try runGorch(["conflicts", "side", "--json", "--no-cache"], cwd: repo.path)
        #expect(paths(try #require((try jsonDocument(uncached)["results"] as? [[String: Any]])?.first)) == seen[0])
        let stream = try runGorch(["conflicts", "--stdin"], cwd: repo.path, stdin: "main side\n")
        let lines = stream.stdout.split(separator: "\n")
        #expect(lines.count == 1, "one JSON line per input line: \(stream.stdout)")
        #expect(paths(try jsonObject(String(lines.first ?? ""))) == seen[0])
    }

    @Test("table: one line per conflict, odd paths quoted as git quotes them; nothing raw reaches the terminal")
    func tableQuotesPaths() throws {
        let repo = try Self.fixture()
        let result = try runGorch(["conflicts", "side"], cwd: repo.path)
        #expect(result.status == 1)
        #expect(!result.stdout.contains("\u{1B}") && !result.stdout.contains("\t"))
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let details = lines.filter { $0.hasPrefix("  ") }
        #expect(details.count == Self.paths.count, "\(lines)")
        for (_, shown) in Self.paths {
            #expect(details.contains("  \(shown) (content)"), "\(shown) not in \(details)")
        }
    }

    /// A task whose branch and main both change every path: its merge conflicts on all of them.
    static func conflictedProject(label: String = #function) throws -> TaskProject {
        let project = try TaskProject(label: label)
        for (path, _) in paths { project.repo.write(path, "base\n") }
        try project.repo.commitAll("odd paths")
        try project.agent("odd", Dictionary(uniqueKeysWithValues: paths.map { ($0.path, "task\n") }))
        for (path, _) in paths { project.repo.write(path, "main\n") }
        try project.repo.commitAll("main edits")
        return project
    }

    @Test("merge: a conflict on such paths is listed one line per path, quoted; progress and message escaped; --json exact")
    func mergeListsThemQuoted() throws {
        let first = try Self.conflictedProject()
        let human = try runGorch(["merge"], cwd: first.path)
        #expect(human.status == 1, "\(human.stdout) \(human.stderr)")
        #expect(!(human.stdout + human.stderr).contains("\u{1B}"))
        for (_, shown) in Self.paths {
            #expect(human.stdout.contains("    content: \(shown)\n"), "\(shown) not in \(human.stdout)")
        }
        // The step line and the task's message name the paths with control characters escaped.
        #expect(human.stderr.contains("new\\nline.txt") && human.stdout.contains("new\\nline.txt"), "\(human.stderr)")

        let project = try Self.conflictedProject()
        let json = try project.json("merge", status: 1)
        let task = try #require((json["tasks"] as? [[String: Any]])?.first)
        let conflicts = task["conflicts"] as? [[String: Any]] ?? []
        #expect(Set(conflicts.compactMap { $0["path"] as? String }) == Set(Self.paths.map(\.path)), "\(json)")
        // The worktree got the conflict with git's own stages, one per path.
        let unmerged = try Shell.runGit(["diff", "--name-only", "--diff-filter=U", "-z"], cwd: project.worktree("odd")).stdoutData
        let names = Set(unmerged.split(separator: 0).map { String(decoding: $0, as: UTF8.self) })
        #expect(names == Set(Self.paths.map(\.path)))
    }
}
