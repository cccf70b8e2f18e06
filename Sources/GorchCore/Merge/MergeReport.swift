import GitKit

/// What happened to one task in a merge run.
public struct TaskMergeResult: Sendable {
    public enum Outcome: String, Sendable {
        /// Merged into the target.
        case merged
        /// Already contained in the target: nothing merged, task marked merged.
        case upToDate = "up-to-date"
        /// A complex conflict: handed back to the task's worktree.
        case conflicted
        /// A validation step failed or timed out: target untouched.
        case failed
        /// The checked-out target has local changes in the merged paths: target untouched.
        case refused
        /// Not attempted: an earlier task stopped the run.
        case notAttempted = "not-attempted"
    }

    /// A conflict gorch resolved itself, and how.
    public struct Resolution: Sendable, Equatable {
        public let path: String
        public let method: String
    }

    /// One validation step's result.
    public struct ValidationStep: Sendable {
        public let command: String
        public let exitCode: Int32?
        public let timedOut: Bool
        public let seconds: Double
        public let tail: [String]
    }

    /// The validation that let a task land (or failed it): which prefix of the queue it checked.
    public struct ValidatedWith: Sendable, Equatable {
        /// The tasks merged on top of the target in the validated commit, in order (serial: the task).
        public var tasks: [TaskID]
        /// The validated commit (the prefix's tip).
        public var commit: OID
        /// Runs of the validation steps (1 + retries used).
        public var attempts: Int
        /// Failed first, then passed on a retry (gorch.validateRetries).
        public var flaky: Bool { attempts > 1 && passed }
        public var passed: Bool
    }

    public let id: TaskID
    public let title: String
    public var outcome: Outcome
    /// The target's new commit (merged, up-to-date).
    public var commit: OID?
    public var fastForward = false
    public var resolutions: [Resolution] = []
    /// Complex conflicts (conflicted) or the local changes in the way (refused).
    public var conflicts: [MergeConflict] = []
    public var validation: [ValidationStep] = []
    /// The validation that landed (or failed) the task; nil when none ran for it.
    public var validatedWith: ValidatedWith?
    public var log: String?
    /// Where a person or agent acts next (the conflicted or failed worktree).
    public var worktree: String?
    /// A sentence for people: why it stopped or what was kept.
    public var message: String?
    /// Whether the worktree and branch were removed.
    public var cleaned = false
    public var warnings: [String] = []

    init(id: TaskID, title: String, outcome: Outcome) {
        self.id = id
        self.title = title
        self.outcome = outcome
    }
}

/// The whole run, as `gorch merge` prints it.
public struct MergeReport: Sendable {
    public var target: String
    public var before: OID?
    public var after: OID?
    public var tasks: [TaskMergeResult] = []
    /// Validation runs: every run of the steps counts, a retry (gorch.validateRetries) too.
    public var validations = 0
    /// Set when the run stays open (a complex conflict): what `--continue` will resume.
    public var stopped: Journal.Stop?
    public var warnings: [String] = []
    /// What `--continue`/`--abort` did before the queue went on (empty otherwise).
    public var recovered: [String] = []
    /// The tracker sync run after the merges (Beads mode), e.g. "bd sync (bd 0.49.6, legacy era)".
    public var tracker: String?
    /// OpenSpec changes the run completed: archived (`gorch.archive = auto`) or a suggestion.
    public var archive: [String] = []

    /// Exit 1 when anything needs a person (DESIGN.md exit codes).
    public var needsPerson: Bool {
        tasks.contains { [.conflicted, .failed, .refused].contains($0.outcome) }
    }
}

/// Progress of a merge run, for live display.
public enum MergeEvent: Sendable {
    case task(id: TaskID, title: String, index: Int, count: Int)
    case step(id: TaskID, String)
    case finished(TaskMergeResult)
    /// A merge train was built on `base`: these tasks, merged in memory in this order.
    case train([TaskID], base: OID)
    /// Lane `lane` validates the train's prefix `prefix` (of `of` tasks) in bisection round `round`.
    case validating(lane: Int, prefix: [TaskID], of: Int, round: Int, attempt: Int)
    /// A prefix's validation came back.
    case validated(prefix: [TaskID], passed: Bool, flaky: Bool)
    /// The target moved to this prefix's tip.
    case landed([TaskID], commit: OID)
}
