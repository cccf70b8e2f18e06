import Foundation
import GitKit

/// The git remote tasks and the target move through (DESIGN.md "Several machines"), in process
/// with libgit2: fetch into `refs/remotes/<remote>/...`, push branches without force. A push the
/// remote refuses (it moved, a hook said no) is a stop naming the fix; a remote that cannot be
/// reached is an environment error naming it (never its credentials).
struct RemoteLink {
    let name: String
    /// As shown: without user, password, query or fragment.
    let shownURL: String
    let repository: Repository
    let credentials: RemoteCredentials
    let timeout: Duration

    /// The workspace's remote (`--remote`, else `gorch.remote`), or nil when it has none.
    /// - Throws: `GorchFailure` (usage) when the name is not a configured remote.
    static func open(_ workspace: Workspace) async throws -> RemoteLink? {
        guard let name = workspace.remote else { return nil }
        guard let url = try workspace.repository.remoteURL(name) else {
            throw GorchFailure(.usage, "there is no git remote named \(name)",
                               hint: "add it (`git remote add \(name) URL`), or fix gorch.remote / --remote")
        }
        return RemoteLink(name: name, shownURL: RemoteURL.redacted(url), repository: workspace.repository,
                          credentials: await RemoteCredentialSource.credentials(for: url, workspace),
                          timeout: workspace.settings.remoteTimeout)
    }

    /// `refs/remotes/<remote>/<branch>`.
    func tracking(_ branch: String) -> String { "refs/remotes/\(name)/\(branch)" }

    /// Fetches those of `branches` the remote has into their tracking refs; returns the remote's
    /// tip of each one it has.
    func fetch(_ branches: [String]) throws -> [String: OID] {
        let heads = try reaching { try repository.remoteHeads(remote: name, credentials: credentials, timeout: timeout) }
        var tips: [String: OID] = [:]
        for branch in branches { if let tip = heads["refs/heads/" + branch] { tips[branch] = tip } }
        if !tips.isEmpty {
            let refspecs = tips.keys.sorted().map { "+refs/heads/\($0):\(tracking($0))" }
            try reaching { try repository.fetch(remote: name, refspecs: refspecs, credentials: credentials, timeout: timeout) }
        }
        return tips
    }

    /// Pushes the local `branch` to the remote's branch of the same name, never forced.
    /// - Throws: `GorchFailure` (stopped) when the remote refuses it.
    func push(_ branch: String) throws {
        let refspec = "refs/heads/\(branch):refs/heads/\(branch)"
        let results = try reaching { try repository.push(remote: name, refspecs: [refspec], credentials: credentials, timeout: timeout) }
        if let refused = results.first(where: { $0.rejection != nil }), let reason = refused.rejection {
            throw GorchFailure(.stopped, "\(name) (\(shownURL)) refused \(branch): \(reason)",
                               hint: "someone else pushed to \(branch): fetch it and merge or rebase onto it in the task's worktree, then try again")
        }
    }

    /// Deletes `branch` on the remote (a merged task's); a branch already gone is fine.
    func delete(_ branch: String) throws {
        _ = try reaching { try repository.push(remote: name, refspecs: [":refs/heads/\(branch)"], credentials: credentials, timeout: timeout) }
    }

    /// Runs a network operation; libgit2's failures become an environment error naming the remote.
    private func reaching<Output>(_ operation: () throws -> Output) throws -> Output {
        do {
            return try operation()
        } catch let error as RemoteError {
            throw GorchFailure(.environment, "git remote \(name): \(error.description)",
                               hint: "check that it is reachable and that this machine may fetch and push there (ssh-agent or key for ssh; GORCH_REMOTE_TOKEN or a credential helper for https)")
        } catch let error as GitError {
            throw GorchFailure(.environment, "cannot use the git remote \(name) (\(shownURL)): \(error.message)",
                               hint: "check that it is reachable and that this machine may fetch and push there (ssh-agent or key for ssh; GORCH_REMOTE_TOKEN or a credential helper for https)")
        }
    }
}
