import Foundation
import GitKit

/// Validations that failed and then passed on a retry (gorch.validateRetries), kept in
/// `.git/gorch/flaky.json` so that `status` shows a flaky gate to people instead of it hiding
/// behind green runs. The newest `limit` records are kept.
public struct FlakyLog {
    public struct Record: Codable, Sendable, Equatable {
        public var at: Date
        /// The validated commit and the tasks it held on top of the target.
        public var commit: String
        public var tasks: [TaskID]
        /// Runs of the steps until the pass (2 or more).
        public var attempts: Int
        public var steps: [String]
    }

    static let limit = 20
    let paths: GorchPaths

    var file: String { (paths.root as NSString).appendingPathComponent("flaky.json") }

    /// The records, oldest first; a missing or unreadable file is none.
    public func records() -> [Record] {
        guard let data = FileManager.default.contents(atPath: file) else { return [] }
        return (try? StoreJSON.decoder().decode([Record].self, from: data)) ?? []
    }

    func append(_ record: Record) throws {
        let all = (records() + [record]).suffix(Self.limit)
        try AtomicFile.write(try StoreJSON.encoder().encode(Array(all)), to: file)
    }
}

extension MergeCoordinator {
    func recordFlaky(tasks: [TaskID], commit: OID, verdict: ValidationGate.Verdict) throws {
        try FlakyLog(paths: paths).append(.init(at: Date(), commit: commit.hex, tasks: tasks, attempts: verdict.attempts,
                                                steps: verdict.steps.map(\.command)))
    }
}
