import Foundation

/// Agents running right now, recorded in `.git/gorch/running.json` (under an flock) so that
/// `gorch status` in another terminal shows them. An entry whose gorch process is gone is stale
/// and ignored (its task was recorded as failed or ready when it ended, or the run was killed).
public enum RunningAgents {
    public struct Entry: Codable, Sendable, Equatable {
        public let task: String
        public let pid: Int32
        public let started: Date
        public let log: String
    }

    static func path(_ paths: GorchPaths) -> String { (paths.root as NSString).appendingPathComponent("running.json") }

    static func add(_ entry: Entry, _ paths: GorchPaths) {
        mutate(paths) { entries in
            entries.removeAll { $0.task == entry.task }
            entries.append(entry)
        }
    }

    static func remove(_ task: TaskID, _ paths: GorchPaths) {
        mutate(paths) { entries in entries.removeAll { $0.task == task.rawValue } }
    }

    /// Live entries by task id.
    public static func live(_ paths: GorchPaths) -> [String: Entry] {
        Dictionary(read(paths).filter { kill($0.pid, 0) == 0 }.map { ($0.task, $0) }, uniquingKeysWith: { a, _ in a })
    }

    private static func mutate(_ paths: GorchPaths, _ body: (inout [Entry]) -> Void) {
        try? FileLock.withLock(at: path(paths) + ".lock", waitingUpTo: 10, what: "the running-agents list") {
            var entries = read(paths).filter { kill($0.pid, 0) == 0 }
            body(&entries)
            try AtomicFile.write(try StoreJSON.encoder().encode(entries), to: path(paths))
        }
    }

    private static func read(_ paths: GorchPaths) -> [Entry] {
        guard let data = FileManager.default.contents(atPath: path(paths)) else { return [] }
        return (try? StoreJSON.decoder().decode([Entry].self, from: data)) ?? []
    }
}
