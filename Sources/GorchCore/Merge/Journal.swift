import Foundation

/// The merge run's journal, `.git/gorch/journal.json`, rewritten (atomically) before every step
/// that changes something outside the object store, so that a run killed at any point can be
/// resumed or aborted (DESIGN.md "Merge coordinator"; which writes, see mergeTask).
/// It exists exactly while a run is open: removed when the run ends, kept when it stops on a
/// complex conflict or dies.
public struct Journal: Codable, Sendable, Equatable {
    public enum Step: String, Codable, Sendable {
        // `updating-checkout` is no longer written (the target's checkout is updated under
        // `updating-target`) but is still read from journals of older runs.
        case merging, validating, updatingTarget = "updating-target", updatingCheckout = "updating-checkout", cleanup
    }

    /// The task being merged when the journal was last written.
    public struct Current: Codable, Sendable, Equatable {
        public var id: TaskID
        public var step: Step
        /// The target's id before this task: the compare-and-swap's expected value.
        public var oldTarget: String
        /// The commit the target moves to, once known.
        public var newTarget: String?
        /// The task's state before the run touched it, restored by `--abort`.
        public var previousState: TaskState
        /// Where the target is checked out, if anywhere (updated after the ref moves).
        public var checkout: String?
    }

    /// Why the run is waiting for a person.
    public struct Stop: Codable, Sendable, Equatable {
        public var id: TaskID
        public var reason: String
        public var worktree: String?
        public var paths: [String]
        /// The task branch's tip when the conflict was written: `--continue` wants a newer one.
        public var taskTip: String
    }

    public struct Options: Codable, Sendable, Equatable {
        public var validate: [String]
        public var keepGoing: Bool
        public var cleanup: Bool
        public var fastForward: Bool
        public var resolveWith: String?
        /// Tasks per train (nil in journals of older runs: 1).
        public var batch: Int?
        /// Validation lanes (nil: 1).
        public var lanes: Int?
        /// gorch.validateRetries when the run started (nil: 0).
        public var retries: Int?
    }

    /// A merge train in flight (DESIGN.md "merge trains"): the tasks merged one after another in
    /// memory on `base`, what each lane validates, and, once known, the prefix being landed.
    /// Written when the train is built, after every validation round, and (durably) before the
    /// target moves. The train's commits are only in the object store until the target moves:
    /// a run killed before that builds the train again; one killed after it finishes the landed
    /// prefix's bookkeeping.
    public struct Train: Codable, Sendable, Equatable {
        public struct Car: Codable, Sendable, Equatable {
            public enum Kind: String, Codable, Sendable {
                /// Merged with a commit of its own (or fast-forwarded).
                case merge
                /// Already contained in the train: nothing merged.
                case contained
                /// A complex conflict with the train before it (--keep-going): handed back
                /// against that commit once the prefix up to it lands.
                case handBack = "hand-back"
            }

            public var id: TaskID
            /// The train's commit after this task (the previous car's unless kind is merge).
            public var commit: String
            /// nil in journals that predate it: merge.
            public var kind: Kind?
        }

        public struct Lane: Codable, Sendable, Equatable {
            public enum State: String, Codable, Sendable { case validating, passed, failed, flaky }
            /// 1-based; lane n validates in `.git/gorch/validate-n` (lane 1: `validate`).
            public var lane: Int
            /// How many of the train's tasks, from its front, the validated commit holds.
            public var prefix: Int
            public var commit: String
            public var state: State
        }

        /// The target's id the train was built on: the compare-and-swap's expected value.
        public var base: String
        public var cars: [Car]
        /// The current (or last) validation round.
        public var lanes: [Lane]
        /// Validation rounds so far (1: the tip, and speculative points with several lanes).
        public var round: Int
        /// The prefix whose validation passed and that the target is moving to.
        public var landing: Int?
        /// Where the target is checked out, if anywhere.
        public var checkout: String?
    }

    public var version = 1
    public var pid: Int32
    public var host: String
    public var started: Date
    public var target: String
    public var options: Options
    /// Tasks still to merge, in order (the current one first while it is in flight).
    public var queue: [TaskID]
    public var merged: [TaskID]
    public var skipped: [TaskID]
    public var current: Current?
    public var stopped: Stop?
    /// The merge train in flight, if any (never at the same time as `current`).
    public var train: Train?

    static func load(_ paths: GorchPaths) throws -> Journal? {
        guard let data = FileManager.default.contents(atPath: paths.journal) else { return nil }
        do {
            return try StoreJSON.decoder().decode(Journal.self, from: data)
        } catch {
            throw GorchFailure(.environment, "the merge journal \(paths.journal) is unreadable: \(error)",
                               hint: "check the target and task branches by hand, then delete the file to start over")
        }
    }

    /// Atomic (a killed run leaves the old or the new journal, never half of one). `durable`
    /// also flushes it to disk: asked for only by the write that precedes the target's move, so
    /// that even after a power loss a moved target is never without the journal that explains it.
    func save(_ paths: GorchPaths, durable: Bool = false) throws {
        try AtomicFile.write(try StoreJSON.encoder().encode(self), to: paths.journal, durable: durable)
    }

    static func exists(_ paths: GorchPaths) -> Bool {
        FileManager.default.fileExists(atPath: paths.journal)
    }

    static func remove(_ paths: GorchPaths) {
        AtomicFile.remove(paths.journal)
    }
}
