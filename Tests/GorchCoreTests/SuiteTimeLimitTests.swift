import Foundation
import GorchTestSupport
import Testing

/// CI fails rather than hangs: every suite carries a time limit, and every process a test starts
/// has a deadline (GorchTestSupport's ProcessDeadline). A new suite without `.timeLimit` fails here.
///
/// The limit is 20 minutes, the same for every suite: Swift Testing starts every test at once and
/// counts from that start, so on 2 cores a test's clock includes its wait for the pool. With four
/// builds sharing the cores, the whole parallel run took 15 minutes and every test "ran" that long;
/// a 10-minute limit failed 151 of them. So the limit only catches a hang, and ProcessDeadline
/// (300 s per process) is what ends one.
@Suite(.timeLimit(.minutes(20)))
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

    @Test("a process past its deadline is killed with its descendants, and the wait returns")
    func deadlineKillsTheProcessTree() throws {
        let scratch = try TempDirectory(label: "deadline")
        let pidFile = scratch.path + "/grandchild"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "sleep 120 & echo $! > '\(pidFile)'; wait"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        for _ in 0..<600 where !FileManager.default.fileExists(atPath: pidFile) { usleep(50_000) }
        let started = Date()
        #expect(!ProcessDeadline.wait(for: process, seconds: 1), "sh was still running at its deadline")
        #expect(Date().timeIntervalSince(started) < 60, "the wait returned only when sleep 120 ended by itself")
        let grandchild = Int32((try? String(contentsOfFile: pidFile, encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
        for _ in 0..<100 where grandchild > 0 && Self.isAlive(grandchild) { usleep(20_000) } // SIGKILL lands at once; give it a moment
        #expect(grandchild > 0 && !Self.isAlive(grandchild), "the background sleep survived")
    }

    /// Running, or stopped: not gone and not a zombie (a container's pid 1 may never reap it).
    static func isAlive(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return true }
        return stat[stat.index(after: close)...].split(separator: " ").first != "Z"
    }
}
