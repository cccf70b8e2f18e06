internal import CLibGit2

extension Repository {
    /// How many commits `local` has that `upstream` lacks (ahead) and the reverse (behind), as
    /// `git rev-list --left-right --count local...upstream` counts them (`git_graph_ahead_behind`).
    public func aheadBehind(_ local: OID, _ upstream: OID) throws -> (ahead: Int, behind: Int) {
        var l = local.raw, u = upstream.raw
        var ahead = 0, behind = 0
        try check(git_graph_ahead_behind(&ahead, &behind, raw, &l, &u), "git_graph_ahead_behind")
        return (ahead, behind)
    }
}
