/// `gorch skills install --json` (docs/schema/skills.json).
struct SkillsJSON: Encodable {
    var root: String
    var layout: String
    var written: [String]
    var skipped: [SkippedPathJSON]
    /// Claude Code's worktree hooks in .claude/settings.json; null for the opencode layout or
    /// with --no-worktree-hooks.
    var claudeHooks: ClaudeHooksJSON?

    enum CodingKeys: String, CodingKey { case root, layout, written, skipped, claudeHooks = "claude_hooks" }
}

/// `{"settings","gorch","action","detail"}`: what happened to the WorktreeCreate and
/// WorktreeRemove hooks; `detail` says why they were skipped (null otherwise).
struct ClaudeHooksJSON: Encodable {
    var settings: String
    var gorch: String
    var action: String
    var detail: String?
}
