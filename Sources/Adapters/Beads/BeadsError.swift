/// bd/br refusals gorch acts on, parsed from the tool's JSON error (stdout or stderr, by era).
/// Other failures are `ToolError`s carrying the tool's message.
public enum BeadsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A claim on an issue another actor holds (bd: "issue already claimed by X", exit 1;
    /// br: "issue already assigned to X", exit 4).
    case alreadyClaimed(by: String)
    /// `bd update --claim`: the issue is not open ("not claimable: status S").
    case notClaimable(status: String)
    /// No issue with this id.
    case notFound(String)
    /// bd >= 1.3 under a migration freeze (a `MIGRATION-FREEZE` file; exit 14): every write is
    /// refused and nothing changed. Reads still work.
    case frozen(command: String)
    /// bd >= 1.3 refused the command by design in this setup, e.g. `proxy.sync.unsupported` in
    /// proxied-server mode (`{"code","error","mutates":false,"reason"}`).
    case refused(code: String, message: String)
    /// `bd heartbeat`: the claim carries no lease (leases disarmed: `bd lease disarm`).
    case noLease(String)
    /// `bd heartbeat`: the claim is gone (reclaimed after its lease expired, closed, or another
    /// owner): the bd text.
    case claimLost(id: String, reason: String)

    public var description: String {
        switch self {
        case .alreadyClaimed(let by): "the issue is already claimed by \(by)"
        case .notClaimable(let status): "the issue cannot be claimed: its status is \(status)"
        case .notFound(let id): "no Beads issue \(id)"
        case .frozen(let command): "the Beads workspace is frozen for migration: `\(command)` was refused and nothing changed"
        case .refused(let code, let message): "bd refused: \(message) (\(code))"
        case .noLease(let id): "the claim on \(id) carries no lease (bd leases are disarmed)"
        case .claimLost(let id, let reason): "the claim on \(id) is lost: \(reason)"
        }
    }
}
