import Foundation

/// The repository-wide lock of commands that move the target or remove worktrees (`merge`,
/// `cleanup`): an flock on `.git/gorch/lock`, released by the kernel when the holder dies, so a
/// dead holder's lock is simply taken over. The file records who holds it, for the error message.
public final class RepoLock {
    private let lock: FileLock
    public let path: String

    private init(lock: FileLock) {
        self.lock = lock
        path = lock.path
    }

    /// Takes the lock, waiting up to `wait` seconds; otherwise exits 3 naming the holder.
    public static func acquire(_ paths: GorchPaths, command: String, wait: Double) throws -> RepoLock {
        let lock = FileLock(path: paths.repoLock)
        guard try lock.lock(waitingUpTo: wait) else {
            let holder = (try? String(contentsOfFile: paths.repoLock, encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? "unknown"
            throw GorchFailure(.environment, "the repository is locked by another gorch process: \(holder.isEmpty ? "unknown" : holder)",
                               hint: "wait for it to finish (the lock is released when it exits, even if it is killed)")
        }
        let host = ProcessInfo.processInfo.hostName
        let since = StoreDate.format(Date())
        lock.record("gorch \(command) (pid \(getpid()) on \(host), since \(since))\n")
        return RepoLock(lock: lock)
    }

    public func release() {
        lock.record("")
        lock.unlock()
    }
}
