import Foundation
import GorchTestSupport
import Testing

/// A repository on `main` for task-lifecycle tests, driven like a user would: gorch for the
/// workflow, plain git (as the agents) inside the task worktrees.
final class TaskProject {
    let repo: TempRepo
    var path: String { repo.path }

    init(label: String = #function) throws {
        repo = try TempRepo(label: "task-" + label)
        repo.write("README.md", "# project\n")
        repo.write("app/config.txt", "name = demo\nport = 8080\n")
        repo.write("tasks.md", "# Tasks\n\n- [ ] 1.1 one\n- [ ] 1.2 two\n- [ ] 1.3 three\n- [ ] 1.4 four\n")
        try repo.commitAll("initial")
    }

    /// Runs gorch in the repository.
    @discardableResult
    func gorch(_ arguments: String..., cwd: String? = nil) throws -> ShellResult {
        try runGorch(arguments, cwd: cwd ?? path)
    }

    /// Runs gorch with --json and parses its one document; the exit status must be `status`.
    func json(_ arguments: String..., status: Int32 = 0, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let result = try runGorch(arguments + ["--json"], cwd: path)
        #expect(result.status == status, "gorch \(arguments.joined(separator: " ")): \(result.stdout) \(result.stderr)",
                sourceLocation: sourceLocation)
        return try jsonDocument(result, sourceLocation: sourceLocation)
    }

    func worktree(_ id: String) -> String {
        (path as NSString).appendingPathComponent(".worktrees/wt-\(id)")
    }

    /// `gorch start`, then an agent writes files in the worktree and commits with git.
    @discardableResult
    func agent(_ id: String, _ files: [String: String], message: String? = nil, done: Bool = true) throws -> String {
        let start = try gorch("start", id)
        #expect(start.status == 0, "start \(id): \(start.stderr)")
        let worktree = worktree(id)
        try commit(in: worktree, files, message: message ?? "work on \(id)")
        if done {
            let result = try gorch("done", id)
            #expect(result.status == 0, "done \(id): \(result.stderr)")
        }
        return worktree
    }

    func commit(in directory: String, _ files: [String: String], message: String) throws {
        for (relative, content) in files {
            // RawFiles: a name that is not UTF-8 (RawPath escapes) is written as its bytes.
            try RawFiles.write((directory as NSString).appendingPathComponent(relative), Data(content.utf8))
        }
        try Shell.git(["add", "-A"], cwd: directory)
        try Shell.git(["commit", "-q", "-m", message], cwd: directory)
    }

    func rev(_ spec: String) throws -> String { try repo.git("rev-parse", spec) }

    func exists(_ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: (path as NSString).appendingPathComponent(relative))
    }

    func branchExists(_ name: String) throws -> Bool {
        try Shell.runGit(["rev-parse", "--verify", "-q", "refs/heads/\(name)"], cwd: path).status == 0
    }

    func state(_ id: String) throws -> String? {
        let status = try json("status")
        let tasks = status["tasks"] as? [[String: Any]] ?? []
        return tasks.first { $0["id"] as? String == id }?["state"] as? String
    }

    /// `git fsck` finds nothing wrong (dangling objects are fine: merges write scratch objects).
    func expectConsistent(sourceLocation: SourceLocation = #_sourceLocation) throws {
        let fsck = try Shell.runGit(["fsck", "--no-dangling"], cwd: path)
        #expect(fsck.status == 0 && fsck.stdout.isEmpty, "git fsck: \(fsck.stdout) \(fsck.stderr)", sourceLocation: sourceLocation)
    }
}
