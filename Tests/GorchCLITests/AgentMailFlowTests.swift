import Foundation
import GorchTestSupport
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// gorch's reservations and messages through a real MCP Agent Mail server (PyPI mcp-agent-mail,
/// started by the tests on 127.0.0.1), and the embedded fallback when the server is down.
@Suite("Agent Mail: reservations and messages through gorch", .timeLimit(.minutes(20)))
struct AgentMailFlowTests {
    @Test("start reserves the scope on the server, an overlapping start is refused, done messages the coordinator, merge releases")
    func reservationsThroughTheServer() async throws {
        let server = try await AgentMailServer.shared()
        let project = try TaskProject()
        let environment = ["GORCH_AGENT_MAIL_URL": server.url.absoluteString, "GORCH_AGENT_MAIL_TOKEN": server.token]
        func gorch(_ arguments: String...) throws -> ShellResult {
            try runGorch(arguments, cwd: project.path, environment: environment)
        }
        try project.gorch("add", "one", "--files", "app/*")
        try project.gorch("add", "two", "--files", "app/config.txt")
        let one = try gorch("start", "one", "--json")
        #expect(one.status == 0, "\(one.stderr)")
        #expect((try jsonDocument(one)["warnings"] as? [String])?.isEmpty == true)
        let agents = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: project.path + "/.git/gorch/agents.json"))) as? [String: [String: Any]])
        let agentOne = try #require(agents["one"]?["name"] as? String)

        let two = try gorch("start", "two")
        #expect(two.status == 1)
        #expect(two.stderr.contains("reserved by others"))
        #expect(two.stderr.contains(agentOne), "the holder named is the server's agent: \(two.stderr)")
        #expect(!project.exists(".worktrees/wt-two"))

        try project.commit(in: project.worktree("one"), ["app/config.txt": "name = one\n"], message: "one")
        #expect(try gorch("done", "one").status == 0)
        let coordinator = try #require((try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: project.path + "/.git/gorch/agents.json"))) as? [String: [String: Any]])?["@coordinator"]?["name"] as? String)
        let inbox = try await Self.inbox(server, project: project.path, agent: coordinator)
        #expect(inbox.contains { ($0["subject"] as? String)?.contains("one ready") == true }, "\(inbox)")

        #expect(try gorch("merge").status == 0)
        let retry = try gorch("start", "two")
        #expect(retry.status == 0, "released on merge: \(retry.stderr)")
        // The token never shows up in what gorch prints.
        for result in [one, two, retry] { #expect(!(result.stdout + result.stderr).contains(server.token)) }
    }

    @Test("Rust server: a partial grant refuses the start and releases what was granted; the rest stays free")
    func partialGrantIsReleased() async throws {
        let server = try await FakeAgentMailServer.start(flavor: .rust)
        let project = try TaskProject()
        let environment = ["GORCH_AGENT_MAIL_URL": server.url.absoluteString, "GORCH_AGENT_MAIL_TOKEN": server.token ?? ""]
        try project.gorch("add", "one", "--files", "app/*")
        try project.gorch("add", "two", "--files", "app/config.txt,lib/x.txt")
        try project.gorch("add", "three", "--files", "lib/x.txt")
        let path = project.path
        let results = try await offPool { () -> [ShellResult] in
            let one = try runGorch(["start", "one"], cwd: path, environment: environment)
            // The server grants lib/x.txt to two and refuses app/config.txt: two must not start,
            // and must not keep lib/x.txt from three.
            let two = try runGorch(["start", "two"], cwd: path, environment: environment)
            let three = try runGorch(["start", "three", "--json"], cwd: path, environment: environment)
            return [one, two, three]
        }
        #expect(results[0].status == 0, "\(results[0].stderr)")
        #expect(results[1].status == 1)
        #expect(results[1].stderr.contains("app/config.txt"), "\(results[1].stderr)")
        #expect(!FileManager.default.fileExists(atPath: project.path + "/.worktrees/wt-two"))
        #expect(results[2].status == 0, "lib/x.txt was released when two was refused: \(results[2].stderr)")
        let calls = server.calls()
        let granted = calls.filter { $0["tool"] as? String == "file_reservation_paths" }
        #expect(granted.count == 3)
        #expect(calls.contains { $0["tool"] as? String == "release_file_reservations" }, "\(calls)")
    }

    @Test("server down: the same semantics from the embedded store, with a warning, and doctor says so")
    func fallbackWhenDown() throws {
        let project = try TaskProject()
        let port = try AgentMailServer.freePort()
        let environment = ["GORCH_AGENT_MAIL_URL": "http://127.0.0.1:\(port)/mcp/", "GORCH_AGENT_MAIL_TOKEN": "secret"]
        try project.gorch("add", "one", "--files", "app/*")
        try project.gorch("add", "two", "--files", "app/config.txt")
        let one = try runGorch(["start", "one", "--json"], cwd: project.path, environment: environment)
        #expect(one.status == 0)
        let warnings = try #require(try jsonDocument(one)["warnings"] as? [String])
        #expect(warnings.contains { $0.contains("embedded store") })
        let two = try runGorch(["start", "two"], cwd: project.path, environment: environment)
        #expect(two.status == 1)
        #expect(two.stderr.contains("reserved by others"))
        let doctor = try runGorch(["doctor", "--json"], cwd: project.path, environment: environment)
        let checks = try #require(try jsonDocument(doctor)["checks"] as? [[String: Any]])
        let mail = checks.first { $0["name"] as? String == "agent-mail" }
        #expect(mail?["status"] as? String == "warning")
        #expect(!(doctor.stdout + doctor.stderr + one.stdout + two.stderr).contains("secret"))
    }

    /// The agent's inbox, read with a plain JSON-RPC `tools/call` (no handshake needed).
    static func inbox(_ server: AgentMailServer, project: String, agent: String) async throws -> [[String: Any]] {
        var request = URLRequest(url: server.url)
        request.httpMethod = "POST"
        request.setValue("Bearer \(server.token)", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("application/json, text/event-stream", forHTTPHeaderField: "Accept")
        let body: [String: Any] = ["jsonrpc": "2.0", "id": 1, "method": "tools/call",
                                   "params": ["name": "fetch_inbox",
                                              "arguments": ["project_key": project, "agent_name": agent, "include_bodies": true]]]
        request.httpBody = try JSONSerialization.data(withJSONObject: body)
        let (data, _) = try await URLSession.shared.data(for: request)
        let reply = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let result = try #require(reply["result"] as? [String: Any], "\(String(decoding: data, as: UTF8.self))")
        if let structured = result["structuredContent"] as? [String: Any], let items = structured["result"] as? [[String: Any]] {
            return items
        }
        let text = (result["content"] as? [[String: Any]])?.first?["text"] as? String ?? "[]"
        return (try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]]) ?? []
    }
}
