/// How to run bd for one repository.
public struct BeadsConfig: Sendable {
    /// `bd` on PATH, or a path.
    public var executable = "bd"
    /// Where bd runs (it finds `.beads/` from there, or via the git common dir in a worktree).
    public var workingDirectory: String
    /// Added to the inherited environment (tests put a PATH and FAKE_* here).
    public var environment: [String: String] = [:]
    /// `--actor` for every call when set (else bd uses $BEADS_ACTOR, git user.name, $USER).
    public var actor: String?
    /// An flock file: when set, bd calls are serialised across processes (bd's embedded store
    /// has failed under parallel calls: contracts.md section 5). Calls from one process are
    /// always serialised.
    public var lockPath: String?
    /// Per call; waiting for the lock has the same bound.
    public var timeout: Duration = .seconds(60)

    public init(workingDirectory: String) {
        self.workingDirectory = workingDirectory
    }
}
