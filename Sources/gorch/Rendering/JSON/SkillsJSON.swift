/// `gorch skills install --json` (docs/schema/skills.json).
struct SkillsJSON: Encodable {
    var root: String
    var layout: String
    var written: [String]
    var skipped: [SkippedPathJSON]
}
