import GitKit

/// The verdict for merging one revision into a target.
public enum Verdict: String, Sendable, Codable {
    case clean
    case conflict
    case fastForward = "fast-forward"
    case upToDate = "up-to-date"
}

/// One prediction: what merging `branch` into `target` would do. Exactly one of `verdict`/`error` is set.
public struct ConflictPrediction: Sendable, Equatable {
    public var target: String
    public var branch: String
    public var verdict: Verdict?
    public var conflicts: [MergeConflict]
    /// The merged tree id for clean merges and fast-forwards; nil otherwise.
    public var tree: OID?
    /// Number of merge bases; nil when the prediction failed before counting them.
    public var bases: Int?
    /// A failure for this pair only (unknown revision, unrelated histories).
    public var error: PredictionError?

    public var hasConflicts: Bool { verdict == .conflict }
}

/// Why one prediction could not be made. The other predictions of the same run still are.
public enum PredictionError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownRevision(String, detail: String)
    case unrelatedHistories(target: String, branch: String)
    case git(String)

    public var description: String {
        switch self {
        case .unknownRevision(let rev, let detail): "unknown revision '\(rev)': \(detail)"
        case .unrelatedHistories: "unrelated histories"
        case .git(let message): message
        }
    }

    /// A short, stable identifier for JSON consumers.
    public var kind: String {
        switch self {
        case .unknownRevision: "unknown-revision"
        case .unrelatedHistories: "unrelated-histories"
        case .git: "git"
        }
    }
}
