import GorchCore

/// `gorch batch --json`:
///
///     {"source":"bv --robot-plan + bd ready"|"bd ready"|"embedded",
///      "picks":[{"id","title","track","scope"}], "skips":[{"id","title","track","scope","reason"}],
///      "started":[{"id","branch","worktree","created"}], "warnings":[...]}
///
/// `started` is empty for a proposal (no --yes / --ids); `track` and `scope` may be null.
enum BatchJSON {
    static func render(_ decision: Batcher.Decision, started: [TaskStarter.Result]) -> JSONValue {
        func candidate(_ c: Batcher.Candidate, reason: String? = nil) -> JSONValue {
            var members: [(key: String, value: JSONValue)] = [("id", .string(c.id.rawValue)), ("title", .string(c.title)),
                                                              ("track", .string(c.track)), ("scope", c.scope.map(JSONValue.strings) ?? .null)]
            if let reason { members.append(("reason", .string(reason))) }
            return .object(members)
        }
        return .object([
            ("source", .string(decision.source)),
            ("picks", .array(decision.picks.map { candidate($0) })),
            ("skips", .array(decision.skips.map { candidate($0.candidate, reason: $0.reason) })),
            ("started", .array(started.map { .object([("id", .string($0.task.id.rawValue)), ("branch", .string($0.branch)),
                                                     ("worktree", .string($0.worktree)), ("created", .bool($0.created))]) })),
            ("warnings", .strings(decision.warnings + started.flatMap(\.warnings))),
        ])
    }
}
