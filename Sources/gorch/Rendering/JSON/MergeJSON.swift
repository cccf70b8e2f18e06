import GorchCore

/// `gorch merge --json` and `--continue` (docs/schema/merge.json):
///
///     {"target","before","after","validations",
///      "tasks":[{"id","title","outcome","commit","fast_forward","resolved":[{"path","method"}],
///                "conflicts":[{"path","kind"}],"validation":[{"command","exit_code","timed_out","seconds"}],
///                "validated_with":{"tasks","commit","attempts","passed","flaky"}|null,
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
    var validations = 0
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
        var validatedWith: ValidatedWith?
        var log: String?
        var worktree: String?
        var message: String?
        var cleaned: Bool
        var warnings: [String]

        enum CodingKeys: String, CodingKey {
            case id, title, outcome, commit, fastForward = "fast_forward", resolved, conflicts, validation, validatedWith = "validated_with", log, worktree, message, cleaned, warnings
        }
    }

    /// The validated prefix that landed (or failed) a task.
    struct ValidatedWith: Encodable {
        var tasks: [String]
        var commit: String
        var attempts: Int
        var passed: Bool
        var flaky: Bool
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
        validations = report.validations
        tasks = report.tasks.map { result in
            Task(id: result.id.rawValue, title: result.title, outcome: result.outcome.rawValue, commit: result.commit?.hex,
                 fastForward: result.fastForward,
                 resolved: result.resolutions.map { Resolution(path: $0.path, method: $0.method) },
                 conflicts: result.conflicts.map { Conflict(path: $0.path, kind: $0.kind.rawValue) },
                 validation: result.validation.map { StepJSON(command: $0.command, exitCode: $0.exitCode, timedOut: $0.timedOut, seconds: $0.seconds) },
                 validatedWith: result.validatedWith.map {
                     ValidatedWith(tasks: $0.tasks.map(\.rawValue), commit: $0.commit.hex, attempts: $0.attempts, passed: $0.passed, flaky: $0.flaky)
                 },
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
