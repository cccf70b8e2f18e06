import Foundation
import GitKit

/// What one merge command looks up once instead of once per task: config values (every libgit2
/// config read re-stats the config files), the reservation service (with Agent Mail configured,
/// choosing it is an HTTP health check), and open handles on the target's checkout and on the
/// validation worktree (opening a repository parses its config). Task state is never cached:
/// the task store and the refs are read fresh for every task.
final class MergeSession {
    let workspace: Workspace
    private var committer: (name: String, email: String)?
    private var reservationService: (any ReservationService)?
    private var checkouts: [String: Repository] = [:]
    private var lanes: [Int: ValidationWorktree] = [:]

    init(workspace: Workspace) {
        self.workspace = workspace
    }

    /// The merge commits' author and committer: the config identity, else `gorch
    /// <gorch@localhost>` (documented in docs/commands.md), stamped with the current time.
    func signature() -> Signature {
        let identity = committer ?? {
            let found = (try? workspace.repository.defaultSignature()).map { ($0.name, $0.email) } ?? ("gorch", "gorch@localhost")
            committer = found
            return found
        }()
        return Signature(name: identity.name, email: identity.email)
    }

    /// Validation worktree `lane` (1-based), kept open for the run.
    func lane(_ lane: Int) -> ValidationWorktree {
        if let open = lanes[lane] { return open }
        let made = ValidationWorktree(workspace: workspace, lane: lane)
        lanes[lane] = made
        return made
    }

    func reservations() async -> any ReservationService {
        if let reservationService { return reservationService }
        let chosen = await Reservations.choose(workspace).service
        reservationService = chosen
        return chosen
    }

    /// The work tree at `path` (where the target is checked out), opened once.
    func checkout(at path: String) throws -> Repository {
        if let open = checkouts[path] { return open }
        let opened = try Repository.open(at: path)
        checkouts[path] = opened
        return opened
    }

    /// Where the target branch is checked out, if anywhere: the main work tree, else a linked
    /// worktree whose HEAD file names it (read directly, not by opening every worktree).
    func checkoutPath(of branch: String) throws -> String? {
        if let main = workspace.paths.mainWorkTree, try workspace.repository.headBranch() == branch {
            return Workspace.trimmingSlash(main)
        }
        let full = "refs/heads/" + branch
        for head in workspace.repository.worktreeHeads() where head.name != nil && head.branch == full {
            guard let path = head.path else { continue }
            if FileManager.default.fileExists(atPath: (path as NSString).appendingPathComponent(".git")) { return path }
        }
        return nil
    }
}
