import GitKit
import GorchCore

/// `gorch init --json` (docs/schema/init.json).
struct InitJSON: Encodable {
    var target: String
    var store: String
    var root: String
    var changes: [String]

    init(_ result: Initializer.Result) {
        target = result.target
        store = result.store
        root = result.root
        changes = result.changes
    }
}

/// `gorch start --json` (docs/schema/start.json); `bootstrap` is null when the worktree existed.
struct StartJSON: Encodable {
    var id: String
    var branch: String
    var worktree: String
    var created: Bool
    var base: String?
    var target: String
    var state: String
    var warnings: [String]
    var bootstrap: Bootstrap?

    struct Bootstrap: Encodable {
        var copied: [String]
        var skipped: [SkippedPathJSON]
        var port: Int?
        var setupLog: String?
        var setup: [StepJSON]

        enum CodingKeys: String, CodingKey { case copied, skipped, port, setupLog = "setup_log", setup }
    }

    init(_ id: TaskID, _ result: TaskStarter.Result) {
        self.id = id.rawValue
        branch = result.branch
        worktree = result.worktree
        created = result.created
        base = result.base?.hex
        target = result.target
        state = result.task.state.rawValue
        warnings = result.warnings
        bootstrap = result.bootstrap.map { outcome in
            Bootstrap(copied: outcome.copied, skipped: outcome.skipped.map { SkippedPathJSON(path: $0.path, reason: $0.reason) },
                      port: outcome.port, setupLog: outcome.setupLog,
                      setup: outcome.setup.map { StepJSON(command: $0.command, exitCode: $0.exitCode, timedOut: $0.timedOut, seconds: $0.seconds) })
        }
    }
}

/// `gorch done --json` (docs/schema/done.json).
struct DoneJSON: Encodable {
    var id: String
    var state: String
    var ahead: Int
    var untracked: [String]
    var warnings: [String]

    init(_ id: TaskID, _ result: TaskFinisher.Result) {
        self.id = id.rawValue
        state = result.task.state.rawValue
        ahead = result.ahead
        untracked = result.untracked
        warnings = result.warnings
    }
}

/// `gorch sync --json` (docs/schema/sync.json).
struct SyncJSON: Encodable {
    var target: String
    var merged: [String]
    var ticked: [String]
    var tickCommit: String?
    var removed: [String]
    var tracker: String?
    var archive: [String]
    var warnings: [String]

    enum CodingKeys: String, CodingKey { case target, merged, ticked, tickCommit = "tick_commit", removed, tracker, archive, warnings }

    init(_ result: Syncer.Result) {
        target = result.target
        merged = result.merged.map(\.rawValue)
        ticked = result.ticked
        tickCommit = result.tickCommit?.hex
        removed = result.removed
        tracker = result.tracker
        archive = result.archive
        warnings = result.warnings
    }
}

/// `gorch cleanup --json` (docs/schema/cleanup.json).
struct CleanupJSON: Encodable {
    var dryRun: Bool
    var actions: [Action]

    struct Action: Encodable {
        var kind: String
        var task: String?
        var path: String
        var done: Bool
        var skipped: String?
    }

    enum CodingKeys: String, CodingKey { case dryRun = "dry_run", actions }

    init(_ actions: [TaskCleaner.Action], dryRun: Bool) {
        self.dryRun = dryRun
        self.actions = actions.map {
            Action(kind: $0.kind.rawValue, task: $0.task?.rawValue, path: $0.path, done: $0.skipped == nil && !dryRun, skipped: $0.skipped)
        }
    }
}

/// `gorch doctor --json` (docs/schema/doctor.json).
struct DoctorJSON: Encodable {
    var ok: Bool
    var checks: [Check]

    struct Check: Encodable {
        var name: String
        var status: String
        var detail: String
        var fix: String?
        var required: Bool
    }

    init(_ checks: [GorchCore.Doctor.Check], ok: Bool) {
        self.ok = ok
        self.checks = checks.map { Check(name: $0.name, status: $0.status.rawValue, detail: $0.detail, fix: $0.fix, required: $0.required) }
    }
}
