import Adapters
import Foundation
import GitKit

/// `gorch batch`: proposes up to `max` tasks that can run in parallel without colliding
/// (DESIGN.md "Commands"), then starts the approved ones.
///
/// Candidates: bv's `--robot-plan` tracks filtered by `bd ready` (bv counts in-progress and
/// blocked-status issues as actionable; bd ready does not); without bv, `bd ready`; in embedded
/// mode, planned tasks whose `--after` tasks are merged. Picks go one per track first, then round
/// robin; a candidate is skipped when its scope overlaps a task already picked, an active
/// reservation, or the files an in-flight task will change on the target (see
/// `inFlightChanges`: for a ready task, what its landing in queue order changes); at most one
/// unknown-scope task.
public struct Batcher {
    let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    public struct Candidate: Sendable, Equatable {
        public let id: TaskID
        public let title: String
        public let track: String?
        public let scope: [String]?
    }

    public struct Decision: Sendable {
        /// "bv --robot-plan + bd ready", "bd ready" or "embedded".
        public let source: String
        public let picks: [Candidate]
        public let skips: [(candidate: Candidate, reason: String)]
        public let warnings: [String]
        /// The merge queue (ready tasks with a branch) landed in order (`LandingPredictor`).
        public let queue: [Landing]
    }

    public func propose(max: Int) async throws -> Decision {
        let (source, candidates, warnings) = try await candidates()
        let target = try workspace.target()
        let tasks = try await workspace.store.list()
        // Without a prediction (it failed), every active task is checked by its branch's files.
        let landings = (try? LandingPredictor.predict(workspace, tasks: tasks, changes: true)) ?? [:]
        let inFlight = try inFlightChanges(tasks, target: target, landings: landings)
        let reserved = try await Reservations.choose(workspace).service.active()
        var picks: [Candidate] = []
        var skips: [(Candidate, String)] = []
        var unknownPicked = false
        for candidate in Self.trackOrder(candidates) {
            if picks.count >= max { skips.append((candidate, "batch is full (--max \(max))")); continue }
            if let reason = collision(candidate, picks: picks, inFlight: inFlight, reserved: reserved, unknownPicked: unknownPicked) {
                skips.append((candidate, reason))
                continue
            }
            if candidate.scope == nil { unknownPicked = true }
            picks.append(candidate)
        }
        return Decision(source: source, picks: picks, skips: skips, warnings: warnings,
                        queue: landings.values.sorted { $0.position < $1.position })
    }

    /// Those of `ids` that are started and have their worktree: no longer candidates, but
    /// approving them again is harmless (their start is idempotent).
    public func started(_ ids: [TaskID]) async throws -> Set<TaskID> {
        var found: Set<TaskID> = []
        for id in ids {
            guard let task = try await workspace.store.get(id), task.state == .started,
                  let worktree = try workspace.taskWorktree(id), worktree.isValid else { continue }
            found.insert(id)
        }
        return found
    }

    /// Starts the approved tasks (claim, reserve, worktree) one after another.
    public func start(_ ids: [TaskID]) async throws -> [TaskStarter.Result] {
        var results: [TaskStarter.Result] = []
        for id in ids {
            results.append(try await TaskStarter(workspace: workspace).start(id, base: nil, title: nil))
            Fault.point(.batchStarted)
        }
        return results
    }

    private func collision(_ candidate: Candidate, picks: [Candidate], inFlight: [TaskID: InFlight],
                           reserved: [ActiveReservation], unknownPicked: Bool) -> String? {
        guard let scope = candidate.scope else {
            return unknownPicked ? "unknown scope (no Files: declared): at most one such task per batch" : nil
        }
        for pick in picks {
            if let other = pick.scope, let (a, b) = firstOverlap(scope, other) {
                return "scope overlaps \(pick.id) (\(a) ~ \(b))"
            }
        }
        for reservation in reserved where reservation.task != candidate.id.rawValue {
            if let (a, b) = firstOverlap(scope, reservation.patterns) {
                return "scope overlaps a reservation of \(reservation.task) (\(a) ~ \(b))"
            }
        }
        for (task, flight) in inFlight.sorted(by: { $0.key < $1.key }) where task != candidate.id {
            if let file = flight.files.first(where: { path in scope.contains { GlobOverlap.matches($0, path) } }) {
                switch flight.landing {
                case .some(let landing) where landing.clean:
                    return "scope overlaps ready \(task), whose landing (queue position \(landing.position)) changes \(file)"
                case .some(let landing):
                    let paths = landing.conflicts.isEmpty ? "" : " on \(landing.conflicts.joined(separator: ", "))"
                    return "scope overlaps in-flight \(task), which changed \(file) (predicted to conflict\(paths) when it lands: it will be handed back)"
                case .none:
                    return "scope overlaps in-flight \(task), which changed \(file)"
                }
            }
        }
        return nil
    }

    private func firstOverlap(_ a: [String], _ b: [String]) -> (String, String)? {
        for x in a { for y in b where GlobOverlap.overlaps(x, y) { return (x, y) } }
        return nil
    }

    /// One per track first, then the second of each track, and so on; tracks in their order.
    static func trackOrder(_ candidates: [Candidate]) -> [Candidate] {
        var tracks: [String: [Candidate]] = [:]
        var order: [String] = []
        for (index, candidate) in candidates.enumerated() {
            let key = candidate.track ?? "#\(index)"
            if tracks[key] == nil { order.append(key) }
            tracks[key, default: []].append(candidate)
        }
        var result: [Candidate] = []
        var round = 0
        while result.count < candidates.count {
            for key in order {
                let items = tracks[key] ?? []
                if round < items.count { result.append(items[round]) }
            }
            round += 1
        }
        return result
    }

    /// What an active task will still change on the target, and its landing prediction if ready.
    struct InFlight {
        var files: [String]
        var landing: Landing?
    }

    /// The files each active task will change on the target. A ready task predicted to land
    /// cleanly in queue order: exactly the paths its landing changes on the predicted train
    /// (what the target gets from it; nothing when its work is already contained, e.g. landed
    /// through an earlier task whose branch it started from). Any other active task (started,
    /// failed, conflicted, or ready but predicted to conflict, so handed back and reworked):
    /// the files its branch changed since it left the target, as before the prediction.
    /// Candidates have no commits, so no merge (pairwise or in order) can judge them directly;
    /// the prediction only makes the files they are checked against exact.
    private func inFlightChanges(_ tasks: [TaskRecord], target: String, landings: [TaskID: Landing]) throws -> [TaskID: InFlight] {
        let repository = workspace.repository
        guard let head = try repository.branchTarget(target) else { return [:] }
        var result: [TaskID: InFlight] = [:]
        for task in tasks where task.state.isActive {
            if let landing = landings[task.id], landing.clean {
                if !landing.changes.isEmpty { result[task.id] = InFlight(files: landing.changes, landing: landing) }
                continue
            }
            guard let tip = try workspace.taskTip(task.id), tip != head else { continue }
            let base = try repository.mergeBases(tip, head).first
            let files = try repository.changedPaths(from: base, to: tip)
            if !files.isEmpty { result[task.id] = InFlight(files: files, landing: landings[task.id]) }
        }
        return result
    }

    private func candidates() async throws -> (String, [Candidate], [String]) {
        guard let client = workspace.beads else {
            let tasks = try await workspace.store.list()
            let merged = Set(tasks.filter { $0.state == .merged }.map(\.id))
            let ready = tasks.filter { $0.state == .planned && $0.after.allSatisfy(merged.contains) }
                .sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
            return ("embedded", ready.map { Candidate(id: $0.id, title: $0.title, track: nil, scope: $0.files) }, [])
        }
        let ready = try await client.ready().filter { $0.issue_type != "epic" }
        let byID = Dictionary(ready.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        func candidate(_ issue: BeadsIssue, track: String?) -> Candidate? {
            guard let id = try? TaskID(issue.id) else { return nil }
            return Candidate(id: id, title: issue.title, track: track,
                             scope: ScopeDeclaration.files(title: issue.title, description: issue.description))
        }
        var warnings: [String] = []
        let directory = try await TrackerSync.viewerDirectory(workspace)
        let viewer = workspace.viewer(in: directory)
        if viewer.isInstalled {
            do {
                let plan = try await viewer.plan()
                var seen: Set<String> = []
                var result: [Candidate] = []
                for track in plan.tracks ?? [] {
                    for item in track.items {
                        guard let issue = byID[item.id], seen.insert(item.id).inserted,
                              let c = candidate(issue, track: track.track_id) else { continue }
                        result.append(c)
                    }
                }
                if result.isEmpty && !ready.isEmpty {
                    warnings.append("bv's plan shares no task with bd ready (stale .beads/issues.jsonl?); using bd ready alone")
                } else {
                    return ("bv --robot-plan + bd ready", result, warnings)
                }
            } catch {
                warnings.append("bv --robot-plan failed (\(error)); using bd ready alone")
            }
        }
        return ("bd ready", ready.compactMap { candidate($0, track: nil) }, warnings)
    }
}
