import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `gorch hook <name> [args...]`: what an installed git hook runs. Syncs (as `gorch sync`) after
/// a merge, a branch checkout or a rewrite made outside gorch, and never fails: every error is
/// appended with a timestamp to `.git/gorch/logs/hooks.log`, and the caller exits 0.
///
/// - `GORCH_SKIP_HOOKS=1` returns at once.
/// - `post-merge` and `post-rewrite` always sync; `post-checkout` only for a branch checkout
///   (its third argument is `1`); any other hook name does nothing.
/// - Outside a repository, or in one where gorch was never used (no `.git/gorch/`), nothing happens.
/// - While another gorch command holds the repository lock (a `gorch merge` or `cleanup`), the
///   sync is skipped (logged): that command keeps the task records itself.
public struct HookRunner {
    public static let skipVariable = "GORCH_SKIP_HOOKS"
    /// Hooks that sync; the ones `HookInstaller` installs.
    public static let hooks = HookInstaller.hooks

    /// What a hook run did, for its one line on stderr.
    public struct Outcome: Sendable, Equatable {
        /// A short line for stderr when something was synced, failed or was skipped; nil when there
        /// was nothing to say.
        public let message: String?
        /// Whether the sync ran (false: skipped by variable, hook kind, no repository or lock).
        public let synced: Bool
        /// The merged task ids.
        public let merged: [String]
    }

    let directory: String
    let target: String?
    let environment: [String: String]

    /// - Parameters:
    ///   - directory: where the hook runs (git runs hooks at the top of the work tree).
    ///   - target: `--target`, else gorch's rule.
    public init(directory: String, target: String? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.directory = directory
        self.target = target
        self.environment = environment
    }

    /// Whether `hook` with `arguments` calls for a sync.
    public static func wantsSync(hook: String, arguments: [String]) -> Bool {
        switch hook {
        case "post-merge", "post-rewrite": true
        case "post-checkout": arguments.count >= 3 && arguments[2] == "1"
        default: false
        }
    }

    /// Runs the hook; never throws.
    public func run(hook: String, arguments: [String]) async -> Outcome {
        let nothing = Outcome(message: nil, synced: false, merged: [])
        if environment[Self.skipVariable] == "1" { return nothing }
        guard Self.wantsSync(hook: hook, arguments: arguments) else { return nothing }
        let workspace: Workspace
        do {
            workspace = try Workspace(discoverFrom: directory, target: target)
        } catch let error as GorchError {
            if case .notARepository = error { return nothing }
            return logFailure(error, hook: hook, arguments: arguments, logs: nil)
        } catch {
            return logFailure(error, hook: hook, arguments: arguments, logs: nil)
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: workspace.paths.root, isDirectory: &isDirectory), isDirectory.boolValue else {
            return nothing // gorch was never used in this repository
        }
        let logs = workspace.paths.logs
        let lock: RepoLock
        do {
            lock = try RepoLock.acquire(workspace.paths, command: "hook \(hook)", wait: 0)
        } catch {
            Self.append("\(([hook] + arguments).joined(separator: " ")): sync skipped: \(Self.describe(error))", to: logs)
            return Outcome(message: "gorch: sync skipped, another gorch command is running; run `gorch sync` when it is done",
                           synced: false, merged: [])
        }
        defer { lock.release() }
        do {
            let result = try await Syncer(workspace: workspace).sync(lockWait: nil)
            let merged = result.merged.map(\.rawValue)
            if !merged.isEmpty || !result.warnings.isEmpty {
                var entry = "\(([hook] + arguments).joined(separator: " ")): synced \(result.target)"
                if !merged.isEmpty { entry += "; merged \(merged.joined(separator: ", "))" }
                if !result.removed.isEmpty { entry += "; removed \(result.removed.joined(separator: ", "))" }
                if !result.ticked.isEmpty { entry += "; ticked \(result.ticked.joined(separator: ", "))" }
                for warning in result.warnings { entry += "\n  warning: \(warning)" }
                Self.append(entry, to: logs)
            }
            return Outcome(message: Self.summary(merged: merged, removed: result.removed), synced: true, merged: merged)
        } catch {
            return logFailure(error, hook: hook, arguments: arguments, logs: logs)
        }
    }

    /// "gorch: task x merged, worktree removed" and the like; nil when nothing was merged.
    static func summary(merged: [String], removed: [String]) -> String? {
        guard !merged.isEmpty else { return nil }
        let allRemoved = Set(merged).isSubset(of: Set(removed))
        if merged.count == 1 {
            return "gorch: task \(merged[0]) merged, " + (allRemoved ? "worktree removed" : "worktree kept (see `gorch status`)")
        }
        return "gorch: tasks \(merged.joined(separator: ", ")) merged, "
            + (allRemoved ? "worktrees removed" : "some worktrees kept (see `gorch status`)")
    }

    private func logFailure(_ error: any Error, hook: String, arguments: [String], logs: String?) -> Outcome {
        let description = Self.describe(error)
        let logs = logs ?? fallbackLogs()
        if let logs { Self.append("\(([hook] + arguments).joined(separator: " ")): error: \(description)", to: logs) }
        let firstLine = description.split(separator: "\n").first.map(String.init) ?? description
        let short = firstLine.count > 120 ? String(firstLine.prefix(117)) + "..." : firstLine
        return Outcome(message: "gorch: hook \(hook) failed (\(short)); see .git/gorch/logs/hooks.log", synced: false, merged: [])
    }

    /// Where to log when the workspace could not be opened: `$GIT_DIR/gorch/logs` (git sets
    /// GIT_DIR for hooks), when that gorch folder exists.
    private func fallbackLogs() -> String? {
        guard let gitDirectory = environment["GIT_COMMON_DIR"] ?? environment["GIT_DIR"] else { return nil }
        let absolute = gitDirectory.hasPrefix("/") ? gitDirectory : (directory as NSString).appendingPathComponent(gitDirectory)
        let root = (absolute as NSString).appendingPathComponent("gorch")
        return FileManager.default.fileExists(atPath: root) ? (root as NSString).appendingPathComponent("logs") : nil
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case let failure as GorchFailure: failure.message + (failure.hint.map { " (fix: \($0))" } ?? "")
        case let gorch as GorchError: gorch.message + " (fix: \(gorch.hint))"
        default: String(describing: error)
        }
    }

    /// Appends one timestamped entry to `<logs>/hooks.log` (best effort).
    static func append(_ entry: String, to logs: String) {
        let path = (logs as NSString).appendingPathComponent("hooks.log")
        let line = "\(Date().formatted(.iso8601)) \(entry)\n"
        let descriptor = PrivateState.open(path, O_WRONLY | O_APPEND)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        let bytes = Array(line.utf8)
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }
}
