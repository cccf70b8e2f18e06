import Adapters
import Foundation
import GitKit

/// The command context: one command's view of a repository, resolved once when the command
/// starts and handed to every service and nested step (run -> done, loop -> merge, merge ->
/// cleanup and sync): the main repository handle (objects on disk), gorch's paths under the
/// common git dir, the tracker and its store, the settings, and the target. Nothing below the
/// CLI resolves the target or detects the tracker again; a step on another thread opens its own
/// repository handle with `reopened()`, which carries the same choices (`context`).
public final class Workspace {
    /// The main repository, opened at its common git dir so the main checkout is the work tree
    /// even when gorch runs inside a task worktree.
    public let repository: Repository
    public let paths: GorchPaths
    public let store: any TaskStore
    /// Where tasks live (DESIGN.md "Global options": Beads when `bd` is on PATH and `.beads/`
    /// exists in the main checkout, unless `gorch.tracker` says otherwise).
    public let tracker: Tracker
    /// The bd client in Beads mode (calls serialised by `.git/gorch/bd.lock`).
    public let beads: BeadsClient?
    /// The `gorch.*` settings, read and checked once (a bad value is a usage error up front).
    public let settings: Settings
    /// How long one call of bd, bv or openspec may take (`gorch.toolTimeout`, default 60 s);
    /// a call that takes longer is stopped and reported as timed out.
    public var toolTimeout: Duration { settings.toolTimeout }

    public enum Tracker: String, Sendable { case embedded, beads }

    /// `--target` as given (nil: DESIGN.md's rule), and the branch it resolved to on first use.
    private let requestedTarget: String?
    /// `--remote`, else `gorch.remote`: the git remote this command moves code through, if any.
    public let remote: String?
    private var resolvedTarget: String?

    /// What a workspace was resolved to, as a value another thread can open again: the same
    /// repository, target, tracker and settings, without detecting or reading them anew.
    public struct Context: Sendable {
        public let location: String
        public let requestedTarget: String?
        public let remote: String?
        public let resolvedTarget: String?
        public let tracker: Tracker
        public let settings: Settings
    }

    /// This workspace's choices, the target resolved first when it can be, so every copy agrees.
    public var context: Context {
        _ = try? target()
        return Context(location: repository.commonDirectory, requestedTarget: requestedTarget, remote: remote, resolvedTarget: resolvedTarget,
                tracker: tracker, settings: settings)
    }

    /// Opens the repository at or above `path` (a task worktree works too); `target` is the
    /// command line's `--target`, resolved on first use by `target()`.
    public init(discoverFrom path: String, target: String? = nil, remote: String? = nil) throws {
        requestedTarget = target
        let found: Repository
        do {
            found = try Repository.discover(from: path)
        } catch let error as GitError where error.code == .notFound {
            throw GorchError.notARepository(path: path, detail: error.message)
        }
        repository = found.isLinkedWorktree ? try Repository.open(at: found.commonDirectory) : found
        paths = GorchPaths(commonDirectory: repository.commonDirectory,
                           mainWorkTree: repository.workingDirectory.map(Self.trimmingSlash))
        PrivateState.tighten(root: paths.root) // a .git/gorch made before it was private becomes so now
        settings = try Settings(repository)
        self.remote = remote ?? settings.remote
        let (tracker, beads) = try Self.detectTracker(settings, paths)
        self.tracker = tracker
        self.beads = beads
        if let beads {
            store = BeadsTaskStore(client: beads, paths: paths)
        } else {
            store = EmbeddedTaskStore(paths: paths)
        }
    }

    /// The workspace `context` was taken from, opened again (another thread's repository handle).
    public init(_ context: Context) throws {
        repository = try Repository.open(at: context.location)
        paths = GorchPaths(commonDirectory: repository.commonDirectory,
                           mainWorkTree: repository.workingDirectory.map(Self.trimmingSlash))
        requestedTarget = context.requestedTarget
        remote = context.remote
        resolvedTarget = context.resolvedTarget
        settings = context.settings
        tracker = context.tracker
        if context.tracker == .beads, let main = paths.mainWorkTree {
            let client = BeadsClient(Self.beadsConfig(main, paths, timeout: context.settings.toolTimeout))
            beads = client
            store = BeadsTaskStore(client: client, paths: paths)
        } else {
            beads = nil
            store = EmbeddedTaskStore(paths: paths)
        }
    }

    /// A workspace of its own for another thread (libgit2 wants one repository handle per
    /// thread): same repository, target, tracker and settings.
    public func reopened() throws -> Workspace {
        try Workspace(context)
    }

    private static func detectTracker(_ settings: Settings, _ paths: GorchPaths) throws -> (Tracker, BeadsClient?) {
        let configured = settings.tracker
        guard let main = paths.mainWorkTree, configured != .embedded else { return (.embedded, nil) }
        let client = BeadsClient(beadsConfig(main, paths, timeout: settings.toolTimeout))
        if configured == .beads {
            guard client.isInstalled else {
                throw GorchFailure(.environment, "gorch.tracker is beads but bd is not on PATH",
                                   hint: "install bd (https://github.com/steveyegge/beads) or `git config gorch.tracker embedded`")
            }
            return (.beads, client)
        }
        var isDirectory: ObjCBool = false
        let hasBeads = FileManager.default.fileExists(atPath: (main as NSString).appendingPathComponent(".beads"), isDirectory: &isDirectory)
            && isDirectory.boolValue
        return hasBeads && client.isInstalled ? (.beads, client) : (.embedded, nil)
    }

    private static func beadsConfig(_ main: String, _ paths: GorchPaths, timeout: Duration) -> BeadsConfig {
        var config = BeadsConfig(workingDirectory: main)
        config.lockPath = (paths.root as NSString).appendingPathComponent("bd.lock")
        config.timeout = timeout
        return config
    }

    /// beads_viewer, run in `directory`, bounded by `toolTimeout`.
    public func viewer(in directory: String) -> BeadsViewerClient {
        BeadsViewerClient(workingDirectory: directory, timeout: toolTimeout)
    }

    /// OpenSpec's CLI, run in `directory`, bounded by `toolTimeout`.
    public func openSpec(in directory: String) -> OpenSpecClient {
        OpenSpecClient(workingDirectory: directory, timeout: toolTimeout)
    }

    /// The branch tasks merge into, by DESIGN.md's rule from the command's `--target`; it must be
    /// an existing local branch, since gorch moves it. Resolved once: every later call, and every
    /// `reopened()` copy, returns the same name.
    public func target() throws -> String {
        if let resolvedTarget { return resolvedTarget }
        let name = try TargetResolver.resolve(explicit: requestedTarget, in: repository)
        guard try repository.branchTarget(name) != nil else {
            if (try? repository.resolveCommit(name)) != nil {
                throw GorchFailure(.environment, "target '\(name)' is not a local branch",
                                   hint: "tasks merge into a branch gorch can move: pass --target with a local branch, e.g. --target main")
            }
            throw GorchError.unknownTarget(name)
        }
        resolvedTarget = name
        return name
    }

    /// The main checkout's top directory; a bare repository has none.
    public func requireMainWorkTree(for action: String) throws -> String {
        guard let path = paths.mainWorkTree else {
            throw GorchFailure(.environment, "\(action) needs a work tree, but \(repository.commonDirectory) is a bare repository",
                               hint: "run gorch in a clone with a checkout (git clone without --bare), or pass --repo to one")
        }
        return path
    }

    /// The work tree that has `branch` checked out (the main checkout or a linked worktree), if any.
    public func checkout(of branch: String) throws -> String? {
        if let main = paths.mainWorkTree, try repository.headBranch() == branch { return main }
        for worktree in try repository.worktrees() where worktree.isValid {
            guard let opened = try? Repository.open(at: worktree.path) else { continue }
            if try opened.headBranch() == branch { return Self.trimmingSlash(worktree.path) }
        }
        return nil
    }

    /// The linked worktree registered for a task, if git knows one by its name.
    public func taskWorktree(_ id: TaskID) throws -> Worktree? {
        try repository.worktree(named: id.worktreeName)
    }

    /// The commit a task branch points at; nil when the branch is gone.
    public func taskTip(_ id: TaskID) throws -> OID? {
        try repository.branchTarget(id.branch)
    }

    /// Like taskTip, but a missing branch is an error that says what happened and what to do:
    /// when the task's worktree is still there, its HEAD log names the last commit made in it,
    /// and the hint gives the command that restores the branch there.
    public func requireTaskTip(_ id: TaskID) throws -> OID {
        guard let tip = try taskTip(id) else {
            let worktree = (try? taskWorktree(id)).flatMap { $0?.isValid == true ? $0 : nil }
            let last = worktree.flatMap { try? Repository.open(at: $0.path).lastReflogTarget() }
            let restore = last.map { "`git branch \(id.branch) \($0.hex)` restores it at the last commit of its worktree" }
                ?? "recreate it (`git branch \(id.branch) <commit>`) if its commits matter"
            throw GorchFailure(.environment, "branch \(id.branch) of task \(id) does not exist (deleted by hand?)",
                               hint: restore + ", or drop the task's leftovers with `gorch cleanup --stale`")
        }
        return tip
    }

    static func trimmingSlash(_ path: String) -> String {
        path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }
}
