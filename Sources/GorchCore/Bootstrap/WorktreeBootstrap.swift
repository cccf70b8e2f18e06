import Adapters
import Foundation
import GitKit

/// The copy/setup/port bootstrap of a freshly created worktree (DESIGN.md "start"):
///
/// 1. Copy: every `gorch.copy` glob (multi-valued, relative to the main checkout) names files the
///    checkout does not bring: ignored or untracked files (`.env`, `config/*.local.json`) are
///    copied to the same relative path in the new worktree, keeping their mode; a directory is
///    copied recursively by the same rules. Tracked files are left out (they come with the
///    checkout), an existing file in the worktree is never overwritten, and a symlink is copied as
///    a symlink only when its target resolves inside the repository: one pointing outside
///    (`.env -> /etc/passwd`, `../secrets`) is neither followed nor copied, but reported skipped.
///    A `.worktreeinclude` at the top of the main checkout (Claude Code's convention, `.gitignore`
///    syntax) adds every file it matches that git ignores, copied by the same rules
///    (`WorktreeInclude`).
/// 2. Port: a stable free TCP port per task (`GORCH_PORT`), see `PortAllocator`.
/// 3. Setup: every `gorch.setup` command (multi-valued), in order, as `sh -c` in the worktree with
///    `GORCH_TASK_ID`, `GORCH_WORKTREE`, `GORCH_BRANCH`, `GORCH_PORT` set and the placeholders
///    `{id}`, `{title}`, `{branch}`, `{worktree}`, `{port}` replaced shell-quoted; each limited by
///    `gorch.setupTimeout` (default 10m), output appended to `.git/gorch/logs/<id>.setup.log`.
///    The first failing command stops the rest (later ones usually depend on it).
///
/// Failure policy: the bootstrap never deletes or undoes anything, and a failure in it never
/// fails `gorch start` (exit 0): the worktree exists and the task is started, so failing start
/// would only hide the path from `cd "$(gorch start ID)"`. Every problem (a failing or timed-out
/// setup command, naming its log; a copy that could not be made; a port that could not be
/// allocated; a bad `gorch.setupTimeout`) becomes a warning in `Outcome.warnings`, which start
/// prints on stderr and puts in its JSON `warnings`. Fix the cause and run the setup by hand in
/// the worktree (the bootstrap runs only when start creates the worktree). `apply` throws only
/// when cancelled.
public struct WorktreeBootstrap {
    let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    /// A path matched by `gorch.copy` that was not copied, and why.
    public struct Skip: Sendable, Equatable {
        public let path: String
        public let reason: String
        public init(path: String, reason: String) {
            self.path = path
            self.reason = reason
        }
    }

    /// One `gorch.setup` command as run.
    public struct SetupStep: Sendable, Equatable {
        /// The configured command (before placeholder expansion).
        public let command: String
        /// nil when killed by a signal or not started.
        public let exitCode: Int32?
        public let timedOut: Bool
        public let seconds: Double
        public var succeeded: Bool { exitCode == 0 && !timedOut }
    }

    public struct Outcome: Sendable {
        /// Relative paths copied from the main checkout (files and symlinks, not directories).
        public let copied: [String]
        public let skipped: [Skip]
        /// `GORCH_PORT`; nil when no port could be allocated (see warnings).
        public let port: Int?
        /// The setup commands run, in order; stops after the first failure.
        public let setup: [SetupStep]
        /// Where the setup output went; nil when no setup is configured.
        public let setupLog: String?
        public let warnings: [String]
    }

    /// Copy, port, setup for a task worktree that `gorch start` just created.
    public func apply(to worktree: String, task: TaskID, branch: String, title: String? = nil) async throws -> Outcome {
        var warnings: [String] = []
        var port: Int?
        do {
            port = try Self.port(for: task, workspace: workspace)
        } catch {
            warnings.append("no GORCH_PORT for \(task): \(Self.describe(error))")
        }
        return try await run(worktree: worktree, task: task, branch: branch, title: title, port: port,
                             log: Self.setupLog(workspace.paths, name: task.rawValue), warnings: warnings)
    }

    /// Copy and setup for the merge coordinator's validation worktree when it is (re)created;
    /// `GORCH_TASK_ID` is the task being validated, `GORCH_PORT` the validation worktree's own
    /// stable port (not the task's: its own dev server may hold that one).
    public func applyToValidationWorktree(_ worktree: String, validating task: TaskID, branch: String,
                                          title: String? = nil, lane: Int = 1) async throws -> Outcome {
        let key = PortAllocator.validationKey(lane: lane)
        var warnings: [String] = []
        var port: Int?
        do {
            port = try PortAllocator(workspace: workspace).port(forKey: key)
        } catch {
            warnings.append("no GORCH_PORT for the validation worktree: \(Self.describe(error))")
        }
        return try await run(worktree: worktree, task: task, branch: branch, title: title, port: port,
                             log: Self.setupLog(workspace.paths, name: key), warnings: warnings)
    }

    /// The task's stable port (allocated on first use, persisted in `.git/gorch/ports.json`).
    public static func port(for task: TaskID, workspace: Workspace) throws -> Int {
        try PortAllocator(workspace: workspace).port(forKey: task.rawValue)
    }

    /// Frees the task's port (after merge or cleanup); a task without one is fine.
    public static func release(_ task: TaskID, workspace: Workspace) throws {
        try PortAllocator(workspace: workspace).release(key: task.rawValue)
    }

    /// `.git/gorch/logs/<id>.setup.log` (`.validate.setup.log` for the validation worktree).
    public static func setupLog(_ paths: GorchPaths, name: String) -> String {
        (paths.logs as NSString).appendingPathComponent("\(name).setup.log")
    }

    // MARK: - Steps

    private func run(worktree: String, task: TaskID, branch: String, title: String?, port: Int?,
                     log: String, warnings initial: [String]) async throws -> Outcome {
        var warnings = initial
        let repository = workspace.repository
        var copied: [String] = []
        var skipped: [Skip] = []
        if let main = workspace.paths.mainWorkTree {
            do {
                let globs = try repository.configValues("gorch.copy")
                let includeFile = (main as NSString).appendingPathComponent(WorktreeInclude.fileName)
                let include = (try? String(contentsOfFile: includeFile, encoding: .utf8)).map(WorktreeInclude.init)
                if !globs.isEmpty || include != nil {
                    let copier = BootstrapCopier(repository: repository, source: main, destination: worktree)
                    let result = copier.copy(globs, include: include, ignores: include == nil ? nil : try Repository.open(at: main))
                    copied = result.copied
                    skipped = result.skipped
                    warnings += result.warnings
                }
            } catch {
                warnings.append("gorch.copy: \(Self.describe(error))")
            }
        }

        var steps: [SetupStep] = []
        var usedLog: String?
        let commands: [String]
        do { commands = try repository.configValues("gorch.setup").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty } } catch {
            commands = []
            warnings.append("gorch.setup: \(Self.describe(error))")
        }
        if !commands.isEmpty {
            usedLog = log
            let timeout = workspace.settings.setupTimeout
            var environment = ["GORCH_TASK_ID": task.rawValue, "GORCH_WORKTREE": worktree, "GORCH_BRANCH": branch]
            var values = ["id": task.rawValue, "title": title ?? task.rawValue, "branch": branch, "worktree": worktree]
            if let port {
                environment["GORCH_PORT"] = String(port)
                values["port"] = String(port)
            }
            for command in commands {
                try Task.checkCancellation()
                let request = ShellRequest(command: ShellQuoting.expand(command, values), workingDirectory: worktree,
                                           environment: environment, timeout: timeout, logPath: log)
                do {
                    let outcome = try await ShellCommand.run(request)
                    let seconds = Double(outcome.duration.components.seconds)
                        + Double(outcome.duration.components.attoseconds) / 1e18
                    steps.append(SetupStep(command: command, exitCode: outcome.exitCode, timedOut: outcome.timedOut, seconds: seconds))
                    if !outcome.succeeded {
                        let how = outcome.timedOut ? "timed out" : outcome.exitCode.map { "exited \($0)" } ?? "was killed"
                        warnings.append("setup `\(command)` \(how); the worktree is kept, see \(log) "
                                        + "(fix it and run the setup by hand in \(worktree))")
                        break
                    }
                } catch let error as ShellCommandError {
                    steps.append(SetupStep(command: command, exitCode: nil, timedOut: false, seconds: 0))
                    warnings.append("setup `\(command)` could not run: \(error.message); the worktree is kept")
                    break
                }
            }
        }
        return Outcome(copied: copied, skipped: skipped, port: port, setup: steps, setupLog: usedLog, warnings: warnings)
    }

    static func describe(_ error: any Error) -> String {
        if let failure = error as? GorchFailure { return failure.message + (failure.hint.map { " (\($0))" } ?? "") }
        if let git = error as? GitError { return git.message }
        return "\(error)"
    }
}
