import Foundation
import GorchTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// MCP Agent Mail configured but not usable: refusing the token (HTTP 401), or too slow to
/// answer. Reservations are advisory and optional, so gorch goes on with its embedded store and
/// says why, as it does when the server is down (AgentMailFlowTests.fallbackWhenDown); the token
/// is never printed.
@Suite("bad input: Agent Mail", .timeLimit(.minutes(20)))
struct BadInputAgentMailTests {
    /// A tiny HTTP server answering every request with 401 (python3, standard library only).
    final class RefusingServer {
        let process = Process()
        let port: Int
        let directory: TempDirectory

        init() throws {
            directory = try TempDirectory(label: "am-401")
            port = try AgentMailServer.freePort()
            let script = """
                import http.server, sys
                class H(http.server.BaseHTTPRequestHandler):
                    def answer(self):
                        self.rfile.read(int(self.headers.get('Content-Length') or 0))
                        self.send_response(401)
                        self.send_header('Content-Type', 'application/json')
                        self.end_headers()
                        self.wfile.write(b'{"detail":"Unauthorized"}')
                    do_POST = answer
                    do_GET = answer
                    def log_message(self, *args): pass
                server = http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), H)
                open(sys.argv[2], 'w').close()
                server.serve_forever()
                """
            process.executableURL = URL(fileURLWithPath: Shell.which("python3") ?? "/usr/bin/python3")
            process.arguments = ["-c", script, String(port), directory.path + "/ready"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Bounded wait for the socket (not a timing assertion).
            for _ in 0..<200 where !FileManager.default.fileExists(atPath: directory.path + "/ready") {
                usleep(50_000)
            }
        }

        var url: String { "http://127.0.0.1:\(port)/mcp/" }

        /// SIGKILL: the test runner may leave SIGTERM ignored, and children inherit that.
        deinit {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    static let token = "tok-\(UUID().uuidString)"

    /// start (with a file scope, so it reserves) and doctor with Agent Mail at `url`.
    static func check(url: String, reason: String, extraConfig: [String: String] = [:], label: String = #function) throws {
        let project = try TaskProject(label: label)
        for (key, value) in extraConfig { try project.repo.git("config", key, value) }
        try project.gorch("add", "one", "--files", "app/*")
        try project.gorch("add", "two", "--files", "app/config.txt")
        let environment = ["GORCH_AGENT_MAIL_URL": url, "GORCH_AGENT_MAIL_TOKEN": token]
        let one = try runGorch(["start", "one", "--json"], cwd: project.path, environment: environment)
        #expect(one.status == 0, "\(one.stdout) \(one.stderr)")
        let warnings = try #require(try jsonDocument(one)["warnings"] as? [String])
        #expect(warnings.contains { $0.contains(url) && $0.contains(reason) && $0.contains("embedded store") }, "\(warnings)")
        // The embedded store still enforces the reservation.
        let two = try runGorch(["start", "two"], cwd: project.path, environment: environment)
        #expect(two.status == 1 && two.stderr.contains("reserved by others"), "\(two.stderr)")
        let doctor = try runGorch(["doctor", "--json"], cwd: project.path, environment: environment)
        let checks = try #require(try jsonDocument(doctor)["checks"] as? [[String: Any]])
        let mail = try #require(checks.first { $0["name"] as? String == "agent-mail" })
        #expect(mail["status"] as? String == "warning")
        #expect((mail["detail"] as? String)?.contains(reason) == true, "\(mail)")
        for result in [one, two, doctor] { #expect(!(result.stdout + result.stderr).contains(token)) }
        let logs = BadInputSnapshot.files(under: project.path + "/.git/gorch", skipping: [])
        #expect(!logs.values.contains { String(decoding: $0, as: UTF8.self).contains(token) })
    }

    @Test("401: start goes on with the embedded store and a warning naming the rejected token; doctor warns; the token is not printed")
    func unauthorized() throws {
        let server = try RefusingServer()
        try Self.check(url: server.url, reason: "HTTP 401/403")
        withExtendedLifetime(server) {}
    }

    @Test("a server that accepts connections but never answers: given up at gorch.agentMail.timeout, then the same fallback")
    func slow() throws {
        let silent = try TCPListener()
        let url = "http://127.0.0.1:\(silent.port)/mcp/"
        try Self.check(url: url, reason: "unreachable", extraConfig: ["gorch.agentMail.timeout": "1s"])
        withExtendedLifetime(silent) {}
    }

    @Test("connection refused on a free port: the same fallback (AgentMailFlowTests covers start and doctor; this adds done)")
    func down() throws {
        let project = try TaskProject()
        let url = "http://127.0.0.1:\(try AgentMailServer.freePort())/mcp/"
        let environment = ["GORCH_AGENT_MAIL_URL": url, "GORCH_AGENT_MAIL_TOKEN": Self.token]
        try project.gorch("add", "one", "--files", "one.txt")
        #expect(try runGorch(["start", "one"], cwd: project.path, environment: environment).status == 0)
        try project.commit(in: project.worktree("one"), ["one.txt": "1\n"], message: "one")
        let done = try runGorch(["done", "one", "--json"], cwd: project.path, environment: environment)
        #expect(done.status == 0, "\(done.stdout) \(done.stderr)")
        #expect(try project.state("one") == "ready")
        #expect(!(done.stdout + done.stderr).contains(Self.token))
    }
}
