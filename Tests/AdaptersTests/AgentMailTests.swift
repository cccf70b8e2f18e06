@testable import Adapters
import Foundation
import GorchTestSupport
import Testing

/// AgentMailClient against a real mcp-agent-mail 0.1.0 server (one per test process, started on
/// first use), plus endpoints that refuse or never answer. Tests run in parallel, so each one
/// uses its own project and agent names (agent names are global on the server).
@Suite("Agent Mail client", .timeLimit(.minutes(20)))
struct AgentMailTests {
    /// The default bound is loose on purpose: the client's deadline is wall-clock time and parallel
    /// tests on 2 cores can starve the cooperative pool for minutes; tests of timeouts pass their own.
    func client(_ server: AgentMailServer, token: String? = nil, timeout: Duration = .seconds(600)) -> AgentMailClient {
        var config = AgentMailConfig(url: server.url, token: token ?? server.token)
        config.timeout = timeout
        return AgentMailClient(config)
    }

    /// A fresh name of letters and digits (what the server keeps of an agent name).
    static func unique(_ prefix: String) -> String {
        prefix + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(10)
    }

    /// A fresh absolute repository path used as the project's human key.
    static func repoPath() -> String { "/tmp/gorch-agentmail-tests/repo-\(UUID().uuidString.prefix(8))" }

    @Test func healthSucceedsWithTheRightToken() async throws {
        let server = try await AgentMailServer.shared()
        try await client(server).health()
    }

    @Test func thePyPIServerIsThePython01ContractWithoutTokens() async throws {
        let server = try await AgentMailServer.shared()
        let mail = client(server)
        let identity = try await mail.identify()
        #expect(identity.contract == .python01, "\(identity)")
        #expect(!identity.name.isEmpty && !identity.version.isEmpty)
        let project = try await mail.ensureProject(humanKey: Self.repoPath())
        let agent = try await mail.register(projectKey: project, name: Self.unique("Plain"), taskDescription: "t")
        #expect(agent.token == nil)
        // A token given anyway goes only to tools that list the argument: 0.1.0's do not.
        let granted = try await mail.reserve(projectKey: project, agent: agent.name, paths: ["x.txt"], ttlSeconds: 120,
                                             reason: "t", token: "not-a-real-token")
        #expect(granted.conflicts.isEmpty && granted.granted.count == 1)
        #expect(try await mail.release(projectKey: project, agent: agent.name, token: "not-a-real-token") == 1)
    }

    @Test func wrongTokenIsUnauthorizedAndNeverEchoed() async throws {
        let server = try await AgentMailServer.shared()
        let token = "wrongToken-\(UUID().uuidString)"
        let error = await #expect(throws: AgentMailError.self) {
            try await client(server, token: token).health()
        }
        #expect(error == .unauthorized(url: server.url.absoluteString))
        let texts = [error?.message, error?.hint, error?.description, error.map { "\($0)" }].compactMap { $0 }
        for text in texts { #expect(!text.contains(token)) }
        // A missing token is refused the same way.
        var config = AgentMailConfig(url: server.url, token: nil)
        config.timeout = .seconds(600)
        await #expect(throws: AgentMailError.unauthorized(url: server.url.absoluteString)) {
            _ = try await AgentMailClient(config).ensureProject(humanKey: Self.repoPath())
        }
    }

    @Test func closedPortIsUnreachableAtOnce() async throws {
        let port = try AgentMailServer.freePort()
        let url = URL(string: "http://127.0.0.1:\(port)/mcp/")!
        let start = ContinuousClock.now
        let error = await #expect(throws: AgentMailError.self) {
            var config = AgentMailConfig(url: url, token: "secret")
            config.timeout = .seconds(600)  // the refusal must be what ends it, not a starved deadline
            return try await AgentMailClient(config).health()
        }
        guard case .unreachable(let shown, let detail) = error else {
            Issue.record("expected .unreachable, got \(String(describing: error))")
            return
        }
        #expect(shown == url.absoluteString)
        #expect(detail == "connection refused")
        #expect(ContinuousClock.now - start < .seconds(43200))  // refused, not hung: the bound is loose on purpose (parallel tests on 2 cores starve the cooperative pool for minutes)
        #expect(!(error?.description.contains("secret") ?? true))
    }

    @Test func silentEndpointIsUnreachableWithinTheTimeout() async throws {
        let listener = try TCPListener()
        let url = URL(string: "http://127.0.0.1:\(listener.port)/mcp/")!
        var config = AgentMailConfig(url: url, token: "secret")
        config.timeout = .milliseconds(1500)
        let mail = AgentMailClient(config)
        for _ in 0..<2 {  // the second call must not wait on the first one's stuck session
            let start = ContinuousClock.now
            let error = await #expect(throws: AgentMailError.self) { try await mail.health() }
            let elapsed = ContinuousClock.now - start
            guard case .unreachable(_, let detail) = error else {
                Issue.record("expected .unreachable, got \(String(describing: error))")
                return
            }
            #expect(detail == "no answer within 1.5 s")
            #expect(elapsed >= .milliseconds(1400))
            #expect(elapsed < .seconds(43200))  // answered, not hung: loose on purpose (see closedPortIsUnreachableAtOnce)
        }
        withExtendedLifetime(listener) {}
    }

    @Test func ensureProjectReturnsTheSlugOfTheAbsolutePath() async throws {
        let server = try await AgentMailServer.shared()
        let mail = client(server)
        let repo = Self.repoPath()
        let slug = try await mail.ensureProject(humanKey: repo)
        #expect(slug == repo.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).joined(separator: "-"))
        #expect(try await mail.ensureProject(humanKey: repo) == slug)  // idempotent
    }

    @Test func registerAgentKeepsLettersAndDigitsOrLetsTheServerChoose() async throws {
        let server = try await AgentMailServer.shared()
        let mail = client(server)
        let project = try await mail.ensureProject(humanKey: Self.repoPath())
        let id = Self.unique("")
        let named = try await mail.registerAgent(projectKey: project, name: "task-\(id).1", taskDescription: "task \(id)")
        #expect(named == "task\(id)1")
        // Registering again under the same name refreshes the same agent.
        #expect(try await mail.registerAgent(projectKey: project, name: named, taskDescription: "again") == named)
        let generated = try await mail.registerAgent(projectKey: project, name: nil, taskDescription: "anonymous")
        #expect(!generated.isEmpty)
        #expect(generated.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
        let punctuationOnly = try await mail.registerAgent(projectKey: project, name: "--", taskDescription: "")
        #expect(!punctuationOnly.isEmpty)
    }

    @Test func reservationsConflictRenewAndRelease() async throws {
        let server = try await AgentMailServer.shared()
        let mail = client(server)
        let project = try await mail.ensureProject(humanKey: Self.repoPath())
        let first = try await mail.registerAgent(projectKey: project, name: Self.unique("First"), taskDescription: "a")
        let second = try await mail.registerAgent(projectKey: project, name: Self.unique("Second"), taskDescription: "b")

        let mine = try await mail.reserve(
            projectKey: project, agent: first, paths: ["src/*.swift", "README.md"], ttlSeconds: 600, reason: "task a")
        #expect(mine.conflicts.isEmpty)
        #expect(mine.granted.map(\.pathPattern) == ["src/*.swift", "README.md"])
        #expect(mine.granted.allSatisfy { $0.exclusive && $0.id != nil && $0.expires != nil })

        // Overlapping glob: reported, and (advisory) granted all the same.
        let theirs = try await mail.reserve(
            projectKey: project, agent: second, paths: ["src/main.swift", "docs/x.md"], ttlSeconds: 600, reason: "task b")
        #expect(theirs.conflicts == [ReservationConflict(path: "src/main.swift", holders: [first])])
        #expect(theirs.granted.map(\.pathPattern) == ["src/main.swift", "docs/x.md"])

        #expect(try await mail.renew(projectKey: project, agent: first, extendSeconds: 300) == 2)

        #expect(try await mail.release(projectKey: project, agent: first, paths: []) == 0)
        #expect(try await mail.release(projectKey: project, agent: first, paths: ["README.md"]) == 1)
        #expect(try await mail.release(projectKey: project, agent: first) == 1)
        #expect(try await mail.release(projectKey: project, agent: first) == 0)
        #expect(try await mail.renew(projectKey: project, agent: first, extendSeconds: 300) == 0)

        let again = try await mail.reserve(
            projectKey: project, agent: second, paths: ["src/*.swift"], ttlSeconds: 600, reason: "task b")
        #expect(again.conflicts.isEmpty)
        #expect(again.granted.count == 1)

        // Shared (non-exclusive) reservations do not conflict with each other.
        let shared = try await mail.reserve(
            projectKey: project, agent: first, paths: ["docs/*"], ttlSeconds: 600, exclusive: false, reason: "read")
        #expect(shared.granted.map(\.exclusive) == [false])
        let sharedToo = try await mail.reserve(
            projectKey: project, agent: second, paths: ["docs/y.md"], ttlSeconds: 600, exclusive: false, reason: "read")
        #expect(sharedToo.conflicts.isEmpty)
    }

    @Test func emptyPathListsAskNothing() async throws {
        let port = try AgentMailServer.freePort()  // nobody listens: any request would fail
        let mail = AgentMailClient(AgentMailConfig(url: URL(string: "http://127.0.0.1:\(port)/mcp/")!, token: nil))
        let result = try await mail.reserve(projectKey: "p", agent: "a", paths: [], ttlSeconds: 60, reason: "")
        #expect(result.granted.isEmpty && result.conflicts.isEmpty)
        #expect(try await mail.release(projectKey: "p", agent: "a", paths: []) == 0)
    }

    @Test func unknownAgentIsAToolFailure() async throws {
        let server = try await AgentMailServer.shared()
        let mail = client(server)
        let project = try await mail.ensureProject(humanKey: Self.repoPath())
        let ghost = Self.unique("Ghost")
        let error = await #expect(throws: AgentMailError.self) {
            _ = try await mail.reserve(projectKey: project, agent: ghost, paths: ["a"], ttlSeconds: 60, reason: "")
        }
        guard case .toolFailed(let tool, let message) = error else {
            Issue.record("expected .toolFailed, got \(String(describing: error))")
            return
        }
        #expect(tool == "file_reservation_paths")
        #expect(message.contains(ghost))
        // The session survives a tool failure.
        try await mail.health()
    }

    @Test func sentMessageReachesTheRecipientsInbox() async throws {
        let server = try await AgentMailServer.shared()
        let mail = client(server)
        let project = try await mail.ensureProject(humanKey: Self.repoPath())
        let sender = try await mail.registerAgent(projectKey: project, name: Self.unique("Gorch"), taskDescription: "coordinator")
        let recipient = try await mail.registerAgent(projectKey: project, name: Self.unique("Coder"), taskDescription: "task x")
        let subject = "task x ready \(UUID().uuidString.prefix(6))"
        try await mail.sendMessage(
            projectKey: project, sender: sender, to: [recipient], subject: subject, body: "**task/x** is ready to merge")
        let inbox = try await mail.fetchInbox(projectKey: project, agent: recipient)
        let message = try #require(inbox.first { $0.subject == subject })
        #expect(message.from == sender)
        #expect(message.body_md == "**task/x** is ready to merge")
    }

    @Test func messageFromAnUnknownSenderFails() async throws {
        let server = try await AgentMailServer.shared()
        let mail = client(server)
        let project = try await mail.ensureProject(humanKey: Self.repoPath())
        await #expect(throws: AgentMailError.self) {
            try await mail.sendMessage(projectKey: project, sender: Self.unique("Nobody"), to: ["X"], subject: "s", body: "b")
        }
    }
}

/// Decoding and error texts without a server.
@Suite("Agent Mail client offline", .timeLimit(.minutes(20)))
struct AgentMailOfflineTests {
    @Test func displayURLDropsCredentialsAndQuery() {
        let url = URL(string: "http://user:pw@example.com:8765/mcp/?token=abc#x")!
        #expect(AgentMailClient.displayURL(url) == "http://example.com:8765/mcp/")
    }

    @Test func sanitizedAgentNameMatchesTheServer() {
        #expect(AgentMailClient.sanitizedAgentName("task-a.1_b") == "taska1b")
        #expect(AgentMailClient.sanitizedAgentName("é-_") == nil)
        #expect(AgentMailClient.sanitizedAgentName(String(repeating: "a", count: 200))?.count == 128)
    }

    @Test func everyErrorHasAMessageAndAHint() {
        let errors: [AgentMailError] = [
            .unreachable(url: "http://h/mcp/", detail: "connection refused"),
            .unauthorized(url: "http://h/mcp/"),
            .toolFailed(tool: "send_message", message: "boom"),
            .malformed(tool: "ensure_project", detail: "missing key \"slug\""),
        ]
        for error in errors {
            #expect(!error.message.isEmpty && !error.hint.isEmpty)
            #expect(error.description == "\(error.message); \(error.hint)")
        }
    }
}
