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
}
