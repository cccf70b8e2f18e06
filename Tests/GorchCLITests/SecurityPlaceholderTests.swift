import Foundation
import GorchTestSupport
import Testing

/// Tracker and repository values reach the commands gorch runs only through the placeholders,
/// shell-quoted, in every command that runs one: `batch --run`, `loop --run/--validate`,
/// `merge --validate`, `merge --resolve-with` (BadInputShellTests covers setup, `run` and the
/// quoting contexts of `--validate`). The hostile values are a title, a title that came from
/// tasks.md through populate and bd, and the repository's own path (so `{worktree}`,
/// `{description_file}` and the hooks meet `'`, spaces and `$(...)` too).
@Suite("security: placeholders in every command that runs a shell", .timeLimit(.minutes(20)))
struct SecurityPlaceholderTests {
    /// Every trick at once; the absolute canary paths land in `canary` if anything runs.
    static func title(canary: String) -> String {
        "Evil $(touch \(canary)/dollar) `touch \(canary)/tick` '; touch \(canary)/quote; ' \"; touch \(canary)/dq; \" "
            + "&& touch pwned-and | touch pwned-pipe; touch pwned-semi \\ $HOME {id} %s"
    }

    /// A scratch root holding an oddly named repository folder, the outputs and the canary.
    final class Scene {
        let root: TempDirectory
        let repo: String
        let out: String
        let canary: String
        let title: String

        init() throws {
            root = try TempDirectory(label: "security-placeholders")
            repo = root.path + "/it's a $(touch pwned-path) `dir`/repo"
            out = root.path + "/out"
            canary = root.path + "/canary"
            title = SecurityPlaceholderTests.title(canary: canary)
            for directory in [repo, out, canary] {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            try Shell.git(["init", "-q", "-b", "main"], cwd: repo)
            try "# project\n".write(toFile: repo + "/README.md", atomically: true, encoding: .utf8)
            try "line = 1\n".write(toFile: repo + "/shared.txt", atomically: true, encoding: .utf8)
            try Shell.git(["add", "-A"], cwd: repo)
            try Shell.git(["commit", "-q", "-m", "initial"], cwd: repo)
        }

        @discardableResult
        func gorch(_ arguments: String..., status: Int32 = 0, sourceLocation: SourceLocation = #_sourceLocation) throws -> ShellResult {
            let result = try runGorch(arguments, cwd: repo)
            #expect(result.status == status, "gorch \(arguments.first ?? ""): \(result.stdout) \(result.stderr)", sourceLocation: sourceLocation)
            return result
        }

        func output(_ name: String) -> String? {
            FileManager.default.contents(atPath: out + "/" + name).map { String(decoding: $0, as: UTF8.self) }
        }

        func worktree(_ id: String) -> String { repo + "/.worktrees/wt-\(id)" }

        /// Nothing ran: the canary folder is empty and no `pwned*` file exists anywhere under the root.
        func expectNothingRan(sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: canary)) ?? ["?"]).isEmpty,
                    "a title ran: \((try? FileManager.default.contentsOfDirectory(atPath: canary)) ?? [])", sourceLocation: sourceLocation)
            var found: [String] = []
            let walker = FileManager.default.enumerator(atPath: root.path)
            while let path = walker?.nextObject() as? String {
                if (path as NSString).lastPathComponent.hasPrefix("pwned") { found.append(path) }
            }
            #expect(found.isEmpty, "something ran: \(found)", sourceLocation: sourceLocation)
        }
    }

    /// An agent script writing what it got to `out/<prefix>-*`, then committing its own file.
    static func agent(_ scene: Scene, prefix: String) -> String {
        let out = scene.out + "/" + prefix
        return """
            printf %s {title} > \(out)-title-$GORCH_TASK_ID
            printf %s {worktree} > \(out)-worktree-$GORCH_TASK_ID
            cp {description_file} \(out)-description-$GORCH_TASK_ID
            sh -c 'printf %s {title} > \(out)-nested-$GORCH_TASK_ID'
            printf %s "{title}" > \(out)-dq-$GORCH_TASK_ID
            printf %s `printf %s {title}` > \(out)-tick-$GORCH_TASK_ID
            cat > \(out)-heredoc-$GORCH_TASK_ID <<EOF
            {title}
            EOF
            echo "$GORCH_TASK_ID" > "$GORCH_TASK_ID.txt" && git add -A && git commit -qm "work {id}"
            """
    }

    /// What `agent` wrote for `id`: exact where the placeholder is a word (also one level down,
    /// in `sh -c '...'`); the description file names the title as text.
    static func expectAgentOutputs(_ scene: Scene, prefix: String, id: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(scene.output("\(prefix)-title-\(id)") == scene.title, "\(prefix) {title}", sourceLocation: sourceLocation)
        #expect(scene.output("\(prefix)-nested-\(id)") == scene.title, "\(prefix) {title} in sh -c", sourceLocation: sourceLocation)
        #expect(scene.output("\(prefix)-worktree-\(id)") == scene.worktree(id), "\(prefix) {worktree}", sourceLocation: sourceLocation)
        #expect(scene.output("\(prefix)-description-\(id)")?.contains(scene.title) == true, "\(prefix) {description_file}",
                sourceLocation: sourceLocation)
        for context in ["dq", "tick", "heredoc"] {
            #expect(scene.output("\(prefix)-\(context)-\(id)") != nil, "\(prefix): the \(context) line ran", sourceLocation: sourceLocation)
        }
    }

    @Test("batch --run, merge --validate and loop with a hostile title, in a repository whose path holds ' and $(...)")
    func batchMergeLoop() throws {
        let scene = try Scene()
        try scene.gorch("init")
        try scene.gorch("add", "evil", "--title", scene.title, "--files", "evil.txt")
        let batch = try scene.gorch("batch", "--yes", "--json", "--run", Self.agent(scene, prefix: "batch"))
        let agents = try #require(try jsonDocument(batch)["agents"] as? [[String: Any]])
        #expect(agents.map { $0["state"] as? String } == ["ready"], "\(agents)")
        Self.expectAgentOutputs(scene, prefix: "batch", id: "evil")

        let validate = scene.out + "/validate"
        let merge = try scene.gorch("merge", "--json", "--validate", "printf %s {title} > \(validate)-title",
                                    "--validate", "printf %s {worktree} > \(validate)-worktree",
                                    "--validate", "printf %s {branch}:{target}:{commit} > \(validate)-refs")
        #expect((try jsonDocument(merge)["tasks"] as? [[String: Any]])?.first?["outcome"] as? String == "merged")
        #expect(scene.output("validate-title") == scene.title)
        #expect(scene.output("validate-worktree") == scene.repo + "/.git/gorch/validate")
        let commit = try Shell.git(["rev-parse", "main"], cwd: scene.repo)
        #expect(scene.output("validate-refs") == "task/evil:main:\(commit)")
        // The merge commit message carries the title as text.
        #expect(try Shell.git(["log", "-1", "--format=%s", "main"], cwd: scene.repo) == "Merge task/evil: \(scene.title)")

        try scene.gorch("add", "again", "--title", scene.title, "--files", "again.txt")
        let loop = try scene.gorch("loop", "--json", "--run", Self.agent(scene, prefix: "loop"),
                                   "--validate", "printf %s {title} > \(scene.out)/loop-validate-{id}")
        #expect((try jsonDocument(loop)["merged"] as? [String]) == ["again"], "\(loop.stdout)")
        Self.expectAgentOutputs(scene, prefix: "loop", id: "again")
        #expect(scene.output("loop-validate-again") == scene.title)
        scene.expectNothingRan()
        #expect(try Shell.git(["status", "--porcelain"], cwd: scene.repo).isEmpty)
    }

    @Test("merge --resolve-with: the resolver gets the hostile title and the conflicting paths as text")
    func resolveWith() throws {
        let scene = try Scene()
        try scene.gorch("init")
        for (id, value) in [("first", "one"), ("second", "two")] {
            try scene.gorch("add", id, "--title", scene.title)
            try scene.gorch("start", id)
            try "line = \(value)\n".write(toFile: scene.worktree(id) + "/shared.txt", atomically: true, encoding: .utf8)
            try Shell.git(["commit", "-qam", "edit \(id)"], cwd: scene.worktree(id))
            try scene.gorch("done", id)
        }
        let resolver = "printf %s {title} > \(scene.out)/resolve-title-{id}; "
            + "sh -c 'printf %s {title}' > \(scene.out)/resolve-nested-{id}; "
            + "printf %s \"$GORCH_CONFLICTS\" > \(scene.out)/resolve-paths-{id}; exit 1"
        let stopped = try scene.gorch("merge", "--json", "--validate", "true", "--resolve-with", resolver, status: 1)
        #expect((try jsonDocument(stopped)["stopped"] as? [String: Any])?["task"] as? String == "second", "\(stopped.stdout)")
        #expect(scene.output("resolve-title-second") == scene.title)
        #expect(scene.output("resolve-nested-second") == scene.title)
        #expect(scene.output("resolve-paths-second") == "shared.txt")
        try scene.gorch("merge", "--abort")
        scene.expectNothingRan()
    }

    @Test("Beads: a hostile task line in tasks.md becomes an issue title through populate; batch --run and --validate get it as text")
    func titleFromTheRepository() throws {
        let canary = try TempDirectory(label: "security-canary")
        let project = try SeedFlowTests.SeedProject(era: .dolt)
        let line = Self.title(canary: canary.path) + " $(touch \(canary.path)/md)"
        project.repo.write("openspec/changes/hostile/proposal.md", "# Hostile\n")
        project.repo.write("openspec/changes/hostile/tasks.md", "## 1. Only\n- [ ] 1.1 \(line) (Files: evil.txt)\n")
        try project.repo.commitAll("hostile change")
        let populated = try project.json("populate", "hostile")
        let issue = try #require((populated["issues"] as? [[String: Any]])?.first)
        let id = try #require(issue["id"] as? String)
        let title = try #require(issue["title"] as? String)
        #expect(title.contains("$(touch \(canary.path)/md)"), "the issue title is the task line: \(title)")

        let out = try TempDirectory(label: "security-out")
        let agent = "printf %s {title} > \(out.path)/run-title; sh -c 'printf %s {title} > \(out.path)/run-nested'; "
            + "echo x > evil.txt && git add -A && git commit -qm {id}"
        let batch = try project.json("batch", "--ids", id, "--run", agent)
        #expect((batch["agents"] as? [[String: Any]])?.first?["state"] as? String == "ready", "\(batch)")
        let merge = try project.json("merge", "--validate", "printf %s {title} > \(out.path)/validate-title")
        #expect((merge["tasks"] as? [[String: Any]])?.first?["outcome"] as? String == "merged", "\(merge)")
        for name in ["run-title", "run-nested", "validate-title"] {
            #expect(FileManager.default.contents(atPath: out.path + "/" + name).map { String(decoding: $0, as: UTF8.self) } == title, "\(name)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: canary.path).isEmpty, "a task line ran")
        let strays = FileManager.default.enumerator(atPath: project.path)?.allObjects.compactMap { $0 as? String }
            .filter { ($0 as NSString).lastPathComponent.hasPrefix("pwned") } ?? []
        #expect(strays.isEmpty, "something ran: \(strays)")
    }
}
