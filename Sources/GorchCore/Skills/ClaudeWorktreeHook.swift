import Foundation
import GitKit

/// Claude Code's `WorktreeCreate` and `WorktreeRemove` hooks, answered by gorch
/// (`gorch claude-hook worktree-create|worktree-remove`, installed by `gorch skills install`).
///
/// A configured `WorktreeCreate` hook replaces Claude Code's own `git worktree add` for
/// `claude --worktree <name>` and for subagents with `isolation: worktree`: the hook gets JSON on
/// stdin with the suggested `name` and must print the absolute path of the worktree it made; any
/// other exit than 0 fails the creation. `WorktreeRemove` gets that path back as `worktree_path`
/// when the session or subagent ends and the worktree is to go; its result only reaches Claude
/// Code's debug log. https://code.claude.com/docs/en/hooks#worktreecreate
///
/// Here a name is a task id: create is `gorch start <name>` (the task is added when new, the
/// worktree bootstrapped), so the work is a gorch task like any other. Remove never loses work:
/// uncommitted changes or commits not in the target keep the worktree and branch.
public struct ClaudeWorktreeHook {
    public static let createCommand = "worktree-create"
    public static let removeCommand = "worktree-remove"

    let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    /// What Claude Code sends on stdin. Only the fields gorch uses; the rest are ignored.
    public struct Input: Sendable, Equatable {
        /// `hook_event_name`: `WorktreeCreate` or `WorktreeRemove`.
        public let event: String?
        /// `cwd`: where the session runs, to find the repository from.
        public let cwd: String?
        /// `name` (WorktreeCreate). Claude Code 2.1.x sends `name`; the hooks reference once
        /// called it `worktree_name` (anthropics/claude-code#77566, #65646), which is read too.
        public let name: String?
        /// `worktree_path` (WorktreeRemove): the path WorktreeCreate printed.
        public let worktreePath: String?

        public init(json data: Data) throws {
            guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
                let excerpt = String(decoding: data.prefix(120), as: UTF8.self)
                throw GorchFailure(.usage, "the hook input on stdin is not a JSON object: \(excerpt.isEmpty ? "(empty)" : excerpt)",
                                   hint: "gorch claude-hook is run by Claude Code, which writes the event as JSON on stdin")
            }
            func text(_ key: String) -> String? { (object[key] as? String).flatMap { $0.isEmpty ? nil : $0 } }
            event = text("hook_event_name")
            cwd = text("cwd")
            name = text("name") ?? text("worktree_name")
            worktreePath = text("worktree_path")
        }

        /// Refuses input meant for another hook (a settings entry under the wrong event).
        public func expect(_ wanted: String) throws {
            if let event, event != wanted {
                throw GorchFailure(.usage, "gorch claude-hook \(wanted == "WorktreeCreate" ? createCommand : removeCommand) got a \(event) event",
                                   hint: "configure it under \"\(wanted)\" in .claude/settings.json (`gorch skills install` does)")
            }
        }
    }

    /// `WorktreeCreate`: the task named `name` started as `gorch start` starts it (added when the
    /// store has no such task; its worktree bootstrapped). The result's `worktree` is the path
    /// to print.
    public func create(_ input: Input) async throws -> TaskStarter.Result {
        try input.expect("WorktreeCreate")
        guard let name = input.name else {
            throw GorchFailure(.usage, "the WorktreeCreate input has no \"name\"",
                               hint: "Claude Code sends the worktree's name as \"name\"; check that it runs this hook for WorktreeCreate")
        }
        let id: TaskID
        do {
            id = try TaskID(name)
        } catch {
            throw GorchFailure(.usage, "Claude Code's worktree name is not a gorch task id: \(error.message)",
                               hint: "name the worktree as a task (`claude --worktree auth-login`): \(error.hint ?? "")")
        }
        return try await TaskStarter(workspace: workspace).start(id, base: nil, title: nil)
    }

    /// What `remove` did.
    public struct Removal: Sendable, Equatable {
        public enum Outcome: String, Sendable {
            /// The worktree is gone (and the branch, when its commits are in the target).
            case removed
            /// Kept: it holds work; `notes` say what and what to do.
            case kept
            /// Not a task worktree of this repository: not touched.
            case ignored
        }

        public let outcome: Outcome
        public let task: TaskID?
        /// One line each, for stderr.
        public let notes: [String]
    }

    /// `WorktreeRemove`: removes the task's worktree only when nothing would be lost: no local
    /// changes (untracked files included) and every commit of its branch in the target. A task
    /// with no commits of its own goes back to planned (no branch, no worktree); one merged
    /// outside gorch is finished as `gorch sync` finishes it; otherwise as `gorch cleanup` does.
    public func remove(_ input: Input) async throws -> Removal {
        try input.expect("WorktreeRemove")
        guard let path = input.worktreePath else {
            throw GorchFailure(.usage, "the WorktreeRemove input has no \"worktree_path\"",
                               hint: "Claude Code sends the path WorktreeCreate printed as \"worktree_path\"")
        }
        let wanted = Workspace.trimmingSlash((path as NSString).standardizingPath)
        let found = try workspace.repository.worktrees().first { Workspace.trimmingSlash(($0.path as NSString).standardizingPath) == wanted }
        guard let found, found.name.hasPrefix("wt-"), let id = try? TaskID(String(found.name.dropFirst(3))),
              workspace.paths.worktree(for: id).map({ ($0 as NSString).standardizingPath }) == wanted else {
            return Removal(outcome: .ignored, task: nil, notes: ["\(path) is not a gorch task worktree: left alone"])
        }
        let lock = try RepoLock.acquire(workspace.paths, command: "claude-hook \(Self.removeCommand)", wait: 5)
        defer { lock.release() }

        let target = try workspace.target()
        guard let head = try workspace.repository.branchTarget(target) else { throw GorchError.unknownTarget(target) }
        var reasons: [String] = []
        if found.isValid, let changed = try? Repository.open(at: found.path).status().map(\.path), !changed.isEmpty {
            reasons.append("it has uncommitted changes (\(TaskFinisher.list(changed)))")
        }
        guard let tip = try workspace.taskTip(id) else {
            return Removal(outcome: .kept, task: id, notes: [
                "kept \(wanted): branch \(id.branch) is gone, so gorch cannot tell whether its work is in \(target)",
            ])
        }
        let contained = try tip == head || workspace.repository.isAncestor(tip, of: head)
        if !contained {
            let (ahead, _) = try workspace.repository.aheadBehind(tip, head)
            reasons.append("\(id.branch) has \(ahead) commit\(ahead == 1 ? "" : "s") not in \(target)")
        }
        if !reasons.isEmpty {
            return Removal(outcome: .kept, task: id, notes: [
                "kept task \(id)'s worktree \(wanted) and branch \(id.branch): \(reasons.joined(separator: ", and "))",
                "finish it with `gorch done \(id)` and `gorch merge \(id)`, or work on in it: `claude --worktree \(id)`",
            ])
        }

        let task = try await workspace.store.get(id)
        let hasOwnCommits = task?.hasOwnCommits(at: tip) ?? false
        var notes: [String] = []
        if hasOwnCommits, let task, task.state != .merged {
            // Merged outside gorch (a person's `git merge`): mark it merged the way sync does,
            // which also removes the clean worktree and the branch.
            let synced = try await Syncer(workspace: workspace).sync(lockWait: nil)
            notes += synced.warnings
        } else {
            notes += TaskCleaner(workspace: workspace).removeMerged(id, force: false, into: (target, head))
            if !hasOwnCommits, let task, task.state == .started, try workspace.taskWorktree(id) == nil {
                try await workspace.store.update(id) { record in
                    record.state = .planned
                    record.startedAt = nil
                    record.base = nil
                }
                try? await Reservations.choose(workspace).service.release(id)
                notes.append("task \(id) had no commits: back to planned")
            }
        }
        if let left = try workspace.taskWorktree(id) {
            return Removal(outcome: .kept, task: id, notes: notes + ["kept \(Workspace.trimmingSlash(left.path))"])
        }
        return Removal(outcome: .removed, task: id, notes: ["removed task \(id)'s worktree \(wanted)"] + notes)
    }
}
