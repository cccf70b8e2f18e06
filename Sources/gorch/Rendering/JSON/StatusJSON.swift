import Foundation
import GorchCore

/// `gorch status --json`, and each frame of `status --watch --json` (docs/schema/status.json;
/// DESIGN.md "Commands"):
///
///     {"target": "main", "store": "embedded",
///      "tasks": [{"id","title","state","branch","worktree","ahead","behind","dirty","scope",
///                 "reservations","conflicts_with","lands","note","agent"}],
///      "interrupted": {"task","step","reason","worktree","paths","remaining","merged","pid","since"} | null,
///      "train": {"tasks","round","landing","lanes":[{"lane","prefix","commit","state"}]} | null,
///      "flaky": [{"at","commit","tasks","attempts","steps"}]}
///
/// branch is null when the branch is gone; worktree/ahead/behind/dirty are null when the
/// worktree or branch does not exist; scope is null for an unknown scope; agent is
/// {"pid","started","log"} while an agent runs in the worktree (`gorch run`, `batch --run`,
/// `loop`), else null; reservations lists the globs reserved for the task, [] when none; lands
/// is {"position","clean","conflicts"} for a ready task with a branch (its place in the merge
/// queue and whether it lands cleanly after the tasks ahead of it), else null.
struct StatusJSON: Encodable {
    var target: String
    var store: String
    var tasks: [Task]
    var interrupted: Interrupted?
    var train: Train?
    var flaky: [Flaky]

    /// The merge train in flight; a lane's prefix counts tasks from the train's front.
    struct Train: Encodable {
        var tasks: [String]
        var round: Int
        var landing: Int?
        var lanes: [Lane]
    }

    struct Lane: Encodable {
        var lane: Int
        var prefix: Int
        var commit: String
        var state: String
    }

    /// A validation that passed only on a retry.
    struct Flaky: Encodable {
        var at: String
        var commit: String
        var tasks: [String]
        var attempts: Int
        var steps: [String]
    }

    struct Task: Encodable {
        var id: String
        var title: String
        var state: String
        var branch: String?
        var worktree: String?
        var ahead: Int?
        var behind: Int?
        var dirty: Bool?
        var scope: [String]?
        var reservations: [String]
        var conflictsWith: [String]
        var lands: Lands?
        var note: String?
        var agent: Agent?

        enum CodingKeys: String, CodingKey {
            case id, title, state, branch, worktree, ahead, behind, dirty, scope, reservations, conflictsWith = "conflicts_with", lands, note, agent
        }
    }

    /// A ready task's landing in merge-queue order (`LandingPredictor`).
    struct Lands: Encodable {
        var position: Int
        var clean: Bool
        var conflicts: [String]

        init(_ landing: Landing) {
            position = landing.position
            clean = landing.clean
            conflicts = landing.conflicts
        }
    }

    struct Agent: Encodable {
        var pid: Int32
        var started: String
        var log: String
    }

    struct Interrupted: Encodable {
        var task: String?
        var step: String?
        var reason: String
        var worktree: String?
        var paths: [String]
        var remaining: [String]
        var merged: [String]
        var pid: Int32
        var since: String
    }

    init(_ report: StatusReporter.Report) {
        target = report.target
        store = report.store
        tasks = report.tasks.map { status in
            let task = status.task
            return Task(id: task.id.rawValue, title: task.title, state: task.state.rawValue,
                        branch: status.branchExists ? task.branch : nil, worktree: status.worktree,
                        ahead: status.ahead, behind: status.behind, dirty: status.dirty, scope: task.files,
                        reservations: status.reservations, conflictsWith: status.conflictsWith.map(\.rawValue),
                        lands: status.lands.map(Lands.init), note: task.note,
                        agent: status.agent.map { Agent(pid: $0.pid, started: $0.started.formatted(.iso8601), log: $0.log) })
        }
        interrupted = report.interrupted.map { run in
            Interrupted(task: run.task?.rawValue, step: run.step, reason: run.reason, worktree: run.worktree, paths: run.paths,
                        remaining: run.remaining.map(\.rawValue), merged: run.merged.map(\.rawValue), pid: run.pid,
                        since: run.since.formatted(.iso8601))
        }
        train = report.train.map { train in
            Train(tasks: train.tasks.map(\.rawValue), round: train.round, landing: train.landing,
                  lanes: train.lanes.map { Lane(lane: $0.lane, prefix: $0.prefix, commit: $0.commit, state: $0.state.rawValue) })
        }
        flaky = report.flaky.map {
            Flaky(at: $0.at.formatted(.iso8601), commit: $0.commit, tasks: $0.tasks.map(\.rawValue), attempts: $0.attempts, steps: $0.steps)
        }
    }
}
