/// One agent skill of the gorch workflow: a name, the one-line description an agent reads to
/// decide when to use it, and the Markdown instructions.
///
/// Claude Code (`.claude/skills/<name>/SKILL.md`) and opencode (`.opencode/skill/<name>/SKILL.md`)
/// read the same file shape: YAML front matter with `name` and `description`, then Markdown.
public struct Skill: Sendable, Equatable {
    /// Lowercase letters, digits and hyphens: the folder name, as both agents require.
    public let name: String
    public let description: String
    public let body: String

    public init(name: String, description: String, body: String) {
        self.name = name
        self.description = description
        self.body = body
    }

    /// The file as gorch writes it: front matter (with the stamp line) and body.
    public var fileText: String {
        let unstamped = Self.frontMatter(name: name, description: description, stamp: nil) + body
        return Self.frontMatter(name: name, description: description, stamp: SkillStamp.digest(of: unstamped)) + body
    }

    /// `description` is written as a YAML double-quoted scalar, so a colon or `#` in it is safe.
    static func frontMatter(name: String, description: String, stamp: String?) -> String {
        let quoted = description.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        var lines = ["---", "name: \(name)", "description: \"\(quoted)\""]
        if let stamp { lines.append(SkillStamp.line(stamp)) }
        lines.append("---")
        return lines.joined(separator: "\n") + "\n\n"
    }
}
