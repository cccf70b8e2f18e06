import ArgumentParser
import Foundation
import GorchCore

/// `gorch hooks install|uninstall|status`: the git hooks that run `gorch hook <name>`.
struct Hooks: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hooks",
        abstract: "Install, remove or show the git hooks (post-merge, post-checkout, post-rewrite) that run gorch.",
        discussion: """
            Each hook gets a marked section (# --- BEGIN GORCH --- ... # --- END GORCH ---) right \
            after its shebang line that runs `<absolute path of gorch> hook <name> "$@"`, falling \
            back to gorch on PATH, and never fails the hook. Existing hooks (yours, bd's) are kept \
            and still run; uninstall restores them byte for byte. The hooks folder is core.hooksPath \
            when set, else .git/hooks.
            """,
        subcommands: [HooksInstall.self, HooksUninstall.self, HooksStatus.self]
    )
}

/// `gorch hooks install`.
///
/// JSON: `{"hooks_dir","gorch","changes":[{"hook","path","action","detail"}]}`; `action` is
/// `created`, `chained` (inserted into an existing hook), `updated` (re-pointed at a moved gorch),
/// `unchanged` or `skipped` (a symbolic link, a non-shell script or a non-executable hook: `detail`
/// says why and what to do). `detail` is null when there is nothing to add.
struct HooksInstall: GorchCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Install gorch's section into the post-merge, post-checkout and post-rewrite hooks (safe to re-run).",
        discussion: """
            The section runs this gorch by its absolute path (gorch on PATH when that file is gone). \
            The original of every hook gorch touches is kept in .git/gorch/hooks-backup/ for \
            `gorch hooks uninstall`. Running it again changes nothing, unless gorch moved.
            """
    )

    @OptionGroup(title: "Global Options") var local: GlobalOptions
    @ParentCommand var root: Gorch

    func run() async throws {
        let installer = HookInstaller(workspace: try openWorkspace())
        let gorch = GorchExecutable.path
        let changes = try installer.install(gorchPath: gorch)
        if global.json {
            try JSONOut.print(HooksChangesJSON(hooksDir: installer.hooksDirectory, gorch: gorch, changes: changes.map(HookChangeJSON.init)))
            return
        }
        Output.line("hooks in \(installer.hooksDirectory) run \(gorch)")
        HooksJSON.printChanges(changes, nothing: "already installed: nothing changed")
    }
}

/// `gorch hooks uninstall`.
///
/// JSON: `{"hooks_dir","changes":[{"hook","path","action","detail"}]}`; `action` is `restored`
/// (the hook as it was before install, byte for byte and mode), `removed` (the file gorch had
/// created), `stripped` (edited since install: only gorch's section taken out) or `unchanged`.
struct HooksUninstall: GorchCommand {
    static let configuration = CommandConfiguration(
        commandName: "uninstall",
        abstract: "Take gorch's section out of the hooks, restoring them as they were before install."
    )

    @OptionGroup(title: "Global Options") var local: GlobalOptions
    @ParentCommand var root: Gorch

    func run() async throws {
        let installer = HookInstaller(workspace: try openWorkspace())
        let changes = try installer.uninstall()
        if global.json {
            try JSONOut.print(HooksChangesJSON(hooksDir: installer.hooksDirectory, gorch: nil, changes: changes.map(HookChangeJSON.init)))
            return
        }
        HooksJSON.printChanges(changes, nothing: "no gorch hooks installed: nothing changed")
    }
}

/// `gorch hooks status`.
///
/// JSON: `{"hooks_dir","installed","hooks":[{"hook","path","state","gorch","detail"}]}`;
/// `installed` is true when every hook has gorch's section; `state` is `installed`, `missing` (no
/// hook file) or `foreign` (a hook without gorch's section); `gorch` is the absolute path the
/// section runs (null unless installed); `detail` names a problem (null when none).
struct HooksStatus: GorchCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show whether each hook runs gorch."
    )

    @OptionGroup(title: "Global Options") var local: GlobalOptions
    @ParentCommand var root: Gorch

    func run() async throws {
        let installer = HookInstaller(workspace: try openWorkspace())
        let states = try installer.status()
        let all = states.allSatisfy { $0.state == .installed }
        if global.json {
            try JSONOut.print(HooksStatusJSON(hooksDir: installer.hooksDirectory, installed: all, hooks: states.map {
                .init(hook: $0.hook, path: $0.path, state: $0.state.rawValue, gorch: $0.gorchPath, detail: $0.detail)
            }))
            return
        }
        Output.line("hooks in \(installer.hooksDirectory)")
        for state in states {
            var line = "  \(state.hook.padding(toLength: 14, withPad: " ", startingAt: 0)) \(state.state.rawValue)"
            if let gorch = state.gorchPath { line += " (\(gorch))" }
            if let detail = state.detail { line += ": \(detail)" }
            Output.line(line)
        }
        if !all { Output.line("install them with `gorch hooks install`") }
    }
}

/// Shared rendering of hook changes.
enum HooksJSON {
    static func printChanges(_ changes: [HookChange], nothing: String) {
        if !changes.contains(where: \.changed), !changes.contains(where: { $0.action == .skipped }) {
            return Output.line(nothing)
        }
        for change in changes {
            Output.line("  \(change.hook.padding(toLength: 14, withPad: " ", startingAt: 0)) \(change.action.rawValue)"
                        + (change.detail.map { ": \($0)" } ?? ""))
        }
    }
}

/// The absolute path of the running gorch, for the hooks to call: `CommandLine.arguments[0]` made
/// absolute (looked up on PATH when it is a bare name), symbolic links kept, so a stable link such
/// as /usr/local/bin/gorch survives an upgrade that moves the real file; else /proc/self/exe.
enum GorchExecutable {
    static var path: String {
        let argument = CommandLine.arguments.first ?? ""
        var candidate: String?
        if argument.contains("/") {
            candidate = argument.hasPrefix("/") ? argument
                : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(argument)
        } else if !argument.isEmpty {
            let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
            candidate = path.split(separator: ":").filter { $0.hasPrefix("/") }
                .map { ($0 as NSString).appendingPathComponent(argument) }
                .first { FileManager.default.isExecutableFile(atPath: $0) }
        }
        if let candidate, FileManager.default.isExecutableFile(atPath: candidate) {
            return (candidate as NSString).standardizingPath
        }
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"), exe.hasPrefix("/") {
            return exe
        }
        return Bundle.main.executablePath ?? "gorch"
    }
}
