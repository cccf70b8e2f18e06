/// A shell command that could not be started (never a command that ran and failed: that is a
/// `ShellOutcome`). Each case names the thing, the cause and the fix.
public struct ShellCommandError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Reason: Sendable, Equatable {
        /// `/bin/sh` is missing or not executable.
        case shellMissing
        /// The working directory does not exist or is not a directory.
        case workingDirectoryMissing
        /// The log file (or its directory) could not be created or written.
        case logNotWritable
        /// The process could not be spawned for another reason (limits, permissions).
        case launchFailed
    }

    public var reason: Reason
    /// The thing at fault: `/bin/sh`, the working directory or the log file.
    public var path: String
    /// The command that was to run, as given.
    public var command: String
    /// The operating system's explanation (`No such file or directory`, ...).
    public var cause: String

    public init(reason: Reason, path: String, command: String, cause: String) {
        self.reason = reason
        self.path = path
        self.command = command
        self.cause = cause
    }

    public var message: String {
        switch reason {
        case .shellMissing:
            "cannot run `\(command)`: the shell \(path) is not usable (\(cause))"
        case .workingDirectoryMissing:
            "cannot run `\(command)`: working directory \(path) is not usable (\(cause))"
        case .logNotWritable:
            "cannot run `\(command)`: log file \(path) is not writable (\(cause))"
        case .launchFailed:
            "cannot start `/bin/sh -c \(command)` in \(path) (\(cause))"
        }
    }

    public var hint: String {
        switch reason {
        case .shellMissing: "install a POSIX shell as /bin/sh (Debian: dash; macOS ships one)"
        case .workingDirectoryMissing: "create the directory, or point gorch at one that exists"
        case .logNotWritable: "make the log's directory writable (and check free disk space)"
        case .launchFailed: "check the process and open-file limits (ulimit -u, ulimit -n)"
        }
    }

    public var description: String { "\(message); \(hint)" }
}
