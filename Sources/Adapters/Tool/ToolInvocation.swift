import Foundation

/// One run of an external tool: an argv (never a shell), where, with what, for how long.
public struct ToolInvocation: Sendable {
    /// A name looked up on PATH (`bd`), or a path (`/opt/bin/bd`, `./bin/bd`).
    public var tool: String
    /// Passed to the tool as they are: no shell, no quoting, no globbing.
    public var arguments: [String]
    /// Must exist; the tool starts there.
    public var workingDirectory: String
    /// Added to, or overriding, the inherited environment. A `PATH` here is also the PATH the tool
    /// is looked up on.
    public var environment: [String: String]
    /// On expiry the tool's whole process group gets SIGTERM, then SIGKILL 2 s later.
    public var timeout: Duration
    /// Written to the tool's stdin, which is then closed; nil = stdin is closed at once (never the
    /// terminal's).
    public var input: String?

    public init(
        tool: String,
        arguments: [String],
        workingDirectory: String,
        environment: [String: String] = [:],
        timeout: Duration = .seconds(60),
        input: String? = nil
    ) {
        self.tool = tool
        self.arguments = arguments
        self.workingDirectory = workingDirectory
        self.environment = environment
        self.timeout = timeout
        self.input = input
    }

    /// `bd update 'a b' --json`: the command as a user would type it, for messages.
    public var commandLine: String {
        ([tool] + arguments).map(ToolInvocation.shellQuoted).joined(separator: " ")
    }

    /// POSIX shell quoting: bare when only safe characters, else single quotes.
    static func shellQuoted(_ word: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,./-")
        if !word.isEmpty, word.allSatisfy({ safe.contains($0) }) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}

/// What a tool printed and how it ended. A non-zero exit is an output, not an error.
public struct ToolOutput: Sendable {
    /// The exit code; 128 + N when killed by signal N (as shells report it).
    public let exitCode: Int32
    /// At most `ToolRunner.stdoutLimit` bytes; see `stdoutTruncated`.
    public let stdout: Data
    /// The last `ToolRunner.stderrLimit` bytes of stderr, decoded as UTF-8 (invalid bytes replaced).
    public let stderr: String
    public let duration: Duration
    /// True when the tool printed more than `ToolRunner.stdoutLimit` bytes: the rest was read and dropped.
    public let stdoutTruncated: Bool

    public init(exitCode: Int32, stdout: Data, stderr: String, duration: Duration, stdoutTruncated: Bool = false) {
        self.exitCode = exitCode
        self.stdout = stdout
        self.stderr = stderr
        self.duration = duration
        self.stdoutTruncated = stdoutTruncated
    }

    public var succeeded: Bool { exitCode == 0 }
}
