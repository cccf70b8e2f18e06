import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What one hook install or uninstall did.
public struct HookChange: Sendable, Equatable {
    public enum Action: String, Sendable {
        /// install: there was no hook; gorch wrote a new file (`#!/bin/sh` + its section).
        case created
        /// install: gorch's section was inserted after the shebang line of an existing hook.
        case chained
        /// install: gorch's section was already there and was rewritten (gorch moved).
        case updated
        /// Nothing to do.
        case unchanged
        /// install: the hook was left alone (see `detail`: a symbolic link, not a shell script, not executable).
        case skipped
        /// uninstall: the original hook was put back byte for byte (and its mode).
        case restored
        /// uninstall: the file gorch had created was deleted.
        case removed
        /// uninstall: the hook was changed after install, so only gorch's section was taken out.
        case stripped
    }

    public let hook: String
    /// The hook file.
    public let path: String
    public let action: Action
    public let detail: String?

    public init(hook: String, path: String, action: Action, detail: String? = nil) {
        self.hook = hook
        self.path = path
        self.action = action
        self.detail = detail
    }

    /// Whether the file was written or deleted.
    public var changed: Bool { ![.unchanged, .skipped].contains(action) }
}

/// One hook as `gorch hooks status` sees it.
public struct HookState: Sendable, Equatable {
    public enum State: String, Sendable {
        /// The hook file has gorch's section.
        case installed
        /// There is no hook file.
        case missing
        /// A hook file without gorch's section (someone else's; `install` chains it when it can).
        case foreign
    }

    public let hook: String
    public let path: String
    public let state: State
    /// installed: the absolute gorch path the section runs.
    public let gorchPath: String?
    /// A problem worth telling (the recorded gorch is gone, the file is not executable, ...).
    public let detail: String?

    public init(hook: String, path: String, state: State, gorchPath: String?, detail: String?) {
        self.hook = hook
        self.path = path
        self.state = state
        self.gorchPath = gorchPath
        self.detail = detail
    }
}

/// Installs gorch's git hooks as marked sections in the repository's hook files, keeping whatever
/// else is there (a user's script, bd's `# --- BEGIN BEADS INTEGRATION` sections), and takes them
/// out again leaving the files exactly as they were.
///
/// The hooks directory is `core.hooksPath` when set (relative to the main work tree, `~/` expanded),
/// else `<common git dir>/hooks`. Before touching a hook the first time, its bytes and mode are
/// kept in `.git/gorch/hooks-backup/<name>` (or an empty `<name>.absent` when there was no hook);
/// uninstall puts them back byte for byte, or, when the hook was edited since, only removes
/// gorch's section. A symbolic link, a script for another interpreter (python, node) and a
/// non-executable (disabled) hook are left alone and reported as skipped.
public struct HookInstaller {
    public static let hooks = ["post-merge", "post-checkout", "post-rewrite"]

    let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    /// Where the hooks live.
    public var hooksDirectory: String {
        let configured = (try? workspace.repository.configString("core.hooksPath")) ?? nil
        guard let configured, !configured.isEmpty else {
            return (workspace.repository.commonDirectory as NSString).appendingPathComponent("hooks")
        }
        var path = configured
        if path == "~" || path.hasPrefix("~/") {
            let home = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
            path = home + path.dropFirst()
        }
        if !path.hasPrefix("/") {
            let base = workspace.paths.mainWorkTree ?? workspace.repository.commonDirectory
            path = (base as NSString).appendingPathComponent(path)
        }
        return (path as NSString).standardizingPath
    }

    var backupDirectory: String { (workspace.paths.root as NSString).appendingPathComponent("hooks-backup") }

    func hookPath(_ hook: String) -> String { (hooksDirectory as NSString).appendingPathComponent(hook) }

    /// Installs (or re-points) every hook's section at `gorchPath`. A second run changes nothing.
    public func install(gorchPath: String) throws -> [HookChange] {
        try locked { try Self.hooks.map { try install($0, gorchPath: gorchPath) } }
    }

    /// Takes gorch's sections out, restoring the hooks as they were before install.
    public func uninstall() throws -> [HookChange] {
        try locked { try Self.hooks.map { try uninstall($0) } }
    }

    /// Each hook's state.
    public func status() throws -> [HookState] {
        Self.hooks.map(state)
    }

    // MARK: one hook

    private func install(_ hook: String, gorchPath: String) throws -> HookChange {
        let path = hookPath(hook)
        let section = HookSection.text(hook: hook, gorchPath: gorchPath)
        switch try HookFile.read(path) {
        case .absent:
            try PrivateState.createDirectory(backupDirectory)
            try HookFile.write([], mode: PrivateState.fileMode, to: backup(hook, absent: true), replacing: backup(hook, absent: false))
            try HookFile.write(Array(HookSection.newFile(hook: hook, gorchPath: gorchPath).utf8), mode: 0o755, to: path)
            return HookChange(hook: hook, path: path, action: .created)
        case .symlink(let target):
            return HookChange(hook: hook, path: path, action: .skipped,
                              detail: "a symbolic link to \(target): gorch does not write through it; add `gorch hook \(hook) \"$@\" || true` to the script yourself")
        case .file(let bytes, let mode):
            if HookSection.contains(bytes) {
                let updated = HookSection.install(section, into: bytes)
                if updated == bytes { return HookChange(hook: hook, path: path, action: .unchanged) }
                try HookFile.write(updated, mode: mode, to: path)
                return HookChange(hook: hook, path: path, action: .updated, detail: "now runs \(gorchPath)")
            }
            guard HookSection.isShellScript(bytes) else {
                return HookChange(hook: hook, path: path, action: .skipped,
                                  detail: "not a shell script (\(HookSection.shebangLine(bytes) ?? "?")): add a call to `gorch hook \(hook)` to it yourself")
            }
            guard mode & 0o111 != 0 else {
                return HookChange(hook: hook, path: path, action: .skipped,
                                  detail: "not executable, so git does not run it: make it executable (chmod +x) and install again, or remove it")
            }
            // The backup keeps the hook's mode for uninstall to restore; it is private by its 0700 folder.
            try PrivateState.createDirectory(backupDirectory)
            try HookFile.write(bytes, mode: mode, to: backup(hook, absent: false), replacing: backup(hook, absent: true))
            try HookFile.write(HookSection.install(section, into: bytes), mode: mode, to: path)
            return HookChange(hook: hook, path: path, action: .chained, detail: "kept the existing hook; gorch's section runs first")
        }
    }

    private func uninstall(_ hook: String) throws -> HookChange {
        let path = hookPath(hook)
        defer { removeBackups(hook) }
        guard case .file(let bytes, let mode) = try HookFile.read(path), HookSection.contains(bytes) else {
            return HookChange(hook: hook, path: path, action: .unchanged)
        }
        let stripped = HookSection.strip(bytes)
        let absentMarker = backup(hook, absent: true)
        if FileManager.default.fileExists(atPath: absentMarker) {
            let created = HookSection.strip(Array(HookSection.newFile(hook: hook, gorchPath: "").utf8))
            if stripped == created {
                try HookFile.remove(path)
                return HookChange(hook: hook, path: path, action: .removed)
            }
        } else if case .file(let original, let originalMode) = try HookFile.read(backup(hook, absent: false)),
                  HookSection.strip(HookSection.install(HookSection.text(hook: hook, gorchPath: ""), into: original)) == stripped {
            try HookFile.write(original, mode: originalMode, to: path)
            return HookChange(hook: hook, path: path, action: .restored)
        }
        if stripped.allSatisfy({ $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: " ") })
            || stripped == Array(HookSection.shebang.utf8) {
            try HookFile.remove(path)
            return HookChange(hook: hook, path: path, action: .removed)
        }
        try HookFile.write(stripped, mode: mode, to: path)
        return HookChange(hook: hook, path: path, action: .stripped,
                          detail: "changed since install (or no backup): only gorch's section was removed")
    }

    private func state(_ hook: String) -> HookState {
        let path = hookPath(hook)
        switch (try? HookFile.read(path)) ?? .absent {
        case .absent:
            return HookState(hook: hook, path: path, state: .missing, gorchPath: nil, detail: nil)
        case .symlink(let target):
            let bytes = FileManager.default.contents(atPath: path).map { [UInt8]($0) } ?? []
            if HookSection.contains(bytes) {
                return HookState(hook: hook, path: path, state: .installed, gorchPath: HookSection.gorchPath(in: bytes),
                                 detail: "a symbolic link to \(target)")
            }
            return HookState(hook: hook, path: path, state: .foreign, gorchPath: nil, detail: "a symbolic link to \(target)")
        case .file(let bytes, let mode):
            guard HookSection.contains(bytes) else {
                return HookState(hook: hook, path: path, state: .foreign, gorchPath: nil,
                                 detail: HookSection.isShellScript(bytes) ? nil : "not a shell script: install skips it")
            }
            let gorch = HookSection.gorchPath(in: bytes)
            var problems: [String] = []
            if mode & 0o111 == 0 { problems.append("the hook file is not executable") }
            if let gorch, !FileManager.default.isExecutableFile(atPath: gorch) {
                problems.append("\(gorch) is gone (gorch on PATH is used; `gorch hooks install` re-points it)")
            }
            return HookState(hook: hook, path: path, state: .installed, gorchPath: gorch,
                             detail: problems.isEmpty ? nil : problems.joined(separator: "; "))
        }
    }

    // MARK: helpers

    private func backup(_ hook: String, absent: Bool) -> String {
        (backupDirectory as NSString).appendingPathComponent(absent ? hook + ".absent" : hook)
    }

    private func removeBackups(_ hook: String) {
        unlink(backup(hook, absent: true))
        unlink(backup(hook, absent: false))
        rmdir(backupDirectory) // only when empty
    }

    private func locked<T>(_ body: () throws -> T) throws -> T {
        try FileLock.withLock(at: (workspace.paths.root as NSString).appendingPathComponent("hooks.lock"),
                              waitingUpTo: 10, what: "hook installation", body)
    }
}

/// Reading and writing hook files with their exact bytes and mode.
enum HookFile {
    enum Content {
        case absent
        case symlink(String)
        case file([UInt8], mode: mode_t)
    }

    static func read(_ path: String) throws -> Content {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { return .absent }
            throw failure("cannot read \(path)", path)
        }
        if info.st_mode & S_IFMT == S_IFLNK {
            return .symlink((try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?")
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw GorchFailure(.environment, "\(path) is not a regular file", hint: "move it out of the way and run gorch hooks install again")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw failure("cannot read \(path)", path) }
        return .file([UInt8](data), mode: info.st_mode & 0o7777)
    }

    /// Writes `bytes` with exactly `mode` through a temp file and a rename; `replacing` is
    /// deleted afterwards (the other kind of backup).
    static func write(_ bytes: [UInt8], mode: mode_t, to path: String, replacing other: String? = nil) throws {
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw GorchFailure(.environment, "cannot create \(directory): \(error.localizedDescription)", hint: "check that it is writable")
        }
        let temporary = path + ".gorch-tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes)) else {
            throw failure("cannot write \(temporary)", directory)
        }
        guard chmod(temporary, mode) == 0, rename(temporary, path) == 0 else {
            let error = failure("cannot write \(path)", directory)
            unlink(temporary)
            throw error
        }
        if let other { unlink(other) }
    }

    static func remove(_ path: String) throws {
        guard unlink(path) == 0 || errno == ENOENT else { throw failure("cannot delete \(path)", path) }
    }

    private static func failure(_ message: String, _ path: String) -> GorchFailure {
        GorchFailure(.environment, "\(message): \(String(cString: strerror(errno)))",
                     hint: "check the permissions of \(path)")
    }
}
