import GitKit

/// Decides which branch tasks merge into: `--target`, else `gorch.target`, else the branch checked
/// out in the main worktree (DESIGN.md "Global options"). Never a `task/*` branch.
public enum TargetResolver {
    public static func resolve(explicit: String?, in repository: Repository) throws -> String {
        let name: String
        if let explicit, !explicit.isEmpty {
            name = explicit
        } else if let configured = try repository.configString("gorch.target"), !configured.isEmpty {
            name = configured
        } else if let head = try mainWorktreeHead(repository) {
            name = head
        } else {
            throw GorchError.noTarget
        }
        let short = name.hasPrefix("refs/heads/") ? String(name.dropFirst("refs/heads/".count)) : name
        if short.hasPrefix("task/") { throw GorchError.targetIsTaskBranch(short) }
        return short
    }

    /// HEAD's branch of the main worktree, also when called from a linked worktree.
    private static func mainWorktreeHead(_ repository: Repository) throws -> String? {
        guard repository.isLinkedWorktree else { return try repository.headBranch() }
        return try Repository.open(at: repository.commonDirectory).headBranch()
    }
}
