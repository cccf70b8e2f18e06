import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A real MCP Agent Mail server (PyPI `mcp-agent-mail`, 0.1.0) on a free 127.0.0.1 port, with
/// its own temporary storage and database, for tests of the Agent Mail client.
///
/// The Python comes from `AGENT_MAIL_PYTHON`, else `.build/agentmail/bin/python`, else
/// `.build-G/agentmail/bin/python` under the package root (`.ci/run` creates `.build/agentmail`).
/// Without one, `start` throws: tests that need the server fail, they are not skipped.
/// The server exits when `stop()` is called, when this object goes away, or when the test
/// process dies (it watches its parent).
public final class AgentMailServer: @unchecked Sendable {
    /// The MCP JSON-RPC endpoint, `http://127.0.0.1:<port>/mcp/`.
    public let url: URL
    public let token: String
    public let port: Int
    /// The server's stdout and stderr.
    public let logPath: String

    private let server: ServerProcess
    private let directory: TempDirectory

    public struct StartError: Error, CustomStringConvertible {
        public let description: String
    }

    private init(url: URL, token: String, port: Int, server: ServerProcess, directory: TempDirectory) {
        self.url = url
        self.token = token
        self.port = port
        self.logPath = server.logPath
        self.server = server
        self.directory = directory
    }

    deinit { stop() }

    /// One server for the whole test process, started on first use (token "secret").
    public static func shared() async throws -> AgentMailServer {
        try await sharedServer.value
    }

    private static let sharedServer = Task { try await AgentMailServer.start() }

    /// Starts a server and waits (up to `readyTimeout`) until it answers.
    public static func start(token: String = "secret", readyTimeout: Duration = .seconds(60)) async throws -> AgentMailServer {
        let python = try locatePython()
        let directory = try TempDirectory(label: "agentmail")
        let port = try freePort()
        var environment = ProcessInfo.processInfo.environment
        environment["STORAGE_ROOT"] = directory.path + "/store"
        environment["DATABASE_URL"] = "sqlite+aiosqlite:///\(directory.path)/mail.sqlite3"
        environment["HTTP_BEARER_TOKEN"] = token
        // 0.1.0 defaults let 127.0.0.1 in without the token; tests must see the token checked.
        environment["HTTP_ALLOW_LOCALHOST_UNAUTHENTICATED"] = "false"
        // ...and with that off, RBAC would give the bearer token the read-only role.
        environment["HTTP_RBAC_ENABLED"] = "false"
        environment["LLM_ENABLED"] = "false"
        environment["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"
        environment["TOOLS_LOG_ENABLED"] = "false"
        environment["PYTHONUNBUFFERED"] = "1"
        // The working directory is the temporary one: no stray .env is read.
        let process = try ServerProcess(
            executable: python, arguments: ["-c", bootstrap, String(port)], environment: environment,
            directory: directory.path, logPath: directory.path + "/server.log")

        let url = URL(string: "http://127.0.0.1:\(port)/mcp/")!
        let server = AgentMailServer(url: url, token: token, port: port, server: process, directory: directory)
        try await process.waitUntilAnswering(
            URL(string: "http://127.0.0.1:\(port)/health/liveness")!, timeout: readyTimeout, name: "the Agent Mail server")
        // 0.1.0 creates its storage git repository on first use and races when several
        // first calls arrive at once (InvalidGitRepositoryError): make that first use here.
        guard await server.warmUp() else {
            server.stop()
            throw StartError(description: "the Agent Mail server answered but ensure_project failed; log:\n\(server.logTail())")
        }
        return server
    }

    /// Stops the server (SIGTERM, then SIGKILL after 2 s) and removes its storage. Harmless twice.
    public func stop() {
        server.stop()
        directory.remove()
    }

    /// The last lines of the server's log, for failure messages.
    public func logTail(lines: Int = 30) -> String {
        server.logTail(lines: lines)
    }

    /// The venv's python, or an error saying how to make one.
    static func locatePython() throws -> String {
        let fm = FileManager.default
        if let explicit = ProcessInfo.processInfo.environment["AGENT_MAIL_PYTHON"], !explicit.isEmpty {
            guard fm.isExecutableFile(atPath: explicit) else {
                throw StartError(description: "AGENT_MAIL_PYTHON=\(explicit) is not an executable file")
            }
            return explicit
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path
        let candidates = [".build/agentmail/bin/python", ".build-G/agentmail/bin/python"].map { root + "/" + $0 }
        if let found = candidates.first(where: fm.isExecutableFile(atPath:)) { return found }
        throw StartError(description: """
            MCP Agent Mail is not installed for the tests: none of \(candidates.joined(separator: ", ")) exists \
            and AGENT_MAIL_PYTHON is not set. Run .ci/run, or: python3 -m venv .build/agentmail && \
            .build/agentmail/bin/pip install mcp-agent-mail
            """)
    }

    /// Serves HTTP on argv[1]; as soon as its parent (the test process) is gone, removes its
    /// directory (the working directory) and exits.
    private static let bootstrap = """
        import os, shutil, sys, threading, time
        parent = os.getppid()
        def watch():
            while os.getppid() == parent:
                time.sleep(0.5)
            shutil.rmtree(os.getcwd(), ignore_errors=True)
            os._exit(0)
        threading.Thread(target=watch, daemon=True).start()
        from mcp_agent_mail.cli import app
        app(['serve-http', '--host', '127.0.0.1', '--port', sys.argv[1]])
        """

    /// One `ensure_project` call over plain JSON-RPC (no MCP handshake).
    private func warmUp() async -> Bool {
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.timeoutInterval = 30
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("application/json, text/event-stream", forHTTPHeaderField: "Accept")
        request.httpBody = Data("""
            {"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"ensure_project","arguments":{"human_key":"gorch-warm-up"}}}
            """.utf8)
        guard let (data, response) = try? await URLSession.shared.data(for: request),
            (response as? HTTPURLResponse)?.statusCode == 200
        else { return false }
        return String(decoding: data, as: UTF8.self).contains("\"isError\":false")
    }

    /// A TCP port on 127.0.0.1 that nothing listened on a moment ago.
    public static func freePort() throws -> Int {
        let listener = try TCPListener()
        return listener.port
    }
}

/// A TCP socket listening on 127.0.0.1 that never accepts: connections complete (the kernel
/// queues them) but no byte is ever answered. Closed when this object goes away.
public final class TCPListener: @unchecked Sendable {
    public let port: Int
    private let fd: Int32

    public init() throws {
        #if canImport(Glibc)
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw AgentMailServer.StartError(description: "socket() failed: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(fd, socketAddress, length) == 0 && listen(fd, 16) == 0
                    && getsockname(fd, socketAddress, &length) == 0
            }
        }
        guard bound else {
            close(fd)
            throw AgentMailServer.StartError(description: "cannot listen on 127.0.0.1: errno \(errno)")
        }
        self.fd = fd
        self.port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(fd) }
}
