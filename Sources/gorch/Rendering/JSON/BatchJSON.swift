import GorchCore

/// `gorch batch --json` (docs/schema/batch.json): `started` is empty for a proposal (no --yes
/// or --ids), `agents` empty without --run; `track`, `scope` and a pick's `reason` may be null.
/// `queue`: the ready tasks landed in merge-queue order, each `{"id","position","clean","conflicts"}`
/// (the same prediction as status's `lands`; in-flight files of a clean one are its landing's).
struct BatchJSON: Encodable {
    var source: String
    var picks: [Candidate]
    var skips: [Candidate]
    var queue: [Queued]
    var started: [Started]
    var warnings: [String]
    var agents: [AgentJSON]

    struct Candidate: Encodable {
        var id: String
        var title: String
        var track: String?
        var scope: [String]?
        var reason: String?

        init(_ candidate: Batcher.Candidate, reason: String? = nil) {
            id = candidate.id.rawValue
            title = candidate.title
            track = candidate.track
            scope = candidate.scope
            self.reason = reason
        }
    }

    struct Queued: Encodable {
        var id: String
        var position: Int
        var clean: Bool
        var conflicts: [String]
    }

    struct Started: Encodable {
        var id: String
        var branch: String
        var worktree: String
        var created: Bool
    }

    init(_ decision: Batcher.Decision, started: [TaskStarter.Result], agents: [AgentRunner.Outcome]) {
        source = decision.source
        picks = decision.picks.map { Candidate($0) }
        skips = decision.skips.map { Candidate($0.candidate, reason: $0.reason) }
        queue = decision.queue.map { Queued(id: $0.id.rawValue, position: $0.position, clean: $0.clean, conflicts: $0.conflicts) }
        self.started = started.map { Started(id: $0.task.id.rawValue, branch: $0.branch, worktree: $0.worktree, created: $0.created) }
        warnings = decision.warnings + started.flatMap(\.warnings)
        self.agents = agents.map(AgentJSON.init)
    }
}
