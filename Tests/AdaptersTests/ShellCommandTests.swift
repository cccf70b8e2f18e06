import Adapters
import Foundation
import GorchTestSupport
import Testing

@Suite(.timeLimit(.minutes(20))) struct ShellCommandTests {
    let temp: TempDirectory

    init() throws { temp = try TempDirectory(label: "shell-command") }

    func request(_ command: String, timeout: Duration? = nil, log: String? = nil,
                 environment: [String: String] = [:]) -> ShellRequest {
        ShellRequest(command: command, workingDirectory: temp.path, environment: environment,
                     timeout: timeout, logPath: log.map { temp.path + "/" + $0 })
    }

    func read(_ name: String) throws -> String {
        try String(contentsOfFile: temp.path + "/" + name, encoding: .utf8)
    }

    @Test func exitZeroSucceeds() async throws {
        let outcome = try await ShellCommand.run(request("true"))
        #expect(outcome.exitCode == 0)
        #expect(outcome.signal == nil)
        #expect(!outcome.timedOut)
        #expect(outcome.succeeded)
    }

    @Test func exitThreeIsAnOutcomeNotAnError() async throws {
        let outcome = try await ShellCommand.run(request("echo failing; exit 3"))
        #expect(outcome.exitCode == 3)
        #expect(!outcome.succeeded)
        #expect(outcome.outputTail == ["failing"])
    }

    @Test func killedBySignalReportsTheSignal() async throws {
        let outcome = try await ShellCommand.run(request("kill -9 $$"))
        #expect(outcome.exitCode == nil)
        #expect(outcome.signal == SIGKILL)
        #expect(!outcome.succeeded)
    }

    @Test func environmentIsAddedToTheInheritedOne() async throws {
        let outcome = try await ShellCommand.run(request(
            #"printf '%s|%s\n' "$GORCH_TEST_VALUE" "${PATH:+has-path}""#,
            environment: ["GORCH_TEST_VALUE": "a b; $(not run)"]))
        #expect(outcome.outputTail == ["a b; $(not run)|has-path"])
    }

    @Test func runsInTheWorkingDirectory() async throws {
        let outcome = try await ShellCommand.run(request("pwd -P"))
        #expect(outcome.outputTail == [temp.path])
    }

    @Test func stdinIsEmpty() async throws {
        let outcome = try await ShellCommand.run(request("wc -c"))
        #expect(outcome.outputTail.map { $0.trimmingCharacters(in: .whitespaces) } == ["0"])
    }

    @Test func logHasHeaderOutputAndFooterAppendedAcrossRuns() async throws {
        let first = try await ShellCommand.run(request("echo out; echo err >&2", log: "logs/deep/task.log"))
        let second = try await ShellCommand.run(request("printf 'no newline'; exit 4", log: "logs/deep/task.log"))
        #expect(first.outputTail == ["out", "err"])
        #expect(second.outputTail == ["no newline"])

        let lines = try read("logs/deep/task.log").split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 8)
        #expect(lines.last == "")
        #expect(lines[0].hasPrefix("== 20"))
        #expect(lines[0].hasSuffix(" $ echo out; echo err >&2 (in \(temp.path))"))
        #expect(lines[1] == "out")
        #expect(lines[2] == "err")
        #expect(lines[3].hasPrefix("== exit 0 after ") && lines[3].hasSuffix(" s"))
        #expect(lines[4].hasSuffix(" $ printf 'no newline'; exit 4 (in \(temp.path))"))
        #expect(lines[5] == "no newline")
        #expect(lines[6].hasPrefix("== exit 4 after "))
    }

    @Test func tailKeepsTheLastTwentyLines() async throws {
        let withLog = try await ShellCommand.run(request("seq 1 100", log: "tail.log"))
        let inMemory = try await ShellCommand.run(request("seq 1 100"))
        let expected = (81...100).map(String.init)
        #expect(withLog.outputTail == expected)
        #expect(inMemory.outputTail == expected)
    }

    @Test func largeOutputGoesStraightToTheLog() async throws {
        let bytes = 20_000_000
        let outcome = try await ShellCommand.run(request(
            "yes 0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ | head -c \(bytes)", log: "big.log"))
        #expect(outcome.succeeded)
        #expect(outcome.outputTail.count == 20)
        let size = try FileManager.default.attributesOfItem(atPath: temp.path + "/big.log")[.size] as? Int ?? 0
        #expect(size > bytes && size < bytes + 1_000)
    }

    @Test func largeOutputWithoutALogKeepsOnlyTheTail() async throws {
        let outcome = try await ShellCommand.run(request("seq 1 500000"))
        #expect(outcome.succeeded)
        #expect(outcome.outputTail == (499_981...500_000).map(String.init))
    }

    @Test(arguments: [false, true])
    func backgroundChildKeepingTheOutputOpenDoesNotDelayTheResult(logged: Bool) async throws {
        let clock = ContinuousClock()
        let started = clock.now
        let outcome = try await ShellCommand.run(request(
            "sleep 86400 & echo $! > child.pid; echo early", log: logged ? "background.log" : nil))
        // Far below the child's 600 s: the result did not wait for it. (No tight bound: the whole
        // suite runs in parallel on 2 cores, and wall-clock bounds would only measure the load.)
        #expect(started.duration(to: clock.now) < .seconds(43200))
        #expect(outcome.succeeded)
        #expect(outcome.outputTail == ["early"])
        if let child = pid_t(try read("child.pid").trimmingCharacters(in: .whitespacesAndNewlines)) {
            kill(child, SIGKILL)
        }
    }

    @Test func timeoutKillsTheWholeGroup() async throws {
        let clock = ContinuousClock()
        let started = clock.now
        let outcome = try await ShellCommand.run(request(
            "sleep 86400 & echo $! > child.pid; sleep 86400", timeout: .seconds(1), log: "timeout.log"))
        let elapsed = started.duration(to: clock.now)

        #expect(outcome.timedOut)
        #expect(!outcome.succeeded)
        #expect(outcome.exitCode == nil)
        #expect(outcome.signal == SIGTERM)
        #expect(elapsed < .seconds(43200))  // killed, not waited for (see above on tight bounds)
        let child = try #require(pid_t(try read("child.pid").trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(await processEnds(child))
        #expect(try read("timeout.log").hasSuffix("== timed out after 1 s\n"))
    }

    @Test func timeoutEscalatesToSigkillForAChildIgnoringSigterm() async throws {
        let clock = ContinuousClock()
        let started = clock.now
        // The shell dies on SIGTERM at once; its background child ignores it and must get SIGKILL.
        let outcome = try await ShellCommand.run(request(
            // TERM is ignored before the fork, so the child inherits it however late it runs; the
            // shell restores its own default at once.
            "trap '' TERM; sleep 86400 & echo $! > child.pid; trap - TERM; wait", timeout: .milliseconds(500)))
        let elapsed = started.duration(to: clock.now)

        #expect(outcome.timedOut)
        #expect(elapsed >= .seconds(2))    // the 2 s grace after SIGTERM was given
        #expect(elapsed < .seconds(43200))   // and then SIGKILL, not the child's 600 s
        let child = try #require(pid_t(try read("child.pid").trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(await processEnds(child))
    }

    @Test func finishingBeforeTheTimeoutIsNotATimeout() async throws {
        let outcome = try await ShellCommand.run(request("echo quick", timeout: .seconds(600)))
        #expect(outcome.succeeded)
        #expect(!outcome.timedOut)
        #expect(outcome.exitCode == 0)
    }

    @Test func cancellationKillsTheChildAndThrows() async throws {
        let command = request("sleep 86400 & echo $! > child.pid; wait", log: "cancel.log")
        let task = Task { try await ShellCommand.run(command) }
        let pidFile = temp.path + "/child.pid"
        while (try? String(contentsOfFile: pidFile, encoding: .utf8))?.hasSuffix("\n") != true {
            try await Task.sleep(for: .milliseconds(20))
        }
        let clock = ContinuousClock()
        let cancelled = clock.now
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(cancelled.duration(to: clock.now) < .seconds(43200))  // killed, not waited for

        let child = try #require(pid_t(try read("child.pid").trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(await processEnds(child))
        #expect(try read("cancel.log").contains("\n== cancelled after "))
    }

    @Test func alreadyCancelledTaskStartsNothing() async throws {
        let command = request("touch started")
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await ShellCommand.run(command)
        }
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(!FileManager.default.fileExists(atPath: temp.path + "/started"))
    }

    @Test func missingWorkingDirectoryIsAnErrorNamingIt() async throws {
        let missing = temp.path + "/no/such/dir"
        let error = await #expect(throws: ShellCommandError.self) {
            try await ShellCommand.run(ShellRequest(command: "true", workingDirectory: missing))
        }
        #expect(error?.reason == .workingDirectoryMissing)
        #expect(error?.path == missing)
        #expect(error?.description.contains(missing) == true)
    }

    @Test func fileAsWorkingDirectoryIsAnError() async throws {
        let file = temp.path + "/file"
        _ = FileManager.default.createFile(atPath: file, contents: Data())
        let error = await #expect(throws: ShellCommandError.self) {
            try await ShellCommand.run(ShellRequest(command: "true", workingDirectory: file))
        }
        #expect(error?.reason == .workingDirectoryMissing)
        #expect(error?.cause == "not a directory")
    }

    @Test func unwritableLogIsAnErrorNamingIt() async throws {
        _ = FileManager.default.createFile(atPath: temp.path + "/blocker", contents: Data())
        let log = temp.path + "/blocker/task.log"          // a file where the directory should be
        let error = await #expect(throws: ShellCommandError.self) {
            try await ShellCommand.run(ShellRequest(command: "touch started", workingDirectory: temp.path, logPath: log))
        }
        #expect(error?.reason == .logNotWritable)
        #expect(error?.description.contains(log) == true)
        #expect(!FileManager.default.fileExists(atPath: temp.path + "/started"))
    }
}

/// True once `pid` no longer exists (or is a zombie awaiting its reaper), within 30 s (generous:
/// the suite shares 2 cores with every other test; the processes under test sleep 86400 s).
func processEnds(_ pid: pid_t) async -> Bool {
    let deadline = ContinuousClock.now + .seconds(30)
    while true {
        if kill(pid, 0) != 0 { return true }
        if let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
           let close = stat.lastIndex(of: ")"),
           stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z") {
            return true
        }
        if ContinuousClock.now >= deadline { return false }
        try? await Task.sleep(for: .milliseconds(20))
    }
}
