import GitKit

extension ErrorReport {
    /// libgit2 failures that reach the top are about the repository or its files, not the
    /// command line: environment, with a fix where one is known.
    init(git error: GitError) {
        let hint: String? = switch error.code {
        case .locked: "another git process holds a lock; wait for it, or remove the stale .lock file it names"
        case .bareRepository: "this needs a work tree; pass --repo with a non-bare repository"
        case .unbornBranch: "the branch has no commits yet; commit something first"
        case .notFound: "check the name, or pass --repo PATH to the right repository"
        default: nil
        }
        self.init(kind: .environment, message: "\(error.message) (\(error.function))", hint: hint)
    }

    /// The merge engine refusing two histories with no common commit, as git does.
    init(ort error: OrtError) {
        switch error {
        case .unrelatedHistories:
            self.init(kind: .environment, message: "refusing to merge unrelated histories: the two commits share no ancestor",
                      hint: "git refuses them too; rebase the work onto the target (`git rebase --onto TARGET --root BRANCH`)")
        }
    }

    /// A fetch or push that failed (unreachable, refused credentials, timed out): the machine's
    /// network or setup, with the remote's URL already stripped of any secret.
    init(remote error: RemoteError) {
        let hint = switch error.kind {
        case .authenticationFailed: "for ssh load a key into ssh-agent or set gorch.sshKey; for https set GORCH_REMOTE_TOKEN or a git credential helper"
        case .timedOut: "the remote is slow or unreachable; raise gorch.remoteTimeout or try again"
        case .noSuchRemote: "add it with `git remote add NAME URL`, or fix gorch.remote / --remote"
        case .transport: "check that the remote is reachable from this machine"
        }
        self.init(kind: .environment, message: error.description, hint: hint)
    }
}
