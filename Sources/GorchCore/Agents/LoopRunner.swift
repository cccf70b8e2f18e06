import Foundation

/// `gorch loop`: batch -> run the agents -> merge, repeated until nothing is ready or a person is
/// needed (a conflict the resolver could not settle, a failed validation, refused checkout) or a
/// round made no progress.
public struct LoopRunner {
    let workspace: Workspace
    let board: AgentBoard

    public init(workspace: Workspace, board: AgentBoard) {
        self.workspace = workspace
        self.board = board
    }

    public struct Options: Sendable {
        public var run: String
        public var validate: [String] = []
        public var resolveWith: String?
        public var max = 4
        public var timeout: Duration?
        /// Merge trains for each round's merge (nil: gorch.batch / gorch.validateLanes).
        public var batch: Int?
        public var lanes: Int?
        public init(run: String) { self.run = run }
    }

    public struct Round: Sendable {
        public let number: Int
        public let picks: [TaskID]
        public let agents: [AgentRunner.Outcome]
        public let merge: MergeReport?
    }

    public struct Summary: Sendable {
        public let rounds: [Round]
        /// Why the loop ended: "nothing is ready", "a person is needed: ...", "no progress: ...".
        public let reason: String
        public let needsPerson: Bool
        public var merged: [TaskID] { rounds.flatMap { $0.merge?.tasks.filter { $0.outcome == .merged }.map(\.id) ?? [] } }
        public var failed: [TaskID] {
            rounds.flatMap { $0.agents.filter { $0.state == .failed }.map(\.id) }
                + rounds.flatMap { $0.merge?.tasks.filter { $0.outcome == .failed }.map(\.id) ?? [] }
        }
    }

    public enum Event: Sendable {
        case round(Int, picks: [TaskID])
        case agentsFinished([AgentRunner.Outcome])
        case merge(MergeEvent)
    }

    public func run(_ options: Options, progress: @escaping @Sendable (Event) -> Void) async throws -> Summary {
        var rounds: [Round] = []
        let timeout = options.timeout ?? workspace.settings.agentTimeout
        while true {
            try Task.checkCancellation()
            let batcher = Batcher(workspace: workspace)
            let decision = try await batcher.propose(max: options.max)
            let picks = decision.picks.map(\.id)
            guard !picks.isEmpty else {
                return Summary(rounds: rounds, reason: rounds.isEmpty ? "nothing is ready" : "nothing more is ready", needsPerson: false)
            }
            progress(.round(rounds.count + 1, picks: picks))
            _ = try await batcher.start(picks)
            let agents = try await AgentRunner(workspace: workspace, board: board).run(picks, command: options.run,
                                                                                        max: options.max, timeout: timeout)
            progress(.agentsFinished(agents))
            let ready = agents.filter { $0.state == .ready }.map(\.id)
            var report: MergeReport?
            if !ready.isEmpty {
                var merge = MergeOptions()
                merge.ids = ready
                merge.validate = options.validate
                merge.resolveWith = options.resolveWith
                merge.batch = options.batch
                merge.lanes = options.lanes
                report = try await MergeCoordinator(workspace: workspace) { progress(.merge($0)) }.merge(merge)
            }
            rounds.append(Round(number: rounds.count + 1, picks: picks, agents: agents, merge: report))
            if let report, report.needsPerson {
                let who = report.tasks.first { [.conflicted, .failed, .refused].contains($0.outcome) }
                return Summary(rounds: rounds, reason: "a person is needed: \(who.map { "\($0.id) \($0.outcome.rawValue)" } ?? "see above")"
                                   + (who?.message.map { " (\($0))" } ?? ""), needsPerson: true)
            }
            if report?.tasks.contains(where: { $0.outcome == .merged }) != true {
                return Summary(rounds: rounds, reason: "no progress: no agent of round \(rounds.count) produced a mergeable task",
                               needsPerson: true)
            }
        }
    }
}
