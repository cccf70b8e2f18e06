/// The text of `{description_file}`: what an agent needs to do a task without a person, the
/// same for every agent (the presets feed it to their CLI as the whole prompt).
enum TaskPrompt {
    static func text(_ task: TaskRecord, worktree: String) -> String {
        var text = "# \(task.title)\n\nTask \(task.id) on branch \(task.branch), in the git worktree \(worktree).\n"
        if let description = task.description {
            text += "\n## Description\n\n\(description)\n"
        }
        if let files = task.files, !files.isEmpty {
            text += "\nScope: change only files matching \(files.joined(separator: ", ")).\n"
        } else {
            text += "\nScope: not declared; keep the change to what the task needs.\n"
        }
        if let change = task.change, let number = task.taskNumber {
            text += "\nOpenSpec change \(change), task \(number): see openspec/changes/\(change)/tasks.md and the change's proposal.\n"
        }
        text += """

            Work only in this worktree. When the task is done, commit your work with git \
            (`git add -A && git commit -m "<what you did>"`) and exit. gorch marks the task ready \
            when the agent exits 0 with at least one commit on \(task.branch); otherwise it is \
            recorded as failed and the worktree is kept.

            """
        return text
    }
}
