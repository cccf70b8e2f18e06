/// A command line run as `sh -c COMMAND` (validation steps, agents, setup).
public struct ShellRequest: Sendable {
    /// Passed to `sh -c` verbatim: callers shell-escape anything they substitute into it.
    public var command: String
    /// Must exist; the command starts there.
    public var workingDirectory: String
    /// Added to, or overriding, the inherited environment.
    public var environment: [String: String]
    /// nil = no limit. On expiry the whole process group gets SIGTERM, then SIGKILL 2 s later.
    public var timeout: Duration?
    /// stdout and stderr are appended here (the file and its parents are created); nil = discarded.
    public var logPath: String?

    public init(
        command: String,
        workingDirectory: String,
        environment: [String: String] = [:],
        timeout: Duration? = nil,
        logPath: String? = nil
    ) {
        self.command = command
        self.workingDirectory = workingDirectory
        self.environment = environment
        self.timeout = timeout
        self.logPath = logPath
    }
}

/// How a `ShellRequest` ended. A failing command is an outcome, not an error.
public struct ShellOutcome: Sendable, Equatable {
    /// nil when killed by a signal.
    public var exitCode: Int32?
    /// The terminating signal, if any (SIGTERM or SIGKILL after a timeout).
    public var signal: Int32?
    public var timedOut: Bool
    public var duration: Duration
    /// The last <= 20 lines of the combined output: read back from the log file, or kept in
    /// memory (at most 64 KiB) when there is no log.
    public var outputTail: [String]

    public var succeeded: Bool { exitCode == 0 && !timedOut }

    public init(exitCode: Int32?, signal: Int32?, timedOut: Bool, duration: Duration, outputTail: [String]) {
        self.exitCode = exitCode
        self.signal = signal
        self.timedOut = timedOut
        self.duration = duration
        self.outputTail = outputTail
    }
}
