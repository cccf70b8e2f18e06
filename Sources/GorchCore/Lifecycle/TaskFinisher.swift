import Foundation
import GitKit

/// `gorch done`: the agent says the task is finished. Refused while the worktree has uncommitted
/// changes to tracked files, a merge in progress, or no commits; then the task is ready to merge.
public struct TaskFinisher {
    let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    public struct Result: Sendable {
        public let task: TaskRecord
        public let ahead: Int
        /// Untracked files left in the worktree (not part of the task; reported, not refused).
        public let untracked: [String]
        public let warnings: [String]
    }

    /// The task whose worktree contains `path`, for `gorch done` without an id.
    public func taskContaining(_ path: String) throws -> TaskID {
        if let found = try? Repository.discover(from: path), found.isLinkedWorktree,
           let branch = try found.headBranch(), let id = TaskID.fromBranch(branch) {
            return id
        }
        throw GorchFailure(.usage, "no task id given, and \(path) is not inside a task worktree",
                           hint: "pass the id: `gorch done <id>`")
    }

    public func done(_ id: TaskID) async throws -> Result {
        guard let task = try await workspace.store.get(id) else {
            throw GorchFailure(.usage, "no task \(id)", hint: "start it first with `gorch start \(id)`")
        }
        switch task.state {
        case .planned:
            throw GorchFailure(.usage, "task \(id) is not started", hint: "`gorch start \(id)` creates its worktree")
        case .merged:
            throw GorchFailure(.usage, "task \(id) is already merged", hint: "nothing to do")
        default: break
        }
        let target = try workspace.target()
        guard let worktree = try workspace.taskWorktree(id), worktree.isValid else {
            throw GorchFailure(.environment, "the worktree of task \(id) is missing (deleted by hand?)",
                               hint: "`gorch start \(id)` recreates it from branch \(id.branch)")
        }
        let path = Workspace.trimmingSlash(worktree.path)
        let checkout = try Repository.open(at: path)
        guard try checkout.headBranch() == id.branch else {
            throw GorchFailure(.environment, "the worktree \(path) is not on \(id.branch)",
                               hint: "`git -C \(path) switch \(id.branch)`, then run `gorch done \(id)` again")
        }
        // A branch deleted by hand leaves HEAD unborn: every file would read as a new change.
        let tip = try workspace.requireTaskTip(id)
        if checkout.isMerging {
            throw GorchFailure(.stopped, "task \(id) has a merge in progress in \(path)",
                               hint: "resolve the conflicts, `git add` and `git commit` there first")
        }
        let (changed, untracked) = try checkout.trackedChangesAndUntracked()
        if !changed.isEmpty {
            throw GorchFailure(.stopped, "task \(id) has uncommitted changes in \(path): \(Self.list(changed))",
                               hint: "commit them (`git -C \(path) commit -am ...`) or discard them, then run `gorch done \(id)` again")
        }
        guard let head = try workspace.repository.branchTarget(target) else { throw GorchError.unknownTarget(target) }
        let (ahead, _) = try workspace.repository.aheadBehind(tip, head)
        if ahead == 0 {
            throw GorchFailure(.stopped, "task \(id) has no commits that \(target) does not have",
                               hint: "commit the work in \(path) first")
        }
        var warnings: [String] = []
        if !untracked.isEmpty {
            warnings.append("untracked files in \(path) are not part of the task: \(Self.list(untracked))")
        }
        if let files = task.files, !files.isEmpty {
            let base = try workspace.repository.mergeBases(tip, head).first
            let outside = try workspace.repository.changedPaths(from: base, to: tip)
                .filter { path in !files.contains { GlobOverlap.matches($0, path) } }
            if !outside.isEmpty {
                warnings.append("task \(id) changed files outside its declared scope (\(files.joined(separator: ", "))): \(Self.list(outside))")
            }
        }
        // With a task remote the branch is pushed before the task is ready: another machine's
        // merge fetches it from there.
        if let link = try await RemoteLink.open(workspace) { try link.push(id.branch) }
        let updated = try await workspace.store.update(id) { task in
            task.state = .ready
            task.readyAt = Date()
            task.note = nil
        }
        // Agent Mail: keep the reservation alive until the merge and tell the coordinator.
        let choice = await Reservations.choose(workspace)
        if task.files?.isEmpty == false { try? await choice.service.renew(id, ttlSeconds: workspace.settings.reservationTTL) }
        do {
            try await choice.service.notifyDone(id, title: updated.title,
                                                summary: "\(id.branch) is ready to merge: \(ahead) commit\(ahead == 1 ? "" : "s") ahead of \(target).")
        } catch {
            warnings.append("could not message the coordinator through Agent Mail: \(error)")
        }
        return Result(task: updated, ahead: ahead, untracked: untracked, warnings: warnings)
    }

    static func list(_ paths: [String]) -> String {
        paths.count <= 5 ? paths.joined(separator: ", ") : paths.prefix(5).joined(separator: ", ") + " and \(paths.count - 5) more"
    }
}
