/// `bv --robot-plan`'s `.plan` (contracts.md section 2, pkg/analysis/plan.go): parallel tracks of
/// actionable issues. bv counts `in_progress` and blocked-status issues as actionable and ignores
/// parent-child links: intersect with `bd ready` before starting anything.
public struct BVPlan: Decodable, Sendable {
    public struct Item: Decodable, Sendable, Equatable {
        public let id: String
        public let title: String
        public let priority: Int
        public let status: String
        /// What finishing this item unblocks; bv prints `null` (a Go nil slice) when nothing.
        public let unblocks: [String]?
    }

    public struct Track: Decodable, Sendable {
        /// `track-A`, `track-B`, ..., `track-AA`.
        public let track_id: String
        /// Priority ascending, then id.
        public let items: [Item]
        /// "Independent work stream" | "Single actionable item" | "All issues in connected graph".
        public let reason: String
    }

    /// `null` when nothing is actionable.
    public let tracks: [Track]?
    public let total_actionable: Int
    public let total_blocked: Int

    /// Every item of every track, in bv's order.
    public var items: [Item] { (tracks ?? []).flatMap(\.items) }
}

/// Both wrappers (old `{generated_at, plan}`, newer `{generated_at, data_hash, ..., plan,
/// usage_hints}`): only `.plan` is read.
struct BVPlanDocument: Decodable {
    let plan: BVPlan
}
