/// Failures of the orchestrator, each naming the thing, the cause and the fix.
public enum GorchError: Error, Sendable, Equatable {
    /// No repository at or above the path.
    case notARepository(path: String, detail: String)
    /// No target could be determined (detached HEAD, no `gorch.target`, no `--target`).
    case noTarget
    /// The target names a task branch, which gorch never merges into.
    case targetIsTaskBranch(String)
    /// The target branch does not exist.
    case unknownTarget(String)

    public var message: String {
        switch self {
        case .notARepository(let path, let detail): "not a git repository: \(path) (\(detail))"
        case .noTarget: "no target branch: HEAD is detached and gorch.target is not set"
        case .targetIsTaskBranch(let name): "target '\(name)' is a task branch"
        case .unknownTarget(let name): "target '\(name)' does not name a commit"
        }
    }

    public var hint: String {
        switch self {
        case .notARepository: "run gorch inside a git repository or pass --repo PATH"
        case .noTarget: "pass --target BRANCH or run `git config gorch.target BRANCH`"
        case .targetIsTaskBranch: "merge tasks into an integration branch such as main: pass --target main"
        case .unknownTarget(let name):
            "check it with `git rev-parse --verify \(name)`; pass --target with an existing branch, "
                + "or fix gorch.target (`git config gorch.target main`) if it names a deleted one"
        }
    }

    /// Environment problems exit 3; everything here is one.
    public var isEnvironment: Bool { true }
}
