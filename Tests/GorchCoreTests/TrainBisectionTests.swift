import Foundation
import GorchCore
import GorchTestSupport
import Testing

/// The edges of a merge train's bisection (DESIGN.md "merge trains"), one queue each, run serially
/// and as one train of the whole queue on one lane: the outcome the queue calls for, the same end
/// as the serial run (TrainOutcome), and the number of validations DESIGN.md allows: 1 for a
/// passing train, at most 1 + ceil(log2 N) more per culprit, plus one per rebuilt train.
@Suite("merge trains: bisection edges", .timeLimit(.minutes(20)))
struct TrainBisectionTests {
    /// Builds `spec` twice, merges it serially and with `--batch batch --lanes lanes`, and checks
    /// that both runs end alike.
    static func run(_ spec: TrainQueueSpec, batch: Int, lanes: Int = 1, config: [String: String] = [:],
                    validate: [String] = [TrainRepository.validation],
                    sourceLocation: SourceLocation = #_sourceLocation) async throws -> (serial: MergeReport, batched: MergeReport, outcome: TrainOutcome) {
        let serialRepo = try await TrainRepository(spec, label: "bisect-serial", config: config)
        let serial = try await serialRepo.merge(batch: 1, lanes: 1, validate: validate)
        let expected = try await serialRepo.outcome(serial)
        let repo = try await TrainRepository(spec, label: "bisect-b\(batch)", config: config)
        let batched = try await repo.merge(batch: batch, lanes: lanes, validate: validate)
        let actual = try await repo.outcome(batched)
        let differences = expected.differences(from: actual)
        #expect(differences.isEmpty, "--batch \(batch) --lanes \(lanes) ended unlike the serial run:\n\(differences.joined(separator: "\n"))",
                sourceLocation: sourceLocation)
        let checks = TrainDifferentialTests.validatedWithProblems(batched, actual)
        #expect(checks.isEmpty, "validatedWith: \(checks.joined(separator: "; "))", sourceLocation: sourceLocation)
        return (serial, batched, actual)
    }

    static func tasks(_ count: Int, culprits: Set<Int> = []) -> [TrainQueueSpec.Task] {
        (1...count).map { TrainQueueSpec.Task("t\($0)", culprit: culprits.contains($0)) }
    }

    static func outcomes(_ report: MergeReport) -> [String] {
        report.tasks.map { "\($0.id)=\($0.outcome.rawValue)" }
    }

    static func ids(_ report: MergeReport, _ outcome: TaskMergeResult.Outcome) -> [String] {
        report.tasks.filter { $0.outcome == outcome }.map(\.id.rawValue)
    }

    @Test("no culprit: one validation of the whole train lands every task, each validated with the whole queue")
    func noCulprit() async throws {
        let spec = TrainQueueSpec(tasks: Self.tasks(8), keepGoing: false)
        let (serial, batched, outcome) = try await Self.run(spec, batch: 8)
        #expect(Self.ids(batched, .merged) == spec.queue)
        #expect(outcome.trees.count == 9, "eight merge commits on the initial one")
        #expect(serial.validations == 8)
        #expect(batched.validations == 1, "a passing train validates once")
        for result in batched.tasks {
            #expect(result.validatedWith?.tasks.map(\.rawValue) == spec.queue, "\(result.id): \(String(describing: result.validatedWith))")
        }
    }

    @Test("culprit first: the others land after one rebuilt train")
    func culpritFirst() async throws {
        let spec = TrainQueueSpec(tasks: Self.tasks(8, culprits: [1]), keepGoing: true)
        let (_, batched, _) = try await Self.run(spec, batch: 8)
        #expect(Self.ids(batched, .failed) == ["t1"])
        #expect(Self.ids(batched, .merged) == Array(spec.queue.dropFirst()))
        // The tip, ceil(log2 8) = 3 prefixes, then the rebuilt train of seven.
        #expect(batched.validations <= 1 + 3 + 1, "\(batched.validations) validations")
    }

    @Test("culprit last: the seven before it land as one prefix")
    func culpritLast() async throws {
        let spec = TrainQueueSpec(tasks: Self.tasks(8, culprits: [8]), keepGoing: false)
        let (_, batched, outcome) = try await Self.run(spec, batch: 8)
        #expect(Self.ids(batched, .failed) == ["t8"])
        #expect(Self.ids(batched, .merged) == Array(spec.queue.prefix(7)))
        #expect(outcome.trees.count == 8)
        #expect(batched.validations <= 1 + 3, "\(batched.validations) validations")
        let culprit = try #require(batched.tasks.last?.validatedWith)
        #expect(!culprit.passed && culprit.tasks.last?.rawValue == "t8", "the failing prefix ends at the culprit")
    }

    @Test("every task a culprit: all fail, the target stays where it was", arguments: [false, true])
    func everyTaskACulprit(keepGoing: Bool) async throws {
        let spec = TrainQueueSpec(tasks: Self.tasks(4, culprits: [1, 2, 3, 4]), keepGoing: keepGoing)
        let (serial, batched, outcome) = try await Self.run(spec, batch: 4)
        #expect(outcome.trees.count == 1)
        #expect(Self.ids(batched, .failed) == (keepGoing ? spec.queue : ["t1"]))
        let bounds = TrainBounds.violations(serial: serial, batched: batched, queue: spec.queue, batch: 4, lanes: 1)
        #expect(bounds.isEmpty, "\(bounds)")
        if !keepGoing {
            // The tip fails, then [t1, t2] and [t1] (or [t1] at once): t1 is the culprit.
            #expect(batched.validations >= 2 && batched.validations <= 1 + 2, "\(batched.validations) validations")
        }
    }

    @Test("a culprit right after a complex conflict: the conflict is handed back, the culprit found, the rest land")
    func culpritAfterConflict() async throws {
        let tasks = [TrainQueueSpec.Task("a", line: 1), TrainQueueSpec.Task("b", line: 1),
                     TrainQueueSpec.Task("c", culprit: true), TrainQueueSpec.Task("d")]
        let spec = TrainQueueSpec(tasks: tasks, keepGoing: true)
        let (serial, batched, outcome) = try await Self.run(spec, batch: 4)
        #expect(Self.outcomes(batched).sorted() == ["a=merged", "b=conflicted", "c=failed", "d=merged"])
        #expect(outcome.handedBack.keys.sorted() == ["b"])
        #expect(outcome.states["b"] == "conflicted" && outcome.states["c"] == "failed")
        let bounds = TrainBounds.violations(serial: serial, batched: batched, queue: spec.queue, batch: 4, lanes: 1)
        #expect(bounds.isEmpty, "\(bounds)")
    }

    @Test("a conflict only with a culprit is no conflict: the culprit fails, the task after it lands (nothing handed back)")
    func conflictWithACulpritOnly() async throws {
        let tasks = [TrainQueueSpec.Task("a", culprit: true, line: 1), TrainQueueSpec.Task("b", line: 1), TrainQueueSpec.Task("c")]
        let spec = TrainQueueSpec(tasks: tasks, keepGoing: true)
        let (serial, batched, outcome) = try await Self.run(spec, batch: 3)
        #expect(Self.outcomes(serial) == ["a=failed", "b=merged", "c=merged"])
        #expect(Self.outcomes(batched).sorted() == ["a=failed", "b=merged", "c=merged"])
        #expect(outcome.handedBack.isEmpty, "b conflicts only with the failed a: \(outcome.handedBack.keys.sorted())")
    }

    @Test("a complex conflict without --keep-going: the prefix before it lands on one validation, the run stays open")
    func conflictStopsTheTrain() async throws {
        let tasks = [TrainQueueSpec.Task("a", line: 2), TrainQueueSpec.Task("b"), TrainQueueSpec.Task("c", line: 2),
                     TrainQueueSpec.Task("d", culprit: true)]
        let spec = TrainQueueSpec(tasks: tasks, keepGoing: false)
        let (_, batched, outcome) = try await Self.run(spec, batch: 4)
        #expect(Self.outcomes(batched).sorted() == ["a=merged", "b=merged", "c=conflicted", "d=not-attempted"])
        #expect(outcome.stopped == "c" && outcome.handedBack.keys.sorted() == ["c"])
        #expect(batched.validations == 1, "the prefix [a, b] validates once")
    }

    @Test("flaky validation (fails the first time per commit) with gorch.validateRetries=1: one train lands, recorded as flaky")
    func flakyValidationRetried() async throws {
        let counters = try TempDirectory(label: "flaky-counters")
        // Outside every worktree, keyed by the repository (its common git dir: the serial and the
        // batched run may make byte-identical merge commits in the same second) and the validated
        // commit: fails once per commit, then passes.
        let flaky = "f=\(counters.path)/$(git rev-parse --git-common-dir | tr / _)-$GORCH_MERGE_COMMIT; "
            + "test -e $f && exit 0; touch $f; exit 1"
        let spec = TrainQueueSpec(tasks: Self.tasks(4), keepGoing: true)
        let (serial, batched, _) = try await Self.run(spec, batch: 4, config: ["gorch.validateRetries": "1"], validate: [flaky])
        #expect(Self.ids(serial, .merged) == spec.queue, "serial: each task passes on its retry")
        #expect(serial.tasks.allSatisfy { $0.validatedWith?.flaky == true && $0.validatedWith?.attempts == 2 })
        #expect(Self.ids(batched, .merged) == spec.queue)
        #expect(batched.validations == 2, "one train: its tip validated twice (the failure and the passing retry; every run counts)")
        #expect(batched.tasks.allSatisfy { $0.validatedWith?.flaky == true }, "\(batched.tasks.map { String(describing: $0.validatedWith) })")
    }

    @Test("the comparison sees a different end: the same culprit queue with and without --keep-going")
    func comparisonDetectsDifferences() async throws {
        let tasks = Self.tasks(3, culprits: [2])
        let stops = try await TrainRepository(TrainQueueSpec(tasks: tasks, keepGoing: false), label: "differ-stop")
        let goesOn = try await TrainRepository(TrainQueueSpec(tasks: tasks, keepGoing: true), label: "differ-on")
        let a = try await stops.outcome(try await stops.merge(batch: 1, lanes: 1))
        let b = try await goesOn.outcome(try await goesOn.merge(batch: 1, lanes: 1))
        let differences = a.differences(from: b)
        #expect(a != b)
        #expect(differences.contains { $0.hasPrefix("first-parent trees") } && differences.contains { $0.hasPrefix("states") })
    }
}
