import Foundation

/// A plain-HTTP server that answers every request but /health with 401 and
/// `WWW-Authenticate: Basic`, logging each request's path and Authorization header, one a line.
/// Exits when the test process is gone; stopped (SIGTERM, then SIGKILL) on `stop()` or deinit.
public final class UnauthorizedHTTPServer: @unchecked Sendable {
    public let port: Int
    public let directory: TempDirectory
    private let server: ServerProcess

    private static let script = """
        import http.server, os, sys, threading, time
        parent = os.getppid()
        def watch():
            while os.getppid() == parent:
                time.sleep(0.5)
            os._exit(0)
        threading.Thread(target=watch, daemon=True).start()
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path == '/health':
                    self.send_response(200); self.send_header('Content-Length', '0'); self.end_headers(); return
                with open(sys.argv[2], 'a') as log:
                    log.write(self.path + ' ' + (self.headers.get('Authorization') or '-') + '\\n')
                self.send_response(401)
                self.send_header('WWW-Authenticate', 'Basic realm="gorch-test"')
                self.send_header('Content-Length', '0')
                self.end_headers()
            do_POST = do_GET
            def log_message(self, *args):
                pass
        http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), Handler).serve_forever()
        """

    public init() async throws {
        directory = try TempDirectory(label: "http-401")
        port = try AgentMailServer.freePort()
        server = try ServerProcess(
            executable: Shell.which("python3") ?? "/usr/bin/python3",
            arguments: ["-c", Self.script, String(port), directory.path + "/requests.log"],
            environment: ProcessInfo.processInfo.environment, directory: directory.path,
            logPath: directory.path + "/server.log")
        try await server.waitUntilAnswering(URL(string: "http://127.0.0.1:\(port)/health")!, timeout: .seconds(60),
                                            name: "the 401 HTTP server")
    }

    deinit { stop() }

    public func stop() { server.stop() }

    /// "path authorization" per request received (the header, or "-").
    public var requests: [String] {
        ((try? String(contentsOfFile: directory.path + "/requests.log", encoding: .utf8)) ?? "")
            .split(separator: "\n").map(String.init)
    }
}
