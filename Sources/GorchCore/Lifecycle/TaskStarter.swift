import Foundation
import GitKit

/// `gorch start`: branch `task/<id>` from the target (or `--base`) and its worktree
/// `.worktrees/wt-<id>`. Idempotent: a second start prints the existing worktree. Never clobbers
/// anything: an unrelated folder in the way, or a branch checked out elsewhere, is an error.
public struct TaskStarter {
    let workspace: Workspace
    var repository: Repository { workspace.repository }

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    public struct Result: Sendable {
        public let task: TaskRecord
        public let worktree: String
        public let branch: String
        /// False when the worktree already existed.
        public let created: Bool
        /// The commit the branch was created at (nil when it existed before).
        public let base: OID?
        public let target: String
        /// E.g. Agent Mail unreachable, so the scope was reserved in the embedded store.
        public let warnings: [String]
        // BEGIN bootstrap (Bootstrap/WorktreeBootstrap.swift)
        /// Copy/port/setup of the worktree this start created; nil when it existed before.
        /// Its warnings (a failing setup, a symlink skipped...) are in `warnings` too.
        public let bootstrap: WorktreeBootstrap.Outcome?
        // END bootstrap
    }

    public func start(_ id: TaskID, base: String?, title: String?) async throws -> Result {
        let mainWorkTree = try workspace.requireMainWorkTree(for: "gorch start")
        let target = try workspace.target()
        // Starts are serialised across processes: libgit2's worktree creation (mkdir of
        // .git/worktrees, the "already checked out" scan) and config writes are not safe to race,
        // and two starts of one task must not both create it. A start holds the lock briefly.
        let lockPath = (workspace.paths.root as NSString).appendingPathComponent("locks/start.lock")
        let lock = try FileLock.acquire(at: lockPath, waitingUpTo: 120, what: "gorch start")
        let result: Result
        do {
            defer { lock.unlock() }
            if try repository.configString("gorch.target") == nil {
                try repository.setConfigString("gorch.target", target)
            }
            result = try await startLocked(id, base: base, title: title, target: target, mainWorkTree: mainWorkTree)
        }
        // BEGIN bootstrap: copy/port/setup of a new worktree, outside the start lock (setup may
        // take minutes); it never fails the start, its problems become warnings (WorktreeBootstrap).
        // A start killed before its bootstrap finished left the pending marker: the next start
        // of the task (which finds the worktree) runs it then.
        let pending = bootstrapPendingMarker(id)
        guard result.created || FileManager.default.fileExists(atPath: pending) else { return result }
        let bootstrap = try await WorktreeBootstrap(workspace: workspace)
            .apply(to: result.worktree, task: id, branch: result.branch, title: result.task.title)
        Fault.point(.startBootstrapped)
        unlink(pending)
        return Result(task: result.task, worktree: result.worktree, branch: result.branch, created: result.created, base: result.base,
                      target: result.target, warnings: result.warnings + bootstrap.warnings, bootstrap: bootstrap)
        // END bootstrap
    }

    private func startLocked(_ id: TaskID, base: String?, title: String?, target: String, mainWorkTree: String) async throws -> Result {
        let known = try await workspace.store.get(id)
        if let task = known, task.state == .merged {
            throw GorchFailure(.usage, "task \(id) is already merged into \(target)",
                               hint: "start new work under a new id")
        }
        if workspace.tracker == .beads && known == nil {
            throw GorchFailure(.usage, "no Beads issue \(id)", hint: "pick an issue from `bd ready`, or create one with `bd create`")
        }
        guard let path = workspace.paths.worktree(for: id) else { throw GorchFailure(.environment, "no work tree") }
        try Initializer.excludeWorktrees(workspace)

        if let existing = try workspace.taskWorktree(id) {
            if existing.isValid {
                // A branch deleted by hand under a live worktree: say so rather than print a
                // worktree whose HEAD is unborn.
                _ = try workspace.requireTaskTip(id)
                let task = try await markStarted(id, title: title, base: nil)
                return Result(task: task, worktree: Workspace.trimmingSlash(existing.path), branch: id.branch,
                              created: false, base: nil, target: target, warnings: [], bootstrap: nil)
            }
            // Its folder was deleted by hand: drop the stale record; the branch (the work) stays.
            if existing.isLocked {
                throw GorchFailure(.environment, "worktree \(existing.name) is locked but its folder \(existing.path) is gone",
                                   hint: "`git worktree unlock \(existing.name)` (or `gorch cleanup --stale`), then start again")
            }
            try repository.pruneWorktree(name: existing.name)
        }
        if FileManager.default.fileExists(atPath: path) {
            throw GorchFailure(.environment, "\(path) exists but is not the worktree of task \(id)",
                               hint: "move or delete that folder (gorch never overwrites one), then run `gorch start \(id)` again")
        }

        // With a task remote the target's tip comes from there, and so does work another machine
        // already pushed for this task (it goes on from that). Fetched before anything is claimed
        // or reserved: a hub that cannot be reached leaves the task as it was.
        let link = try await RemoteLink.open(workspace)
        let remoteTips = try link?.fetch([target, id.branch]) ?? [:]

        // Claim first (Beads: `bd update --claim`), then reserve the scope, then make the worktree:
        // a task someone else holds never gets a worktree here.
        let previous = known?.state ?? .planned
        // An issue already in progress may be someone else's claim (the tracker says in_progress,
        // not by whom to gorch): claiming again is a no-op for gorch's own and refuses another's.
        if previous != .planned { try await workspace.store.ensureClaimed(id) }
        var task = try await markStarted(id, title: title, base: nil)
        Fault.point(.startClaimed)
        var warnings: [String] = []
        if let files = task.files, !files.isEmpty {
            let choice = await Reservations.choose(workspace)
            if let reason = choice.fallbackReason {
                warnings.append("Agent Mail at \(choice.url ?? "?") is not usable (\(reason)); reserved in gorch's embedded store instead")
            }
            let conflicts = try await choice.service.reserve(id, paths: files, ttlSeconds: workspace.settings.reservationTTL)
            if !conflicts.isEmpty {
                try? await choice.service.release(id)
                if previous == .planned { _ = try? await workspace.store.update(id) { $0.state = .planned } }
                let list = conflicts.map { "\($0.path) (held by \($0.holders.joined(separator: ", ")))" }.joined(separator: "; ")
                throw GorchFailure(.stopped, "files of task \(id) are reserved by others: \(list)",
                                   hint: "start it when they are released (`gorch status` shows reservations), or pick another task")
            }
        }

        var created: OID?
        if try repository.branchTarget(id.branch) == nil {
            let spec = base ?? target
            let commit: OID
            if base == nil, let tip = remoteTips[id.branch] ?? remoteTips[target] {
                commit = tip
            } else {
                do { commit = try repository.resolveCommit(spec) } catch {
                    throw GorchFailure(.usage, "--base \(spec) does not name a commit", hint: "check it with `git rev-parse --verify \(spec)`")
                }
            }
            try repository.createBranch(id.branch, at: commit)
            created = commit
            Fault.point(.startBranchCreated)
        } else if base != nil {
            throw GorchFailure(.usage, "branch \(id.branch) already exists, so --base does not apply",
                               hint: "run `gorch start \(id)` without --base to reuse the branch")
        }
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        do {
            try repository.addWorktree(name: id.worktreeName, path: path, branch: id.branch)
        } catch {
            if created != nil { try? repository.deleteBranch(id.branch) }
            throw error
        }
        _ = FileManager.default.createFile(atPath: bootstrapPendingMarker(id), contents: nil)
        Fault.point(.startWorktreeAdded)
        if let link {
            // Other machines see the task from here on; `done` pushes again in any case.
            do { try link.push(id.branch) } catch { warnings.append("\(id.branch) is not pushed to \(link.name) yet: \(error)") }
        }
        var baseCommit = created
        if baseCommit == nil, let tip = try workspace.taskTip(id), let head = try repository.branchTarget(target) {
            baseCommit = try? repository.mergeBases(tip, head).first
        }
        if let baseCommit { task = try await markStarted(id, title: nil, base: baseCommit) }
        return Result(task: task, worktree: path, branch: id.branch, created: true, base: created, target: target, warnings: warnings,
                      bootstrap: nil)
    }

    /// `.git/worktrees/wt-<id>/gorch-bootstrap-pending`: exists from the worktree's creation
    /// until its bootstrap has run.
    private func bootstrapPendingMarker(_ id: TaskID) -> String {
        (repository.commonDirectory as NSString).appendingPathComponent("worktrees/\(id.worktreeName)/gorch-bootstrap-pending")
    }

    private func markStarted(_ id: TaskID, title: String?, base: OID?) async throws -> TaskRecord {
        try await workspace.store.upsert(id, create: { TaskRecord(id: id, title: title ?? id.rawValue) }) { task in
            if let title { task.title = title }
            if task.state == .planned { task.state = .started }
            if task.startedAt == nil { task.startedAt = Date() }
            if let base, task.base == nil { task.base = base.hex }
        }
    }
}
