import Foundation
import GorchTestSupport
import Testing

/// Whether the gorch under test has fault points: debug builds only (Package.swift defines
/// GORCH_FAULT_INJECTION for debug), and it is built in this test bundle's configuration.
#if DEBUG
let faultPointsCompiledIn = true
#else
let faultPointsCompiledIn = false
#endif

/// Runs gorch with `GORCH_FAULT` armed (Sources/GorchCore/Support/Fault.swift).
func runGorch(fault: String, _ arguments: [String], in project: TaskProject) throws -> ShellResult {
    try runGorch(arguments, cwd: project.path, environment: ["GORCH_FAULT": fault])
}

/// Whether gorch died by SIGKILL (Shell reports a signal death as 128 + signal, or the signal).
func killedBySIGKILL(_ result: ShellResult) -> Bool {
    result.status == 137 || result.status == 9 || result.status == -9
}

extension TaskProject {
    /// The reliability contract's end state, whatever was interrupted:
    /// - no lock file left (libgit2's `*.lock` anywhere in the git dir, gorch's `*.tmp-<pid>`);
    /// - no worktree record stale or locked (task, validation);
    /// - the target's checkout shows the target (nothing half-updated);
    /// - every task the tracker calls merged is in the target, and every other task's commits
    ///   are still on its branch (nothing lost);
    /// - `git fsck` clean.
    func expectRecovered(tasks: [String], target: String = "main", _ context: String,
                         sourceLocation: SourceLocation = #_sourceLocation) throws {
        let gitDir = (path as NSString).appendingPathComponent(".git")
        let leftovers = (FileManager.default.enumerator(atPath: gitDir)?.allObjects as? [String] ?? []).filter { file in
            // gorch's own locks under .git/gorch are flocks: the file stays, the lock dies with its holder.
            (file.hasSuffix(".lock") && !file.hasPrefix("gorch/")) || (file.hasPrefix("gorch/") && file.contains(".tmp-"))
        }
        #expect(leftovers.isEmpty, "\(context): lock files left: \(leftovers)", sourceLocation: sourceLocation)
        let worktrees = try repo.git("worktree", "list", "--porcelain")
        let stuck = worktrees.split(separator: "\n").filter { $0.hasPrefix("prunable") || $0.hasPrefix("locked") }
        #expect(stuck.isEmpty, "\(context): \(worktrees)", sourceLocation: sourceLocation)
        let dirty = try repo.git("status", "--porcelain", "--untracked-files=no")
        #expect(dirty.isEmpty, "\(context): the target's checkout is not the target: \(dirty)", sourceLocation: sourceLocation)
        for id in tasks {
            let state = try self.state(id)
            let branch = try branchExists("task/\(id)")
            if state == "merged" {
                let merges = try repo.git("log", "--format=%s", target).split(separator: "\n").filter { $0.hasPrefix("Merge task/\(id):") || $0 == "Merge task/\(id)" }
                #expect(merges.count == 1, "\(context): task \(id) merged \(merges.count) times", sourceLocation: sourceLocation)
                if branch {
                    let contained = try Shell.runGit(["merge-base", "--is-ancestor", "task/\(id)", target], cwd: path).status == 0
                    #expect(contained, "\(context): task \(id) is marked merged but its branch is not in \(target)", sourceLocation: sourceLocation)
                }
            } else {
                #expect(branch, "\(context): task \(id) (\(state ?? "?")) lost its branch", sourceLocation: sourceLocation)
            }
        }
        try expectConsistent(sourceLocation: sourceLocation)
    }
}
