import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every process a test starts is waited for with a deadline, so a hung gorch, git or tool fails
/// its test instead of hanging the run. Swift Testing's `.timeLimit` alone cannot do that: it
/// records the overrun but still waits for a test blocked in a synchronous wait. On the deadline
/// the process and its descendants are SIGKILLed (Foundation's Process reports an exit only
/// once every descendant holding its status descriptor is gone, and gorch's children may sit in
/// their own process groups, so the tree is found through /proc rather than by group).
public enum ProcessDeadline {
    /// The longest one process may run in a test (`GORCH_TEST_PROCESS_TIMEOUT` seconds, default
    /// 300: well above the slowest legitimate one, the corpus clone on a loaded machine, and
    /// within the suites' time limits plus a margin).
    public static let seconds: Double = {
        ProcessInfo.processInfo.environment["GORCH_TEST_PROCESS_TIMEOUT"].flatMap(Double.init) ?? 300
    }()

    /// Waits for `process` to exit, at most `seconds`. Past that, kills it with its descendants,
    /// waits for the exit, and returns false.
    @discardableResult
    public static func wait(for process: Process, seconds: Double = seconds) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        guard process.isRunning else {
            process.waitUntilExit()
            return true
        }
        killTree(process.processIdentifier)
        process.waitUntilExit()
        return false
    }

    /// Like `wait(for:seconds:)` for a process whose termination handler signals `exited`.
    @discardableResult
    public static func wait(for process: Process, signalled exited: DispatchSemaphore, seconds: Double = seconds) -> Bool {
        if exited.wait(timeout: .now() + seconds) == .success {
            process.waitUntilExit()
            return true
        }
        killTree(process.processIdentifier)
        exited.wait()
        process.waitUntilExit()
        return false
    }

    /// SIGKILLs `pid` and every descendant. The descendants are listed first: once `pid` dies
    /// they are re-parented and can no longer be told apart.
    public static func killTree(_ pid: Int32) {
        for member in [pid] + descendants(of: pid) { kill(member, SIGKILL) }
    }

    /// Children of `pid`, their children, and so on (Linux /proc; empty elsewhere).
    static func descendants(of pid: Int32) -> [Int32] {
        var children: [Int32: [Int32]] = [:]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let child = Int32(entry),
                  let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ")".
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, let parent = Int32(fields[1]) { children[parent, default: []].append(child) }
        }
        var found: [Int32] = []
        var queue = children[pid] ?? []
        while let next = queue.popLast() {
            found.append(next)
            queue += children[next] ?? []
        }
        return found
    }
}
