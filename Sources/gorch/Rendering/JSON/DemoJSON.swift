import Foundation
import GorchCore

/// `gorch demo --json`: the story's outcome instead of the story (docs/schema/demo.json):
///
///     {"repository","kept","seconds","merges":[<merge report as in `gorch merge --json`>...],
///      "history":[{"commit","summary"}]}
struct DemoJSON: Encodable {
    var repository: String
    var kept: Bool
    var seconds: Double
    var merges: [MergeJSON]
    var history: [Commit]

    struct Commit: Encodable {
        var commit: String
        var summary: String
    }
}

/// Gathers the demo's merge reports and history as its events arrive (from the demo's task).
final class DemoCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var merges: [MergeReport] = []
    private var history: [(String, String)] = []

    func add(_ event: DemoEvent) {
        lock.lock()
        defer { lock.unlock() }
        switch event {
        case .mergeReport(let report): merges.append(report)
        case .history(let commits): history = commits
        default: break
        }
    }

    func summary(directory: String, kept: Bool, seconds: Double) -> DemoJSON {
        lock.lock()
        defer { lock.unlock() }
        return DemoJSON(repository: directory, kept: kept, seconds: (seconds * 100).rounded() / 100,
                        merges: merges.map(MergeJSON.init), history: history.map { DemoJSON.Commit(commit: $0.0, summary: $0.1) })
    }
}
