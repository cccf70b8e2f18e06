/// bd refusals gorch acts on, parsed from bd's JSON error (`{"error","code"}` on stderr, exit 1).
/// Other bd failures are `ToolError`s carrying bd's message.
public enum BeadsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `bd update --claim`: another actor holds the issue ("issue already claimed by X").
    case alreadyClaimed(by: String)
    /// `bd update --claim`: the issue is not open ("not claimable: status S").
    case notClaimable(status: String)
    /// No issue with this id.
    case notFound(String)

    public var description: String {
        switch self {
        case .alreadyClaimed(let by): "the issue is already claimed by \(by)"
        case .notClaimable(let status): "the issue cannot be claimed: its status is \(status)"
        case .notFound(let id): "no Beads issue \(id)"
        }
    }
}
