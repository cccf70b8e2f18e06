import Foundation
import Subprocess
#if canImport(System)
import System
#else
import SystemPackage
#endif

/// Runs `/bin/sh -c COMMAND` in a session of its own, so a timeout or a cancelled caller can
/// stop the whole process group (the shell, its pipelines and its background children).
public enum ShellCommand {
    static let shell = "/bin/sh"

    /// Runs the command to completion, to its timeout, or until the calling task is cancelled.
    /// - Returns: how it ended; a non-zero exit or a timeout is an outcome, not an error.
    /// - Throws: `ShellCommandError` when the command cannot start; `CancellationError` when the
    ///   calling task was cancelled (the process group is stopped first).
    public static func run(_ request: ShellRequest) async throws -> ShellOutcome {
        try Task.checkCancellation()
        try checkShell(request)
        try checkWorkingDirectory(request)
        let log = try request.logPath.map { try ShellLog.open($0, command: request.command) }
        try log?.writeHeader(command: request.command, workingDirectory: request.workingDirectory, at: Date())

        let started = ContinuousClock.now
        let ending = await launch(request, logDescriptor: log?.descriptor)
        let duration = started.duration(to: .now)

        if ending.wasCancelled {
            log?.writeFooter("cancelled after \(format(duration))")
            throw CancellationError()
        }
        if let error = ending.error, !ending.timedOut {
            let failure = launchError(error, request)
            log?.writeFooter("not started: \(failure.cause)")
            throw failure
        }
        var outcome = ShellOutcome(exitCode: nil, signal: nil, timedOut: ending.timedOut, duration: duration, outputTail: [])
        switch ending.status {
        case .exited(let code)?: outcome.exitCode = code
        case .signaled(let signal)?: outcome.signal = signal
        case nil: break
        }
        if let log {
            let tail = log.outputTail(limit: OutputTail.byteLimit)
            outcome.outputTail = OutputTail.lines(of: tail.bytes, isCut: tail.isCut)
        } else {
            outcome.outputTail = ending.tail.lines
        }
        log?.writeFooter(footer(outcome, timeout: request.timeout))
        return outcome
    }

    static func footer(_ outcome: ShellOutcome, timeout: Duration?) -> String {
        if outcome.timedOut, let timeout { return "timed out after \(format(timeout))" }
        if let code = outcome.exitCode { return "exit \(code) after \(format(outcome.duration))" }
        if let signal = outcome.signal { return "killed by signal \(signal) after \(format(outcome.duration))" }
        return "ended after \(format(outcome.duration))"
    }

    /// `1.23 s`, or `30 s` for a whole number of seconds (timeouts as configured).
    static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        if attoseconds == 0 { return "\(seconds) s" }
        return String(format: "%.2f s", Double(seconds) + Double(attoseconds) / 1e18)
    }

    private static func checkShell(_ request: ShellRequest) throws {
        guard access(shell, X_OK) == 0 else {
            throw ShellCommandError(reason: .shellMissing, path: shell, command: request.command, cause: Errors.text(errno))
        }
    }

    private static func checkWorkingDirectory(_ request: ShellRequest) throws {
        var info = stat()
        let cause: String
        if stat(request.workingDirectory, &info) != 0 {
            cause = Errors.text(errno)
        } else if (info.st_mode & S_IFMT) != S_IFDIR {
            cause = "not a directory"
        } else {
            return
        }
        throw ShellCommandError(reason: .workingDirectoryMissing, path: request.workingDirectory,
                                command: request.command, cause: cause)
    }

    private static func launchError(_ error: any Error, _ request: ShellRequest) -> ShellCommandError {
        if let error = error as? ShellCommandError { return error }
        if let error = error as? SubprocessError {
            if error.code == .executableNotFound {
                return ShellCommandError(reason: .shellMissing, path: shell, command: request.command, cause: "\(error)")
            }
            if error.code == .failedToChangeWorkingDirectory {
                return ShellCommandError(reason: .workingDirectoryMissing, path: request.workingDirectory,
                                         command: request.command, cause: "\(error)")
            }
        }
        return ShellCommandError(reason: .launchFailed, path: request.workingDirectory, command: request.command,
                                 cause: "\(error)")
    }
}
