import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Test-only fault injection (docs/RELIABILITY.md): `GORCH_FAULT=<point>` makes the process
/// SIGKILL itself when it reaches that point; `<point>@N` at its Nth visit (e.g. the second
/// task of a queue). Several, comma-separated, are allowed; the first one reached fires.
/// Unset, a point costs one Set lookup on an empty set.
///
/// Only debug builds (what `swift test` builds and runs) have the points: Package.swift defines
/// `GORCH_FAULT_INJECTION` for the debug configuration alone, so a release `gorch` never reads
/// GORCH_FAULT and an exported variable cannot make a production run kill itself, leave lock
/// files or truncate a file. Children never see the variable either (Adapters' ChildEnvironment).
///
/// Every state-changing step of merge, start/batch, cleanup, populate and sync has a point.
/// Points named `...-locked` sit where gorch would be inside a libgit2 call that holds a lock
/// file (a ref update, an index write); a kill cannot be timed inside the C call, so the point
/// creates that lock file exactly as libgit2 does (O_EXCL, empty) and then dies: the on-disk
/// state of a process killed inside the call.
public enum Fault {
    public enum Point: String, CaseIterable, Sendable {
        // merge (MergeCoordinator)
        case mergeLocked = "merge.locked"                     // repo lock taken, nothing written
        case mergeJournalPartial = "merge.journal-partial"   // inside the first journal write: journal.json.tmp-<pid> made, not renamed
        case mergeConflictJournaled = "merge.conflict-journaled" // journal saved, conflict not yet written back
        case mergeHandedBack = "merge.handed-back"           // conflict written into the task worktree, run not yet stopped
        case mergeValidating = "merge.validating"            // journal at `validating`, validation not started
        case mergeValidationLocked = "merge.validation-locked" // inside the validation worktree's HEAD update (its HEAD.lock held)
        case mergeValidated = "merge.validated"              // validation passed, journal not yet at `updating-target`
        case mergeRefLocked = "merge.ref-locked"             // inside the target ref update (refs/heads/<target>.lock held)
        case mergeTargetMoved = "merge.target-moved"         // target moved, its checkout not yet updated
        case mergeIndexLocked = "merge.index-locked"         // inside the checkout's index write (index.lock held)
        case mergeCheckoutWritten = "merge.checkout-written" // checkout's files written, its index not yet
        case mergeCheckoutPartial = "merge.checkout-partial" // inside the checkout: a file half written (emptied), index not written
        case mergeCheckoutUpdated = "merge.checkout-updated" // checkout updated, task not yet marked merged
        case mergeMarked = "merge.marked"                    // task marked merged, worktree and branch not yet removed
        case mergeCleaned = "merge.cleaned"                  // worktree and branch removed, next task not started
        case mergeTrainBuilt = "merge.train-built"           // train journaled (its commits in the odb), nothing validated
        case mergeTrainValidating = "merge.train-validating" // a round's lanes journaled, their worktrees not yet reset
        case mergeTrainLanding = "merge.train-landing"       // passing prefix journaled (durable), target not yet moved
        case mergeTrainCulprit = "merge.train-culprit"       // prefix landed, culprit marked failed, journal not yet updated
        // start / batch (TaskStarter, Batcher)
        case startClaimed = "start.claimed"                  // task claimed (started), nothing else yet
        case startBranchCreated = "start.branch-created"     // branch created, no worktree yet
        case startWorktreeAdded = "start.worktree-added"     // worktree made, not yet bootstrapped
        case startBootstrapped = "start.bootstrapped"        // bootstrap done, not yet recorded
        case batchStarted = "batch.started"                  // one task of the batch started, the next not yet
        // cleanup (TaskCleaner)
        case cleanupAdminPartial = "cleanup.admin-partial"   // inside a worktree removal: admin dir half deleted (no gitdir)
        case cleanupFolderLeft = "cleanup.folder-left"       // inside a worktree removal: admin dir gone, folder not yet
        case cleanupWorktreeRemoved = "cleanup.worktree-removed" // a worktree removed, its branch not yet
        case cleanupBranchDeleted = "cleanup.branch-deleted" // a branch deleted, the next task not yet
        // populate (Populator)
        case populateCreated = "populate.created"            // one issue created, the next not yet
        case populateLinked = "populate.linked"              // one dependency added, the next not yet
        // sync (Syncer)
        case syncJournaled = "sync.journaled"                // sync journal written, nothing changed yet
        case syncTicked = "sync.ticked"                      // tasks.md tick commit on the target, tasks not yet marked
        case syncMarked = "sync.marked"                      // one task marked merged, its worktree not yet removed
    }

    /// Whether this build has fault points (debug builds only; see above).
    #if GORCH_FAULT_INJECTION
    public static let isCompiledIn = true
    private static let armed: [String: Int] = parse(ProcessInfo.processInfo.environment["GORCH_FAULT"] ?? "")
    #else
    public static let isCompiledIn = false
    private static let armed: [String: Int] = [:]
    #endif
    private static let visits = Visits()

    /// Dies here if this point is armed (and this is the armed visit).
    public static func point(_ point: Point) {
        guard fires(point) else { return }
        die()
    }

    // The paths below are autoclosures, so a build without points never computes them.

    /// At a `...-locked` point: if it fires, create `lockFile` as libgit2 would, then die.
    public static func point(_ point: Point, holding lockFile: @autoclosure () -> String) {
        guard fires(point) else { return }
        let descriptor = open(lockFile(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if descriptor >= 0 { close(descriptor) }
        die()
    }

    /// At a point inside a removal: if it fires, delete `path` (file or folder), then die.
    public static func point(_ point: Point, removing path: @autoclosure () -> String) {
        guard fires(point) else { return }
        try? FileManager.default.removeItem(atPath: path())
        die()
    }

    /// At a point inside a file write: if it fires, empty `file` (a write cut short), then die.
    public static func point(_ point: Point, truncating file: @autoclosure () -> String) {
        guard fires(point) else { return }
        _ = truncate(file(), 0)
        die()
    }

    private static func fires(_ point: Point) -> Bool {
        guard !armed.isEmpty, let wanted = armed[point.rawValue] else { return false }
        return visits.next(point.rawValue) == wanted
    }

    private static func die() -> Never {
        kill(getpid(), SIGKILL)
        // SIGKILL cannot be caught or ignored; this only satisfies `Never`.
        while true { pause() }
    }

    static func parse(_ text: String) -> [String: Int] {
        var points: [String: Int] = [:]
        for item in text.split(separator: ",") {
            let parts = item.trimmingCharacters(in: .whitespaces).split(separator: "@", maxSplits: 1)
            guard let name = parts.first else { continue }
            points[String(name)] = parts.count == 2 ? Int(parts[1]) ?? 1 : 1
        }
        return points
    }

    private final class Visits: @unchecked Sendable {
        private let lock = NSLock()
        private var counts: [String: Int] = [:]

        func next(_ name: String) -> Int {
            lock.lock()
            defer { lock.unlock() }
            counts[name, default: 0] += 1
            return counts[name] ?? 0
        }
    }
}
