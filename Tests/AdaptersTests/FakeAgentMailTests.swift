@testable import Adapters
import Foundation
import GorchTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Contract tests of the fake Agent Mail server (`Tests/Fakes/agent-mail`) over raw HTTP and
/// JSON-RPC, so they pin the wire shapes themselves rather than what AgentMailClient makes of
/// them. One fake per test: each starts in well under a second.
@Suite("Fake Agent Mail server", .timeLimit(.minutes(20)))
struct FakeAgentMailTests {
    /// A raw JSON-RPC caller for one fake.
    struct Wire {
        /// Held so the fake lives as long as its caller (ARC may end a local's life at its last use).
        let server: FakeAgentMailServer
        let url: URL
        let token: String?

        init(_ server: FakeAgentMailServer, url: URL? = nil, token: String?? = nil) {
            self.server = server
            self.url = url ?? server.url
            self.token = token ?? server.token
        }

        /// POSTs `body`; returns the HTTP status, the Content-Type and the body parsed as JSON (nil if empty).
        func post(_ body: [String: Any]) async throws -> (status: Int, contentType: String?, json: Any?) {
            var request = URLRequest(url: url)
            request.httpMethod = "POST"
            request.timeoutInterval = 30
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.setValue("application/json, text/event-stream", forHTTPHeaderField: "Accept")
            if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
            request.httpBody = try JSONSerialization.data(withJSONObject: body)
            let (data, response) = try await URLSession.shared.data(for: request)
            let http = response as! HTTPURLResponse
            let json = data.isEmpty ? nil : try JSONSerialization.jsonObject(with: data)
            return (http.statusCode, http.value(forHTTPHeaderField: "Content-Type"), json)
        }

        /// One JSON-RPC request; returns the whole response object.
        func rpc(_ method: String, _ params: [String: Any] = [:]) async throws -> [String: Any] {
            let answer = try await post(["jsonrpc": "2.0", "id": 1, "method": method, "params": params])
            #expect(answer.status == 200)
            return try #require(answer.json as? [String: Any])
        }

        /// tools/call; returns `result` (content, structuredContent, isError).
        func tool(_ name: String, _ arguments: [String: Any]) async throws -> [String: Any] {
            let response = try await rpc("tools/call", ["name": name, "arguments": arguments])
            return try #require(response["result"] as? [String: Any], "no result in \(response)")
        }

        /// A successful tools/call's structured content, checked against its text twin.
        func ok(_ name: String, _ arguments: [String: Any]) async throws -> [String: Any] {
            let result = try await tool(name, arguments)
            #expect(result["isError"] as? Bool == false, "\(name) failed: \(result)")
            let structured = try #require(result["structuredContent"] as? [String: Any])
            let text = try #require(((result["content"] as? [[String: Any]])?.first)?["text"] as? String)
            let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8))
            // Compared as canonical JSON: Linux Foundation's NSDictionary equality trips over bridged Bools.
            let twin = parsed as? [String: Any] ?? ["result": parsed]
            #expect(try FakeAgentMailTests.canonical(structured) == FakeAgentMailTests.canonical(twin))
            return structured
        }

        /// A failed tools/call's text (the error message, or the error JSON in result-json mode).
        func failure(_ name: String, _ arguments: [String: Any]) async throws -> String {
            let result = try await tool(name, arguments)
            #expect(result["isError"] as? Bool == true, "\(name) succeeded: \(result)")
            return ((result["content"] as? [[String: Any]])?.first)?["text"] as? String ?? ""
        }
    }

    static func canonical(_ object: Any) throws -> Data {
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }

    static func repoPath() -> String { "/tmp/gorch-fake-agentmail/repo-\(UUID().uuidString.prefix(8))" }

    /// A project with agents registered under the given names; returns the names the server chose.
    static func project(_ wire: Wire, agents: [String]) async throws -> (key: String, names: [String], tokens: [String]) {
        let key = repoPath()
        _ = try await wire.ok("ensure_project", ["human_key": key])
        var names: [String] = []
        var tokens: [String] = []
        for agent in agents {
            let registered = try await wire.ok("register_agent", ["project_key": key, "program": "test", "model": "m", "name": agent])
            names.append(try #require(registered["name"] as? String))
            tokens.append(try #require(registered["registration_token"] as? String))
        }
        return (key, names, tokens)
    }

    static func granted(_ result: [String: Any]) -> [String] {
        ((result["granted"] as? [[String: Any]]) ?? []).compactMap { $0["path_pattern"] as? String }
    }

    static func conflicted(_ result: [String: Any]) -> [String] {
        ((result["conflicts"] as? [[String: Any]]) ?? []).compactMap { $0["path"] as? String }
    }

    static func expiry(_ result: [String: Any]) throws -> TimeInterval {
        let first = try #require((result["granted"] as? [[String: Any]])?.first)
        let text = try #require(first["expires_ts"] as? String)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return try #require(formatter.date(from: text)).timeIntervalSinceNow
    }

    // MARK: transport

    @Test func tokenIsRequiredAndCheckedButHealthIsOpen() async throws {
        let server = try await FakeAgentMailServer.start()
        for token in [nil, "wrong"] as [String?] {
            let answer = try await Wire(server, token: .some(token)).post(["jsonrpc": "2.0", "id": 1, "method": "ping"])
            #expect(answer.status == 401)
            #expect((answer.json as? [String: Any])?["detail"] as? String == "Unauthorized")
        }
        for path in ["/health", "/healthz", "/health/liveness", "/health/readiness"] {
            let (_, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(server.port)\(path)")!)
            #expect((response as? HTTPURLResponse)?.statusCode == 200, "\(path)")
        }
        var get = URLRequest(url: server.url)
        get.setValue("Bearer secret", forHTTPHeaderField: "Authorization")
        let (_, response) = try await URLSession.shared.data(for: get)
        #expect((response as? HTTPURLResponse)?.statusCode == 405)
    }

    @Test(arguments: [FakeAgentMailFlavor.rust, .python03])
    func initializeReportsTheServerAndBothPathsWork(flavor: FakeAgentMailFlavor) async throws {
        let server = try await FakeAgentMailServer.start(flavor: flavor)
        for path in ["/mcp/", "/api/", "/mcp", "/api"] {
            let wire = Wire(server, url: URL(string: "http://127.0.0.1:\(server.port)\(path)")!)
            let answer = try await wire.post([
                "jsonrpc": "2.0", "id": 7, "method": "initialize",
                "params": ["protocolVersion": "2025-03-26", "capabilities": [:], "clientInfo": ["name": "t", "version": "1"]],
            ])
            #expect(answer.status == 200)
            #expect(answer.contentType == "application/json")
            let result = try #require((answer.json as? [String: Any])?["result"] as? [String: Any])
            #expect(result["protocolVersion"] as? String == "2025-03-26")
            let info = try #require(result["serverInfo"] as? [String: Any])
            #expect(info["name"] as? String == "mcp-agent-mail")
            #expect(info["version"] as? String == (flavor == .rust ? "0.3.29" : "0.3.2"))
            let notified = try await wire.post(["jsonrpc": "2.0", "method": "notifications/initialized"])
            #expect(notified.status == 202)
            #expect(notified.json == nil)
        }
        let tools = try await Wire(server).rpc("tools/list")
        let names = ((tools["result"] as? [String: Any])?["tools"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(names.contains("file_reservation_paths"))
        #expect(names.contains("check_file_reservation_conflicts") == (flavor == .rust))
        let unknown = try await Wire(server).rpc("tools/call", ["name": "no_such_tool", "arguments": [:]])
        #expect((unknown["error"] as? [String: Any])?["code"] as? Int == -32601)
    }

    @Test func rbacLeavesAStaticTokenOnlyTheReadOnlyTools() async throws {
        let server = try await FakeAgentMailServer.start(environment: ["HTTP_RBAC_ENABLED": "true"])
        let wire = Wire(server)
        _ = try await wire.ok("health_check", [:])
        let answer = try await wire.post(["jsonrpc": "2.0", "id": 1, "method": "tools/call",
                                          "params": ["name": "ensure_project", "arguments": ["human_key": Self.repoPath()]]])
        #expect(answer.status == 403)
        #expect((answer.json as? [String: Any])?["detail"] as? String == "Forbidden")
    }

    // MARK: rust reservations

    @Test func onlyNonConflictingPathsAreGranted() async throws {
        let server = try await FakeAgentMailServer.start()
        let wire = Wire(server)
        let p = try await Self.project(wire, agents: ["BlueLake", "GreenCastle"])
        let a = try await wire.ok("file_reservation_paths", ["project_key": p.key, "agent_name": p.names[0], "paths": ["src/a.txt"]])
        #expect(Self.granted(a) == ["src/a.txt"])
        let b = try await wire.ok("file_reservation_paths", ["project_key": p.key, "agent_name": p.names[1],
                                                              "paths": ["src/a.txt", "src/b.txt"], "reason": "task 2"])
        #expect(Self.granted(b) == ["src/b.txt"])
        #expect(Self.conflicted(b) == ["src/a.txt"])
        let holder = try #require(((b["conflicts"] as? [[String: Any]])?.first?["holders"] as? [[String: Any]])?.first)
        #expect(holder["agent"] as? String == "BlueLake")
        #expect(holder["path_pattern"] as? String == "src/a.txt")
        #expect(holder["exclusive"] as? Bool == true)
        #expect(holder["expires_ts"] is String)
        let grant = try #require((b["granted"] as? [[String: Any]])?.first)
        #expect(grant["id"] is Int && grant["reason"] as? String == "task 2" && grant["exclusive"] as? Bool == true)
    }

    @Test func sharedAndExclusiveRulesAndGlobOverlap() async throws {
        let server = try await FakeAgentMailServer.start()
        let wire = Wire(server)
        let p = try await Self.project(wire, agents: ["BlueLake", "GreenCastle", "RedFox"])
        func reserve(_ agent: Int, _ paths: [String], exclusive: Bool) async throws -> [String: Any] {
            try await wire.ok("file_reservation_paths", ["project_key": p.key, "agent_name": p.names[agent],
                                                          "paths": paths, "exclusive": exclusive])
        }
        #expect(Self.granted(try await reserve(0, ["docs/x.md"], exclusive: false)) == ["docs/x.md"])
        #expect(Self.granted(try await reserve(1, ["docs/x.md"], exclusive: false)) == ["docs/x.md"])  // shared + shared
        #expect(Self.conflicted(try await reserve(2, ["docs/x.md"], exclusive: true)) == ["docs/x.md"])  // exclusive vs shared
        #expect(Self.granted(try await reserve(0, ["src/**"], exclusive: true)) == ["src/**"])
        #expect(Self.conflicted(try await reserve(1, ["src/x.swift"], exclusive: false)) == ["src/x.swift"])  // shared vs exclusive glob
        let disjoint = try await reserve(1, ["lib/y.swift"], exclusive: true)
        #expect(Self.granted(disjoint) == ["lib/y.swift"] && Self.conflicted(disjoint).isEmpty)
    }

    @Test func ttlIsClampedToAMinuteAndAYear() async throws {
        let server = try await FakeAgentMailServer.start()
        let wire = Wire(server)
        let p = try await Self.project(wire, agents: ["BlueLake"])
        let short = try await wire.ok("file_reservation_paths", ["project_key": p.key, "agent_name": p.names[0], "paths": ["a.txt"], "ttl_seconds": 5])
        #expect(abs(try Self.expiry(short) - 60) < 30)
        let long = try await wire.ok("file_reservation_paths", ["project_key": p.key, "agent_name": p.names[0], "paths": ["b.txt"], "ttl_seconds": 315_360_000])
        #expect(abs(try Self.expiry(long) - 31_536_000) < 60)
    }

    @Test func pathListLimitsAreErrors() async throws {
        let server = try await FakeAgentMailServer.start(environment: ["FAKE_AM_ERRORS": "jsonrpc"])
        let wire = Wire(server)
        let p = try await Self.project(wire, agents: ["BlueLake"])
        func errorType(_ paths: [String]) async throws -> String? {
            let response = try await wire.rpc("tools/call", ["name": "file_reservation_paths",
                                                             "arguments": ["project_key": p.key, "agent_name": p.names[0], "paths": paths]])
            let error = try #require(response["error"] as? [String: Any], "no error in \(response)")
            #expect(error["code"] as? Int == -32000)
            return ((error["data"] as? [String: Any])?["error"] as? [String: Any])?["type"] as? String
        }
        #expect(try await errorType((0...200).map { "f\($0).txt" }) == "TOO_MANY_PATHS")
        #expect(try await errorType([]) == "EMPTY_PATHS")
        // The default mode answers with isError and the message as text.
        let plain = Wire(try await FakeAgentMailServer.start())
        let q = try await Self.project(plain, agents: ["BlueLake"])
        let text = try await plain.failure("file_reservation_paths", ["project_key": q.key, "agent_name": q.names[0], "paths": []])
        #expect(text.hasPrefix("paths list cannot be empty"))
    }

    @Test func idempotencyKeyReplaysOrConflicts() async throws {
        let server = try await FakeAgentMailServer.start(environment: ["FAKE_AM_ERRORS": "result-json"])
        let wire = Wire(server)
        let p = try await Self.project(wire, agents: ["BlueLake"])
        let arguments: [String: Any] = ["project_key": p.key, "agent_name": p.names[0], "paths": ["a.txt"], "idempotency_key": "k1"]
        let first = try await wire.ok("file_reservation_paths", arguments)
        let again = try await wire.ok("file_reservation_paths", arguments)
        #expect(again["idempotent_replay"] as? Bool == true)
        #expect(first["idempotent_replay"] == nil)
        #expect(((again["granted"] as? [[String: Any]])?.first?["id"] as? Int) == ((first["granted"] as? [[String: Any]])?.first?["id"] as? Int))
        var changed = arguments
        changed["paths"] = ["b.txt"]
        #expect(try await wire.failure("file_reservation_paths", changed).contains("\"IDEMPOTENCY_KEY_CONFLICT\""))
    }

    @Test func releaseRenewAndCheck() async throws {
        let server = try await FakeAgentMailServer.start()
        let wire = Wire(server)
        let p = try await Self.project(wire, agents: ["BlueLake", "GreenCastle"])
        let mine: [String: Any] = ["project_key": p.key, "agent_name": p.names[0]]
        _ = try await wire.ok("file_reservation_paths", mine.merging(["paths": ["a.txt", "b.txt", "c/**"]]) { $1 })
        let renewed = try await wire.ok("renew_file_reservations", mine.merging(["extend_seconds": 10]) { $1 })
        #expect(renewed["renewed"] as? Int == 3)
        let first = try #require((renewed["file_reservations"] as? [[String: Any]])?.first)
        #expect(first["old_expires_ts"] is String && first["new_expires_ts"] is String && first["path_pattern"] is String)
        let check = try await wire.ok("check_file_reservation_conflicts", ["project_key": p.key, "agent_name": p.names[1],
                                                                           "paths": ["a.txt", "c/d.txt", "e.txt"]])
        #expect(check["conflict_free"] as? Bool == false)
        #expect(Self.conflicted(check) == ["a.txt", "c/d.txt"])
        #expect(check["clear_paths"] as? [String] == ["e.txt"])
        #expect(check["checked_paths"] as? Int == 3)
        #expect((check["own_active"] as? [Any])?.isEmpty == true)
        let byPath = try await wire.ok("release_file_reservations", mine.merging(["paths": ["a.txt"]]) { $1 })
        #expect(byPath["released"] as? Int == 1)
        #expect(byPath["released_at"] is String)
        let rest = try await wire.ok("release_file_reservations", mine)
        #expect(rest["released"] as? Int == 2)
        let clear = try await wire.ok("check_file_reservation_conflicts", ["project_key": p.key, "agent_name": p.names[1], "paths": ["a.txt"]])
        #expect(clear["conflict_free"] as? Bool == true)
    }

    @Test func reservationsSurviveARestart() async throws {
        let server = try await FakeAgentMailServer.start()
        let wire = Wire(server)
        let p = try await Self.project(wire, agents: ["BlueLake", "GreenCastle"])
        _ = try await wire.ok("file_reservation_paths", ["project_key": p.key, "agent_name": p.names[0], "paths": ["a.txt"]])
        try await server.restart()
        let after = try await wire.ok("file_reservation_paths", ["project_key": p.key, "agent_name": p.names[1], "paths": ["a.txt"]])
        #expect(Self.conflicted(after) == ["a.txt"])
    }

    @Test func namesFollowEachFlavorsRule() async throws {
        let rust = Wire(try await FakeAgentMailServer.start())
        let r = try await Self.project(rust, agents: ["bluelake", "worker_42"])
        #expect(r.names[0] == "BlueLake")
        #expect(r.names[1] != "worker_42" && r.names[1].first?.isUppercase == true)
        let python = Wire(try await FakeAgentMailServer.start(flavor: .python03))
        let q = try await Self.project(python, agents: ["worker_42", "alpha-one", "bad name!"])
        #expect(q.names[0] == "worker_42" && q.names[1] == "alpha-one")
        #expect(q.names[2] != "bad name!" && !q.names[2].contains(" "))
    }

    // MARK: python03

    @Test func python03NeedsTokensAndGrantsAdvisorily() async throws {
        let server = try await FakeAgentMailServer.start(flavor: .python03)
        let wire = Wire(server)
        let p = try await Self.project(wire, agents: ["BlueLake", "GreenCastle"])
        let missing = try await wire.failure("file_reservation_paths", ["project_key": p.key, "agent_name": p.names[0], "paths": ["a.txt"]])
        #expect(missing.contains("\"AUTHENTICATION_REQUIRED\""))
        let wrong = try await wire.failure("file_reservation_paths", ["project_key": p.key, "agent_name": p.names[0],
                                                                      "paths": ["a.txt"], "registration_token": p.tokens[1]])
        #expect(wrong.contains("\"AUTHENTICATION_FAILED\""))
        _ = try await wire.ok("file_reservation_paths", ["project_key": p.key, "agent_name": p.names[0], "paths": ["a.txt"],
                                                         "registration_token": p.tokens[0]])
        let both = try await wire.ok("file_reservation_paths", ["project_key": p.key, "agent_name": p.names[1], "paths": ["a.txt"],
                                                                "registration_token": p.tokens[1]])
        #expect(Self.granted(both) == ["a.txt"])
        #expect(Self.conflicted(both) == ["a.txt"])
        let released = try await wire.ok("release_file_reservations", ["project_key": p.key, "agent_name": p.names[1],
                                                                       "registration_token": p.tokens[1]])
        #expect(released["released"] as? Int == 1)
    }

    // MARK: messages

    @Test(arguments: [FakeAgentMailFlavor.rust, .python03])
    func sendMessageAndFetchInbox(flavor: FakeAgentMailFlavor) async throws {
        let server = try await FakeAgentMailServer.start(flavor: flavor)
        let wire = Wire(server)
        let p = try await Self.project(wire, agents: ["BlueLake", "GreenCastle"])
        var send: [String: Any] = ["project_key": p.key, "sender_name": p.names[0], "to": [p.names[1]],
                                   "subject": "hello", "body_md": "**hi**"]
        if flavor == .python03 {
            #expect(try await wire.failure("send_message", send).contains("AUTHENTICATION_REQUIRED"))
        }
        send["sender_token"] = p.tokens[1]
        _ = try await wire.failure("send_message", send)  // another agent's token is wrong
        send["sender_token"] = p.tokens[0]
        let sent = try await wire.ok("send_message", send)
        #expect(sent["count"] as? Int == 1)
        #expect((sent["deliveries"] as? [Any])?.count == 1)
        var fetch: [String: Any] = ["project_key": p.key, "agent_name": p.names[1], "include_bodies": true]
        if flavor == .python03 { fetch["registration_token"] = p.tokens[1] }
        let inbox = try await wire.ok("fetch_inbox", fetch)
        let item = try #require((inbox["result"] as? [[String: Any]])?.first)
        #expect(item["subject"] as? String == "hello")
        #expect(item["from"] as? String == p.names[0])
        #expect(item["body_md"] as? String == "**hi**")
        #expect(item["kind"] as? String == "to" && item["importance"] as? String == "normal")
        #expect(item["id"] is Int && item["created_ts"] is String && item["ack_required"] as? Bool == false)
    }

    @Test func callLogMasksTokens() async throws {
        let server = try await FakeAgentMailServer.start(flavor: .python03)
        let wire = Wire(server)
        let p = try await Self.project(wire, agents: ["BlueLake"])
        _ = try await wire.ok("fetch_inbox", ["project_key": p.key, "agent_name": p.names[0], "registration_token": p.tokens[0]])
        let last = try #require(server.calls().last)
        #expect(last["tool"] as? String == "fetch_inbox")
        #expect((last["arguments"] as? [String: Any])?["registration_token"] as? String == "***")
        let text = try String(contentsOfFile: server.callLogPath, encoding: .utf8)
        #expect(!text.contains(p.tokens[0]))
    }

    // MARK: gorch's client

    /// AgentMailClient (swift-sdk HTTPClientTransport, streaming off) against the rust flavor.
    @Test func agentMailClientTalksToTheRustFlavor() async throws {
        let server = try await FakeAgentMailServer.start()
        var config = AgentMailConfig(url: server.url, token: server.token)
        // Loose: the client's deadline is wall-clock time, and parallel tests on 2 cores can starve
        // the cooperative pool for minutes; this test is about what is said, not how fast.
        config.timeout = .seconds(600)
        let client = AgentMailClient(config)
        try await client.health()
        let key = Self.repoPath()
        let slug = try await client.ensureProject(humanKey: key)
        #expect(!slug.isEmpty)
        let name = try await client.registerAgent(projectKey: key, name: "BlueLake", taskDescription: "t")
        #expect(name == "BlueLake")
        #expect(server.calls().map { $0["tool"] as? String } == ["health_check", "ensure_project", "register_agent"])
    }
}
