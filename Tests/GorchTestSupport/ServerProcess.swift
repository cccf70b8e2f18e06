import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A test HTTP server running as a child process, its output in a log file: what the real and
/// the fake Agent Mail launchers share (start, readiness polling, log tail, stop).
final class ServerProcess: @unchecked Sendable {
    let process: Process
    let logPath: String
    private let lock = NSLock()
    private var stopped = false

    /// Starts `executable` with stdin closed and stdout and stderr appended to `logPath`.
    init(executable: String, arguments: [String], environment: [String: String], directory: String, logPath: String) throws {
        if !FileManager.default.fileExists(atPath: logPath) {
            _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        }
        guard let log = FileHandle(forWritingAtPath: logPath) else {
            throw AgentMailServer.StartError(description: "cannot write the server log \(logPath)")
        }
        defer { try? log.close() }
        log.seekToEndOfFile()  // a restarted server keeps the earlier run's lines
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory, isDirectory: true)
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = log
        process.standardError = log
        do {
            try process.run()
        } catch {
            throw AgentMailServer.StartError(description: "cannot start \(executable): \(error)")
        }
        self.process = process
        self.logPath = logPath
    }

    deinit { stop() }

    /// Polls `url` until it answers 200, asking about every 100 ms for `timeout`'s worth of
    /// attempts; throws with the log tail when the process exits first or the attempts run out
    /// (and stops it then). Attempts, not a wall-clock deadline: parallel tests on 2 cores can
    /// starve the cooperative pool that runs this loop for minutes, and a server that was never
    /// asked has not failed to answer.
    func waitUntilAnswering(_ url: URL, timeout: Duration, name: String) async throws {
        let attempts = max(1, Int(timeout / .milliseconds(100)))
        for _ in 0..<attempts {
            guard process.isRunning else {
                throw AgentMailServer.StartError(
                    description: "\(name) exited during start-up (status \(process.terminationStatus)); log:\n\(logTail())")
            }
            if await Self.answers(url) { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        stop()
        throw AgentMailServer.StartError(description: "\(name) did not answer in \(attempts) attempts over at least \(timeout); log:\n\(logTail())")
    }

    /// SIGTERM, then SIGKILL after 2 s. Harmless twice.
    func stop() {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        stopped = true
        if process.isRunning {
            process.terminate()
            let deadline = Date().addingTimeInterval(2)
            while process.isRunning && Date() < deadline { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
    }

    /// The last lines of the log, for failure messages.
    func logTail(lines: Int = 30) -> String {
        Self.tail(of: logPath, lines: lines)
    }

    /// The last `lines` lines of a text file.
    static func tail(of logPath: String, lines: Int) -> String {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "(no log)"
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }

    static func answers(_ url: URL) async -> Bool {
        var request = URLRequest(url: url)
        request.timeoutInterval = 1
        guard let (_, response) = try? await URLSession.shared.data(for: request) else { return false }
        return (response as? HTTPURLResponse)?.statusCode == 200
    }
}
