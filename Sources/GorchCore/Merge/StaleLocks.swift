import Foundation
import GitKit

/// Lock files a killed merge run may have left: libgit2's `refs/heads/<target>.lock` (the ref
/// update), `refs/heads/task/<id>.lock` (the task branch's deletion) and `index.lock` (a
/// checkout's index write, in the target's checkout or in the task worktree a conflict was
/// written into), and gorch's own half-written `*.tmp-<pid>` files.
/// Git refuses to touch a ref or an index while its lock exists, so `--continue` and `--abort`
/// remove them before anything else.
///
/// Only locks the dead run could have held are touched: those paths, and only when the file
/// appeared between the journal's last write and ten minutes after it (the run's steps after a
/// journal write take seconds). A lock outside that window belongs to someone else, e.g. a
/// person's `git commit` waiting in an editor, and stays. The caller holds the repository lock,
/// so the run that wrote the journal is dead.
struct StaleLocks {
    let workspace: Workspace
    static let window: TimeInterval = 600

    /// Removes the stale locks and returns what was removed, for the report.
    func clean(_ journal: Journal) -> [String] {
        guard let written = Self.modified(workspace.paths.journal) else { return [] }
        var candidates = [(workspace.repository.commonDirectory as NSString).appendingPathComponent("refs/heads/\(journal.target).lock")]
        if let checkout = journal.current?.checkout ?? journal.train?.checkout, let index = Self.indexLock(ofWorkTree: checkout) {
            candidates.append(index)
        }
        // A train's landing finishes each task of its prefix, any of which may have been cleaning up.
        let landing = journal.train.map { train in train.cars.prefix(train.landing ?? 0).map(\.id) } ?? []
        for id in [journal.current?.id, journal.stopped?.id].compactMap({ $0 }) + landing {
            // The task's branch: deleted by the cleanup step (found by scripts/soak).
            candidates.append((workspace.repository.commonDirectory as NSString).appendingPathComponent("refs/heads/\(id.branch).lock"))
            if let path = workspace.paths.worktree(for: id), let index = Self.indexLock(ofWorkTree: path) { candidates.append(index) }
        }
        var removed: [String] = []
        for path in candidates {
            guard let created = Self.modified(path), created >= written.addingTimeInterval(-1),
                  created <= written.addingTimeInterval(Self.window) else { continue }
            if unlink(path) == 0 { removed.append(path) }
        }
        return removed + validationLocks() + Self.cleanTemporaryFiles(workspace.paths)
    }

    /// The validation worktrees' (every lane's) `HEAD.lock` and `index.lock`, whatever their age: only gorch
    /// works there, under the repository lock, so a lock there is a killed run's (found by
    /// scripts/soak: a kill inside the detach of its HEAD). Called by recovery (`--abort` runs no
    /// validation) and by ValidationWorktree.prepare before it reuses the worktree.
    func validationLocks() -> [String] {
        var removed: [String] = []
        for lane in 1...Settings.lanesRange.upperBound {
            guard let gitDir = Self.gitDirectory(ofWorkTree: workspace.paths.validationWorktree(lane: lane)) else { continue }
            removed += ["HEAD.lock", "index.lock"].map { (gitDir as NSString).appendingPathComponent($0) }.filter { unlink($0) == 0 }
        }
        return removed
    }

    /// Half-written temp files (AtomicFile names them `<file>.tmp-<pid>`) of processes that are
    /// gone, e.g. a run killed while writing its first journal (found by scripts/soak).
    static func cleanTemporaryFiles(_ paths: GorchPaths) -> [String] {
        var removed: [String] = []
        for name in (try? FileManager.default.contentsOfDirectory(atPath: paths.root)) ?? [] {
            guard let range = name.range(of: ".tmp-", options: .backwards), let pid = Int32(name[range.upperBound...]),
                  pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            let path = (paths.root as NSString).appendingPathComponent(name)
            if unlink(path) == 0 { removed.append(path) }
        }
        return removed
    }

    /// `<git dir of the work tree>/index.lock`: `.git/index.lock` for the main checkout, the
    /// path the `.git` file points to for a linked worktree.
    static func indexLock(ofWorkTree path: String) -> String? {
        gitDirectory(ofWorkTree: path).map { ($0 as NSString).appendingPathComponent("index.lock") }
    }

    /// The git dir of a work tree: its `.git` directory, or where its `.git` file points.
    static func gitDirectory(ofWorkTree path: String) -> String? {
        let dotGit = (path as NSString).appendingPathComponent(".git")
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dotGit, isDirectory: &isDirectory) else { return nil }
        if isDirectory.boolValue { return dotGit }
        guard let text = try? String(contentsOfFile: dotGit, encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("gitdir: ") }) else { return nil }
        let gitDir = String(line.dropFirst("gitdir: ".count)).trimmingCharacters(in: .whitespaces)
        return gitDir.hasPrefix("/") ? gitDir : (path as NSString).appendingPathComponent(gitDir)
    }

    static func modified(_ path: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }
}
