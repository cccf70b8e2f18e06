import Adapters
import Foundation
import GorchTestSupport
import Testing

/// A repository directory with `bd init` done by the fake, and a client on it.
struct BeadsFixture {
    let fakes: FakeTools
    let repo: TempDirectory
    let client: BeadsClient

    init(era: FakeBeadsEra, environment: [String: String] = [:], configure: (inout BeadsConfig) -> Void = { _ in }) throws {
        fakes = try FakeTools(era: era, include: [.bd])
        repo = try TempDirectory(label: "beads-\(era.rawValue)")
        try fakes.run(.bd, ["init", "--prefix", "t", "--quiet"], cwd: repo.path)
        try fakes.clearLog()
        var config = BeadsConfig(workingDirectory: repo.path)
        config.environment = fakes.environment.merging(environment) { $1 }
        configure(&config)
        client = BeadsClient(config)
    }

    var jsonl: String { repo.path + "/.beads/issues.jsonl" }
}

@Suite(.timeLimit(.minutes(20))) struct BeadsClientTests {
    static let eras: [FakeBeadsEra] = [.legacy, .dolt]

    func thrown<E: Error>(_ type: E.Type, _ body: () async throws -> Void) async -> E? {
        do {
            try await body()
            return nil
        } catch let error as E {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    @Test(arguments: eras) func versionGivesTheEraAndNeverProbesSync(era: FakeBeadsEra) async throws {
        let fixture = try BeadsFixture(era: era)
        #expect(fixture.client.isInstalled)
        let (version, detected) = try await fixture.client.version()
        #expect(version == (era == .legacy ? "0.49.6" : "1.0.5"))
        #expect(detected.rawValue == era.rawValue)
        #expect(fixture.fakes.calls(.bd) == [["version"]])
    }

    @Test func notInstalledWhenBdIsNotOnPath() async throws {
        var config = BeadsConfig(workingDirectory: "/")
        config.environment = ["PATH": "/nonexistent"]
        let client = BeadsClient(config)
        #expect(!client.isInstalled)
        let error = await thrown(ToolError.self) { _ = try await client.list() }
        #expect(error?.kind == .notFound)
    }

    @Test(arguments: eras) func createListReadyShowRoundTrip(era: FakeBeadsEra) async throws {
        let fixture = try BeadsFixture(era: era)
        let client = fixture.client
        let created = try await client.create(title: "Worktree pool: -x --json 'quoted'", description: "See change add-pool",
                                              type: "feature", priority: 1, labels: ["openspec:add-pool", "task:1.1"])
        #expect(created.title == "Worktree pool: -x --json 'quoted'")
        #expect(created.description == "See change add-pool")
        #expect(created.issue_type == "feature")
        #expect(created.priority == 1)
        #expect(created.status == "open")
        #expect(created.labels == ["openspec:add-pool", "task:1.1"])
        #expect(created.created_by == "tester")
        #expect(!created.created_at.isEmpty && !created.updated_at.isEmpty)

        let listed = try await client.list()
        #expect(listed.map(\.id) == [created.id])
        #expect(listed.first?.labels == created.labels)
        let ready = try await client.ready()
        #expect(ready.map(\.id) == [created.id])
        let shown = try await client.show([created.id])
        #expect(shown.count == 1)
        #expect(shown.first?.title == created.title)
        #expect(shown.first?.description == created.description)
        #expect(shown.first?.labels == created.labels)
        #expect(try await client.show([]) == [])

        // `bd version` (asked once, for the era's label flag) is the only call without --json.
        let calls = fixture.fakes.calls(.bd)
        #expect(calls.filter { $0 != ["version"] }.allSatisfy { $0.last == "--json" })
        #expect(calls.filter { $0 == ["version"] }.count == 1)
        #expect(calls.first { $0.first == "create" }?.contains("--title=Worktree pool: -x --json 'quoted'") == true)
    }

    @Test(arguments: eras) func listAndReadyAlwaysPassLimitZero(era: FakeBeadsEra) async throws {
        let fixture = try BeadsFixture(era: era)
        for n in 1...60 {
            _ = try await fixture.client.create(title: "Issue \(n)", priority: n % 5)
        }
        #expect(try await fixture.client.list().count == 60)
        #expect(try await fixture.client.ready().count == 60)
        let reads = fixture.fakes.calls(.bd).filter { $0.first == "list" || $0.first == "ready" }
        #expect(reads.count == 2)
        #expect(reads.allSatisfy { $0.starts(with: [$0[0], "--limit", "0"]) })
    }

    @Test(arguments: eras) func claimAndItsConflicts(era: FakeBeadsEra) async throws {
        let fixture = try BeadsFixture(era: era)
        let client = fixture.client
        let issue = try await client.create(title: "Claim me")
        let claimed = try await client.claim(issue.id, actor: "alice")
        #expect(claimed.id == issue.id)
        #expect(claimed.status == "in_progress")
        #expect(claimed.assignee == "alice")
        #expect(fixture.fakes.calls(.bd).last == ["update", issue.id, "--claim", "--actor=alice", "--json"])

        let again = try await client.claim(issue.id, actor: "alice")           // same actor: idempotent
        #expect(again.assignee == "alice")
        let conflict = await thrown(BeadsError.self) { _ = try await client.claim(issue.id, actor: "bob") }
        #expect(conflict == .alreadyClaimed(by: "alice"))
        #expect(try await client.ready().isEmpty)

        let closed = try await client.create(title: "Done already")
        try await client.close(closed.id, reason: "Not needed")
        let notOpen = await thrown(BeadsError.self) { _ = try await client.claim(closed.id, actor: "bob") }
        #expect(notOpen == .notClaimable(status: "closed"))

        let missing = await thrown(BeadsError.self) { _ = try await client.claim("t-zzzz", actor: "bob") }
        #expect(missing == .notFound("t-zzzz"))
    }

    @Test(arguments: eras) func labelsAddRemoveAndFilter(era: FakeBeadsEra) async throws {
        let fixture = try BeadsFixture(era: era)
        let client = fixture.client
        let a = try await client.create(title: "A", labels: ["gorch:failed"])
        let b = try await client.create(title: "B")
        try await client.update(a.id, addLabels: ["gorch:ready"], removeLabels: ["gorch:failed", "gorch:conflicted"],
                                appendNotes: "gorch: validation passed")
        try await client.update(a.id, appendNotes: "second note")
        #expect(try await client.list(labels: ["gorch:ready"]).map(\.id) == [a.id])
        #expect(try await client.ready(labels: ["gorch:ready"]).map(\.id) == [a.id])
        #expect(try await client.list(labels: ["gorch:failed"]).isEmpty)
        let shown = try #require(try await client.show([a.id, b.id]).first { $0.id == a.id })
        #expect(shown.labels == ["gorch:ready"])
        #expect(shown.notes == "gorch: validation passed\nsecond note")

        try fixture.fakes.clearLog()
        try await client.update(b.id)                                           // nothing to change: no call
        #expect(fixture.fakes.calls(.bd).isEmpty)
        try await client.update(b.id, status: "in_progress")
        #expect(try await client.list(status: ["in_progress"]).map(\.id) == [b.id])
    }

    @Test(arguments: eras) func closeKeepsItsReasonAndIsIdempotent(era: FakeBeadsEra) async throws {
        let fixture = try BeadsFixture(era: era)
        let client = fixture.client
        let issue = try await client.create(title: "Merge me")
        try await client.close(issue.id, reason: "Merged in abc1234 (task/x)")
        try await client.close(issue.id, reason: "again")                       // bd exits 1: already closed
        let shown = try #require(try await client.show([issue.id]).first)
        #expect(shown.status == "closed")
        #expect(shown.close_reason == "Merged in abc1234 (task/x)")
        #expect(shown.closed_at != nil)
        #expect(try await client.list().isEmpty)                               // bd hides closed by default
        #expect(try await client.list(all: true).map(\.id) == [issue.id])
        #expect(try await client.list(status: ["closed"]).map(\.id) == [issue.id])
    }

    @Test(arguments: eras) func dependenciesInBothForms(era: FakeBeadsEra) async throws {
        let fixture = try BeadsFixture(era: era)
        let client = fixture.client
        let first = try await client.create(title: "First")
        let second = try await client.create(title: "Second")
        try await client.addDependency(second.id, dependsOn: first.id)
        #expect(try await client.ready().map(\.id) == [first.id])

        let listed = try #require(try await client.list().first { $0.id == second.id })
        let edge = try #require(listed.dependencies?.first)                    // edge record
        #expect(edge.issueID == second.id && edge.dependsOnID == first.id && edge.type == "blocks")
        #expect(edge.target == first.id)

        let shown = try #require(try await client.show([second.id]).first)
        let full = try #require(shown.dependencies?.first)                     // full issue + dependency_type
        #expect(full.id == first.id && full.type == "blocks" && full.status == "open" && full.title == "First")
        #expect(full.target == first.id)

        try await client.close(first.id, reason: "done")
        #expect(try await client.ready().map(\.id) == [second.id])

        let epic = try await client.create(title: "Epic", type: "epic")
        let child = try await client.create(title: "Child", parent: epic.id)
        #expect(child.id == epic.id + ".1")
        #expect(try await client.list().first { $0.id == child.id }?.parent == epic.id)
    }

    @Test func unknownIssueIsNotFound() async throws {
        let fixture = try BeadsFixture(era: .dolt)
        let error = await thrown(BeadsError.self) { _ = try await fixture.client.show(["t-nope"]) }
        #expect(error == .notFound("t-nope"))
        let update = await thrown(BeadsError.self) { try await fixture.client.update("t-nope", status: "open") }
        #expect(update == .notFound("t-nope"))
    }

    @Test func legacySyncWritesTheJSONL() async throws {
        let fixture = try BeadsFixture(era: .legacy)
        let issue = try await fixture.client.create(title: "Synced")
        try await fixture.client.sync()
        let text = try String(contentsOfFile: fixture.jsonl, encoding: .utf8)
        #expect(text.contains("\"id\":\"\(issue.id)\""))
        #expect(fixture.fakes.calls(.bd).last == ["sync", "--json"])
        let export = await thrown(ToolError.self) { try await fixture.client.export(to: fixture.jsonl) }
        #expect(export?.kind == .failed(exitCode: 1))
        #expect(export?.message.contains("unknown command \"export\"") == true)
    }

    @Test func doltExportWritesTheJSONLAndSyncIsGone() async throws {
        let fixture = try BeadsFixture(era: .dolt)
        let issue = try await fixture.client.create(title: "Exported")
        #expect(!FileManager.default.fileExists(atPath: fixture.jsonl))
        try await fixture.client.export(to: fixture.jsonl)
        let text = try String(contentsOfFile: fixture.jsonl, encoding: .utf8)
        #expect(text.contains("\"id\":\"\(issue.id)\""))
        let sync = await thrown(ToolError.self) { try await fixture.client.sync() }
        #expect(sync?.kind == .failed(exitCode: 1))
        #expect(sync?.message.contains("`bd sync --json` failed") == true)
        #expect(sync?.message.contains("unknown command \"sync\"") == true)
    }

    @Test func envelopedJSONIsUnwrapped() async throws {
        let fixture = try BeadsFixture(era: .dolt, environment: ["BD_JSON_ENVELOPE": "1"])
        let issue = try await fixture.client.create(title: "Wrapped")
        #expect(issue.title == "Wrapped")
        #expect(try await fixture.client.list().map(\.id) == [issue.id])
        #expect(try await fixture.client.show([issue.id]).map(\.id) == [issue.id])
    }

    @Test func garbageOutputNamesTheCommandAndShowsIt() async throws {
        let fixture = try BeadsFixture(era: .dolt, environment: ["FAKE_BD_GARBAGE": "1"])
        let error = await thrown(ToolError.self) { _ = try await fixture.client.list() }
        #expect(error?.kind == .undecodable)
        #expect(error?.message.contains("`bd list --limit 0 --json`") == true)
        #expect(error?.message.contains("this is not JSON {{{") == true)
    }

    @Test func bdErrorsCarryBdsMessage() async throws {
        let fixture = try BeadsFixture(era: .dolt, environment: ["FAKE_BD_FAIL": "create"])
        let error = await thrown(ToolError.self) { _ = try await fixture.client.create(title: "x") }
        #expect(error?.kind == .failed(exitCode: 1))
        #expect(error?.message.contains("injected failure for create (FAKE_BD_FAIL)") == true)
        #expect(error?.message.contains("{") == false)                      // bd's words, not its JSON
    }

    @Test func configuredActorIsPassed() async throws {
        let fixture = try BeadsFixture(era: .dolt) { $0.actor = "carol" }
        let issue = try await fixture.client.create(title: "By carol")
        #expect(issue.created_by == "carol")
        #expect(fixture.fakes.calls(.bd).last?.contains("--actor=carol") == true)
        let claimed = try await fixture.client.claim(issue.id, actor: "dave")  // the claim's actor wins
        #expect(claimed.assignee == "dave")
    }

    @Test(arguments: eras) func parallelCallsAreSerialisedAndAllSucceed(era: FakeBeadsEra) async throws {
        let lock = try TempDirectory(label: "bd-lock")
        let fixture = try BeadsFixture(era: era) { $0.lockPath = lock.path + "/gorch/bd.lock" }
        let ids = try await withThrowingTaskGroup(of: String.self) { group in
            for n in 1...8 {
                group.addTask { try await fixture.client.create(title: "Parallel \(n)").id }
            }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(ids.count == 8)
        #expect(Set(ids).count == 8)
        #expect(try await fixture.client.list().count == 8)
    }

    @Test func anotherProcessHoldingTheLockMakesCallsWait() async throws {
        let lock = try TempDirectory(label: "bd-lock")
        let lockPath = lock.path + "/bd.lock"
        let fixture = try BeadsFixture(era: .dolt) {
            $0.lockPath = lockPath
            $0.timeout = .seconds(20)
        }
        // flock locks belong to the open file description: this descriptor stands in for another process.
        let held = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        #expect(held >= 0 && flock(held, LOCK_EX) == 0)
        let call = Task { try await fixture.client.list() }
        try await Task.sleep(for: .milliseconds(400))
        #expect(fixture.fakes.calls(.bd).isEmpty)                             // bd not started yet
        flock(held, LOCK_UN)
        close(held)
        #expect(try await call.value.isEmpty)
        #expect(fixture.fakes.calls(.bd).count == 1)
    }

    @Test func lockWaitIsBoundedByTheTimeout() async throws {
        let lock = try TempDirectory(label: "bd-lock")
        let lockPath = lock.path + "/bd.lock"
        let fixture = try BeadsFixture(era: .dolt) {
            $0.lockPath = lockPath
            $0.timeout = .milliseconds(300)
        }
        let held = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        defer { close(held) }
        #expect(flock(held, LOCK_EX) == 0)
        let error = await thrown(ToolError.self) { _ = try await fixture.client.list() }
        #expect(error?.kind == .timedOut)
        #expect(error?.message.contains("waiting for the bd lock \(lockPath)") == true)
        #expect(fixture.fakes.calls(.bd).isEmpty)
    }
}
