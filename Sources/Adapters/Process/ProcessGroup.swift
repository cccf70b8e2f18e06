import Foundation

/// The process group a shell command leads (it starts in its own session, so the group id is
/// the shell's pid and never includes gorch itself).
final class ProcessGroup: @unchecked Sendable {
    static let grace: Duration = .seconds(2)

    private let lock = NSLock()
    private var leader: pid_t?
    private var since: ContinuousClock.Instant?

    var id: pid_t? { lock.withLock { leader } }

    /// When the group was first told to stop (timeout or cancellation); nil if it never was.
    var terminatingSince: ContinuousClock.Instant? { lock.withLock { since } }

    func record(_ pid: pid_t) { lock.withLock { leader = pid } }

    func markTerminating() {
        lock.withLock { if since == nil { since = .now } }
    }

    /// After a teardown: the shell is gone, but a member that ignored SIGTERM (`trap '' TERM`, a
    /// child that handles it slowly) may remain. Wait out what is left of the grace period since
    /// SIGTERM was sent, then SIGKILL whatever is still in the group. Runs in an uncancelled task,
    /// as it must finish even when the caller was cancelled.
    func killStragglers(termSentAt: ContinuousClock.Instant) async {
        guard let group = id else { return }
        await Task {
            let deadline = termSentAt + Self.grace
            while Self.hasLiveMembers(group) {
                if ContinuousClock.now >= deadline {
                    kill(-group, SIGKILL)
                    return
                }
                try? await Task.sleep(for: .milliseconds(20))
            }
        }.value
    }

    /// `kill(-group, 0)` also counts zombies: a killed child whose parent (the shell) is gone
    /// waits for init to reap it, which in a container may take seconds or never happen. On
    /// Linux, look for a member that is not a zombie.
    static func hasLiveMembers(_ group: pid_t) -> Bool {
        guard kill(-group, 0) == 0 else { return false }
        #if os(Linux)
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return true }
        for entry in entries where entry.first?.isNumber == true {
            // `pid (comm) state ppid pgrp ...`; comm may contain spaces or parentheses.
            guard let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 2, fields[2] == "\(group)" else { continue }
            if fields[0] != "Z" && fields[0] != "X" { return true }
        }
        return false
        #else
        return true
        #endif
    }
}
