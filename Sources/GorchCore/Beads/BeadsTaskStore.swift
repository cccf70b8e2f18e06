import Adapters
import Foundation

/// Beads as the task store (DESIGN.md "Tasks"): the issue is the task. State lives in bd:
/// started = `in_progress` + claimed, ready = label `gorch:ready`, merged = closed with reason
/// `Merged in <short-id> (task/<id>)`, failed/conflicted = label `gorch:failed` /
/// `gorch:conflicted` with a note. gorch's own bookkeeping (when a task became ready, its base,
/// its merge commit) stays in a side file `.git/gorch/beads-tasks.json`.
public final class BeadsTaskStore: TaskStore {
    public let kind = "beads"
    public let client: BeadsClient
    private let sidecar: EmbeddedTaskStore

    public static let readyLabel = "gorch:ready"
    public static let failedLabel = "gorch:failed"
    public static let conflictedLabel = "gorch:conflicted"
    static let stateLabels = [readyLabel, failedLabel, conflictedLabel]

    public init(client: BeadsClient, paths: GorchPaths) {
        self.client = client
        sidecar = EmbeddedTaskStore(paths: paths, file: "beads-tasks.json")
    }

    /// The bd actor gorch claims a task's issue as: stable per task.
    public static func actor(for id: TaskID) -> String { "gorch-" + id.rawValue }

    public func prepare() async throws -> Bool { try sidecar.prepare() }

    /// Open and in-progress issues, plus closed ones gorch merged (its history), epics excluded.
    public func list() async throws -> [TaskRecord] {
        let known = Dictionary(try sidecar.list().map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return try await client.list(all: true).compactMap { issue in
            guard issue.issue_type != "epic", let id = try? TaskID(issue.id) else { return nil }
            if issue.status == "closed" && known[id] == nil { return nil }
            return Self.record(issue, known[id])
        }
    }

    public func get(_ id: TaskID) async throws -> TaskRecord? {
        let issues: [BeadsIssue]
        do {
            issues = try await client.show([id.rawValue])
        } catch BeadsError.notFound {
            return nil
        }
        guard let issue = issues.first(where: { $0.id == id.rawValue }) else { return nil }
        return Self.record(issue, try sidecar.get(id))
    }

    public func add(_ task: TaskRecord) async throws {
        throw GorchFailure(.usage, "in Beads mode tasks are Beads issues: gorch add does not create them",
                           hint: "create the issue with `bd create`, or from an OpenSpec change with `gorch populate CHANGE`")
    }

    @discardableResult
    public func update(_ id: TaskID, _ change: (inout TaskRecord) throws -> Void) async throws -> TaskRecord {
        guard let current = try await get(id) else {
            throw GorchFailure(.usage, "no Beads issue \(id)", hint: "list issues with `bd list`")
        }
        var updated = current
        try change(&updated)
        if updated.state != current.state || updated.note != current.note {
            try await apply(from: current, to: updated)
        }
        try sidecar.upsert(id, create: { updated }) { $0 = updated }
        return updated
    }

    @discardableResult
    public func upsert(_ id: TaskID, create: () -> TaskRecord, _ change: (inout TaskRecord) throws -> Void) async throws -> TaskRecord {
        // Issues come from bd; a task id that is not an issue cannot be created here.
        try await update(id, change)
    }

    /// bd >= 1.3 stamps a lease on every claim, which `bd reclaim` reverts once it goes stale:
    /// heartbeat as the task's actor. False for other eras, and when leases are disarmed.
    /// - Throws: `BeadsError.claimLost` when the claim is gone (reclaimed, closed, another owner).
    public func keepClaimAlive(_ id: TaskID) async throws -> Bool {
        guard try await client.era() == .leased else { return false }
        do {
            try await client.heartbeat(id.rawValue, actor: Self.actor(for: id))
            return true
        } catch BeadsError.noLease {
            return false
        }
    }

    /// `bd update --claim` as the task's actor: idempotent for gorch's own claim (bd >= 1.3
    /// restamps the lease), refused for another actor's.
    public func ensureClaimed(_ id: TaskID) async throws {
        _ = try await client.claim(id.rawValue, actor: Self.actor(for: id))
    }

    /// Turns a state change into bd calls.
    private func apply(from old: TaskRecord, to new: TaskRecord) async throws {
        let id = new.id.rawValue
        switch new.state {
        case .started:
            if old.state == .planned {
                _ = try await client.claim(id, actor: Self.actor(for: new.id))
            }
            try await relabel(id, keep: nil, old: old)
        case .ready:
            try await relabel(id, keep: Self.readyLabel, old: old)
        case .failed:
            try await relabel(id, keep: Self.failedLabel, old: old, note: new.note)
        case .conflicted:
            try await relabel(id, keep: Self.conflictedLabel, old: old, note: new.note)
        case .merged:
            try await relabel(id, keep: nil, old: old)
            let short = new.mergeCommit.map { String($0.prefix(7)) } ?? "?"
            try await client.close(id, reason: "Merged in \(short) (\(new.branch))")
            try await closeFinishedEpic(of: id)
        case .planned:
            try await relabel(id, keep: nil, old: old)
            try await client.update(id, status: "open")
        }
    }

    /// A phase epic is never batched; gorch closes it when its last child closes.
    private func closeFinishedEpic(of id: String) async throws {
        guard let parent = try await client.show([id]).first?.parent else { return }
        let children = try await client.list(all: true).filter { $0.parent == parent }
        guard !children.isEmpty, children.allSatisfy({ $0.status == "closed" }) else { return }
        guard let epic = try await client.show([parent]).first, epic.status != "closed" else { return }
        try await client.close(parent, reason: "All \(children.count) child issues merged (gorch)")
    }

    private func relabel(_ id: String, keep: String?, old: TaskRecord, note: String? = nil) async throws {
        let remove = Self.stateLabels.filter { $0 != keep }
        try await client.update(id, addLabels: keep.map { [$0] } ?? [], removeLabels: remove,
                                appendNotes: note.map { "gorch: \($0)" })
    }

    /// Dependency types that hold an issue back: `blocks`, and since bv 0.25 (and bd's own
    /// blocked computation) `conditional-blocks` and `waits-for` too (contracts-update.md §3).
    static let blockingTypes: Set<String> = ["blocks", "conditional-blocks", "waits-for"]

    /// A task record from an issue and gorch's side record.
    static func record(_ issue: BeadsIssue, _ side: TaskRecord?) -> TaskRecord {
        let id = TaskID(trusted: issue.id)
        let labels = Set(issue.labels ?? [])
        let state: TaskState
        if issue.status == "closed" {
            state = .merged
        } else if labels.contains(conflictedLabel) {
            state = .conflicted
        } else if labels.contains(failedLabel) {
            state = .failed
        } else if labels.contains(readyLabel) {
            state = .ready
        } else if issue.status == "in_progress" {
            state = .started
        } else {
            state = .planned
        }
        var record = side ?? TaskRecord(id: id, title: issue.title)
        record.title = issue.title
        record.description = issue.description.flatMap { $0.isEmpty ? nil : $0 }
        record.state = state
        record.files = ScopeDeclaration.files(title: issue.title, description: issue.description) ?? side?.files
        record.after = (issue.dependencies ?? []).compactMap { dependency in
            guard dependency.type.map(blockingTypes.contains) ?? true else { return nil }
            let other = dependency.dependsOnID ?? dependency.id
            return other.flatMap { $0 == issue.id ? nil : TaskID(trusted: $0) }
        }
        for label in labels {
            if label.hasPrefix("openspec:") { record.change = String(label.dropFirst(9)) }
            if label.hasPrefix("task:") { record.taskNumber = String(label.dropFirst(5)) }
        }
        return record
    }
}
