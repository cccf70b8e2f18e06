import GorchCore

/// `gorch merge --json` and `--continue` (docs/schema/merge.json):
///
///     {"target","before","after",
///      "tasks":[{"id","title","outcome","commit","fast_forward","resolved":[{"path","method"}],
///                "conflicts":[{"path","kind"}],"validation":[{"command","exit_code","timed_out","seconds"}],
///                "log","worktree","message","cleaned","warnings"}],
///      "stopped":{"task","reason","worktree","paths"}|null, "recovered":[...], "tracker":"bd sync (...)"|null, "archive":[...],
///      "warnings":[...]}
///
/// outcome: merged | up-to-date | conflicted | failed | refused | not-attempted. `--continue`
/// with no open run prints the same shape with nulls and empty lists.
struct MergeJSON: Encodable {
    var target: String?
    var before: String?
    var after: String?
    var tasks: [Task] = []
    var stopped: Stop?
    var recovered: [String] = []
    var tracker: String?
    var archive: [String] = []
    var warnings: [String] = []

    struct Task: Encodable {
        var id: String
        var title: String
        var outcome: String
        var commit: String?
        var fastForward: Bool
        var resolved: [Resolution]
        var conflicts: [Conflict]
        var validation: [StepJSON]
        var log: String?
        var worktree: String?
        var message: String?
        var cleaned: Bool
        var warnings: [String]

        enum CodingKeys: String, CodingKey {
            case id, title, outcome, commit, fastForward = "fast_forward", resolved, conflicts, validation, log, worktree, message, cleaned, warnings
        }
    }

    struct Resolution: Encodable {
        var path: String
        var method: String
    }

    /// `{"path","kind"}`, as in `conflicts --json` (defs.json "conflict").
    typealias Conflict = ConflictResultJSON.Conflict

    struct Stop: Encodable {
        var task: String
        var reason: String
        var worktree: String?
        var paths: [String]
    }

    /// `--continue` with no open run.
    init() {}

    init(_ report: MergeReport) {
        target = report.target
        before = report.before?.hex
        after = report.after?.hex
        tasks = report.tasks.map { result in
            Task(id: result.id.rawValue, title: result.title, outcome: result.outcome.rawValue, commit: result.commit?.hex,
                 fastForward: result.fastForward,
                 resolved: result.resolutions.map { Resolution(path: $0.path, method: $0.method) },
                 conflicts: result.conflicts.map { Conflict(path: $0.path, kind: $0.kind.rawValue) },
                 validation: result.validation.map { StepJSON(command: $0.command, exitCode: $0.exitCode, timedOut: $0.timedOut, seconds: $0.seconds) },
                 log: result.log, worktree: result.worktree, message: result.message, cleaned: result.cleaned, warnings: result.warnings)
        }
        stopped = report.stopped.map { Stop(task: $0.id.rawValue, reason: $0.reason, worktree: $0.worktree, paths: $0.paths) }
        recovered = report.recovered
        tracker = report.tracker
        archive = report.archive
        warnings = report.warnings
    }
}

/// `gorch merge --abort --json` (docs/schema/merge-abort.json): whether a run was open, and what was undone.
struct MergeAbortJSON: Encodable {
    var aborted: Bool
    var actions: [String]
}
