import Foundation

extension Doctor {
    /// Lock files older than a minute where git and libgit2 put them (refs, HEAD, packed-refs,
    /// config, every work tree's index): a git command takes them for milliseconds, so an old one
    /// was left by a killed process and makes every later ref update or checkout fail.
    func leftLocks(olderThan age: TimeInterval = 60) -> Check {
        let common = workspace.repository.commonDirectory
        var found: [String] = []
        let now = Date()
        func consider(_ path: String) {
            guard let modified = StaleLocks.modified(path), now.timeIntervalSince(modified) > age else { return }
            found.append(path)
        }
        for name in ["HEAD.lock", "index.lock", "packed-refs.lock", "config.lock"] {
            consider((common as NSString).appendingPathComponent(name))
        }
        let refs = (common as NSString).appendingPathComponent("refs")
        for relative in (FileManager.default.enumerator(atPath: refs)?.allObjects as? [String] ?? []) where relative.hasSuffix(".lock") {
            consider((refs as NSString).appendingPathComponent(relative))
        }
        let worktrees = (common as NSString).appendingPathComponent("worktrees")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: worktrees)) ?? [] {
            for file in ["index.lock", "HEAD.lock"] {
                consider((worktrees as NSString).appendingPathComponent("\(name)/\(file)"))
            }
        }
        if found.isEmpty { return Check(name: "locks", status: .ok, detail: "no lock file left behind", fix: nil, required: false) }
        let hint = Journal.exists(workspace.paths)
            ? "`gorch merge --continue` or `--abort` removes those of the interrupted run; others: "
            : ""
        return Check(name: "locks", status: .warning,
                     detail: "\(found.count) old lock file(s), left by a killed git or gorch: \(found.joined(separator: ", "))",
                     fix: hint + "if no git command is running, delete them", required: false)
    }
}
