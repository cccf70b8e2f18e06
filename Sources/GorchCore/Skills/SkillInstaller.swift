import Foundation

/// Where an agent looks for project skills.
public enum SkillLayout: String, Sendable, CaseIterable {
    /// Claude Code: `.claude/skills/<name>/SKILL.md`.
    case claude
    /// opencode: `.opencode/skill/<name>/SKILL.md`.
    case opencode

    /// The skills folder, relative to the root.
    public var directory: String {
        switch self {
        case .claude: ".claude/skills"
        case .opencode: ".opencode/skill"
        }
    }

    /// The layout to use in `root` when none is given: opencode when the root has an `.opencode/`
    /// folder and no `.claude/` folder, else Claude Code.
    public static func detected(in root: String) -> SkillLayout {
        func isDirectory(_ name: String) -> Bool {
            var directory: ObjCBool = false
            return FileManager.default.fileExists(atPath: (root as NSString).appendingPathComponent(name), isDirectory: &directory)
                && directory.boolValue
        }
        return isDirectory(".opencode") && !isDirectory(".claude") ? .opencode : .claude
    }
}

/// What `gorch skills install` did: every skill file is either written or skipped with a reason.
public struct SkillInstallReport: Sendable, Equatable {
    public struct Skipped: Sendable, Equatable {
        public let path: String
        public let reason: String
    }

    public let root: String
    public let layout: SkillLayout
    /// Absolute paths of the files written (created or replaced), in catalog order.
    public let written: [String]
    public let skipped: [Skipped]
}

/// Writes the workflow skills as files (no processes, no git).
///
/// Never loses an edit: a file is replaced only when it is byte for byte what some gorch version
/// wrote (its stamp matches, see `SkillStamp`) or with `force`; a file already up to date is left
/// alone, so a second run writes nothing.
public struct SkillInstaller: Sendable {
    public static let upToDate = "up to date"
    public static let changed = "changed since gorch wrote it: kept (--force overwrites)"
    public static let foreign = "not written by gorch: kept (--force overwrites)"

    public let root: String
    public let layout: SkillLayout
    public let force: Bool
    public let skills: [Skill]

    public init(root: String, layout: SkillLayout, force: Bool = false, skills: [Skill] = SkillCatalog.all) {
        self.root = root
        self.layout = layout
        self.force = force
        self.skills = skills
    }

    /// The file a skill goes to.
    public func path(of skill: Skill) -> String {
        [root, layout.directory, skill.name, "SKILL.md"].reduce("") { $0.isEmpty ? $1 : ($0 as NSString).appendingPathComponent($1) }
    }

    public func install() throws -> SkillInstallReport {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw GorchFailure(.usage, "cannot install skills into \(root): it is a file, not a folder",
                               hint: "pass --dir with a folder (the project root the agent runs in)")
        }
        var written: [String] = []
        var skipped: [SkillInstallReport.Skipped] = []
        for skill in skills {
            let path = path(of: skill)
            let text = skill.fileText
            if let reason = try reasonToKeep(path, wanted: text) {
                skipped.append(.init(path: path, reason: reason))
                continue
            }
            try AtomicFile.write(Data(text.utf8), to: path, access: .ordinary) // read by agents, kept in the project
            written.append(path)
        }
        return SkillInstallReport(root: root, layout: layout, written: written, skipped: skipped)
    }

    /// Why the existing file at `path` stays as it is, or nil to write it.
    private func reasonToKeep(_ path: String, wanted text: String) throws -> String? {
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            return nil   // absent: write it
        }
        let type = attributes[.type] as? FileAttributeType
        if type == .typeDirectory {
            throw GorchFailure(.environment, "cannot write \(path): a folder is in the way",
                               hint: "move or remove that folder, then run gorch skills install again")
        }
        // A symlink is the user's arrangement (a shared skills folder): never written through.
        guard type == .typeRegular, let data = FileManager.default.contents(atPath: path) else {
            return force ? nil : Self.foreign
        }
        let existing = String(decoding: data, as: UTF8.self)
        if existing == text { return Self.upToDate }
        if force || SkillStamp.isPristine(existing) { return nil }
        return existing.contains(SkillStamp.prefix) ? Self.changed : Self.foreign
    }
}
