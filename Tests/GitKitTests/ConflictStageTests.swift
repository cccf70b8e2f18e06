import Foundation
import GitKit
import GorchTestSupport
import Testing

/// The conflict stages of `OrtMerger` against git's own ("conflicted file info" of
/// `git merge-tree --write-tree`), over generated histories (renames, directory renames, modes,
/// D/F, binaries, criss-cross). Where the verdicts agree the stages and the tree must agree exactly.
@Suite(.timeLimit(.minutes(20))) struct ConflictStageTests {
    @Test func generatedCasesHaveGitsStages() throws {
        let count = ProcessInfo.processInfo.environment["GORCH_FUZZ_CASES"].flatMap(Int.init) ?? 150
        var compared = 0, conflicted = 0, verdictDiffers = 0
        var mismatches: [String] = []
        for seed in UInt64(1)...UInt64(count) {
            let repo = try Fixture.repo("stages-\(seed)")
            let mergeCase = try MergeCaseGenerator(seed: seed).generate(in: repo)
            guard let expected = try GitOracle.conflictStages(repo: repo.path, mergeCase.ours, mergeCase.theirs) else {
                continue  // unrelated histories: no stages either way
            }
            let repository = try repo.open()
            try repository.useInMemoryObjectWrites()
            let outcome = try OrtMerger(repository: repository).merge(
                ours: repo.oid(mergeCase.ours), theirs: repo.oid(mergeCase.theirs),
                ourLabel: mergeCase.ours, theirLabel: mergeCase.theirs)
            let oracle = try GitOracle.mergeTree(repo: repo.path, mergeCase.ours, mergeCase.theirs)
            guard oracle.clean == outcome.isClean, oracle.conflictPaths == Set(outcome.conflicts.map(\.path)) else {
                verdictDiffers += 1  // counted by GeneratedMergeTests; not this test's subject
                continue
            }
            compared += 1
            if !outcome.isClean { conflicted += 1 }
            let ours = outcome.stages.map {
                OracleStage(path: $0.path, stage: $0.stage, mode: Self.octal($0.mode), oid: $0.oid.hex)
            }
            if ours != expected || outcome.tree.hex != oracle.tree {
                mismatches.append("seed \(seed): git \(oracle.tree ?? "-") \(expected) | gorch \(outcome.tree.hex) \(ours)\n    \(mergeCase.description)")
            }
        }
        print("conflict stages: \(compared - mismatches.count)/\(compared) agree (\(conflicted) conflicted), "
              + "\(verdictDiffers) skipped for a different verdict")
        for line in mismatches.prefix(20) { print(line) }
        #expect(mismatches.isEmpty)
        #expect(conflicted > 20, "too few conflicted cases to say anything")
    }

    /// git prints modes with "%06o": an absent side whose filemask bit is set shows as 000000.
    static func octal(_ mode: FileMode) -> String {
        let digits = String(mode.rawValue, radix: 8)
        return String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    @Test func parsesMergeTreeStageLines() throws {
        let repo = try Fixture.repo()
        repo.write("f", "base\n")
        try repo.commitAll("base")
        try repo.git("branch", "side")
        repo.write("f", "ours\n")
        try repo.commitAll("ours")
        try repo.git("checkout", "-q", "side")
        repo.write("f", "theirs\n")
        repo.write("with space\tand tab", "x\n")
        try repo.commitAll("theirs")
        let stages = try #require(try GitOracle.conflictStages(repo: repo.path, "main", "side"))
        #expect(stages.map(\.stage) == [1, 2, 3])
        #expect(stages.allSatisfy { $0.path == "f" && $0.mode == "100644" })
        #expect(stages.map(\.oid) == [try repo.git("rev-parse", "main~1:f"), try repo.git("rev-parse", "main:f"),
                                      try repo.git("rev-parse", "side:f")])
    }
}
