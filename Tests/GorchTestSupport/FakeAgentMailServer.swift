import Foundation

/// Which Agent Mail server `Tests/Fakes/agent-mail` plays.
public enum FakeAgentMailFlavor: String, Sendable {
    /// mcp_agent_mail_rust v0.3.29: only non-conflicting paths are granted, TTL clamped, no tokens on reservations.
    case rust
    /// The Python server 0.3.x: advisory grants, registration tokens required.
    case python03
}

/// The fake MCP Agent Mail server (`Tests/Fakes/agent-mail`) on a free 127.0.0.1 port, with its
/// own storage, for contract tests. Starts in well under a second, unlike the real server.
///
/// RBAC is off unless `environment` turns it on (`HTTP_RBAC_ENABLED`), as for the real server in
/// `AgentMailServer`: with it on, a static bearer token only reaches the read-only tools.
/// The server exits when `stop()` is called, when this object goes away, or when the test process
/// dies (it watches its parent). `restart()` starts it again on the same port and storage.
public final class FakeAgentMailServer: @unchecked Sendable {
    /// The MCP endpoint, `http://127.0.0.1:<port>/mcp/` (`path` chooses another, e.g. `/api/`).
    public let url: URL
    public let token: String?
    public let port: Int
    public let flavor: FakeAgentMailFlavor
    /// The server's stdout and stderr (all runs).
    public let logPath: String
    /// One JSON line per tools/call, `{"tool", "arguments"}`, token values shown as `***`.
    public let callLogPath: String

    private let directory: TempDirectory
    private let environment: [String: String]
    private let lock = NSLock()
    private var server: ServerProcess?

    private init(url: URL, token: String?, port: Int, flavor: FakeAgentMailFlavor, directory: TempDirectory,
                 environment: [String: String]) {
        self.url = url
        self.token = token
        self.port = port
        self.flavor = flavor
        self.directory = directory
        self.environment = environment
        logPath = directory.path + "/server.log"
        callLogPath = directory.path + "/calls.jsonl"
    }

    deinit { stop() }

    /// Starts a fake and waits (up to `readyTimeout`: generous, as parallel tests on 2 cores can
    /// starve the cooperative pool that runs the readiness poll) until its health route answers.
    /// `token` nil: no bearer token is required. `environment` adds or overrides variables
    /// (`FAKE_AM_ERRORS`, `HTTP_RBAC_ENABLED`, `HTTP_ALLOW_LOCALHOST_UNAUTHENTICATED`).
    public static func start(
        flavor: FakeAgentMailFlavor = .rust, token: String? = "secret", path: String = "/mcp/",
        environment: [String: String] = [:], readyTimeout: Duration = .seconds(120)
    ) async throws -> FakeAgentMailServer {
        let directory = try TempDirectory(label: "fake-agentmail")
        let port = try AgentMailServer.freePort()
        var env = ProcessInfo.processInfo.environment.filter { key, _ in
            !key.hasPrefix("FAKE_AM_") && !key.hasPrefix("HTTP_")
        }
        env["STORAGE_ROOT"] = directory.path + "/store"
        env["HTTP_BEARER_TOKEN"] = token
        env["HTTP_ALLOW_LOCALHOST_UNAUTHENTICATED"] = "false"
        env["HTTP_RBAC_ENABLED"] = "false"
        env["FAKE_AM_LOG"] = directory.path + "/calls.jsonl"
        env.merge(environment) { $1 }
        let server = FakeAgentMailServer(
            url: URL(string: "http://127.0.0.1:\(port)\(path)")!, token: token, port: port, flavor: flavor,
            directory: directory, environment: env)
        try await server.launch(readyTimeout: readyTimeout)
        return server
    }

    /// Stops the server (SIGTERM, then SIGKILL after 2 s) and starts it again with the same
    /// port, storage and settings.
    public func restart(readyTimeout: Duration = .seconds(120)) async throws {
        swapServer(nil)?.stop()
        try await launch(readyTimeout: readyTimeout)
    }

    /// Stops the server; its storage stays until this object goes away. Harmless twice.
    public func stop() {
        lock.withLock { server }?.stop()
    }

    /// The last lines of the server's log, for failure messages.
    public func logTail(lines: Int = 30) -> String {
        ServerProcess.tail(of: logPath, lines: lines)
    }

    /// The logged tools/call entries, oldest first.
    public func calls() -> [[String: Any]] {
        guard let text = try? String(contentsOfFile: callLogPath, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    /// Installs `new` as the running process and returns the previous one.
    private func swapServer(_ new: ServerProcess?) -> ServerProcess? {
        lock.withLock {
            let old = server
            server = new
            return old
        }
    }

    private func launch(readyTimeout: Duration) async throws {
        let process = try ServerProcess(
            executable: FakeTools.python,
            arguments: ["-S", FakeTools.fakesDirectory + "/agent-mail", "serve", "--port", String(port),
                        "--host", "127.0.0.1", "--flavor", flavor.rawValue],
            environment: environment, directory: directory.path, logPath: logPath)
        swapServer(process)?.stop()
        try await process.waitUntilAnswering(
            URL(string: "http://127.0.0.1:\(port)/health/liveness")!, timeout: readyTimeout,
            name: "the fake Agent Mail server")
    }
}
