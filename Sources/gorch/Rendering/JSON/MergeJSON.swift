import GorchCore

/// `gorch merge --json` (and `--continue`):
///
///     {"target","before","after",
///      "tasks":[{"id","title","outcome","commit","fast_forward","resolved":[{"path","method"}],
///                "conflicts":[{"path","kind"}],"validation":[{"command","exit_code","timed_out","seconds"}],
///                "log","worktree","message","cleaned","warnings"}],
///      "stopped":{"task","reason","worktree","paths"}|null, "recovered":[...], "tracker":"bd sync (...)"|null, "archive":[...],
///      "warnings":[...]}
///
/// outcome: merged | up-to-date | conflicted | failed | refused | not-attempted.
enum MergeJSON {
    static func render(_ report: MergeReport) -> JSONValue {
        .object([("target", .string(report.target)), ("before", .oid(report.before)), ("after", .oid(report.after)),
                 ("tasks", .array(report.tasks.map(task))),
                 ("stopped", report.stopped.map { stop in
                     .object([("task", .string(stop.id.rawValue)), ("reason", .string(stop.reason)),
                              ("worktree", .string(stop.worktree)), ("paths", .strings(stop.paths))])
                 } ?? .null),
                 ("recovered", .strings(report.recovered)), ("tracker", .string(report.tracker)),
                 ("archive", .strings(report.archive)), ("warnings", .strings(report.warnings))])
    }

    /// `--continue` with no open run.
    static func empty() -> JSONValue {
        .object([("target", .null), ("before", .null), ("after", .null), ("tasks", .array([])), ("stopped", .null),
                 ("recovered", .array([])), ("tracker", .null), ("archive", .array([])), ("warnings", .array([]))])
    }

    private static func task(_ result: TaskMergeResult) -> JSONValue {
        .object([("id", .string(result.id.rawValue)), ("title", .string(result.title)), ("outcome", .string(result.outcome.rawValue)),
                 ("commit", .oid(result.commit)), ("fast_forward", .bool(result.fastForward)),
                 ("resolved", .array(result.resolutions.map { .object([("path", .string($0.path)), ("method", .string($0.method))]) })),
                 ("conflicts", .array(result.conflicts.map { .object([("path", .string($0.path)), ("kind", .string($0.kind.rawValue))]) })),
                 ("validation", .array(result.validation.map { step in
                     .object([("command", .string(step.command)), ("exit_code", .int32(step.exitCode)),
                              ("timed_out", .bool(step.timedOut)), ("seconds", .double(step.seconds))])
                 })),
                 ("log", .string(result.log)), ("worktree", .string(result.worktree)), ("message", .string(result.message)),
                 ("cleaned", .bool(result.cleaned)), ("warnings", .strings(result.warnings))])
    }
}
