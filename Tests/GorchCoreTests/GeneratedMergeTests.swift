import Foundation
import Testing
import GitKit
import GorchCore
import GorchTestSupport

/// Generated histories (edits, renames, directory renames, modes, binaries, D/F, criss-cross)
/// merged by gorch and by git; every verdict, clean tree and conflict path set must agree.
/// `GORCH_FUZZ_CASES` raises the count (scripts/fuzz runs thousands in release mode).
@Suite struct GeneratedMergeTests {
    @Test func generatedCasesAgreeWithMergeOrt() throws {
        let count = Differential.env("GORCH_FUZZ_CASES", default: 150)
        let first = UInt64(Differential.env("GORCH_FUZZ_SEED", default: 1))
        var tally = Differential.Tally()
        var described: [String] = []
        for seed in first..<(first + UInt64(count)) {
            let repo = try TempRepo(label: "fuzz-\(seed)")
            let mergeCase = try MergeCaseGenerator(seed: seed).generate(in: repo)
            let predictor = try Differential.predictor(repo.path)
            if let keep = ProcessInfo.processInfo.environment["GORCH_FUZZ_KEEP"] {
                // Debugging aid: keep a copy of each generated repository.
                try? FileManager.default.copyItem(atPath: repo.path, toPath: "\(keep)/case-\(seed)")
            }
            if let mismatch = try tally.check(predictor, repo: repo.path, mergeCase.ours, mergeCase.theirs) {
                described.append("seed \(seed): \(mismatch)\n    \(mergeCase.description)")
            }
        }
        print("generated: \(tally.summary)")
        for line in described.prefix(200) { print(line) }
        #expect(tally.falseClean == 0, "gorch said clean where git conflicts")
        #expect(Double(tally.agreed) / Double(count) >= 0.995, "agreement \(tally.agreed)/\(count)")
    }
}
