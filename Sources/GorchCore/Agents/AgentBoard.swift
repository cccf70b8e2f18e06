import Foundation

/// The live state of running agents, for progress displays (`gorch run`, `batch --run`,
/// `loop`, `status --watch`).
public actor AgentBoard {
    public struct Entry: Sendable {
        public var state: String
        public var started: Date?
        public var ahead: Int
        public var lastLine: String
        public var finished: Date?

        public init(state: String, started: Date?, ahead: Int, lastLine: String, finished: Date? = nil) {
            self.state = state
            self.started = started
            self.ahead = ahead
            self.lastLine = lastLine
            self.finished = finished
        }
    }

    private var entries: [(TaskID, Entry)] = []

    public init() {}

    public func set(_ id: TaskID, _ entry: Entry) {
        if let index = entries.firstIndex(where: { $0.0 == id }) {
            // A finished agent's final state is not overwritten by a late watcher tick.
            if entries[index].1.finished != nil && entry.finished == nil { return }
            entries[index].1 = entry
        } else {
            entries.append((id, entry))
        }
    }

    public func snapshot() -> [(id: TaskID, entry: Entry)] {
        entries.map { (id: $0.0, entry: $0.1) }
    }
}
