import Foundation
import Subprocess

/// Runs external tools (bd, bv, openspec) by argv: looked up on PATH, in their own session so a
/// timeout or a cancelled caller stops the whole process group, output captured within limits.
public enum ToolRunner {
    /// stdout kept in memory; more is read and dropped (`ToolOutput.stdoutTruncated`).
    public static let stdoutLimit = 64 << 20
    /// stderr kept in memory: the last 1 MiB.
    public static let stderrLimit = 1 << 20

    /// Absolute path of an executable on PATH (or the given path if executable), nil if missing.
    /// `environment` lets tests pass a PATH; otherwise the process's own PATH is searched.
    public static func locate(_ tool: String, environment: [String: String] = [:]) -> String? {
        guard !tool.isEmpty else { return nil }
        if tool.contains("/") {
            let path = tool.hasPrefix("/") ? tool
                : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(tool)
            return isExecutableFile(path) ? (path as NSString).standardizingPath : nil
        }
        let search = environment["PATH"] ?? ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in search.split(separator: ":", omittingEmptySubsequences: false) {
            let base = directory.isEmpty ? FileManager.default.currentDirectoryPath : String(directory)
            let candidate = (base as NSString).appendingPathComponent(tool)
            if isExecutableFile(candidate) {
                return candidate.hasPrefix("/") ? candidate
                    : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(candidate)
            }
        }
        return nil
    }

    /// Runs the tool to completion.
    /// - Returns: its output; a non-zero exit is an output, not an error.
    /// - Throws: `ToolError` `.notFound` (not on PATH), `.timedOut`, `.cancelled`, or
    ///   `.failed(exitCode: -1)` when it could not be started.
    public static func run(_ invocation: ToolInvocation) async throws -> ToolOutput {
        if Task.isCancelled { throw cancelled(invocation) }
        guard let executable = locate(invocation.tool, environment: invocation.environment) else {
            throw notFound(invocation)
        }
        try checkWorkingDirectory(invocation)
        let started = ContinuousClock.now
        let ending = await launch(invocation, executable: executable)
        let duration = started.duration(to: .now)
        let stderr = String(decoding: ending.captured.stderr, as: UTF8.self)

        if ending.timedOut {
            throw ToolError(
                kind: .timedOut, tool: invocation.tool, commandLine: invocation.commandLine,
                message: "`\(invocation.commandLine)` timed out after \(ShellCommand.format(invocation.timeout)) and was stopped"
                    + detail(stderr),
                hint: "check why \(invocation.tool) hangs (a lock held by another process?), or raise the timeout",
                stderr: stderr)
        }
        if ending.wasCancelled { throw cancelled(invocation, stderr: stderr) }
        if let error = ending.error { throw launchFailure(error, invocation) }
        let exitCode: Int32
        switch ending.status {
        case .exited(let code)?: exitCode = code
        case .signaled(let signal)?: exitCode = 128 + signal
        case nil: exitCode = -1
        }
        return ToolOutput(exitCode: exitCode, stdout: ending.captured.stdout, stderr: stderr, duration: duration,
                          stdoutTruncated: ending.captured.stdoutTruncated)
    }

    /// `run`, then require exit 0 and decode stdout as JSON into `T`.
    /// - Throws: `ToolError` `.failed` (with the stderr tail) or `.undecodable` (with the first
    ///   bytes of stdout), besides `run`'s.
    public static func json<T: Decodable>(_ type: T.Type, _ invocation: ToolInvocation) async throws -> T {
        let output = try await run(invocation)
        guard output.exitCode == 0 else { throw failed(invocation, output) }
        return try decode(type, from: output, invocation)
    }

    /// Runs `invocation` (a `--version` call) and returns the first version number it prints.
    static func versionNumber(_ invocation: ToolInvocation) async throws -> String {
        let output = try await run(invocation)
        guard output.exitCode == 0 else { throw failed(invocation, output) }
        let text = String(decoding: output.stdout, as: UTF8.self) + "\n" + output.stderr
        guard let number = BeadsEra.versionNumber(in: text) else {
            throw undecodable(invocation, output, cause: "no version number such as 1.0.5 in it")
        }
        return number
    }

    // MARK: - Errors shared with the clients

    /// A non-zero exit, with the tool's own words (or its stdout when stderr is empty).
    static func failed(_ invocation: ToolInvocation, _ output: ToolOutput, reason: String? = nil) -> ToolError {
        let cause = reason ?? {
            let err = ToolError.tail(output.stderr)
            if !err.isEmpty { return err }
            let out = ToolError.tail(String(decoding: output.stdout.suffix(2000), as: UTF8.self))
            return out.isEmpty ? "no output" : out
        }()
        return ToolError(
            kind: .failed(exitCode: output.exitCode), tool: invocation.tool, commandLine: invocation.commandLine,
            message: "`\(invocation.commandLine)` failed (exit \(output.exitCode)): \(cause)",
            hint: "run it by hand in \(invocation.workingDirectory) to see the whole output",
            stderr: output.stderr)
    }

    /// Decodes stdout as `T`; the error names the command, what did not fit, and the first bytes.
    static func decode<T: Decodable>(_ type: T.Type, from output: ToolOutput, _ invocation: ToolInvocation) throws -> T {
        if output.stdoutTruncated {
            throw undecodable(invocation, output, cause: "it printed more than \(stdoutLimit >> 20) MiB")
        }
        do {
            return try JSONDecoder().decode(type, from: output.stdout)
        } catch let error as DecodingError {
            throw undecodable(invocation, output, cause: describe(error, expected: "\(T.self)"))
        } catch {
            throw undecodable(invocation, output, cause: "\(error)")
        }
    }

    static func undecodable(_ invocation: ToolInvocation, _ output: ToolOutput, cause: String) -> ToolError {
        let head = ToolError.head(output.stdout)
        let shown = output.stdout.isEmpty ? "it printed nothing" : "it printed: \(head)"
        return ToolError(
            kind: .undecodable, tool: invocation.tool, commandLine: invocation.commandLine,
            message: "`\(invocation.commandLine)` printed output gorch cannot read (\(cause)); \(shown)",
            hint: "check that \(invocation.tool) is a version gorch supports (its JSON changed?)",
            stderr: output.stderr)
    }

    /// `missing key "id" at [0].dependencies[1]`, not Swift's nested dump.
    static func describe(_ error: DecodingError, expected: String) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            let text = keys.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }.joined()
            return text.isEmpty ? "the top level" : String(text.drop(while: { $0 == "." }))
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing key \"\(key.stringValue)\" at \(path(context.codingPath)) for \(expected)"
        case .typeMismatch(let type, let context):
            return "expected \(type) at \(path(context.codingPath)) for \(expected)"
        case .valueNotFound(let type, let context):
            return "null where \(type) was expected at \(path(context.codingPath)) for \(expected)"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not valid JSON" : "bad value at \(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    // MARK: - Private

    private static func detail(_ stderr: String) -> String {
        let tail = ToolError.tail(stderr, limit: 300)
        return tail.isEmpty ? "" : " (stderr: \(tail))"
    }

    private static func notFound(_ invocation: ToolInvocation) -> ToolError {
        let where_ = invocation.tool.contains("/") ? "\(invocation.tool) is not an executable file"
            : "`\(invocation.tool)` is not on PATH"
        return ToolError(
            kind: .notFound, tool: invocation.tool, commandLine: invocation.commandLine,
            message: "cannot run `\(invocation.commandLine)`: \(where_)",
            hint: ToolError.installHint(invocation.tool))
    }

    private static func cancelled(_ invocation: ToolInvocation, stderr: String = "") -> ToolError {
        ToolError(kind: .cancelled, tool: invocation.tool, commandLine: invocation.commandLine,
                  message: "`\(invocation.commandLine)` was cancelled", hint: "", stderr: stderr)
    }

    private static func checkWorkingDirectory(_ invocation: ToolInvocation) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: invocation.workingDirectory, isDirectory: &isDirectory),
              isDirectory.boolValue else {
            throw ToolError(
                kind: .failed(exitCode: -1), tool: invocation.tool, commandLine: invocation.commandLine,
                message: "cannot run `\(invocation.commandLine)`: working directory \(invocation.workingDirectory) does not exist",
                hint: "create the directory, or point gorch at one that exists")
        }
    }

    private static func launchFailure(_ error: any Error, _ invocation: ToolInvocation) -> ToolError {
        if let error = error as? SubprocessError, error.code == .executableNotFound { return notFound(invocation) }
        return ToolError(
            kind: .failed(exitCode: -1), tool: invocation.tool, commandLine: invocation.commandLine,
            message: "cannot start `\(invocation.commandLine)` in \(invocation.workingDirectory): \(error)",
            hint: "check the file's permissions and the process limits (ulimit -u, ulimit -n)")
    }

    private static func isExecutableFile(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return false }
        return access(path, X_OK) == 0
    }
}
