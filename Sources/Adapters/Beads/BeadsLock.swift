import Foundation

/// Serialises bd calls: in this process by a FIFO queue per key, across processes by an flock on
/// the configured file (opened, locked, unlocked and closed around each call).
enum BeadsLock {
    /// Runs `body` holding the lock; waits at most `timeout` for it.
    static func with<T: Sendable>(
        key: String, file: String?, timeout: Duration, command: String,
        _ body: @Sendable () async throws -> T
    ) async throws -> T {
        let queue = SerialQueue.for(key)
        await queue.acquire()
        do {
            let result = try await withFile(file, timeout: timeout, command: command, body)
            await queue.release()
            return result
        } catch {
            await queue.release()
            throw error
        }
    }

    private static func withFile<T: Sendable>(
        _ file: String?, timeout: Duration, command: String, _ body: @Sendable () async throws -> T
    ) async throws -> T {
        guard let file else { return try await body() }
        let descriptor = try await lock(file, timeout: timeout, command: command)
        defer {
            flock(descriptor, LOCK_UN)
            close(descriptor)
        }
        return try await body()
    }

    /// Polls rather than blocking: a blocked thread would be one of the few the async runtime has.
    private static func lock(_ file: String, timeout: Duration, command: String) async throws -> Int32 {
        let parent = (file as NSString).deletingLastPathComponent
        // gorch's `.git/gorch/bd.lock`: private like the rest of its state (GorchCore's PrivateState).
        if !parent.isEmpty {
            try? FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        let descriptor = open(file, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        if descriptor >= 0 { _ = fchmod(descriptor, 0o600) }
        guard descriptor >= 0 else {
            let cause = String(cString: strerror(errno))
            throw ToolError(kind: .failed(exitCode: -1), tool: "bd", commandLine: command,
                            message: "cannot run `\(command)`: the bd lock file \(file) cannot be opened (\(cause))",
                            hint: "make its directory writable")
        }
        let deadline = ContinuousClock.now + timeout
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR, ContinuousClock.now < deadline else {
                let cause = errno == EWOULDBLOCK ? "another process held it for \(ShellCommand.format(timeout))"
                    : String(cString: strerror(errno))
                close(descriptor)
                throw ToolError(kind: .timedOut, tool: "bd", commandLine: command,
                                message: "`\(command)` did not run: waiting for the bd lock \(file) failed (\(cause))",
                                hint: "check for a hung bd or gorch process (`fuser \(file)`)")
            }
            do {
                try await Task.sleep(for: .milliseconds(10))
            } catch {
                close(descriptor)
                throw ToolError(kind: .cancelled, tool: "bd", commandLine: command,
                                message: "`\(command)` was cancelled while waiting for the bd lock \(file)", hint: "")
            }
        }
        return descriptor
    }
}

/// A FIFO async mutex; one per key for the whole process.
actor SerialQueue {
    private var isBusy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    private static let registry = Registry()

    static func `for`(_ key: String) -> SerialQueue { registry.queue(key) }

    func acquire() async {
        if !isBusy {
            isBusy = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty {
            isBusy = false
        } else {
            waiters.removeFirst().resume()     // ownership passes straight to the next waiter
        }
    }

    private final class Registry: @unchecked Sendable {
        private let lock = NSLock()
        private var queues: [String: SerialQueue] = [:]

        func queue(_ key: String) -> SerialQueue {
            lock.withLock {
                if let queue = queues[key] { return queue }
                let queue = SerialQueue()
                queues[key] = queue
                return queue
            }
        }
    }
}
