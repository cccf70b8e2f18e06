import Foundation

/// Reservations in `.git/gorch/reservations.json` (under an flock), for repositories without
/// Agent Mail or when its server is down: the same semantics — exclusive globs per task with an
/// expiry, conflicts when another live task's globs overlap.
public final class EmbeddedReservations: ReservationService {
    public let kind = "embedded"
    private let path: String
    private let lockPath: String

    public init(paths: GorchPaths) {
        path = (paths.root as NSString).appendingPathComponent("reservations.json")
        lockPath = (paths.root as NSString).appendingPathComponent("reservations.lock")
    }

    public func reserve(_ task: TaskID, paths: [String], ttlSeconds: Int) async throws -> [ReservationConflictInfo] {
        try mutate { entries in
            let now = Date().timeIntervalSince1970
            entries.removeAll { $0.expires < now }
            var conflicts: [ReservationConflictInfo] = []
            for pattern in paths {
                let holders = entries.filter { $0.task != task.rawValue && $0.patterns.contains { GlobOverlap.overlaps($0, pattern) } }
                if !holders.isEmpty { conflicts.append(.init(path: pattern, holders: holders.map(\.agent))) }
            }
            entries.removeAll { $0.task == task.rawValue }
            // Granted even with conflicts, as Agent Mail does; the caller decides.
            entries.append(ActiveReservation(task: task.rawValue, agent: BeadsTaskStore.actor(for: task), patterns: paths,
                                             expires: now + Double(ttlSeconds)))
            return conflicts
        }
    }

    public func renew(_ task: TaskID, ttlSeconds: Int) async throws {
        try mutate { entries in
            let expires = Date().timeIntervalSince1970 + Double(ttlSeconds)
            entries = entries.map { $0.task == task.rawValue ? ActiveReservation(task: $0.task, agent: $0.agent, patterns: $0.patterns, expires: expires) : $0 }
        }
    }

    public func release(_ task: TaskID) async throws {
        try mutate { entries in entries.removeAll { $0.task == task.rawValue } }
    }

    public func active() async throws -> [ActiveReservation] {
        let now = Date().timeIntervalSince1970
        return try read().filter { $0.expires >= now }
    }

    public func notifyDone(_ task: TaskID, title: String, summary: String) async throws {}

    private func mutate<T>(_ body: (inout [ActiveReservation]) throws -> T) throws -> T {
        try FileLock.withLock(at: lockPath, what: "the reservation store") {
            let before = try read()
            var entries = before
            let result = try body(&entries)
            // A merge releases every task's reservations, most often none: no write then.
            if entries != before {
                try AtomicFile.write(try StoreJSON.encoder().encode(entries), to: path)
            }
            return result
        }
    }

    private func read() throws -> [ActiveReservation] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        return (try? StoreJSON.decoder().decode([ActiveReservation].self, from: data)) ?? []
    }
}
