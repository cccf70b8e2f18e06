import Foundation
import Testing

/// CI fails rather than hangs: every suite carries a time limit (and every process a test starts
/// has a deadline, GorchTestSupport's ProcessDeadline). A new suite without `.timeLimit` fails here.
@Suite(.timeLimit(.minutes(10)))
struct SuiteTimeLimitTests {
    @Test("every @Suite in the test targets has a .timeLimit, and every file with tests has an @Suite")
    func everySuiteHasATimeLimit() throws {
        let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        var files = 0
        for target in try FileManager.default.contentsOfDirectory(atPath: tests.path) where target.hasSuffix("Tests") {
            let folder = tests.appendingPathComponent(target)
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".swift") {
                let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
                guard text.contains("@Test") else { continue }
                files += 1
                let suites = text.split(separator: "\n").filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("@Suite") }
                #expect(!suites.isEmpty, "\(target)/\(name) has tests outside an @Suite (no time limit)")
                for suite in suites where !suite.contains(".timeLimit(") {
                    Issue.record("\(target)/\(name): `\(suite)` has no .timeLimit")
                }
            }
        }
        #expect(files > 50, "found only \(files) test files under \(tests.path)")
    }
}
