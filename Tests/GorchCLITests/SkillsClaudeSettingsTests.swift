import Foundation
import GorchTestSupport
import Testing

/// `gorch skills install` merging Claude Code's WorktreeCreate/WorktreeRemove hooks into
/// `.claude/settings.json`: the user's settings survive byte for byte where gorch adds nothing.
@Suite("skills install: Claude Code worktree hooks in .claude/settings.json", .timeLimit(.minutes(20)))
struct SkillsClaudeSettingsTests {
    private func install(_ arguments: [String] = [], in project: TaskProject, status: Int32 = 0,
                         sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let result = try runGorch(["skills", "install"] + arguments + ["--json"], cwd: project.path)
        #expect(result.status == status, "\(result.stdout) \(result.stderr)", sourceLocation: sourceLocation)
        return try jsonDocument(result, sourceLocation: sourceLocation)
    }

    private func settingsPath(_ project: TaskProject) -> String { project.repo.absolute(".claude/settings.json") }

    private func settingsText(_ project: TaskProject) throws -> String {
        try String(contentsOfFile: settingsPath(project), encoding: .utf8)
    }

    private func command(_ subcommand: String) throws -> String {
        "\(try #require(GorchBinary.path)) claude-hook \(subcommand)"
    }

    @Test("a new settings.json gets both hooks, without matchers, running this gorch by its absolute path")
    func createsSettings() throws {
        let project = try TaskProject()
        let report = try install(in: project)
        let hooks = try #require(report["claude_hooks"] as? [String: Any])
        #expect(hooks["settings"] as? String == settingsPath(project))
        #expect(hooks["gorch"] as? String == GorchBinary.path)
        #expect(hooks["action"] as? String == "added")
        #expect(hooks["detail"] is NSNull)
        let create = try command("worktree-create")
        let remove = try command("worktree-remove")
        #expect(try settingsText(project) == """
            {
              "hooks": {
                "WorktreeCreate": [
                  {
                    "hooks": [
                      {
                        "type": "command",
                        "command": "\(create)"
                      }
                    ]
                  }
                ],
                "WorktreeRemove": [
                  {
                    "hooks": [
                      {
                        "type": "command",
                        "command": "\(remove)"
                      }
                    ]
                  }
                ]
              }
            }

            """)
    }

    @Test("an existing settings.json keeps every setting, hook, key order and number as written; a second install changes nothing")
    func mergesAndIsIdempotent() throws {
        let project = try TaskProject()
        let original = """
            {"permissions": {"allow": ["Bash(make test)"], "deny": []}, "model": "opus",
             "env": {"RATIO": 1.50, "NAME": "caf\\u00e9 \\"x\\" \\ud83d\\ude00"},
             "hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "./check.sh", "timeout": 30}]}]},
             "cleanupPeriodDays": 20}
            """
        project.repo.write(".claude/settings.json", original)
        let report = try install(in: project)
        #expect((report["claude_hooks"] as? [String: Any])?["action"] as? String == "added")
        let text = try settingsText(project)
        #expect(keysAppearInOrder(["permissions", "allow", "deny", "model", "env", "RATIO", "NAME", "hooks", "PreToolUse",
                                   "matcher", "timeout", "WorktreeCreate", "WorktreeRemove", "cleanupPeriodDays"], in: text), "\(text)")
        #expect(text.contains(#""RATIO": 1.50"#), "\(text)")
        #expect(text.contains(#""NAME": "café \"x\" 😀""#), "\(text)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["model"] as? String == "opus")
        #expect((object["permissions"] as? [String: Any])?["allow"] as? [String] == ["Bash(make test)"])
        let hooks = try #require(object["hooks"] as? [String: Any])
        let pre = (hooks["PreToolUse"] as? [[String: Any]])?.first
        #expect(pre?["matcher"] as? String == "Bash")
        #expect(((pre?["hooks"] as? [[String: Any]])?.first?["command"]) as? String == "./check.sh")

        let modified = try FileManager.default.attributesOfItem(atPath: settingsPath(project))[.modificationDate] as? Date
        let again = try install(in: project)
        #expect((again["claude_hooks"] as? [String: Any])?["action"] as? String == "unchanged")
        #expect(try settingsText(project) == text)
        #expect(try FileManager.default.attributesOfItem(atPath: settingsPath(project))[.modificationDate] as? Date == modified)
        let human = try runGorch(["skills", "install"], cwd: project.path)
        #expect(human.stdout.contains("already installed: nothing changed"), "\(human.stdout)")
    }

    @Test("hooks that name another gorch path are re-pointed in place, not duplicated")
    func updatesMovedGorch() throws {
        let project = try TaskProject()
        _ = try install(in: project)
        let moved = try settingsText(project).replacingOccurrences(of: try #require(GorchBinary.path), with: "/old/place/gorch")
        project.repo.write(".claude/settings.json", moved)
        let report = try install(in: project)
        #expect((report["claude_hooks"] as? [String: Any])?["action"] as? String == "updated")
        let text = try settingsText(project)
        #expect(!text.contains("/old/place"), "\(text)")
        #expect(text.components(separatedBy: "claude-hook worktree-create").count == 2, "\(text)")
    }

    @Test("another WorktreeCreate or WorktreeRemove command: neither hook is added, the file is untouched, the report says why")
    func skipsForeignWorktreeHooks() throws {
        let project = try TaskProject()
        let mine = #"{"hooks": {"WorktreeRemove": [{"hooks": [{"type": "command", "command": "rm -rf \"$(jq -r .worktree_path)\""}]}]}}"#
        project.repo.write(".claude/settings.json", mine)
        let report = try install(in: project)
        let hooks = try #require(report["claude_hooks"] as? [String: Any])
        #expect(hooks["action"] as? String == "skipped")
        #expect((hooks["detail"] as? String)?.contains("WorktreeRemove runs `rm -rf") == true, "\(hooks)")
        #expect(try settingsText(project) == mine)
        #expect((report["written"] as? [String])?.count == 6)   // the skills still go in

        let human = try runGorch(["skills", "install"], cwd: project.path)
        #expect(human.stdout.contains("Claude Code worktree hooks in .claude/settings.json: WorktreeRemove runs"), "\(human.stdout)")
    }

    @Test("a malformed settings.json is an error naming the file; nothing is written", arguments: [
        ("{\"model\": \"opus\",}", "line 1"),
        ("[1, 2]", "not a JSON object"),
        ("{\"hooks\": []}", "\"hooks\" is not an object"),
        ("{\"hooks\": {\"WorktreeCreate\": {}}}", "\"hooks\".\"WorktreeCreate\" is not an array"),
    ])
    func rejectsMalformedSettings(text: String, mention: String) throws {
        let project = try TaskProject(label: "malformed-settings")
        project.repo.write(".claude/settings.json", text)
        let result = try runGorch(["skills", "install"], cwd: project.path)
        #expect(result.status == 3)
        #expect(result.stderr.contains("error: cannot add Claude Code's worktree hooks to \(settingsPath(project))"), "\(result.stderr)")
        #expect(result.stderr.contains(mention) && result.stderr.contains("nothing was changed"), "\(result.stderr)")
        #expect(try settingsText(project) == text)
        #expect(!project.exists(".claude/skills"))
    }

    @Test("opencode layout and --no-worktree-hooks leave .claude/settings.json alone (claude_hooks null)")
    func optOut() throws {
        let project = try TaskProject()
        let skipped = try install(["--no-worktree-hooks"], in: project)
        #expect(skipped["claude_hooks"] is NSNull)
        #expect((skipped["written"] as? [String])?.count == 6)
        let opencode = try install(["--layout", "opencode"], in: project)
        #expect(opencode["claude_hooks"] is NSNull)
        #expect(!project.exists(".claude/settings.json"))
    }
}
