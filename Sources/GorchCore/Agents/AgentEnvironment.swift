import Foundation

/// What an agent process gets besides its command: its name, its port, and helpers for showing
/// its progress.
enum AgentEnvironment {
    /// The environment of an agent working on `task` in `worktree` (`run`, `batch --run`, `loop`,
    /// `merge --resolve-with`): GORCH_TASK_ID, GORCH_WORKTREE, GORCH_BRANCH, AGENT_NAME, and
    /// GORCH_PORT when the task has (or now gets) one.
    static func variables(for task: TaskRecord, worktree: String, workspace: Workspace) -> [String: String] {
        var environment = ["GORCH_TASK_ID": task.id.rawValue, "GORCH_WORKTREE": worktree, "GORCH_BRANCH": task.branch,
                           "AGENT_NAME": agentName(for: task.id, workspace: workspace)]
        if let port = try? port(for: task.id, workspace: workspace) { environment["GORCH_PORT"] = String(port) }
        return environment
    }

    /// Values for `{id}`, `{title}`, `{branch}`, `{worktree}` in an agent's command.
    static func placeholders(for task: TaskRecord, worktree: String) -> [String: String] {
        ["id": task.id.rawValue, "title": task.title, "branch": task.branch, "worktree": worktree]
    }

    /// AGENT_NAME: the Agent Mail agent registered for the task when there is one, else `gorch-<id>`.
    static func agentName(for id: TaskID, workspace: Workspace) -> String {
        let path = (workspace.paths.root as NSString).appendingPathComponent("agents.json")
        if let data = FileManager.default.contents(atPath: path),
           let names = try? JSONDecoder().decode([String: String].self, from: data), let name = names[id.rawValue] {
            return name
        }
        return BeadsTaskStore.actor(for: id)
    }

    /// GORCH_PORT: the task's stable port (allocated by the worktree bootstrap, or now).
    static func port(for id: TaskID, workspace: Workspace) throws -> Int? {
        try WorktreeBootstrap.port(for: id, workspace: workspace)
    }

    /// The last non-empty line of a log (reads at most its last 4 KiB).
    static func lastLine(of path: String) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { return "" }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        try? handle.seek(toOffset: size > 4096 ? size - 4096 : 0)
        let data = (try? handle.readToEnd()) ?? Data()
        let text = String(decoding: data, as: UTF8.self)
        // gorch's own header/footer lines ("== ... $ cmd", "== exit 0") are not the agent's output.
        return text.split(whereSeparator: \.isNewline).last { !$0.hasPrefix("== ") }
            .map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
    }
}
