import Adapters

extension ErrorReport {
    /// An external tool (bd, bv, openspec) missing, hanging, failing or printing garbage: the
    /// environment, with the tool's own message and the fix.
    init(tool error: ToolError) {
        self.init(kind: .environment, message: error.message, hint: error.hint)
    }

    /// bd refusing a claim, a write during a migration freeze, or not knowing an issue. A freeze
    /// is a stop (retry later), a refusal by design an environment problem.
    init(beads error: BeadsError) {
        let hint: String = switch error {
        case .alreadyClaimed: "another agent works on it; pick another task (`gorch batch`)"
        case .notClaimable: "only open issues can be started; see it with `bd show`"
        case .notFound: "list issues with `bd list`"
        case .frozen: "a Beads migration is in progress (a MIGRATION-FREEZE file); retry when it is removed"
        case .refused: "this bd setup does not support the command; see `gorch doctor`"
        case .noLease: "nothing to renew; leases are off in this Beads store (`bd config set lease.auto on` re-arms them)"
        case .claimLost: "the issue may have been reclaimed (`bd reclaim`); check it with `bd show` before going on"
        }
        let kind: ErrorReport.Kind = switch error {
        case .refused: .environment
        default: .stopped
        }
        self.init(kind: kind, message: error.description, hint: hint)
    }

    /// A validation step, setup command or agent that could not even start (no shell, no
    /// working directory, log not writable): the machine, not the command, is at fault.
    init(shell error: ShellCommandError) {
        self.init(kind: .environment, message: error.message, hint: error.hint)
    }

    /// Agent Mail unreachable or refusing the token (never printed).
    init(agentMail error: AgentMailError) {
        self.init(kind: .environment, message: error.message, hint: error.hint)
    }
}
