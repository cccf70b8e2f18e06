import Foundation
import Subprocess
#if canImport(System)
import System
#else
import SystemPackage
#endif

extension ToolRunner {
    /// What the tool printed, within limits.
    struct Captured: Sendable {
        var stdout = Data()
        var stdoutTruncated = false
        var stderr = Data()
    }

    /// Filled by the readers as they finish, so what a timed-out or cancelled tool printed
    /// survives the cancelled run.
    final class CaptureBox: @unchecked Sendable {
        private let lock = NSLock()
        private var value = Captured()
        var captured: Captured { lock.withLock { value } }
        func update(_ change: (inout Captured) -> Void) { lock.withLock { change(&value) } }
    }

    /// How the process ended, before it becomes a `ToolOutput` or a `ToolError`.
    struct Ending: Sendable {
        var status: TerminationStatus?
        var captured = Captured()
        var error: (any Error)?
        var timedOut = false
        var wasCancelled = false
    }

    /// Races the tool against its timeout (`ProcessGroup.race`, as `ShellCommand.launch` does).
    static func launch(_ invocation: ToolInvocation, executable: String) async -> Ending {
        let group = ProcessGroup()
        let box = CaptureBox()
        let result = await group.race(timeout: invocation.timeout) {
            try await spawn(invocation, executable: executable, group: group, box: box)
        }
        var ending = Ending()
        ending.status = result.value
        ending.error = result.error
        ending.timedOut = result.timedOut
        ending.wasCancelled = result.wasCancelled
        ending.captured = box.captured
        return ending
    }

    private static func spawn(
        _ invocation: ToolInvocation, executable: String, group: ProcessGroup, box: CaptureBox
    ) async throws -> TerminationStatus {
        var options = PlatformOptions()
        options.createSession = true           // its own group: a timeout stops its children too
        options.teardownSequence = [.gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: ProcessGroup.grace)]
        let input = invocation.input
        if input != nil { ignoreSigpipe() }

        let result = try await Subprocess.run(
            .path(FilePath(executable)), arguments: Arguments(invocation.arguments),
            environment: ChildEnvironment.make(invocation.environment),
            workingDirectory: FilePath(invocation.workingDirectory),
            platformOptions: options, input: .inputWriter, output: .sequence, error: .sequence
        ) { execution in
            group.record(execution.processIdentifier.value)
            let writer = execution.standardInputWriter
            // Written alongside the reads: a tool that prints before reading all its input must not
            // deadlock on a full pipe. A tool that exits without reading gets EPIPE, ignored.
            async let written: Void = {
                if let input { _ = try? await writer.write(input) }
                try? await writer.finish()
            }()
            async let stdout: Void = {
                let (data, truncated) = await readCapped(execution.standardOutput, limit: stdoutLimit)
                box.update { $0.stdout = data; $0.stdoutTruncated = truncated }
            }()
            async let stderr: Void = {
                let data = await readTail(execution.standardError, limit: stderrLimit)
                box.update { $0.stderr = data }
            }()
            _ = await (stdout, stderr, written)
        }
        return result.terminationStatus
    }

    /// The first `limit` bytes; the rest is read (so the tool never blocks) and dropped.
    private static func readCapped(_ sequence: SubprocessOutputSequence, limit: Int) async -> (Data, Bool) {
        var data = Data()
        var truncated = false
        do {
            for try await chunk in sequence {
                chunk.withUnsafeBytes { bytes in
                    let room = limit - data.count
                    if bytes.count <= room {
                        data.append(contentsOf: bytes)
                    } else {
                        if room > 0 { data.append(contentsOf: bytes.prefix(room)) }
                        truncated = true
                    }
                }
            }
        } catch {
            // Cancelled or the pipe failed: what was read is kept; the exit status decides.
        }
        return (data, truncated)
    }

    /// The last `limit` bytes.
    private static func readTail(_ sequence: SubprocessOutputSequence, limit: Int) async -> Data {
        var data = Data()
        do {
            for try await chunk in sequence {
                chunk.withUnsafeBytes { data.append(contentsOf: $0) }
                if data.count > 2 * limit { data = data.suffix(limit) }
            }
        } catch {
            // As above.
        }
        return data.count > limit ? Data(data.suffix(limit)) : data
    }

    /// Writing to a tool that has exited raises SIGPIPE, which would kill gorch; children start
    /// with default signal dispositions (swift-subprocess sets POSIX_SPAWN_SETSIGDEF).
    private static let sigpipeIgnored: Void = { _ = signal(SIGPIPE, SIG_IGN) }()
    private static func ignoreSigpipe() { _ = sigpipeIgnored }
}
