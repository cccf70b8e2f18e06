import Foundation
import GorchTestSupport
import Testing

/// A stand-in Agent Mail on 127.0.0.1 that answers every request HTTP 401 and records the
/// Authorization header it got (so a test knows gorch did send the token it then must not show).
final class RejectingServer: @unchecked Sendable {
    let process = Process()
    let port: Int
    private let directory: TempDirectory

    static let script = """
        import http.server, sys
        class Handler(http.server.BaseHTTPRequestHandler):
            def answer(self):
                with open(sys.argv[1], "a") as f:
                    f.write(self.headers.get("Authorization", "-") + "\\n")
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.send_response(401)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", "25")
                self.end_headers()
                self.wfile.write(b'{"detail":"Unauthorized"}')
            do_POST = do_GET = do_DELETE = answer
            def log_message(self, *args):
                pass
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        with open(sys.argv[2] + ".tmp", "w") as f:
            f.write(str(server.server_address[1]))
        import os; os.rename(sys.argv[2] + ".tmp", sys.argv[2])
        server.serve_forever()
        """

    init() throws {
        directory = try TempDirectory(label: "rejecting-server")
        let portFile = directory.path + "/port"
        let python = try #require(Shell.which("python3"))
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", Self.script, directory.path + "/headers", portFile]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        #expect(Concurrency.eventually(30) { FileManager.default.fileExists(atPath: portFile) }, "the server did not start")
        port = Int((try? String(contentsOfFile: portFile, encoding: .utf8)) ?? "") ?? 0
    }

    /// Every Authorization header received, in order.
    var headers: [String] {
        ((try? String(contentsOfFile: directory.path + "/headers", encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    deinit {
        // SIGKILL: the test process blocks SIGTERM, and its children inherit the blocked mask.
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}

/// The Agent Mail bearer token is never printed, put in JSON, logged, or handed to the commands
/// gorch runs (validation, setup, agents), whether it comes from GORCH_AGENT_MAIL_TOKEN or
/// gorch.agentMail.token, and whether the server is down or refuses it.
@Suite("security: the Agent Mail token", .timeLimit(.minutes(20)))
struct SecurityTokenTests {
    static let token = "tok-SECRET-5e1f0c7d2b"
    static let secrets = [token, "SECRET"]

    /// Every file under `root` (the repository with its worktrees and .git/gorch, the logs,
    /// the validation worktree) that contains `needle`; the git config (where a person wrote the
    /// token) and the object store (nothing secret is committed) are not gorch's output.
    static func filesContaining(_ needle: String, under root: String) -> [String] {
        var found: [String] = []
        let walker = FileManager.default.enumerator(atPath: root)
        while let relative = walker?.nextObject() as? String {
            if relative.hasSuffix(".git/objects") || relative == ".git/config" { walker?.skipDescendants(); continue }
            let path = root + "/" + relative
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
                  let data = FileManager.default.contents(atPath: path) else { continue }
            if data.range(of: Data(needle.utf8)) != nil { found.append(relative) }
        }
        return found
    }

    /// Drives every command that may talk to Agent Mail or run a shell command, with `environment`;
    /// returns all they printed. The validation, setup and agent commands print their environment.
    static func everyCommand(_ project: TaskProject, environment: [String: String]) throws -> [ShellResult] {
        func gorch(_ arguments: String...) throws -> ShellResult {
            try runGorch(arguments, cwd: project.path, environment: environment)
        }
        try project.repo.git("config", "--add", "gorch.setup", "env; echo setup done")
        var results = [try gorch("init"), try gorch("doctor"), try gorch("doctor", "--json")]
        results.append(try gorch("add", "alpha", "--files", "alpha.txt", "--title", "Alpha"))
        results.append(try gorch("add", "bravo", "--files", "bravo.txt", "--json"))
        results.append(try gorch("start", "alpha"))
        results.append(try gorch("start", "bravo", "--json"))
        try project.commit(in: project.worktree("alpha"), ["alpha.txt": "a\n"], message: "alpha")
        results.append(try gorch("done", "alpha", "--json"))
        results.append(try gorch("run", "bravo", "--json", "--", "sh", "-c",
                                 "env; echo b > bravo.txt && git add -A && git commit -qm bravo"))
        results += [try gorch("status"), try gorch("status", "--json")]
        results.append(try gorch("merge", "--validate", "env", "--validate", "echo validated"))
        results.append(try gorch("hook", "post-merge", "0"))
        results += [try gorch("sync", "--json"), try gorch("cleanup", "--json")]
        results.append(try gorch("batch", "--json"))
        return results
    }

    static func expectNoSecret(_ results: [ShellResult], _ project: TaskProject, sourceLocation: SourceLocation = #_sourceLocation) {
        for secret in secrets {
            for result in results {
                #expect(!(result.stdout + result.stderr).contains(secret), "printed: \(result.stdout) \(result.stderr)",
                        sourceLocation: sourceLocation)
            }
            #expect(filesContaining(secret, under: project.path).isEmpty, "written: \(filesContaining(secret, under: project.path))",
                    sourceLocation: sourceLocation)
        }
    }

    /// The runs did happen and were logged (so the absence of the token means something).
    static func expectLogsWritten(_ project: TaskProject, _ results: [ShellResult], sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(results.allSatisfy { $0.status == 0 }, "\(results.filter { $0.status != 0 }.map { $0.stderr })", sourceLocation: sourceLocation)
        let logs = project.path + "/.git/gorch/logs/"
        for (file, marker) in [("alpha.log", "validated"), ("bravo.agent.log", "GORCH_TASK_ID=bravo"), ("alpha.setup.log", "setup done")] {
            let text = (try? String(contentsOfFile: logs + file, encoding: .utf8)) ?? ""
            #expect(text.contains(marker), "\(file): \(text)", sourceLocation: sourceLocation)
            #expect(text.contains("GORCH_WORKTREE="), "\(file) holds the environment", sourceLocation: sourceLocation)
        }
        #expect(try project.state("alpha") == "merged", sourceLocation: sourceLocation)
        #expect(try project.state("bravo") == "merged", sourceLocation: sourceLocation)
    }

    @Test("GORCH_AGENT_MAIL_TOKEN with the server down: not printed, not in JSON, logs or child environments")
    func environmentTokenServerDown() throws {
        let project = try TaskProject()
        let port = try AgentMailServer.freePort()
        let environment = ["GORCH_AGENT_MAIL_URL": "http://127.0.0.1:\(port)/mcp/", "GORCH_AGENT_MAIL_TOKEN": Self.token]
        let results = try Self.everyCommand(project, environment: environment)
        try Self.expectLogsWritten(project, results)
        #expect(results[1].stdout.contains("unreachable"), "doctor names the problem: \(results[1].stdout)")
        Self.expectNoSecret(results, project)
    }

    @Test("gorch.agentMail.token refused by the server (HTTP 401): sent, but never shown or logged")
    func configTokenRejected() throws {
        let server = try RejectingServer()
        let project = try TaskProject()
        try project.repo.git("config", "gorch.agentMail.url", "http://127.0.0.1:\(server.port)/mcp/")
        try project.repo.git("config", "gorch.agentMail.token", Self.token)
        let results = try Self.everyCommand(project, environment: [:])
        try Self.expectLogsWritten(project, results)
        #expect(server.headers.contains("Bearer \(Self.token)"), "gorch sent the configured token: \(server.headers)")
        let doctor = try jsonDocument(results[2])
        let mail = (doctor["checks"] as? [[String: Any]])?.first { $0["name"] as? String == "agent-mail" }
        #expect(mail?["status"] as? String == "warning")
        #expect((mail?["detail"] as? String)?.contains("401") == true, "\(mail ?? [:])")
        Self.expectNoSecret(results, project)
    }

    @Test("Beads mode: bd never gets the token (nor the Agent Mail URL or GORCH_FAULT) in its environment or arguments")
    func trackerToolsNeverGetTheToken() throws {
        let project = try SeedFlowTests.SeedProject(era: .dolt)
        let spy = try TempDirectory(label: "bd-env-spy")
        try FileManager.default.createDirectory(atPath: spy.path + "/bin", withIntermediateDirectories: true)
        try "#!/bin/sh\nenv >> '\(spy.path)/env'\nexec '\(project.fakes.bin)/bd' \"$@\"\n"
            .write(toFile: spy.path + "/bin/bd", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: spy.path + "/bin/bd")
        var environment = project.toolEnvironment
        environment["PATH"] = spy.path + "/bin:" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment["GORCH_AGENT_MAIL_URL"] = "http://127.0.0.1:\(try AgentMailServer.freePort())/mcp/"
        environment["GORCH_AGENT_MAIL_TOKEN"] = Self.token
        environment["GORCH_FAULT"] = "no.such-point"
        var results: [ShellResult] = []
        for arguments in [["populate", SeedFlowTests.change], ["batch", "--yes", "--max", "1"], ["status", "--json"], ["doctor"]] {
            results.append(try runGorch(arguments, cwd: project.path, environment: environment))
        }
        #expect(results.allSatisfy { $0.status == 0 }, "\(results.map(\.stderr))")
        let dumps = (try? String(contentsOfFile: spy.path + "/env", encoding: .utf8)) ?? ""
        #expect(dumps.contains("BD_ACTOR="), "bd ran and its environment was recorded")
        #expect(!dumps.contains(Self.token) && !dumps.contains("GORCH_AGENT_MAIL_TOKEN"), "bd got the token")
        #expect(!dumps.contains("GORCH_AGENT_MAIL_URL") && !dumps.contains("GORCH_FAULT"), "bd got gorch's own variables")
        #expect(!project.fakes.calls(.bd).joined().contains { $0.contains(Self.token) })
        for result in results { #expect(!(result.stdout + result.stderr).contains(Self.token)) }
    }

    @Test("credentials in the Agent Mail URL (user:password@, ?token=) are not shown in warnings or doctor")
    func credentialsInURL() throws {
        let server = try RejectingServer()
        let project = try TaskProject()
        let url = "http://gorch:SECRET-pw@127.0.0.1:\(server.port)/mcp/?token=SECRET-query"
        let environment = ["GORCH_AGENT_MAIL_URL": url]
        try project.gorch("add", "alpha", "--files", "alpha.txt")
        let results = [try runGorch(["doctor"], cwd: project.path, environment: environment),
                       try runGorch(["doctor", "--json"], cwd: project.path, environment: environment),
                       try runGorch(["start", "alpha", "--json"], cwd: project.path, environment: environment)]
        #expect(results[2].status == 0, "\(results[2].stderr)")
        #expect((try jsonDocument(results[2])["warnings"] as? [String])?.contains { $0.contains("127.0.0.1:\(server.port)") } == true,
                "the warning still names the server: \(results[2].stdout)")
        Self.expectNoSecret(results, project)
    }
}
