import Foundation

/// Claude Code's `WorktreeCreate` and `WorktreeRemove` hooks, pointed at `gorch claude-hook`,
/// merged into `<root>/.claude/settings.json` (`gorch skills install`).
///
/// The user's file is edited, never replaced: every other setting and hook stays, keys keep
/// their order (`OrderedJSON`), and a file that already has gorch's two hooks is not rewritten.
/// A settings file that is not a JSON object is an error naming it, and nothing is written.
///
/// Claude Code runs every hook configured for an event, and a `WorktreeCreate` hook replaces
/// git's worktree creation (https://code.claude.com/docs/en/hooks#worktreecreate), so a second
/// one would race gorch's; and someone else's `WorktreeRemove` could delete a worktree gorch
/// keeps for its unmerged commits. When either event already runs another command, neither
/// hook is installed and the report says why.
public struct ClaudeSettingsInstaller: Sendable {
    public enum Action: String, Sendable {
        /// The hooks were added (the file may have been created).
        case added
        /// gorch's hooks were there with another gorch path (gorch moved): re-pointed.
        case updated
        case unchanged
        /// Not installed; `detail` says why.
        case skipped
    }

    public struct Report: Sendable, Equatable {
        public let path: String
        public let action: Action
        public let detail: String?
    }

    /// Each hook event and the `gorch claude-hook` subcommand it runs.
    public static let events: [(event: String, subcommand: String)] = [
        ("WorktreeCreate", ClaudeWorktreeHook.createCommand),
        ("WorktreeRemove", ClaudeWorktreeHook.removeCommand),
    ]

    public let root: String
    /// The gorch the hooks run: an absolute path (see `command(for:)`).
    public let gorchPath: String

    public init(root: String, gorchPath: String) {
        self.root = root
        self.gorchPath = gorchPath
    }

    public var settingsPath: String {
        ((root as NSString).appendingPathComponent(".claude") as NSString).appendingPathComponent("settings.json")
    }

    /// The hook's command line: gorch by its absolute path, as `gorch hooks install` writes the
    /// git hooks, so a Claude Code started with another PATH (an IDE, a desktop app) still finds
    /// it; single-quoted when it needs quoting, which sh, bash, zsh and fish all read alike.
    public func command(for subcommand: String) -> String {
        "\(ShellQuoting.quote(gorchPath)) claude-hook \(subcommand)"
    }

    /// Whether a hook command is one gorch wrote for `subcommand`, whatever gorch path it names.
    static func isGorchCommand(_ command: String, _ subcommand: String) -> Bool {
        command.hasSuffix(" claude-hook \(subcommand)")
    }

    public func install() throws -> Report {
        let path = settingsPath
        var settings = try read(path)
        guard case .object(var members) = settings else {
            throw malformed(path, "it is not a JSON object")
        }
        var hooks: [OrderedJSON.Member] = []
        let hooksIndex = members.firstIndex { $0.key == "hooks" }
        if let hooksIndex {
            guard case .object(let existing) = members[hooksIndex].value else { throw malformed(path, "\"hooks\" is not an object") }
            hooks = existing
        }
        // First pass: what is there; nothing changes until every event has been looked at.
        var foreign: [String] = []
        for (event, subcommand) in Self.events {
            for command in try commands(in: hooks, event: event, path: path) where !Self.isGorchCommand(command, subcommand) {
                foreign.append("\(event) runs `\(command)`")
            }
        }
        if !foreign.isEmpty {
            return Report(path: path, action: .skipped,
                          detail: "\(foreign.joined(separator: "; ")): Claude Code would run it as well as gorch's; "
                              + "remove it from \(path) and install again to let gorch create Claude Code's worktrees")
        }
        var changed = false
        var added = false
        for (event, subcommand) in Self.events {
            let wanted = command(for: subcommand)
            if let index = hooks.firstIndex(where: { $0.key == event }), case .array(var groups) = hooks[index].value,
               let found = Self.locate(subcommand, in: groups) {
                guard case .object(var group) = groups[found.group], let list = group.firstIndex(where: { $0.key == "hooks" }),
                      case .array(var entries) = group[list].value, case .object(var entry) = entries[found.entry],
                      let field = entry.firstIndex(where: { $0.key == "command" }) else { continue }
                if entry[field].value == .string(wanted) { continue }
                entry[field].value = .string(wanted)
                entries[found.entry] = .object(entry)
                group[list].value = .array(entries)
                groups[found.group] = .object(group)
                hooks[index].value = .array(groups)
                changed = true
                continue
            }
            // No matcher: Claude Code ignores matchers on the worktree events (they always fire).
            let group = OrderedJSON.object([.init(key: "hooks", value: .array([.object([
                .init(key: "type", value: .string("command")),
                .init(key: "command", value: .string(wanted)),
            ])]))])
            if let index = hooks.firstIndex(where: { $0.key == event }), case .array(let groups) = hooks[index].value {
                hooks[index].value = .array(groups + [group])
            } else {
                hooks.append(.init(key: event, value: .array([group])))
            }
            changed = true
            added = true
        }
        guard changed else { return Report(path: path, action: .unchanged, detail: nil) }
        if let hooksIndex { members[hooksIndex].value = .object(hooks) } else { members.append(.init(key: "hooks", value: .object(hooks))) }
        settings = .object(members)
        // Project settings are read by Claude Code and usually shared in git: ordinary permissions.
        try AtomicFile.write(Data(settings.rendered.utf8), to: path, access: .ordinary)
        return Report(path: path, action: added ? .added : .updated, detail: nil)
    }

    /// The settings file as JSON; an absent or blank file is an empty object.
    private func read(_ path: String) throws -> OrderedJSON {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return .object([]) }
        guard !isDirectory.boolValue, let data = FileManager.default.contents(atPath: path) else {
            throw GorchFailure(.environment, "cannot read \(path)", hint: "it must be a readable file; move whatever is there aside")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw malformed(path, "it is not UTF-8 text") }
        if text.allSatisfy(\.isWhitespace) { return .object([]) }
        do {
            return try OrderedJSON.parse(text)
        } catch {
            throw malformed(path, "it is not valid JSON (\(error))")
        }
    }

    private func malformed(_ path: String, _ why: String) -> GorchFailure {
        GorchFailure(.environment, "cannot add Claude Code's worktree hooks to \(path): \(why); nothing was changed",
                     hint: "fix the file (Claude Code reads it too), or pass --no-worktree-hooks to install only the skills")
    }

    /// Every command configured for `event`, checking the shape on the way.
    private func commands(in hooks: [OrderedJSON.Member], event: String, path: String) throws -> [String] {
        guard let value = hooks.first(where: { $0.key == event })?.value else { return [] }
        guard case .array(let groups) = value else { throw malformed(path, "\"hooks\".\"\(event)\" is not an array") }
        var commands: [String] = []
        for group in groups {
            guard case .array(let entries)? = group["hooks"] else {
                throw malformed(path, "an entry of \"hooks\".\"\(event)\" has no \"hooks\" array")
            }
            for entry in entries {
                if case .string(let command)? = entry["command"] { commands.append(command) } else {
                    // An http, prompt or agent hook (no command) would still run for the event.
                    commands.append(entry["url"].flatMap { if case .string(let url) = $0 { url } else { nil } } ?? "a hook without a command")
                }
            }
        }
        return commands
    }

    /// The group and entry holding gorch's hook for `subcommand`.
    private static func locate(_ subcommand: String, in groups: [OrderedJSON]) -> (group: Int, entry: Int)? {
        for (g, group) in groups.enumerated() {
            guard case .array(let entries)? = group["hooks"] else { continue }
            for (e, entry) in entries.enumerated() {
                if case .string(let command)? = entry["command"], isGorchCommand(command, subcommand) { return (g, e) }
            }
        }
        return nil
    }
}
