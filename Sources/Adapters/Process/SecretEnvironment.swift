import Subprocess

/// Variables that hold gorch's own secrets (the Agent Mail bearer token). They are never handed
/// to a child process (validation steps, setup commands, agents, bd/bv/openspec): a command that
/// prints its environment into a log gorch keeps cannot leak them (DESIGN.md: secrets are never
/// printed or logged). A caller that sets one explicitly in the request still passes it on.
enum SecretEnvironment {
    static let names: Set<String> = ["GORCH_AGENT_MAIL_TOKEN"]

    /// The child's environment: this process's, with `explicit` applied and the secrets removed.
    static func childEnvironment(_ explicit: [String: String]) -> Environment {
        var overrides = Dictionary(
            explicit.map { (Environment.Key(stringLiteral: $0.key), Optional($0.value)) },
            uniquingKeysWith: { _, last in last })
        for name in names where explicit[name] == nil {
            overrides.updateValue(nil, forKey: Environment.Key(stringLiteral: name))
        }
        return Environment.inherit.updating(overrides)
    }
}
