import GorchCore

extension ErrorReport {
    /// Orchestrator failures carry their own message and fix.
    init(core error: GorchError) {
        self.init(kind: error.isEnvironment ? .environment : .stopped, message: error.message, hint: error.hint)
    }

    /// Task, merge and lifecycle failures: their kind decides the exit code.
    init(failure: GorchFailure) {
        let kind: Kind = switch failure.kind {
        case .usage: .usage
        case .environment: .environment
        case .stopped: .stopped
        }
        self.init(kind: kind, message: failure.message, hint: failure.hint)
    }

    /// A `gorch.resolve` value gorch cannot use: bad configuration is a usage error (exit 2),
    /// and the message names the key and the rules allowed.
    init(resolveRules error: ResolveRulesError) {
        self.init(kind: .usage, message: error.message, hint: error.hint)
    }

    /// An agent name that resolves to nothing: a usage error listing the agents there are.
    init(agentPreset error: AgentPresetError) {
        self.init(kind: .usage, message: error.message, hint: error.hint)
    }

    /// A single prediction's failure escaping to the top (normally it is reported per result).
    init(prediction error: PredictionError) {
        let hint: String? = switch error {
        case .unknownRevision(let revision, _): "check the name with `git rev-parse --verify '\(revision)'`"
        case .unrelatedHistories: "these histories share no commit; git refuses to merge them too"
        case .git: nil
        }
        self.init(kind: .environment, message: error.description, hint: hint)
    }
}
