import Adapters
import Foundation
import GitKit

/// One command's view of a repository: the main repository handle (objects on disk), gorch's
/// paths under the common git dir, the task store, and where branches are checked out.
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
    /// How long one call of bd, bv or openspec may take (`gorch.toolTimeout`, default 60 s);
    /// a call that takes longer is stopped and reported as timed out.
    public let toolTimeout: Duration

    public enum Tracker: String, Sendable { case embedded, beads }

    /// Opens the repository at or above `path` (a task worktree works too).
    public init(discoverFrom path: String) throws {
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
        toolTimeout = try DurationSetting.read(repository, key: "gorch.toolTimeout", default: .seconds(60))
        let (tracker, beads) = try Self.detectTracker(repository, paths, timeout: toolTimeout)
        self.tracker = tracker
        self.beads = beads
        if let beads {
            store = BeadsTaskStore(client: beads, paths: paths)
        } else {
            store = EmbeddedTaskStore(paths: paths)
        }
    }

    private static func detectTracker(_ repository: Repository, _ paths: GorchPaths,
                                      timeout: Duration) throws -> (Tracker, BeadsClient?) {
        let configured = try repository.configString("gorch.tracker")?.lowercased()
        if let configured, Tracker(rawValue: configured) == nil {
            throw GorchFailure(.usage, "gorch.tracker is '\(configured)'; it must be beads or embedded",
                               hint: "`git config gorch.tracker beads` or `git config --unset gorch.tracker` to detect it")
        }
        guard let main = paths.mainWorkTree, configured != "embedded" else { return (.embedded, nil) }
        var config = BeadsConfig(workingDirectory: main)
        config.lockPath = (paths.root as NSString).appendingPathComponent("bd.lock")
        config.timeout = timeout
        let client = BeadsClient(config)
        if configured == "beads" {
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

    /// beads_viewer, run in `directory`, bounded by `toolTimeout`.
    public func viewer(in directory: String) -> BeadsViewerClient {
        BeadsViewerClient(workingDirectory: directory, timeout: toolTimeout)
    }

    /// OpenSpec's CLI, run in `directory`, bounded by `toolTimeout`.
    public func openSpec(in directory: String) -> OpenSpecClient {
        OpenSpecClient(workingDirectory: directory, timeout: toolTimeout)
    }

    /// The target branch by DESIGN.md's rule; it must be an existing local branch, since gorch
    /// moves it.
    public func targetBranch(explicit: String?) throws -> String {
        let name = try TargetResolver.resolve(explicit: explicit, in: repository)
        guard try repository.branchTarget(name) != nil else {
            if (try? repository.resolveCommit(name)) != nil {
                throw GorchFailure(.environment, "target '\(name)' is not a local branch",
                                   hint: "tasks merge into a branch gorch can move: pass --target with a local branch, e.g. --target main")
            }
            throw GorchError.unknownTarget(name)
        }
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
