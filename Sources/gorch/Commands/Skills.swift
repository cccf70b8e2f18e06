import ArgumentParser
import Foundation
import GorchCore

/// `gorch skills`: the workflow's agent skills (only `install` today).
struct Skills: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "skills",
        abstract: "Install the gorch workflow as agent skills (Claude Code, opencode).",
        subcommands: [SkillsInstall.self]
    )
}

/// `gorch skills install`: writes the six workflow skills as SKILL.md files and, for Claude
/// Code, the worktree hooks in .claude/settings.json.
///
/// The root's global options reach this grandchild through `@ParentCommand var root: Gorch`:
/// argument-parser 1.8.2 finds a parent by type among every command decoded before this one.
struct SkillsInstall: GorchCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Write the six workflow skills as SKILL.md files that call gorch.",
        discussion: """
            Skills: \(SkillCatalog.all.map(\.name).joined(separator: ", ")). Layouts: claude writes \
            .claude/skills/<name>/SKILL.md, opencode writes .opencode/skill/<name>/SKILL.md (default: \
            opencode when the root has an .opencode/ folder and no .claude/ folder, else claude). The \
            root is the repository's main checkout, or --dir (no repository needed then; --dir ~ \
            installs Claude Code skills for every project). A file gorch wrote is updated; a file \
            someone changed, or that gorch did not write, is kept unless --force. The claude layout \
            also adds WorktreeCreate and WorktreeRemove hooks to .claude/settings.json that run \
            `<absolute path of gorch> claude-hook worktree-create|worktree-remove`, so `claude \
            --worktree <id>` and isolated subagents work in gorch task worktrees; the file is \
            merged (other settings and hooks kept) and skipped when those events already run \
            another command (--no-worktree-hooks leaves it alone). Running it again writes nothing.
            """
    )

    @OptionGroup(title: "Global Options") var local: GlobalOptions
    @ParentCommand var root: Gorch

    @Option(help: ArgumentHelp("Folder to install into (default: the repository's main checkout).", valueName: "path"))
    var dir: String?
    @Option(help: ArgumentHelp("Skill layout (default: opencode when the root has .opencode/ and no .claude/, else claude).", valueName: "layout"))
    var layout: Layout?
    @Flag(help: "Overwrite skill files that were changed since gorch wrote them.") var force = false
    @Flag(help: "Do not add Claude Code's WorktreeCreate/WorktreeRemove hooks to .claude/settings.json.")
    var noWorktreeHooks = false

    enum Layout: String, ExpressibleByArgument, CaseIterable {
        case claude, opencode
    }

    func run() async throws {
        let directory = try installRoot()
        let chosen = layout.map { SkillLayout(rawValue: $0.rawValue)! } ?? SkillLayout.detected(in: directory)
        // The settings file first: a malformed one stops the install before any skill is written.
        let gorch = GorchExecutable.path
        let hooks = chosen == .claude && !noWorktreeHooks
            ? try ClaudeSettingsInstaller(root: directory, gorchPath: gorch).install() : nil
        let report = try SkillInstaller(root: directory, layout: chosen, force: force).install()
        if global.json {
            try JSONOut.print(SkillsJSON(root: report.root, layout: report.layout.rawValue, written: report.written,
                                         skipped: report.skipped.map { SkippedPathJSON(path: $0.path, reason: $0.reason) },
                                         claudeHooks: hooks.map { ClaudeHooksJSON(settings: $0.path, gorch: gorch,
                                                                                  action: $0.action.rawValue, detail: $0.detail) }))
            return
        }
        Output.line("skills (\(report.layout.rawValue)) in \((report.root as NSString).appendingPathComponent(report.layout.directory))")
        Output.lines(report.written.map { "  + \(relative($0, to: report.root))" })
        Output.lines(report.skipped.map { "  = \(relative($0.path, to: report.root)): \($0.reason)" })
        if let hooks {
            let what = "Claude Code worktree hooks in \(relative(hooks.path, to: report.root))"
            switch hooks.action {
            case .added, .updated: Output.line("  + \(what) (\(hooks.action.rawValue)): run \(gorch) claude-hook")
            case .unchanged: break
            case .skipped: Output.line("  = \(what): \(hooks.detail ?? "skipped")")
            }
        }
        if report.written.isEmpty && report.skipped.allSatisfy({ $0.reason == SkillInstaller.upToDate })
            && (hooks == nil || hooks?.action == .unchanged) {
            Output.line("already installed: nothing changed")
        }
    }

    /// `--dir` made absolute, else the main checkout of the repository (`--repo` or discovered).
    private func installRoot() throws -> String {
        if let dir {
            let expanded = (dir as NSString).expandingTildeInPath
            let absolute = expanded.hasPrefix("/") ? expanded
                : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(expanded)
            return (absolute as NSString).standardizingPath
        }
        return try openWorkspace().requireMainWorkTree(for: "gorch skills install")
    }

    private func relative(_ path: String, to root: String) -> String {
        let prefix = root.hasSuffix("/") ? root : root + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}
