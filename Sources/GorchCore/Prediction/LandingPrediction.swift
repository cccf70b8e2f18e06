import Foundation
import GitKit

/// Whether a ready task lands cleanly on the target after the tasks ahead of it in the merge
/// queue. Pairwise predictions merge two branches on their own merge base, which overstates when
/// tasks start from different bases (one task's branch already holding another's change); this
/// one lands the queue in order, as `gorch merge --keep-going` would.
public struct Landing: Sendable, Equatable {
    public let id: TaskID
    /// 1-based place in the merge queue (`MergeQueue.order`), counting every ready task.
    public let position: Int
    /// False for a complex conflict (the task would be handed back) and for unrelated histories
    /// (the task would fail); both leave the train without it.
    public let clean: Bool
    /// The conflicting paths when not clean (empty for unrelated histories, or a merge unclean
    /// beyond its listed paths).
    public let conflicts: [String]
    /// The paths its landing changes on the train (empty when not clean, or already contained);
    /// only filled when asked for (`batch`), a diff per task that `status` does not need.
    public let changes: [String]
}

/// Lands every ready task of the merge queue in memory, in order, onto the target's tip: each
/// task exactly as the coordinator merges it (`TaskLanding`: trivial resolutions, the tasks.md
/// tick, a merge commit), the next one onto that result; a task that conflicts is left out and
/// the rest go on without it (as `merge --keep-going` hands it back). Nothing is written: the
/// objects live in a mempack dropped at the end (no refs, no index, no worktree, no odb write).
///
/// Not predicted: validation, `--resolve-with` agents, `--ff` (off by default; with it only the
/// commit ids differ, never a verdict, except through later merge bases), and tasks whose branch
/// is missing (the coordinator stops on them; here they are skipped). A merge run that is open
/// (stopped on a conflict) is ignored: the queue is landed on the target as it is now.
public enum LandingPredictor {
    /// Every ready task with a branch, in merge-queue order, keyed by id; `changes`: fill
    /// `Landing.changes`.
    public static func predict(_ workspace: Workspace, tasks: [TaskRecord], changes: Bool = false) throws -> [TaskID: Landing] {
        let byID = Dictionary(tasks.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let queue = MergeQueue.order(tasks).compactMap { byID[$0] }
        guard !queue.isEmpty else { return [:] }
        let target = try workspace.target()
        guard let head = try workspace.repository.branchTarget(target) else { return [:] }
        var entries: [(position: Int, task: TaskRecord, tip: OID)] = []
        for (index, task) in queue.enumerated() {
            if let tip = try workspace.taskTip(task.id) { entries.append((index + 1, task, tip)) }
        }
        let rules = workspace.settings.resolveRules
        // `status --watch` asks every few seconds; the answer depends only on these.
        let key = ([target, head.hex, changes ? "changes" : "", rules.patterns.map { "\($0.glob) \($0.rule.rawValue)" }.joined(separator: "\n")]
                   + entries.map { "\($0.position) \($0.task.id) \($0.tip.hex) \($0.task.change ?? "") \($0.task.taskNumber ?? "")" })
            .joined(separator: "\u{0}")
        if let known = memo.lookup(key) { return known }
        let landings = try land(entries, onto: head, target: target, rules: rules, changes: changes,
                                repository: workspace.repository.commonDirectory)
        let result = Dictionary(landings.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        memo.store(key, result)
        return result
    }

    private static func land(_ entries: [(position: Int, task: TaskRecord, tip: OID)], onto head: OID, target: String,
                             rules: ResolveRules, changes wanted: Bool, repository path: String) throws -> [Landing] {
        // A handle of its own whose writes go to memory: the workspace's writes to disk.
        let repository = try Repository.discover(from: path)
        try repository.useInMemoryObjectWrites()
        defer { repository.discardScratchObjects() }
        let landing = TaskLanding(repository: repository, merger: OrtMerger(repository: repository), rules: rules)
        // The commits are never kept, so their identity and time do not matter.
        let signature = Signature(name: "gorch", email: "gorch@localhost", time: Date(timeIntervalSince1970: 0), offsetMinutes: 0)
        var train = head
        var result: [Landing] = []
        for (position, task, tip) in entries {
            switch try landing.land(task, tip: tip, onto: train, label: target, fastForward: false, signature: signature) {
            case .unrelated:
                result.append(Landing(id: task.id, position: position, clean: false, conflicts: [], changes: []))
            case .contained:
                result.append(Landing(id: task.id, position: position, clean: true, conflicts: [], changes: []))
            case .commit(let commit, _, _, _):
                let changes = wanted ? try repository.changedPaths(from: train, to: commit) : []
                result.append(Landing(id: task.id, position: position, clean: true, conflicts: [], changes: changes))
                train = commit
            case .conflict(let remaining, _):
                result.append(Landing(id: task.id, position: position, clean: false, conflicts: remaining.map(\.path), changes: []))
            }
        }
        return result
    }

    /// The last few predictions of this process (`status --watch` redraws, `batch` after
    /// `status` in one `loop`).
    private static let memo = Memo()

    private final class Memo: @unchecked Sendable {
        private let lock = NSLock()
        private var entries: [(key: String, value: [TaskID: Landing])] = []

        func lookup(_ key: String) -> [TaskID: Landing]? {
            lock.withLock { entries.first { $0.key == key }?.value }
        }

        func store(_ key: String, _ value: [TaskID: Landing]) {
            lock.withLock {
                entries.removeAll { $0.key == key }
                entries.insert((key, value), at: 0)
                if entries.count > 4 { entries.removeLast() }
            }
        }
    }
}
