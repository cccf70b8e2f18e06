import GitKit

extension MergeCoordinator {
    /// What merging one task onto a commit comes to, worked out in memory (steps 2-4, see
    /// TaskLanding): nothing is written but objects. The serial step plans onto the target; a
    /// train onto the commit of the task ahead of it; the landing prediction onto its own
    /// in-memory queue: all three make exactly the same commit through this one path.
    typealias Plan = TaskLanding.Result

    /// Plans `task` (tip `tip`) onto `old`.
    func plan(_ task: TaskRecord, tip: OID, onto old: OID, label target: String, fastForward: Bool) throws -> Plan {
        try TaskLanding(repository: repository, merger: merger, rules: workspace.settings.resolveRules)
            .land(task, tip: tip, onto: old, label: target, fastForward: fastForward, signature: session.signature())
    }
}
