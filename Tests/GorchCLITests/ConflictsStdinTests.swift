import Foundation
import GorchTestSupport
import Testing

/// `gorch conflicts --stdin`: one JSON object per line, in order, every key present, streamed.
@Suite(.timeLimit(.minutes(20))) struct ConflictsStdinTests {
    @Test func answersEveryLineInOrderIncludingBadOnes() throws {
        let fixture = try ConflictsFixture()
        let input = """
            # pairs to check
            main ahead

            main
            main no-such-branch
            \told \t main\u{20}
            """
        let result = try runGorch(["conflicts", "--stdin"], cwd: fixture.path, stdin: input + "\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        try #require(lines.count == 4, "\(result.stdout)")
        for line in lines {
            #expect(keysAppearInOrder(resultKeys, in: line), "\(line)")
            #expect(Set(try jsonObject(line).keys) == Set(resultKeys))
        }

        let fastForward = try jsonObject(lines[0])
        #expect(fastForward["target"] as? String == "main")
        #expect(fastForward["branch"] as? String == "ahead")
        #expect(fastForward["verdict"] as? String == "fast-forward")
        #expect(fastForward["tree"] as? String == (try fixture.tree("ahead")))
        #expect(fastForward["bases"] as? Int == 1)
        #expect(isNull(fastForward["error"]))

        let malformed = try jsonObject(lines[1])
        #expect(isNull(malformed["target"]) && isNull(malformed["branch"]) && isNull(malformed["verdict"]))
        let malformedError = try #require(malformed["error"] as? [String: Any])
        #expect(malformedError["kind"] as? String == "malformed-line")
        #expect((malformedError["message"] as? String)?.hasPrefix("line 4: ") == true)

        let unknown = try jsonObject(lines[2])
        #expect(unknown["branch"] as? String == "no-such-branch")
        #expect(isNull(unknown["verdict"]))
        #expect((unknown["error"] as? [String: Any])?["kind"] as? String == "unknown-revision")

        let reversed = try jsonObject(lines[3])
        #expect(reversed["target"] as? String == "old")
        #expect(reversed["branch"] as? String == "main")
        #expect(reversed["verdict"] as? String == "fast-forward")
    }

    @Test func jsonFlagChangesNothing() throws {
        let fixture = try ConflictsFixture()
        let plain = try runGorch(["conflicts", "--stdin"], cwd: fixture.path, stdin: "main ahead\nmain old\n")
        let json = try runGorch(["--json", "conflicts", "--stdin"], cwd: fixture.path, stdin: "main ahead\nmain old\n")
        #expect(plain.stdout == json.stdout)
        #expect(plain.status == 0 && json.status == 0)
    }

    @Test func emptyInputAnswersNothing() throws {
        let fixture = try ConflictsFixture()
        let result = try runGorch(["conflicts", "--stdin"], cwd: fixture.path, stdin: "")
        #expect(result.status == 0)
        #expect(result.stdout.isEmpty)
    }

    @Test func repositoryErrorIsAJSONDocumentEvenWithoutJSONFlag() throws {
        let empty = try TempDirectory(label: "cli-stdin-no-repo")
        let result = try runGorch(["conflicts", "--stdin"], cwd: empty.path, stdin: "main ahead\n")
        #expect(result.status == 3)
        #expect(try errorObject(result)["kind"] as? String == "environment")
    }

    /// The first answer arrives while stdin is still open: a coordinator can act on it at once.
    @Test func answersEachLineBeforeTheNextOneIsWritten() throws {
        let fixture = try ConflictsFixture()
        let binary = try #require(GorchBinary.path, "\(GorchBinary.problem)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["conflicts", "--stdin", "--repo", fixture.path]
        process.environment = gorchEnvironment
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        var reader = LineReader(descriptor: output.fileHandleForReading.fileDescriptor)

        input.fileHandleForWriting.write(Data("main ahead\n".utf8))
        let firstLine = reader.next(timeoutSeconds: 60)
        let first = try #require(firstLine, "no answer to the first line while stdin is open")
        #expect(try jsonObject(first)["verdict"] as? String == "fast-forward")

        input.fileHandleForWriting.write(Data("main old\n".utf8))
        let secondLine = reader.next(timeoutSeconds: 60)
        let second = try #require(secondLine, "no answer to the second line")
        #expect(try jsonObject(second)["verdict"] as? String == "up-to-date")

        try input.fileHandleForWriting.close()
        #expect(ProcessDeadline.wait(for: process), "gorch did not exit when stdin closed")
        #expect(process.terminationStatus == 0)
    }
}

/// Reads newline-terminated lines from a descriptor with a timeout (poll + read), so a gorch
/// that buffers its output fails the test instead of hanging it.
private struct LineReader {
    let descriptor: Int32
    private var buffer: [UInt8] = []

    init(descriptor: Int32) { self.descriptor = descriptor }

    mutating func next(timeoutSeconds: Int) -> String? {
        let deadline = Date().addingTimeInterval(TimeInterval(timeoutSeconds))
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            let remaining = Int(deadline.timeIntervalSinceNow * 1000)
            guard remaining > 0 else { return nil }
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, Int32(remaining)) > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { return nil }
            buffer.append(contentsOf: chunk[..<count])
        }
    }
}
