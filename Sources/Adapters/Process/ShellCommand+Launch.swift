import Foundation
import Subprocess
#if canImport(System)
import System
#else
import SystemPackage
#endif

extension ShellCommand {
    /// What happened to the process, before it is turned into a `ShellOutcome`.
    struct Ending: Sendable {
        var status: TerminationStatus?
        var tail = OutputTail()
        var error: (any Error)?
        var timedOut = false
        var wasCancelled = false
    }

    /// Races the process against the timeout (`ProcessGroup.race`).
    static func launch(_ request: ShellRequest, logDescriptor: Int32?) async -> Ending {
        let group = ProcessGroup()
        let result = await group.race(timeout: request.timeout) {
            try await spawn(request, logDescriptor: logDescriptor, group: group)
        }
        var ending = Ending()
        ending.status = result.value?.0
        ending.tail = result.value?.1 ?? OutputTail()
        ending.error = result.error
        ending.timedOut = result.timedOut
        ending.wasCancelled = result.wasCancelled
        return ending
    }

    private static func spawn(
        _ request: ShellRequest, logDescriptor: Int32?, group: ProcessGroup
    ) async throws -> (TerminationStatus, OutputTail) {
        var options = PlatformOptions()
        options.createSession = true                       // group id = the shell's pid, never gorch's
        options.teardownSequence = [.gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: ProcessGroup.grace)]
        let executable = Executable.path(FilePath(shell))
        let arguments: Arguments = ["-c", request.command]
        let environment = ChildEnvironment.make(request.environment)
        let directory = FilePath(request.workingDirectory)

        if let logDescriptor {
            // Both streams go to the log's descriptor: the child writes the file directly.
            let log = FileDescriptor(rawValue: logDescriptor)
            let result = try await Subprocess.run(
                executable, arguments: arguments, environment: environment, workingDirectory: directory,
                platformOptions: options, input: .none,
                output: .fileDescriptor(log, closeAfterSpawningProcess: false),
                error: .fileDescriptor(log, closeAfterSpawningProcess: false)
            ) { execution in
                group.record(execution.processIdentifier.value)
            }
            return (result.terminationStatus, OutputTail())
        }
        // No log: read the combined output through a pipe, keeping only the last 64 KiB.
        // swift-subprocess stops reading when the shell exits, even if a background child still
        // holds the pipe open.
        let result = try await Subprocess.run(
            executable, arguments: arguments, environment: environment, workingDirectory: directory,
            platformOptions: options, input: .none, output: .sequence, error: .combinedWithOutput
        ) { execution in
            group.record(execution.processIdentifier.value)
            var tail = OutputTail()
            do {
                for try await chunk in execution.standardOutput {
                    chunk.withUnsafeBytes { tail.append($0) }
                }
            } catch {
                // Cancelled or the pipe failed: the tail is best effort, the exit status is not.
            }
            tail.trim()
            return tail
        }
        return (result.terminationStatus, result.closureResult)
    }
}
