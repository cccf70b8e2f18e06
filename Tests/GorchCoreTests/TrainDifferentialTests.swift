import Foundation
import GorchCore
import GorchTestSupport
import Testing

/// DESIGN.md "merge trains", the rule: with deterministic validation whose failures persist, a
/// batched run ends with the same first-parent sequence of trees on the target, the same task
/// states and the same hand-backs as the serial run of the same ids and options; it only runs
/// fewer validations (TrainBounds). Generated queues (TrainQueueSpec), each built once per run
/// from its seed, merged serially and with two (--batch, --lanes) settings (GORCH_TRAIN_SETTINGS).
/// `GORCH_TRAIN_QUEUES` (default 300) and `GORCH_TRAIN_SEED` (first seed, default 1) choose the
/// queues; `scripts/fuzz trains [QUEUES] [SEED]` runs more. A failure names its seed:
/// `GORCH_TRAIN_SEED=<seed> GORCH_TRAIN_QUEUES=1 swift test --filter TrainDifferential` replays it.
@Suite("merge trains: batched runs against the serial run", .timeLimit(.minutes(20)))
struct TrainDifferentialTests {
    static let batches = [2, 3, 4, 16]
    static let lanes = [1, 2, 3]
    /// Queues run in this many tests side by side (seed % shards picks the test).
    static let shards = 4

    /// The batched settings tried on a seed's queue (`GORCH_TRAIN_SETTINGS` of them, default 2,
    /// at most 12): consecutive seeds walk the 12 (N, L) pairs, so every pair comes round every
    /// 12 seeds, and further settings of one seed are other pairs.
    static func settings(seed: UInt64) -> [(batch: Int, lanes: Int)] {
        let count = min(12, max(1, Differential.env("GORCH_TRAIN_SETTINGS", default: 2)))
        return (0..<count).map { k in
            let index = Int((seed + UInt64(5 * k)) % 12)
            return (batches[index % 4], lanes[index / 4])
        }
    }

    @Test("generated queues: same trees, states and hand-backs as serial; validations within the bounds",
          arguments: 0..<shards)
    func batchedRunsMatchSerial(shard: Int) async throws {
        let count = Differential.env("GORCH_TRAIN_QUEUES", default: 300)
        let first = UInt64(Differential.env("GORCH_TRAIN_SEED", default: 1))
        let seeds = (first..<(first + UInt64(count))).filter { Int($0 % UInt64(Self.shards)) == shard }
        var mismatches: [String] = []
        var boundBreaks: [String] = []
        var runs = 0
        var serialOutcomes: [String: Int] = [:]  // what the queues exercised, for the summary
        let started = Date()
        for seed in seeds {
            let spec = TrainQueueSpec.generate(seed: seed)
            let serialRepo = try await TrainRepository(spec, label: "train-\(seed)-serial")
            let tips = try serialRepo.taskTips()
            let serial = try await serialRepo.merge(batch: 1, lanes: 1)
            let expected = try await serialRepo.outcome(serial)
            for result in serial.tasks { serialOutcomes[result.outcome.rawValue, default: 0] += 1 }
            if serial.stopped != nil { serialOutcomes["run left open", default: 0] += 1 }
            for (batch, lanes) in Self.settings(seed: seed) {
                let repo = try await TrainRepository(spec, label: "train-\(seed)-b\(batch)-l\(lanes)")
                #expect(try repo.taskTips() == tips, "seed \(seed): two builds of one queue differ")
                let report = try await repo.merge(batch: batch, lanes: lanes)
                let actual = try await repo.outcome(report)
                runs += 1
                let replay = "GORCH_TRAIN_SEED=\(seed) GORCH_TRAIN_QUEUES=1, --batch \(batch) --lanes \(lanes)"
                let problems = expected.differences(from: actual) + Self.validatedWithProblems(report, actual)
                if !problems.isEmpty {
                    mismatches.append("\(replay): \(spec)\n    " + problems.joined(separator: "\n    "))
                }
                let bounds = TrainBounds.violations(serial: serial, batched: report, queue: spec.queue, batch: batch, lanes: lanes)
                if !bounds.isEmpty {
                    boundBreaks.append("\(replay): \(spec)\n    " + bounds.joined(separator: "\n    "))
                }
            }
        }
        print("merge trains, shard \(shard + 1)/\(Self.shards): \(seeds.count) queues, \(runs) batched runs against serial in "
              + "\(Int(Date().timeIntervalSince(started))) s; \(mismatches.count) outcome mismatches, "
              + "\(boundBreaks.count) runs over the validation bounds; serial outcomes: "
              + serialOutcomes.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", "))
        for line in mismatches.prefix(10) { print("outcome mismatch, \(line)") }
        for line in boundBreaks.prefix(10) { print("validation bound, \(line)") }
        let ruleBroken = "train rule: \(mismatches.count) of \(runs) batched runs ended unlike the serial run; first: "
        #expect(mismatches.isEmpty, "\(ruleBroken)\(mismatches.first ?? "")")
        let boundBroken = "validation bounds: \(boundBreaks.count) of \(runs) batched runs ran too many validations; first: "
        #expect(boundBreaks.isEmpty, "\(boundBroken)\(boundBreaks.first ?? "")")
    }

    /// Each task's `validatedWith`: a landed task's names a passing prefix holding it whose commit
    /// is on the target's first-parent line; a failed task's names a failing prefix holding it.
    static func validatedWithProblems(_ report: MergeReport, _ outcome: TrainOutcome) -> [String] {
        var found: [String] = []
        for result in report.tasks {
            guard let with = result.validatedWith else {
                if result.outcome == .failed { found.append("\(result.id) failed with no validatedWith") }
                continue
            }
            let ids = with.tasks.map(\.rawValue)
            if !ids.contains(result.id.rawValue) { found.append("\(result.id): validatedWith \(ids) does not hold it") }
            switch result.outcome {
            case .merged:
                if !with.passed { found.append("\(result.id) merged on a failed validation of \(ids)") }
                if !outcome.firstParentCommits.contains(with.commit.hex) {
                    found.append("\(result.id): validated commit \(with.commit.hex) is not on main's first-parent line")
                }
            case .failed:
                if with.passed { found.append("\(result.id) failed on a passing validation of \(ids)") }
            default:
                break
            }
        }
        return found
    }
}
