import Adapters
import Foundation
import GitKit

/// `gorch sync` (and the post-merge hook): reconciles after merges made elsewhere, e.g. a person's
/// `git merge task/x`. A task whose branch is contained in the target is marked merged (its issue
/// closed), its reservations released, its worktree and branch removed when clean; its tasks.md box
/// is ticked on the target by a commit of its own; then the tracker is synced. Fast when there is
/// nothing to do: one ref read per active task.
public struct Syncer {
    let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    public struct Result: Sendable {
        public let target: String
        public let merged: [TaskID]
        public let ticked: [String]
        public let tickCommit: OID?
        public let removed: [String]
        public let tracker: String?
        public let archive: [String]
        public let warnings: [String]
    }

    /// Holds the repository lock while it works, as merge and cleanup do, so two syncs (or a sync
    /// and a merge) never finish the same task twice: waits up to `lockWait` seconds, then exits 3
    /// naming the holder. `nil`: the caller holds the lock already (the hook).
    public func sync(lockWait: Double? = 5) async throws -> Result {
        guard let lockWait else { return try await syncHoldingLock() }
        let lock = try RepoLock.acquire(workspace.paths, command: "sync", wait: lockWait)
        defer { lock.release() }
        return try await syncHoldingLock()
    }

    private func syncHoldingLock() async throws -> Result {
        let repository = workspace.repository
        let target = try workspace.target()
        guard let head = try repository.branchTarget(target) else { throw GorchError.unknownTarget(target) }
        var found: [TaskRecord] = []
        var removed: [String] = []
        var warnings: [String] = []
        for task in try await workspace.store.list() where task.state.isActive {
            guard let tip = try workspace.taskTip(task.id), try repository.isAncestor(tip, of: head) else { continue }
            if task.hasOwnCommits(at: tip) { found.append(task) }
        }
        // Crash safety (docs/RELIABILITY.md): the sync journal names the tasks being finished
        // before anything changes; the tick commit comes before the tasks are marked merged (a
        // re-run finds them still active and the box already ticked), and a task marked merged
        // whose worktree removal was cut short is finished by the next sync from the journal.
        let interrupted = SyncJournal.load(workspace.paths).filter { id in !found.contains { $0.id == id } }
        if !found.isEmpty || !interrupted.isEmpty {
            try SyncJournal.save(found.map(\.id) + interrupted, workspace.paths)
            Fault.point(.syncJournaled)
        }
        var ticked: [String] = []
        var tickCommit: OID?
        if !found.isEmpty {
            (ticked, tickCommit) = try tick(found, target: target, head: head, warnings: &warnings)
            Fault.point(.syncTicked)
        }
        var merged: [TaskRecord] = []
        for task in found {
            merged.append(try await workspace.store.update(task.id) {
                $0.state = .merged
                $0.mergedAt = Date()
                $0.mergeCommit = head.hex
                $0.note = nil
            })
            Fault.point(.syncMarked)
        }
        for id in found.map(\.id) + interrupted {
            await Reservations.releaseMerged(id, workspace)
            let kept = TaskCleaner(workspace: workspace).removeMerged(id, force: false)
            warnings += kept
            if kept.isEmpty && found.contains(where: { $0.id == id }) { removed.append(id.rawValue) }
        }
        if !found.isEmpty || !interrupted.isEmpty { SyncJournal.remove(workspace.paths) }
        var tracker: String?
        if !merged.isEmpty || tickCommit != nil {
            do { tracker = try await TrackerSync.afterMerges(workspace) } catch { warnings.append("tracker sync failed: \(error)") }
        }
        return Result(target: target, merged: merged.map(\.id), ticked: ticked, tickCommit: tickCommit, removed: removed,
                      tracker: tracker, archive: try await archiveSuggestions(merged), warnings: warnings)
    }

    /// One commit on the target ticking the merged tasks' boxes, moved by compare-and-swap and
    /// shown in the target's checkout as `gorch merge` does (skipped with a warning when local
    /// changes are in the way).
    private func tick(_ tasks: [TaskRecord], target: String, head: OID, warnings: inout [String]) throws -> ([String], OID?) {
        let repository = workspace.repository
        var tree = try repository.commit(head).tree
        var ticked: [String] = []
        for task in tasks {
            if let next = try TasksTick.tick(repository, tree: tree, task: task) {
                tree = next
                ticked.append("\(task.change ?? "") \(task.taskNumber ?? "")")
            }
        }
        guard !ticked.isEmpty else { return ([], nil) }
        let checkout = try workspace.checkout(of: target)
        let signature = try MergeCoordinator.identity(repository)
        let commit = try repository.createCommit(tree: tree, parents: [head],
                                                 message: "gorch: tick \(ticked.joined(separator: ", ")) in tasks.md\n",
                                                 author: signature, committer: signature)
        if let checkout {
            let blockers = try Repository.open(at: checkout).checkoutBlockers(tree: commit, baseline: head)
            if !blockers.isEmpty {
                warnings.append("tasks.md not ticked: \(checkout) has local changes to \(blockers.joined(separator: ", "))")
                return ([], nil)
            }
        }
        try repository.updateReference("refs/heads/" + target, to: commit, expected: head, message: "gorch sync: tick tasks.md")
        if let checkout { try Repository.open(at: checkout).checkout(tree: commit, baseline: head) }
        return (ticked, commit)
    }

    /// Changes whose tasks.md is now fully ticked on the target: archive them (`gorch.archive =
    /// auto`, with openspec installed) or suggest it (`never`, the default).
    func archiveSuggestions(_ merged: [TaskRecord]) async throws -> [String] {
        let changes = Set(merged.compactMap(\.change))
        guard !changes.isEmpty, let root = workspace.paths.mainWorkTree else { return [] }
        var lines: [String] = []
        let mode = workspace.settings.archive
        for change in changes.sorted() {
            guard let plan = try? ChangePlanner.load(change: change, root: root), plan.document.unchecked == 0 else { continue }
            let openspec = workspace.openSpec(in: root)
            if mode == .auto, openspec.isInstalled {
                try await openspec.archive(change: change)
                lines.append("archived \(change) (openspec archive \(change) -y)")
            } else {
                lines.append("change \(change) is complete: archive it with `openspec archive \(change) -y` (or set gorch.archive=auto)")
            }
        }
        return lines
    }
}

/// `.git/gorch/sync.json`: the ids a sync is finishing, one per line; see Syncer.sync.
enum SyncJournal {
    static func load(_ paths: GorchPaths) -> [TaskID] {
        guard let text = try? String(contentsOfFile: paths.syncJournal, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { try? TaskID(String($0)) }
    }

    static func save(_ ids: [TaskID], _ paths: GorchPaths) throws {
        try AtomicFile.write(Data(ids.map { $0.rawValue + "\n" }.joined().utf8), to: paths.syncJournal)
    }

    static func remove(_ paths: GorchPaths) {
        AtomicFile.remove(paths.syncJournal)
    }
}
