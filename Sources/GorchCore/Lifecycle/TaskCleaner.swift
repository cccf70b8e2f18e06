import Foundation
import GitKit

/// Removing what a task left behind: its worktree and branch (`gorch cleanup`, and step 7 of a
/// merge). Never loses work: a dirty or locked worktree stays unless forced, and a branch whose
/// commits are not in the target is never deleted.
public struct TaskCleaner {
    let workspace: Workspace
    var repository: Repository { workspace.repository }

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    /// One thing cleanup did, or would do with `--dry-run`, or refused to do.
    public struct Action: Sendable, Equatable {
        public enum Kind: String, Sendable { case worktree, branch, record, validation }
        public let kind: Kind
        public let task: TaskID?
        public let path: String
        /// nil when done (or to be done, in a dry run); else why it was left alone.
        public let skipped: String?
    }

    public struct Options: Sendable {
        public var merged = true
        public var stale = true
        public var force = false
        public var dryRun = false
        public init() {}
    }

    /// Removes a merged task's worktree and branch. Returns warnings for what had to stay.
    /// `into` is the branch it was merged into and that branch's tip, when the caller knows them
    /// (the merge coordinator); otherwise the configured target is looked up.
    /// `reaper`: the merge run's background deleter; the folder is then moved out and deleted
    /// while the run goes on (FolderReaper), after the same checks.
    func removeMerged(_ id: TaskID, force: Bool, into: (branch: String, tip: OID)? = nil, reaper: FolderReaper? = nil) -> [String] {
        clean(id, removeBranch: true, force: force, dryRun: false, into: into, reaper: reaper).compactMap { action in
            action.skipped.map { "kept \(action.kind.rawValue) \(action.path): \($0)" }
        }
    }

    /// `gorch cleanup`.
    public func run(_ options: Options) async throws -> [Action] {
        let lock = try RepoLock.acquire(workspace.paths, command: "cleanup", wait: 5)
        defer { lock.release() }
        var actions: [Action] = []
        let tasks = try await workspace.store.list()
        let reservations = await Reservations.choose(workspace).service
        if options.merged {
            for task in tasks where task.state == .merged {
                actions += clean(task.id, removeBranch: true, force: options.force, dryRun: options.dryRun)
                if !options.dryRun { await Reservations.releaseMerged(task.id, workspace, service: reservations) }
            }
        }
        if options.force {
            // Failed tasks' worktrees go only on request; their branches (the work) always stay.
            for task in tasks where task.state == .failed {
                actions += clean(task.id, removeBranch: false, force: true, dryRun: options.dryRun)
                if !options.dryRun { try? await reservations.release(task.id) }
            }
        }
        if options.stale {
            actions += try pruneStale(dryRun: options.dryRun)
        }
        return actions
    }

    private func clean(_ id: TaskID, removeBranch: Bool, force: Bool, dryRun: Bool,
                       into known: (branch: String, tip: OID)? = nil, reaper: FolderReaper? = nil) -> [Action] {
        var actions: [Action] = []
        if let worktree = try? workspace.taskWorktree(id) {
            let path = Workspace.trimmingSlash(worktree.path)
            var skipped: String?
            if !dryRun {
                do {
                    let admin = (repository.commonDirectory as NSString).appendingPathComponent("worktrees/\(worktree.name)")
                    Fault.point(.cleanupAdminPartial, removing: (admin as NSString).appendingPathComponent("gitdir"))
                    Fault.point(.cleanupFolderLeft, removing: admin)
                    if let reaper, !force, !worktree.isLocked, worktree.isValid,
                       (try? Repository.open(at: worktree.path).status().isEmpty) == true,
                       reaper.take(path, name: worktree.name) {
                        // Checked as removeWorktree checks; moved out, so only the record is left.
                        try repository.pruneWorktree(name: worktree.name)
                    } else {
                        try repository.removeWorktree(name: worktree.name, force: force)
                    }
                    Fault.point(.cleanupWorktreeRemoved)
                } catch let error as GitError {
                    skipped = error.message + (force ? "" : " (use --force to remove it anyway)")
                } catch {
                    skipped = "\(error)"
                }
            } else if !force, worktree.isValid, let dirty = try? Repository.open(at: worktree.path).status(), !dirty.isEmpty {
                skipped = "it has local changes (use --force to remove it anyway)"
            }
            actions.append(Action(kind: .worktree, task: id, path: path, skipped: skipped))
            if skipped != nil { return actions }
        } else if removeBranch, let folder = orphanedFolder(id) {
            // A removal killed after the admin files went (libgit2 deletes them first) left the
            // folder: a gorch worktree whose record is gone, of a merged task. Remove it too.
            var skipped: String?
            if !dryRun {
                do { try FileManager.default.removeItem(atPath: folder) } catch { skipped = "\(error)" }
            }
            actions.append(Action(kind: .worktree, task: id, path: folder, skipped: skipped))
        }
        if removeBranch, let tip = try? workspace.taskTip(id) {
            var skipped: String?
            let into = known ?? (try? workspace.target()).flatMap { target in
                (try? repository.branchTarget(target)).flatMap { $0 }.map { (target, $0) }
            }
            if let (target, head) = into, !Self.contains(repository, head, tip) {
                skipped = "its commits are not in \(target); delete it by hand (`git branch -D \(id.branch)`) if they are not needed"
            } else if !dryRun {
                do {
                    try repository.deleteBranch(id.branch)
                    Fault.point(.cleanupBranchDeleted)
                } catch { skipped = "\(error)" }
            }
            actions.append(Action(kind: .branch, task: id, path: id.branch, skipped: skipped))
        }
        return actions
    }

    /// `.worktrees/wt-<id>` when it is the folder of a worktree whose admin dir is gone: its
    /// `.git` file still names `<common>/worktrees/wt-<id>`.
    private func orphanedFolder(_ id: TaskID) -> String? {
        guard let folder = workspace.paths.worktree(for: id),
              let text = try? String(contentsOfFile: (folder as NSString).appendingPathComponent(".git"), encoding: .utf8)
        else { return nil }
        let admin = (repository.commonDirectory as NSString).appendingPathComponent("worktrees/\(id.worktreeName)")
        guard text.trimmingCharacters(in: .whitespacesAndNewlines) == "gitdir: " + admin,
              !FileManager.default.fileExists(atPath: admin) else { return nil }
        return folder
    }

    /// Whether `head` contains `tip`; the merge coordinator's case (the tip is the merge
    /// commit's parent, or the commit itself) is answered without a history walk.
    private static func contains(_ repository: Repository, _ head: OID, _ tip: OID) -> Bool {
        if head == tip || (try? repository.commit(head).parents.contains(tip)) == true { return true }
        return (try? repository.isAncestor(tip, of: head)) == true
    }

    /// Worktree records whose folders were deleted by hand (`git worktree prune` for those).
    private func pruneStale(dryRun: Bool) throws -> [Action] {
        var actions: [Action] = []
        for worktree in try repository.worktrees() where !worktree.isValid {
            let task = worktree.name.hasPrefix("wt-") ? try? TaskID(String(worktree.name.dropFirst(3))) : nil
            let kind: Action.Kind = GorchPaths.isValidationWorktree(worktree.name) ? .validation : .record
            var skipped: String?
            if worktree.isLocked {
                skipped = "locked" + (worktree.lockReason.map { " (\($0))" } ?? "") + "; `git worktree unlock` it first"
            } else if !dryRun {
                do { try repository.pruneWorktree(name: worktree.name) } catch { skipped = "\(error)" }
            }
            actions.append(Action(kind: kind, task: task, path: Workspace.trimmingSlash(worktree.path), skipped: skipped))
        }
        return actions
    }
}
