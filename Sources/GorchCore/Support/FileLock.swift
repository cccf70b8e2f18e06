import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive `flock` on a file, held until `unlock()` or deinit. The kernel drops it when the
/// process dies, even by SIGKILL, so a dead holder never blocks anyone (a pid check alone would
/// be fooled by a zombie: DESIGN.md "Reliability contract").
public final class FileLock: @unchecked Sendable {
    public let path: String
    private var descriptor: Int32 = -1

    public init(path: String) {
        self.path = path
    }

    deinit { unlock() }

    /// Takes the lock without waiting; false when another process holds it.
    public func tryLock() throws -> Bool {
        try openIfNeeded()
        if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { return true }
        if errno == EWOULDBLOCK || errno == EINTR { return false }
        throw GorchFailure(.environment, "cannot lock \(path): \(String(cString: strerror(errno)))",
                           hint: "check that the directory is writable")
    }

    /// Waits up to `timeout` seconds, polling; false when still held by someone else.
    public func lock(waitingUpTo timeout: Double) throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if try tryLock() { return true }
            if Date() >= deadline { return false }
            usleep(50_000)
        }
    }

    /// Replaces the lock file's content (who holds it) while holding the lock.
    public func record(_ text: String) {
        guard descriptor >= 0 else { return }
        _ = ftruncate(descriptor, 0)
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }

    public func unlock() {
        guard descriptor >= 0 else { return }
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    private func openIfNeeded() throws {
        guard descriptor < 0 else { return }
        descriptor = PrivateState.open(path, O_RDWR) // every lock lives under .git/gorch
        guard descriptor >= 0 else {
            throw GorchFailure(.environment, "cannot open lock file \(path): \(String(cString: strerror(errno)))",
                               hint: "check that the directory is writable")
        }
    }

    /// Takes the lock at `path`, waiting up to `timeout` seconds; the caller unlocks it.
    public static func acquire(at path: String, waitingUpTo timeout: Double, what: String) throws -> FileLock {
        let lock = FileLock(path: path)
        guard try lock.lock(waitingUpTo: timeout) else {
            throw GorchFailure(.environment, "\(what) is locked by another gorch process (\(path)) for over \(Int(timeout)) s",
                               hint: "wait for the other gorch command to finish")
        }
        return lock
    }

    /// Runs `body` holding the lock, waiting up to `timeout` seconds for it.
    public static func withLock<T>(at path: String, waitingUpTo timeout: Double = 30, what: String,
                                   _ body: () throws -> T) throws -> T {
        let lock = FileLock(path: path)
        guard try lock.lock(waitingUpTo: timeout) else {
            throw GorchFailure(.environment, "\(what) is locked by another gorch process (\(path)) for over \(Int(timeout)) s",
                               hint: "wait for the other gorch command to finish")
        }
        defer { lock.unlock() }
        return try body()
    }
}
