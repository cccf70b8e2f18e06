import GorchCore

/// One agent's outcome: `{"id","state","exit_code","timed_out","interrupted","seconds","ahead","log","message"}`.
struct AgentJSON: Encodable {
    var id: String
    var state: String
    var exitCode: Int32?
    var timedOut: Bool
    var interrupted: Bool
    var seconds: Double
    var ahead: Int
    var log: String
    var message: String

    enum CodingKeys: String, CodingKey {
        case id, state, exitCode = "exit_code", timedOut = "timed_out", interrupted, seconds, ahead, log, message
    }

    init(_ outcome: AgentRunner.Outcome) {
        id = outcome.id.rawValue
        state = outcome.state.rawValue
        exitCode = outcome.exitCode
        timedOut = outcome.timedOut
        interrupted = outcome.interrupted
        seconds = (outcome.seconds * 10).rounded() / 10
        ahead = outcome.ahead
        log = outcome.log
        message = outcome.message
    }
}

/// `gorch run --json`: `{"agents":[<agent>]}` (docs/schema/run.json).
struct RunJSON: Encodable {
    var agents: [AgentJSON]
}

/// `gorch loop --json` (docs/schema/loop.json).
struct LoopJSON: Encodable {
    var reason: String
    var needsPerson: Bool
    var merged: [String]
    var failed: [String]
    var rounds: [Round]

    struct Round: Encodable {
        var number: Int
        var picks: [String]
        var agents: [AgentJSON]
        var merge: MergeJSON?
    }

    enum CodingKeys: String, CodingKey { case reason, needsPerson = "needs_person", merged, failed, rounds }

    init(_ summary: LoopRunner.Summary) {
        reason = summary.reason
        needsPerson = summary.needsPerson
        merged = summary.merged.map(\.rawValue)
        failed = summary.failed.map(\.rawValue)
        rounds = summary.rounds.map {
            Round(number: $0.number, picks: $0.picks.map(\.rawValue), agents: $0.agents.map(AgentJSON.init), merge: $0.merge.map(MergeJSON.init))
        }
    }
}
