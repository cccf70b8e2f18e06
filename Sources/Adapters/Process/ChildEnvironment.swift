import Subprocess

/// The environment of every child gorch spawns (validation steps, setup commands, agents,
/// bd/bv/openspec): this process's, minus the variables that are gorch's own business.
/// - Secrets (DESIGN.md: never printed or logged): the Agent Mail bearer token, and the Agent
///   Mail URL, which may carry credentials (`user:password@`, `?token=`). A command that prints
///   its environment into a log gorch keeps would leak them.
/// - `GORCH_FAULT` (test-only fault injection): armed for gorch, it must not reach a gorch an
///   agent or a validation step runs in turn.
/// A caller that sets one explicitly in the request still passes it on.
enum ChildEnvironment {
    static let withheld: Set<String> = ["GORCH_AGENT_MAIL_TOKEN", "GORCH_AGENT_MAIL_URL", "GORCH_FAULT"]

    /// The child's environment: this process's, with `explicit` applied and `withheld` removed.
    static func make(_ explicit: [String: String]) -> Environment {
        var overrides = Dictionary(
            explicit.map { (Environment.Key(stringLiteral: $0.key), Optional($0.value)) },
            uniquingKeysWith: { _, last in last })
        for name in withheld where explicit[name] == nil {
            overrides.updateValue(nil, forKey: Environment.Key(stringLiteral: name))
        }
        return Environment.inherit.updating(overrides)
    }
}
