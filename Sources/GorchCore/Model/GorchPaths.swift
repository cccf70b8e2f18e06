import Foundation

/// gorch's files under the common git dir (`.git/gorch/`), shared by every worktree of the
/// repository, and the task worktrees' folder in the main checkout.
public struct GorchPaths: Sendable {
    /// `.git/gorch`.
    public let root: String
    /// The main checkout's top directory (nil for a bare repository).
    public let mainWorkTree: String?

    public init(commonDirectory: String, mainWorkTree: String?) {
        root = (commonDirectory as NSString).appendingPathComponent("gorch")
        self.mainWorkTree = mainWorkTree
    }

    public var tasks: String { file("tasks.json") }
    public var tasksLock: String { file("tasks.lock") }
    public var repoLock: String { file("lock") }
    public var journal: String { file("journal.json") }
    /// Tasks a running `sync` is finishing (Syncer): present only while one runs or after one died.
    public var syncJournal: String { file("sync.json") }
    public var verdicts: String { file("verdicts") }
    public var logs: String { file("logs") }
    public var validationWorktree: String { file("validate") }
    public static let validationWorktreeName = "gorch-validate"
    /// Lane `lane` (1-based) of the merge train's validation worktrees: lane 1 is
    /// `.git/gorch/validate` (the serial run's), lane n `validate-n`.
    public func validationWorktree(lane: Int) -> String { lane <= 1 ? validationWorktree : file("validate-\(lane)") }
    public static func validationWorktreeName(lane: Int) -> String {
        lane <= 1 ? validationWorktreeName : "\(validationWorktreeName)-\(lane)"
    }
    /// Whether a worktree record is one of gorch's validation worktrees (any lane).
    public static func isValidationWorktree(_ name: String) -> Bool {
        name == validationWorktreeName || (name.hasPrefix(validationWorktreeName + "-") && Int(name.dropFirst(validationWorktreeName.count + 1)) != nil)
    }
    /// Folder of task worktrees, relative to the main checkout.
    public static let worktreesFolder = ".worktrees"

    public func log(for id: TaskID) -> String {
        (logs as NSString).appendingPathComponent("\(id.rawValue).log")
    }

    /// `.worktrees/wt-<id>` in the main checkout.
    public func worktree(for id: TaskID) -> String? {
        mainWorkTree.map { ($0 as NSString).appendingPathComponent("\(Self.worktreesFolder)/\(id.worktreeName)") }
    }

    private func file(_ name: String) -> String { (root as NSString).appendingPathComponent(name) }
}
