import GorchCore

/// `gorch status --json` (DESIGN.md "Commands"):
///
///     {"target": "main", "store": "embedded",
///      "tasks": [{"id","title","state","branch","worktree","ahead","behind","dirty","scope",
///                 "reservations","conflicts_with","note","agent"}],
///      "interrupted": {"task","step","reason","worktree","paths","remaining","merged","pid","since"} | null}
///
/// worktree/ahead/behind/dirty are null when the worktree or branch does not exist; scope is
/// null for an unknown scope; agent is {"pid","started","log"} while an agent runs in the
/// worktree (`gorch run`, `batch --run`, `loop`), else null; reservations lists the globs reserved for the task (Agent Mail's local
/// mirror or the embedded store), [] when none.
enum StatusJSON {
    static func render(_ report: StatusReporter.Report) -> JSONValue {
        .object([("target", .string(report.target)), ("store", .string(report.store)),
                 ("tasks", .array(report.tasks.map(task))),
                 ("interrupted", report.interrupted.map(interrupted) ?? .null)])
    }

    private static func task(_ status: StatusReporter.TaskStatus) -> JSONValue {
        let task = status.task
        return .object([("id", .string(task.id.rawValue)), ("title", .string(task.title)), ("state", .string(task.state.rawValue)),
                        ("branch", status.branchExists ? .string(task.branch) : .null), ("worktree", .string(status.worktree)),
                        ("ahead", .int(status.ahead)), ("behind", .int(status.behind)), ("dirty", .bool(status.dirty)),
                        ("scope", task.files.map(JSONValue.strings) ?? .null), ("reservations", .strings(status.reservations)),
                        ("conflicts_with", .ids(status.conflictsWith)), ("note", .string(task.note)),
                        ("agent", status.agent.map { .object([("pid", .int(Int($0.pid))), ("started", .date($0.started)), ("log", .string($0.log))]) } ?? .null)])
    }

    private static func interrupted(_ run: StatusReporter.Interrupted) -> JSONValue {
        .object([("task", .string(run.task?.rawValue)), ("step", .string(run.step)), ("reason", .string(run.reason)),
                 ("worktree", .string(run.worktree)), ("paths", .strings(run.paths)), ("remaining", .ids(run.remaining)),
                 ("merged", .ids(run.merged)), ("pid", .int(Int(run.pid))), ("since", .date(run.since))])
    }
}
