import Adapters
import Foundation
import GorchTestSupport
import Testing

@Suite(.timeLimit(.minutes(20))) struct ToolRunnerTests {
    let temp: TempDirectory

    init() throws { temp = try TempDirectory(label: "tool-runner") }

    func sh(_ script: String, timeout: Duration = .seconds(30), environment: [String: String] = [:],
            input: String? = nil) -> ToolInvocation {
        ToolInvocation(tool: "sh", arguments: ["-c", script], workingDirectory: temp.path,
                       environment: environment, timeout: timeout, input: input)
    }

    func kind(_ body: () async throws -> Void) async -> ToolError? {
        do {
            try await body()
            return nil
        } catch let error as ToolError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    func writeScript(_ name: String, _ text: String, mode: Int = 0o755) throws -> String {
        let bin = temp.path + "/bin"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        let path = bin + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    /// Alive = exists and is not a zombie (a killed orphan may wait long for init to reap it).
    static func isAlive(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return true }
        let state = stat[stat.index(after: close)...].split(separator: " ").first
        return state != "Z" && state != "X"
    }

    @Test func locateFindsToolsOnTheGivenPath() throws {
        let script = try writeScript("hello-tool", "#!/bin/sh\necho hi\n")
        _ = try writeScript("not-executable", "#!/bin/sh\n", mode: 0o644)
        let path = ["PATH": temp.path + "/bin"]
        #expect(ToolRunner.locate("hello-tool", environment: path) == script)
        #expect(ToolRunner.locate("not-executable", environment: path) == nil)
        #expect(ToolRunner.locate("bin", environment: ["PATH": temp.path]) == nil)      // a directory
        #expect(ToolRunner.locate("hello-tool", environment: ["PATH": "/nonexistent"]) == nil)
        #expect(ToolRunner.locate(script) == script)
        #expect(ToolRunner.locate(temp.path + "/bin/not-executable") == nil)
        #expect(ToolRunner.locate("sh") != nil)
    }

    @Test func missingToolIsNotFoundWithAnInstallHint() async throws {
        let error = await kind {
            _ = try await ToolRunner.run(ToolInvocation(tool: "bd", arguments: ["list", "--json"],
                                                        workingDirectory: temp.path, environment: ["PATH": temp.path]))
        }
        #expect(error?.kind == .notFound)
        #expect(error?.tool == "bd")
        #expect(error?.message.contains("`bd list --json`") == true)
        #expect(error?.hint.contains("install Beads") == true)

        let generic = await kind {
            _ = try await ToolRunner.run(ToolInvocation(tool: temp.path + "/no-such-tool", arguments: [],
                                                        workingDirectory: temp.path))
        }
        #expect(generic?.kind == .notFound)
        #expect(generic?.message.contains("not an executable file") == true)
    }

    @Test func nonzeroExitIsAnOutputForRunAndAnErrorForJSON() async throws {
        let invocation = sh("echo out; echo 'it broke' >&2; exit 3")
        let output = try await ToolRunner.run(invocation)
        #expect(output.exitCode == 3)
        #expect(String(decoding: output.stdout, as: UTF8.self) == "out\n")
        #expect(output.stderr == "it broke\n")

        let error = await kind { _ = try await ToolRunner.json([String].self, invocation) }
        #expect(error?.kind == .failed(exitCode: 3))
        #expect(error?.message.contains("`sh -c 'echo out; echo '\\''it broke'\\'' >&2; exit 3'`") == true)
        #expect(error?.message.contains("it broke") == true)
        #expect(error?.stderr == "it broke\n")
    }

    @Test func killedBySignalReportsOneHundredTwentyEightPlusTheSignal() async throws {
        let output = try await ToolRunner.run(sh("kill -9 $$"))
        #expect(output.exitCode == 128 + SIGKILL)
    }

    @Test func undecodableOutputShowsTheCommandAndTheFirstBytes() async throws {
        let error = await kind {
            _ = try await ToolRunner.json([String].self, sh("printf 'this is not JSON {{{'; printf '%0500d' 0"))
        }
        #expect(error?.kind == .undecodable)
        #expect(error?.message.contains("`sh -c") == true)
        #expect(error?.message.contains("not valid JSON") == true)
        #expect(error?.message.contains("it printed: this is not JSON {{{000") == true)
        #expect((error?.message.count ?? 0) < 400)          // the first ~200 bytes, not all 500

        let shape = await kind { _ = try await ToolRunner.json([Int].self, sh(#"echo '[1, "two"]'"#)) }
        #expect(shape?.kind == .undecodable)
        #expect(shape?.message.contains("expected Int at [1]") == true)

        let empty = await kind { _ = try await ToolRunner.json([Int].self, sh("true")) }
        #expect(empty?.message.contains("it printed nothing") == true)
    }

    @Test func jsonDecodesOnSuccess() async throws {
        let value = try await ToolRunner.json([String: Int].self, sh(#"echo '{"a": 1}'"#))
        #expect(value == ["a": 1])
    }

    @Test func environmentIsAddedToTheInheritedOneAndItsPathIsSearched() async throws {
        _ = try writeScript("env-probe", "#!/bin/sh\nprintf '%s|%s' \"$GORCH_VALUE\" \"${HOME:+has-home}\"\n")
        let path = temp.path + "/bin:" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let output = try await ToolRunner.run(ToolInvocation(
            tool: "env-probe", arguments: [], workingDirectory: temp.path,
            environment: ["PATH": path, "GORCH_VALUE": "a b; $(not run)"]))
        #expect(String(decoding: output.stdout, as: UTF8.self) == "a b; $(not run)|has-home")
    }

    @Test func argumentsAreNeverInterpretedByAShell() async throws {
        let output = try await ToolRunner.run(ToolInvocation(
            tool: "printf", arguments: ["%s|", "$HOME", "*", "a b"], workingDirectory: temp.path))
        #expect(String(decoding: output.stdout, as: UTF8.self) == "$HOME|*|a b|")
    }

    @Test func runsInTheWorkingDirectoryWithTheGivenInput() async throws {
        let output = try await ToolRunner.run(sh("pwd -P; cat", input: "line one\nline two\n"))
        #expect(String(decoding: output.stdout, as: UTF8.self) == "\(temp.path)\nline one\nline two\n")
        let noInput = try await ToolRunner.run(sh("wc -c < /dev/stdin"))
        #expect(String(decoding: noInput.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) == "0")
    }

    @Test func inputToAToolThatDoesNotReadItIsHarmless() async throws {
        let output = try await ToolRunner.run(sh("exit 0", input: String(repeating: "x", count: 1 << 20)))
        #expect(output.exitCode == 0)
    }

    @Test func missingWorkingDirectoryFailsBeforeStarting() async throws {
        let error = await kind {
            _ = try await ToolRunner.run(ToolInvocation(tool: "sh", arguments: ["-c", "true"],
                                                        workingDirectory: temp.path + "/missing"))
        }
        #expect(error?.kind == .failed(exitCode: -1))
        #expect(error?.message.contains("missing does not exist") == true)
    }

    @Test func timeoutKillsTheToolAndItsChildren() async throws {
        let pidFile = temp.path + "/child.pid"
        let started = ContinuousClock.now
        let error = await kind {
            _ = try await ToolRunner.run(sh("trap '' TERM; sleep 86400 & echo $! > \(pidFile); echo waiting >&2; wait",
                                            timeout: .milliseconds(500)))
        }
        #expect(error?.kind == .timedOut)
        #expect(error?.message.contains("timed out after 0.50 s") == true)
        #expect(error?.stderr == "waiting\n")
        #expect(started.duration(to: .now) < .seconds(43200))  // killed, not waited for (loose: 2 shared cores)
        let pid = Int32(try String(contentsOfFile: pidFile, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        #expect(pid > 0)
        #expect(!Self.isAlive(pid))
    }

    @Test func cancellingTheCallerStopsTheTool() async throws {
        let pidFile = temp.path + "/cancel.pid"
        let task = Task { try await ToolRunner.run(sh("echo $$ > \(pidFile); exec sleep 86400")) }
        // Until the pid is readable, not merely until the file exists: `>` creates it empty first.
        var pid: Int32 = 0
        while pid == 0 {
            pid = Int32(((try? String(contentsOfFile: pidFile, encoding: .utf8)) ?? "")
                .trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
            if pid == 0 { try await Task.sleep(for: .milliseconds(20)) }
        }
        task.cancel()
        let error = await kind { _ = try await task.value }
        #expect(error?.kind == .cancelled)
        #expect(!Self.isAlive(pid))
    }

    @Test func largeOutputIsCapturedWhole() async throws {
        let output = try await ToolRunner.run(sh("head -c 3000000 /dev/zero; head -c 3000 /dev/zero >&2"))
        #expect(output.stdout.count == 3_000_000)
        #expect(!output.stdoutTruncated)
        #expect(output.stderr.utf8.count == 3000)
    }

    @Test func commandLineIsShellQuoted() {
        let invocation = ToolInvocation(tool: "bd", arguments: ["create", "--title=a b", "it's", "", "--json"],
                                        workingDirectory: "/")
        #expect(invocation.commandLine == #"bd create '--title=a b' 'it'\''s' '' --json"#)
    }
}
