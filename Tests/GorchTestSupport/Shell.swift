import Foundation

/// The outcome of one process run.
public struct ShellResult: Sendable, Equatable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    /// The raw bytes of stdout, for output that is not UTF-8 (blobs, `-z` lists with odd names).
    public var stdoutData: Data

    public init(status: Int32, stdout: String, stderr: String, stdoutData: Data? = nil) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
        self.stdoutData = stdoutData ?? Data(stdout.utf8)
    }
}

/// A command that could not run or exited non-zero.
public struct ShellError: Error, CustomStringConvertible, Sendable {
    public var command: [String]
    public var status: Int32
    public var stderr: String
    public var cwd: String?

    public init(command: [String], status: Int32, stderr: String, cwd: String? = nil) {
        self.command = command
        self.status = status
        self.stderr = stderr
        self.cwd = cwd
    }

    public var description: String {
        let where_ = cwd.map { " (in \($0))" } ?? ""
        let err = stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        return "`\(command.joined(separator: " "))`\(where_) exited with status \(status)"
            + (err.isEmpty ? "" : ": \(err)")
    }
}

/// Runs external programs synchronously. Tests only: git is the oracle.
public enum Shell {
    /// Runs `executable` (looked up on PATH unless it contains a slash) and collects its output.
    /// Output goes to temp files rather than pipes so a chatty child can never block on a full pipe
    /// while we wait for it, and no helper threads are needed.
    @discardableResult
    public static func run(
        _ executable: String,
        _ args: [String],
        cwd: String? = nil,
        env: [String: String] = [:],
        stdin: String? = nil
    ) throws -> ShellResult {
        try run(executable, args, cwd: cwd, environment: ProcessInfo.processInfo.environment.merging(env) { $1 },
                stdin: stdin.map { Data($0.utf8) })
    }

    /// Runs `git` with the isolated test environment and returns its stdout minus one trailing newline.
    /// Throws `ShellError` on a non-zero exit.
    @discardableResult
    public static func git(_ args: [String], cwd: String) throws -> String {
        let result = try runGit(args, cwd: cwd)
        guard result.status == 0 else {
            throw ShellError(command: ["git"] + args, status: result.status, stderr: result.stderr, cwd: cwd)
        }
        return trimmingOneNewline(result.stdout)
    }

    /// Runs `git` with the isolated test environment without judging its exit status.
    public static func runGit(_ args: [String], cwd: String, stdin: String? = nil) throws -> ShellResult {
        try run("git", args, cwd: cwd, environment: gitEnvironment, stdin: stdin.map { Data($0.utf8) })
    }

    /// Like `runGit(_:cwd:stdin:)` with binary input (a fast-import stream, say).
    public static func runGit(_ args: [String], cwd: String, input: Data) throws -> ShellResult {
        try run("git", args, cwd: cwd, environment: gitEnvironment, stdin: input)
    }

    /// The environment every git invocation gets: no user or system config, fixed identity and dates,
    /// a private HOME, and none of the caller's GIT_* variables (a hook running the tests sets GIT_DIR).
    public static let gitEnvironment: [String: String] = {
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GIT_") }
        let home = isolatedHome
        env["HOME"] = home
        env["XDG_CONFIG_HOME"] = home + "/.config" // git reads attributes/ignore from here even with GIT_CONFIG_GLOBAL
        env["GIT_CONFIG_GLOBAL"] = "/dev/null"
        env["GIT_CONFIG_NOSYSTEM"] = "1"
        env["GIT_AUTHOR_NAME"] = "Test"
        env["GIT_AUTHOR_EMAIL"] = "test@example.com"
        env["GIT_COMMITTER_NAME"] = "Test"
        env["GIT_COMMITTER_EMAIL"] = "test@example.com"
        env["GIT_AUTHOR_DATE"] = "2024-01-01T00:00:00Z"
        env["GIT_COMMITTER_DATE"] = "2024-01-01T00:00:00Z"
        env["GIT_TERMINAL_PROMPT"] = "0"
        env["GIT_MERGE_AUTOEDIT"] = "no"
        env["GIT_EDITOR"] = "true"
        env["GIT_PAGER"] = "cat"
        env["LC_ALL"] = "C"
        return env
    }()

    private static let isolatedHome: String = {
        let path = (NSTemporaryDirectory() as NSString)
            .appendingPathComponent("gorch-test-home-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        atexit { Shell.removeIsolatedHome() } // one per test process; don't litter the temp dir
        return path
    }()

    private static func removeIsolatedHome() {
        try? FileManager.default.removeItem(atPath: isolatedHome)
    }

    /// Finds an executable on `PATH` (from `environment`, else this process's).
    public static func which(_ name: String, environment: [String: String]? = nil) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        let path = (environment ?? ProcessInfo.processInfo.environment)["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") where !dir.isEmpty {
            let candidate = String(dir) + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static func trimmingOneNewline(_ s: String) -> String {
        var s = s
        if s.hasSuffix("\n") { s.removeLast() } // "\r\n" is one Character, which is fine for git's output too
        return s
    }

    /// `runOnce`, retried while the executable is "Text file busy" (ETXTBSY): a script written a
    /// moment ago (FakeTools) cannot be executed while a process another test forked at that
    /// moment still holds its write descriptor, which lasts only until that child execs.
    private static func run(
        _ executable: String,
        _ args: [String],
        cwd: String?,
        environment: [String: String],
        stdin: Data?
    ) throws -> ShellResult {
        var attempts = 0
        while true {
            do {
                return try runOnce(executable, args, cwd: cwd, environment: environment, stdin: stdin)
            } catch let error as ShellError where error.status == -1 && error.stderr.contains("Text file busy") && attempts < 100 {
                attempts += 1
                usleep(20_000)
            }
        }
    }

    private static func runOnce(
        _ executable: String,
        _ args: [String],
        cwd: String?,
        environment: [String: String],
        stdin: Data?
    ) throws -> ShellResult {
        let command = [executable] + args
        guard let path = which(executable, environment: environment) else {
            throw ShellError(command: command, status: -1, stderr: "\(executable): not found on PATH", cwd: cwd)
        }
        let scratch = try ScratchFiles()
        defer { scratch.remove() }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = args
        process.environment = environment
        if let cwd { process.currentDirectoryURL = URL(fileURLWithPath: cwd, isDirectory: true) }

        var timedOut = false
        let out = try scratch.handleForWriting(scratch.out)
        let err = try scratch.handleForWriting(scratch.err)
        defer { try? out.close(); try? err.close() }
        process.standardOutput = out
        process.standardError = err
        if let stdin {
            try stdin.write(to: URL(fileURLWithPath: scratch.input))
            guard let input = FileHandle(forReadingAtPath: scratch.input) else {
                throw ShellError(command: command, status: -1, stderr: "cannot open stdin file", cwd: cwd)
            }
            defer { try? input.close() }
            process.standardInput = input
            timedOut = try !launch(process, command: command, cwd: cwd)
        } else {
            process.standardInput = FileHandle.nullDevice
            timedOut = try !launch(process, command: command, cwd: cwd)
        }

        let outData = (try? Data(contentsOf: URL(fileURLWithPath: scratch.out))) ?? Data()
        let errData = (try? Data(contentsOf: URL(fileURLWithPath: scratch.err))) ?? Data()
        if timedOut {
            throw ShellError(command: command, status: 128 + SIGKILL, stderr: "killed after \(Int(ProcessDeadline.seconds)) s "
                             + "(ProcessDeadline); its stderr: " + String(decoding: errData, as: UTF8.self), cwd: cwd)
        }
        // A signal death is reported like a shell does, so it can't be mistaken for a normal exit code.
        let status = process.terminationReason == .uncaughtSignal
            ? 128 + process.terminationStatus : process.terminationStatus
        return ShellResult(
            status: status,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self),
            stdoutData: outData
        )
    }

    /// Waits on a semaphore signalled by the termination handler: corelibs' `waitUntilExit()`
    /// polls the run loop every 50 ms, which made each git call cost ~40 ms instead of ~4.
    /// False when the process outlived its deadline and was killed (ProcessDeadline).
    private static func launch(_ process: Process, command: [String], cwd: String?) throws -> Bool {
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        do {
            try process.run()
        } catch {
            throw ShellError(command: command, status: -1, stderr: "cannot launch: \(error)", cwd: cwd)
        }
        return ProcessDeadline.wait(for: process, signalled: exited)
    }
}

/// Three temp files (stdin, stdout, stderr) for one process run.
private struct ScratchFiles {
    let out: String
    let err: String
    let input: String

    init() throws {
        let base = (NSTemporaryDirectory() as NSString).appendingPathComponent("gorch-shell-\(UUID().uuidString)")
        out = base + ".out"
        err = base + ".err"
        input = base + ".in"
    }

    func handleForWriting(_ path: String) throws -> FileHandle {
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw ShellError(command: [], status: -1, stderr: "cannot create \(path)")
        }
        return handle
    }

    func remove() {
        for path in [out, err, input] { try? FileManager.default.removeItem(atPath: path) }
    }
}
