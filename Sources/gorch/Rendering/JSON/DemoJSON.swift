import Foundation
import GorchCore

/// `gorch demo --json`: the story's outcome instead of the story:
///
///     {"repository","kept","seconds","merges":[<merge report as in `gorch merge --json`>...],
///      "history":[{"commit","summary"}]}
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

    func summary(directory: String, kept: Bool, seconds: Double) -> JSONValue {
        lock.lock()
        defer { lock.unlock() }
        return .object([("repository", .string(directory)), ("kept", .bool(kept)), ("seconds", .double((seconds * 100).rounded() / 100)),
                        ("merges", .array(merges.map(MergeJSON.render))),
                        ("history", .array(history.map { .object([("commit", .string($0.0)), ("summary", .string($0.1))]) }))])
    }
}
