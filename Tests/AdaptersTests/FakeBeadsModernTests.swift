import Foundation
import GorchTestSupport
import Testing

/// The fake `bd` in its two newer eras (shared/contracts-update.md sections 1 and 2): bd 1.3.0 (`v13`) and
/// beads_rust (`br`), called through `FakeTools.run` the way gorch calls the real tools.
@Suite(.timeLimit(.minutes(20))) struct FakeBeadsModernTests {
    let temp: TempDirectory

    init() throws { temp = try TempDirectory(label: "fake-beads-modern") }

    // MARK: helpers

    /// A project directory named `proj` (so the default id prefix is `proj`) with `bd init` run in it.
    func project(_ tools: FakeTools, name: String = "proj") throws -> String {
        let dir = temp.path + "/" + name
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try ok(tools.run(.bd, ["init", "-q"], cwd: dir))
        return dir
    }

    @discardableResult
    func ok(_ result: ShellResult, sourceLocation: SourceLocation = #_sourceLocation) throws -> ShellResult {
        #expect(result.status == 0, "stdout: \(result.stdout) stderr: \(result.stderr)", sourceLocation: sourceLocation)
        return result
    }

    func json(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    }

    func array(_ text: String) throws -> [[String: Any]] {
        try #require(try json(text) as? [[String: Any]], "not an array: \(text)")
    }

    func object(_ text: String) throws -> [String: Any] {
        try #require(try json(text) as? [String: Any], "not an object: \(text)")
    }

    func ids(_ text: String) throws -> [String] {
        try array(text).map { $0["id"] as? String ?? "?" }
    }

    /// Pretty-printed top-level objects one after the other (br's close on partial failure prints two).
    func documents(_ text: String) throws -> [[String: Any]] {
        try text.components(separatedBy: "\n}\n").filter { !$0.isEmpty }.map { try object($0 + "\n}") }
    }

    func create(_ tools: FakeTools, _ dir: String, _ title: String, _ extra: [String] = []) throws -> String {
        try ok(tools.run(.bd, ["create", title, "--silent"] + extra, cwd: dir)).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func show(_ tools: FakeTools, _ dir: String, _ id: String, env: [String: String] = [:]) throws -> [String: Any] {
        try #require(try array(ok(tools.run(.bd, ["show", id, "--json"], cwd: dir, env: env)).stdout).first)
    }

    /// The issue state the fake keeps, to prove a refused write changed nothing.
    func state(_ dir: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: dir + "/.beads/fake-bd.json"))
    }

    // MARK: version

    @Test func versionPerEra() throws {
        let v13 = try FakeTools(era: .v13, include: [.bd]), br = try FakeTools(era: .br, include: [.bd])
        #expect(try ok(v13.run(.bd, ["version"], cwd: temp.path)).stdout == "bd version 1.3.0 (dev)\n")
        #expect(try ok(v13.run(.bd, ["version", "--json"], cwd: temp.path)).stdout
            == "{\n  \"build\": \"dev\",\n  \"schema_version\": 1,\n  \"version\": \"1.3.0\"\n}\n")

        // br answers as br behind the bd alias, and through its own wrapper.
        #expect(try ok(br.run(.bd, ["version"], cwd: temp.path)).stdout == "br version 0.5.7 (release)\n")
        #expect(try ok(br.run(.br, ["version", "--short"], cwd: temp.path)).stdout == "0.5.7\n")
        let info = try object(try ok(br.run(.br, ["version", "--json"], cwd: temp.path)).stdout)
        #expect(info["version"] as? String == "0.5.7" && info["build"] as? String == "release")
        #expect(info["rust_version"] as? String == "1.90.0")
        #expect(info["target"] as? String == "x86_64-unknown-linux-gnu")
        #expect((info["features"] as? [Any])?.isEmpty == true)
        #expect(info["schema_version"] == nil)
        #expect(br.calls(.bd) == [["version"]])
        #expect(br.calls(.br) == [["version", "--short"], ["version", "--json"]])
        // Only the br era gets a br wrapper.
        #expect(!FileManager.default.fileExists(atPath: v13.bin + "/br"))
    }

    // MARK: v13 errors

    @Test func v13ErrorsGoToStdoutOrStderrByKind() throws {
        let tools = try FakeTools(era: .v13, include: [.bd])
        let dir = try project(tools)
        let id = try create(tools, dir, "t")

        // HandleErrorRespectJSON: stdout, with a hint for not-found, and no code.
        let missing = try tools.run(.bd, ["show", "proj-zzzz", "--json"], cwd: dir)
        #expect(missing.status == 1)
        #expect(missing.stderr.isEmpty)
        let notFound = try object(missing.stdout)
        #expect((notFound["error"] as? String)?.contains("proj-zzzz") == true)
        #expect(notFound["hint"] is String)
        #expect(notFound["schema_version"] as? Int == 1)
        #expect(notFound["code"] == nil)

        try ok(tools.run(.bd, ["update", id, "--claim", "--actor", "agent1", "--json"], cwd: dir))
        let stolen = try tools.run(.bd, ["update", id, "--claim", "--actor", "agent2", "--json"], cwd: dir)
        #expect(stolen.status == 1)
        #expect(try object(stolen.stdout)["error"] as? String == "issue already claimed by agent1")

        // HandleErrorWithHint: usage-style errors on stderr.
        for args in [["update", id, "--json"], ["update", id, "--frobnicate", "--json"]] {
            let usage = try tools.run(.bd, args, cwd: dir)
            #expect(usage.status == 1)
            #expect(usage.stdout.isEmpty)
            let error = try object(usage.stderr)
            #expect(error["error"] is String && error["code"] == nil)
            #expect(error["schema_version"] as? Int == 1)
        }
        #expect(try object(tools.run(.bd, ["update", id, "--json"], cwd: dir).stderr)["error"] as? String
            == "no updates specified")
    }

    // MARK: v13 migration freeze

    @Test func freezeRefusesEveryWriteAndKeepsReads() throws {
        let tools = try FakeTools(era: .v13, include: [.bd])
        let dir = try project(tools)
        let a = try create(tools, dir, "a"), b = try create(tools, dir, "b")
        try ok(tools.run(.bd, ["update", b, "--claim", "--json"], cwd: dir))
        let before = try state(dir)
        try Data().write(to: URL(fileURLWithPath: dir + "/.beads/MIGRATION-FREEZE"))
        let writes: [[String]] = [
            ["create", "x", "--json"], ["update", a, "--status", "blocked", "--json"], ["close", a, "--json"],
            ["dep", "add", a, b, "--json"], ["heartbeat", b, "--json"], ["reclaim", "--older-than", "0s", "--json"],
            ["lease", "disarm", "--json"], ["sync", "--json"], ["init", "--json"], ["ready", "--claim", "--json"],
            ["config", "set", "lease.auto", "off"], ["dolt", "remote", "add", "origin", "file:///x"],
        ]
        for args in writes {
            let refused = try tools.run(.bd, args, cwd: dir)
            #expect(refused.status == 14, "\(args)")
            #expect(refused.stderr == "⛔ workspace is frozen for migration\n", "\(args)")
            #expect(refused.stdout.isEmpty, "\(args)")
        }
        #expect(try state(dir) == before)

        #expect(try ids(ok(tools.run(.bd, ["ready", "--json"], cwd: dir)).stdout) == [a])
        #expect(try Set(ids(ok(tools.run(.bd, ["list", "--json"], cwd: dir)).stdout)) == [a, b])
        try ok(tools.run(.bd, ["show", a, "--json"], cwd: dir))
        try ok(tools.run(.bd, ["version", "--json"], cwd: dir))
        try ok(tools.run(.bd, ["export", "-o", ".beads/issues.jsonl"], cwd: dir))
        #expect(try ok(tools.run(.bd, ["dolt", "remote", "list", "--json"], cwd: dir)).stdout == "[]\n")
        #expect(try state(dir) == before)

        // From the cwd or any ancestor of it, or named by BD_MIGRATION_FREEZE_FILE.
        try FileManager.default.removeItem(atPath: dir + "/.beads/MIGRATION-FREEZE")
        let sub = dir + "/src/deep"
        try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: true)
        try ok(tools.run(.bd, ["create", "y", "--json"], cwd: sub))
        try Data().write(to: URL(fileURLWithPath: dir + "/src/MIGRATION-FREEZE"))
        #expect(try tools.run(.bd, ["create", "z", "--json"], cwd: sub).status == 14)
        try ok(tools.run(.bd, ["create", "z", "--json"], cwd: dir)) // a sibling's freeze file does not apply
        let elsewhere = temp.path + "/freeze-flag"
        try Data().write(to: URL(fileURLWithPath: elsewhere))
        #expect(try tools.run(.bd, ["close", a], cwd: dir, env: ["BD_MIGRATION_FREEZE_FILE": elsewhere]).status == 14)
        #expect(try tools.run(.bd, ["close", a], cwd: dir,
                              env: ["BD_MIGRATION_FREEZE_FILE": temp.path + "/absent"]).status == 0)
    }

    // MARK: v13 leases

    @Test func claimStampsALeaseThatHeartbeatsMoveAndReclaimReverts() throws {
        let tools = try FakeTools(era: .v13, include: [.bd])
        let dir = try project(tools)
        let id = try create(tools, dir, "leased")
        let t0 = ["FAKE_BD_NOW": "2026-09-20T10:00:00Z", "FAKE_BD_LEASE_TTL": "60"]
        let claimed = try array(ok(tools.run(.bd, ["update", id, "--claim", "--actor", "w1", "--json"], cwd: dir,
                                             env: t0)).stdout)
        #expect(claimed.first?["lease_expires_at"] as? String == "2026-09-20T10:01:00Z")
        #expect(claimed.first?["heartbeat_at"] as? String == "2026-09-20T10:00:00Z")
        let listed = try array(ok(tools.run(.bd, ["list", "--json"], cwd: dir)).stdout)
        #expect(listed.first?["lease_expires_at"] as? String == "2026-09-20T10:01:00Z")

        // Only the holder may heartbeat; a heartbeat moves the lease forward.
        let t30 = ["FAKE_BD_NOW": "2026-09-20T10:00:30Z", "FAKE_BD_LEASE_TTL": "60"]
        let foreign = try tools.run(.bd, ["heartbeat", id, "--actor", "w2", "--json"], cwd: dir, env: t30)
        #expect(foreign.status == 1)
        #expect((try object(foreign.stdout)["error"] as? String)?.contains("claimed by w1") == true)
        let beat = try object(try ok(tools.run(.bd, ["hb", id, "--actor", "w1", "--json"], cwd: dir, env: t30)).stdout)
        #expect(beat["lease_expires_at"] as? String == "2026-09-20T10:01:30Z")
        #expect(beat["heartbeat_at"] as? String == "2026-09-20T10:00:30Z")
        #expect(try show(tools, dir, id)["lease_expires_at"] as? String == "2026-09-20T10:01:30Z")

        // Reclaim takes only leases expired at least --older-than ago.
        let early = try ok(tools.run(.bd, ["reclaim", "--older-than", "0s", "--json"], cwd: dir,
                                     env: ["FAKE_BD_NOW": "2026-09-20T10:01:00Z"]))
        #expect(try object(early.stdout)["reclaimed"] as? [String] == [])
        let late = try ok(tools.run(.bd, ["reclaim", "--json"], cwd: dir, env: ["FAKE_BD_NOW": "2026-09-20T10:05:00Z"]))
        #expect(try object(late.stdout)["reclaimed"] as? [String] == []) // default --older-than 10m
        let reclaimed = try object(try ok(tools.run(.bd, ["reclaim", "--older-than", "0s", "--json"], cwd: dir,
                                                    env: ["FAKE_BD_NOW": "2026-09-20T10:05:00Z"])).stdout)
        #expect(reclaimed["reclaimed"] as? [String] == [id])
        #expect(reclaimed["schema_version"] as? Int == 1)
        let reverted = try show(tools, dir, id)
        #expect(reverted["status"] as? String == "open")
        #expect(reverted["assignee"] == nil && reverted["lease_expires_at"] == nil && reverted["heartbeat_at"] == nil)
        let lost = try tools.run(.bd, ["heartbeat", id, "--actor", "w1", "--json"], cwd: dir)
        #expect(lost.status == 1)
        #expect((try object(lost.stdout)["error"] as? String)?.contains("reclaimed or the issue is closed") == true)

        // --lease-ttl on the claim wins over the environment; a real clock works too.
        let ttl = try array(ok(tools.run(.bd, ["update", id, "--claim", "--lease-ttl", "2m", "--json"], cwd: dir,
                                         env: t0)).stdout)
        #expect(ttl.first?["lease_expires_at"] as? String == "2026-09-20T10:02:00Z")
        try ok(tools.run(.bd, ["close", id, "--json"], cwd: dir)) // closing drops the lease
        #expect(try show(tools, dir, id)["lease_expires_at"] == nil)
        let short = try create(tools, dir, "short")
        try ok(tools.run(.bd, ["update", short, "--claim", "--json"], cwd: dir, env: ["FAKE_BD_LEASE_TTL": "1"]))
        Thread.sleep(forTimeInterval: 2.1)
        #expect(try object(ok(tools.run(.bd, ["reclaim", "--older-than", "0s", "--json"], cwd: dir)).stdout)["reclaimed"]
            as? [String] == [short])
    }

    @Test func disarmedLeasesCannotBeHeartbeatedUntilReArmed() throws {
        let tools = try FakeTools(era: .v13, include: [.bd])
        let dir = try project(tools)
        let a = try create(tools, dir, "a"), b = try create(tools, dir, "b")
        try ok(tools.run(.bd, ["update", a, "--claim", "--json"], cwd: dir))
        #expect(try show(tools, dir, a)["lease_expires_at"] is String)

        let disarmed = try object(try ok(tools.run(.bd, ["lease", "disarm", "--json"], cwd: dir)).stdout)
        #expect(disarmed["cleared"] as? [String] == [a])
        let kept = try show(tools, dir, a)
        #expect(kept["status"] as? String == "in_progress" && kept["assignee"] as? String == "tester")
        #expect(kept["lease_expires_at"] == nil && kept["heartbeat_at"] == nil)
        let noLease = try tools.run(.bd, ["heartbeat", a, "--json"], cwd: dir)
        #expect(noLease.status == 1)
        #expect((try object(noLease.stdout)["error"] as? String)?.contains("no lease") == true)
        let unleased = try array(ok(tools.run(.bd, ["update", b, "--claim", "--json"], cwd: dir)).stdout)
        #expect(unleased.first?["lease_expires_at"] == nil)
        // Reclaim never takes an unleased claim.
        #expect(try object(ok(tools.run(.bd, ["reclaim", "--older-than", "0s", "--json"], cwd: dir)).stdout)["reclaimed"]
            as? [String] == [])

        try ok(tools.run(.bd, ["config", "set", "lease.auto", "on"], cwd: dir))
        let c = try create(tools, dir, "c")
        #expect(try array(ok(tools.run(.bd, ["update", c, "--claim", "--json"], cwd: dir)).stdout).first?["lease_expires_at"]
            is String)
    }

    // MARK: v13 update guards

    @Test func notesAreNotSilentlyReplaced() throws {
        let tools = try FakeTools(era: .v13, include: [.bd])
        let dir = try project(tools)
        let id = try create(tools, dir, "t", ["--notes", "first"])
        let refused = try tools.run(.bd, ["update", id, "--notes", "second", "--json"], cwd: dir)
        #expect(refused.status == 1)
        #expect((try object(refused.stdout)["error"] as? String)?.contains("--force") == true)
        #expect(try show(tools, dir, id)["notes"] as? String == "first")
        try ok(tools.run(.bd, ["update", id, "--notes", "first", "--json"], cwd: dir)) // same text: no conflict

        let empty = try tools.run(.bd, ["update", id, "--notes", "", "--force", "--json"], cwd: dir)
        #expect(empty.status == 1)
        #expect((try object(empty.stdout)["error"] as? String)?.contains("--clear-notes") == true)

        try ok(tools.run(.bd, ["update", id, "--append-notes", "more", "--json"], cwd: dir))
        #expect(try show(tools, dir, id)["notes"] as? String == "first\nmore")
        try ok(tools.run(.bd, ["update", id, "--notes", "second", "--force", "--json"], cwd: dir))
        #expect(try show(tools, dir, id)["notes"] as? String == "second")
        try ok(tools.run(.bd, ["update", id, "--clear-notes", "--json"], cwd: dir))
        #expect(try show(tools, dir, id)["notes"] == nil)
        try ok(tools.run(.bd, ["update", id, "--notes", "fresh", "--json"], cwd: dir)) // empty notes: no guard
    }

    @Test func closingByUpdateFollowsTheClosePolicy() throws {
        let tools = try FakeTools(era: .v13, include: [.bd])
        let dir = try project(tools)
        let epic = try create(tools, dir, "epic", ["-t", "epic"])
        let child = try create(tools, dir, "child", ["--parent", epic])
        let blocker = try create(tools, dir, "blocker")
        let blocked = try create(tools, dir, "blocked", ["--deps", blocker])

        for id in [epic, blocked] {
            let refused = try tools.run(.bd, ["update", id, "--status", "closed", "--json"], cwd: dir)
            #expect(refused.status == 1)
            #expect((try object(refused.stdout)["error"] as? String)?.contains("--force") == true)
            #expect(try show(tools, dir, id)["status"] as? String == "open")
        }
        try ok(tools.run(.bd, ["update", blocked, "--status", "closed", "--force", "--json"], cwd: dir))
        try ok(tools.run(.bd, ["close", child, "--json"], cwd: dir))
        try ok(tools.run(.bd, ["update", epic, "--status", "closed", "--json"], cwd: dir))
    }

    // MARK: close

    @Test func v13CloseReportsFailuresOnOneStderrLine() throws {
        let tools = try FakeTools(era: .v13, include: [.bd])
        let dir = try project(tools)
        let a = try create(tools, dir, "a"), b = try create(tools, dir, "b")
        try ok(tools.run(.bd, ["close", a, "-r", "first", "--json"], cwd: dir))

        let partial = try tools.run(.bd, ["close", a, "proj-nope", b, "-r", "again", "-r", "x", "-r", "done", "--json"],
                                    cwd: dir)
        #expect(partial.status == 1)
        let closed = try array(partial.stdout)
        #expect(closed.compactMap { $0["id"] as? String } == [a, b])
        #expect(closed[0]["close_reason"] as? String == "first") // already closed: a success, unchanged
        #expect(closed[1]["close_reason"] as? String == "done") // reasons map to the ids by position
        let lines = partial.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        let report = try object(String(lines[0]))
        let failed = try #require(report["failed"] as? [[String: Any]])
        #expect(failed.count == 1)
        #expect(failed[0]["id"] as? String == "proj-nope")
        #expect((failed[0]["error"] as? String)?.contains("proj-nope") == true)

        let again = try ok(tools.run(.bd, ["close", a, b, "--json"], cwd: dir))
        #expect(try ids(again.stdout) == [a, b])
        #expect(again.stderr.isEmpty)
        let mismatch = try tools.run(.bd, ["close", a, b, "proj-nope", "-r", "1", "-r", "2", "--json"], cwd: dir)
        #expect(mismatch.status == 1 && mismatch.stdout.isEmpty)
    }

    @Test func brCloseSkipsClosedIdsAndAddsAnIncompleteDocument() throws {
        let tools = try FakeTools(era: .br, include: [.bd])
        let dir = try project(tools)
        let a = try create(tools, dir, "a"), b = try create(tools, dir, "b")
        let first = try object(try ok(tools.run(.bd, ["close", a, "-r", "done", "--json"], cwd: dir)).stdout)
        #expect((first["closed"] as? [[String: Any]])?.first?["close_reason"] as? String == "done")
        #expect((first["skipped"] as? [Any])?.isEmpty == true)

        let partial = try tools.run(.bd, ["close", a, "proj-nope", b, "--json"], cwd: dir)
        #expect(partial.status == 3)
        let docs = try documents(partial.stdout)
        #expect(docs.count == 2)
        #expect((docs[0]["closed"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [b])
        let skipped = try #require(docs[0]["skipped"] as? [[String: Any]])
        #expect(skipped.first?["id"] as? String == a && skipped.first?["reason"] as? String == "already closed")
        let error = try #require(docs[1]["error"] as? [String: Any])
        #expect(error["code"] as? String == "CLOSE_INCOMPLETE")
        #expect(error["message"] is String && error["retryable"] as? Bool == false)

        let idle = try ok(tools.run(.bd, ["close", a, b, "--json"], cwd: dir))
        #expect(try documents(idle.stdout).count == 1)
    }

    // MARK: v13 sync and Dolt remotes

    @Test func syncOutcomesAndExitCodes() throws {
        let tools = try FakeTools(era: .v13, include: [.bd])
        let dir = try project(tools)
        let id = try create(tools, dir, "t")
        let none = try object(try ok(tools.run(.bd, ["sync", "--json"], cwd: dir)).stdout)
        #expect(none["status"] as? String == "no-remote")
        #expect(none["schema_version"] as? Int == 1)

        try ok(tools.run(.bd, ["dolt", "remote", "add", "origin", "file:///remote", "--json"], cwd: dir))
        let remotes = try array(ok(tools.run(.bd, ["dolt", "remote", "list", "--json"], cwd: dir)).stdout)
        #expect(remotes.count == 1)
        #expect(remotes.first?["name"] as? String == "origin" && remotes.first?["url"] as? String == "file:///remote")

        func sync(_ outcome: String?, _ extra: [String] = []) throws -> (Int32, [String: Any]) {
            let result = try tools.run(.bd, ["sync", "--json"] + extra, cwd: dir,
                                       env: outcome.map { ["FAKE_BD_SYNC": $0] } ?? [:])
            return (result.status, try object(result.stdout))
        }
        let (okStatus, okOut) = try sync(nil)
        #expect(okStatus == 0)
        #expect(okOut["status"] as? String == "ok" && okOut["attempts"] as? Int == 1)
        #expect(okOut["rows_corrected"] as? Int == 0 && okOut["pushed"] as? Bool == true)

        let (conflictStatus, conflict) = try sync("conflict")
        #expect(conflictStatus == 2)
        #expect(conflict["pushed"] as? Bool == false)
        #expect((conflict["conflicts"] as? [[String: Any]])?.first?["id"] as? String == id)
        #expect((conflict["conflicts"] as? [[String: Any]])?.first?["table"] as? String == "issues")

        let (exhaustedStatus, exhausted) = try sync("retries-exhausted", ["--attempts", "5"])
        #expect(exhaustedStatus == 3)
        #expect(exhausted["attempts"] as? Int == 5)
        let transients = try #require(exhausted["transients"] as? [[String: Any]])
        #expect(transients.compactMap { $0["attempt"] as? Int } == [1, 2, 3, 4, 5])
        #expect(transients.allSatisfy { $0["kind"] is String && $0["error"] is String })

        #expect(try sync("dirty-stuck").0 == 4)
        let (errorStatus, error) = try sync("error")
        #expect(errorStatus == 1)
        #expect(error["error"] is String && error["schema_version"] as? Int == 1)

        // A comma list is consumed one outcome per call; the last one then repeats.
        let plan = "retries-exhausted,ok"
        #expect(try sync(plan).0 == 3)
        #expect(try sync(plan).0 == 0)
        #expect(try sync(plan).0 == 0)

        #expect(try tools.run(.bd, ["sync", "--remote", "upstream", "--json"], cwd: dir).status == 1)
        try ok(tools.run(.bd, ["config", "set", "dolt.local-only", "true"], cwd: dir))
        let disabled = try sync("conflict")
        #expect(disabled.0 == 0 && disabled.1["status"] as? String == "disabled")
    }

    @Test func syncAdoptsTheGitOriginOnlyWithConsent() throws {
        let tools = try FakeTools(era: .v13, include: [.bd])
        let dir = try project(tools)
        _ = try Shell.git(["init", "-q"], cwd: dir)
        _ = try Shell.git(["remote", "add", "origin", "https://example.invalid/repo.git"], cwd: dir)
        #expect(try object(ok(tools.run(.bd, ["sync", "--json"], cwd: dir)).stdout)["status"] as? String == "no-remote")
        #expect(try object(ok(tools.run(.bd, ["sync", "-y", "--no-adopt", "--json"], cwd: dir)).stdout)["status"]
            as? String == "no-remote")
        let adopted = try object(try ok(tools.run(.bd, ["sync", "-y", "--json"], cwd: dir)).stdout)
        #expect(adopted["status"] as? String == "ok")
        let remotes = try array(ok(tools.run(.bd, ["dolt", "remote", "list", "--json"], cwd: dir)).stdout)
        #expect(remotes.first?["url"] as? String == "https://example.invalid/repo.git")
    }

    @Test func proxiedModeRefusesSyncAndRemotes() throws {
        let tools = try FakeTools(era: .v13, include: [.bd])
        let dir = try project(tools)
        #expect(try object(ok(tools.run(.bd, ["dolt", "status", "--json"], cwd: dir)).stdout)["mode"] as? String
            == "embedded")
        let proxied = ["FAKE_BD_PROXIED": "1"]
        let refusals: [([String], String)] = [
            (["sync", "--json"], "proxy.sync.unsupported"),
            (["dolt", "push", "--json"], "proxy.dolt.push.unsupported"),
            (["dolt", "pull", "--json"], "proxy.dolt.pull.unsupported"),
            (["dolt", "commit", "--json"], "proxy.dolt.commit.unsupported"),
            (["dolt", "remote", "add", "origin", "file:///x", "--json"], "proxy.dolt.remote.add.unsupported"),
            (["dolt", "remote", "list", "--json"], "proxy.dolt.remote.list.unsupported"),
        ]
        for (args, code) in refusals {
            let refused = try tools.run(.bd, args, cwd: dir, env: proxied)
            #expect(refused.status == 1, "\(args)")
            let body = try object(refused.stdout)
            #expect(body["code"] as? String == code)
            #expect(body["mutates"] as? Bool == false && body["reason"] as? String == "design")
            #expect(body["error"] is String)
        }
        #expect(try object(ok(tools.run(.bd, ["dolt", "status", "--json"], cwd: dir, env: proxied)).stdout)["mode"]
            as? String == "proxied-server")
        try ok(tools.run(.bd, ["create", "still works", "--json"], cwd: dir, env: proxied))
    }

    // MARK: v13 list and ready

    @Test func v13ListIsUnlimitedOffATerminalAndBriefDropsText() throws {
        let tools = try FakeTools(era: .v13, include: [.bd])
        let dir = try project(tools)
        DispatchQueue.concurrentPerform(iterations: 52) { n in
            _ = try? tools.run(.bd, ["create", "task \(n)", "-d", "long text", "--silent"], cwd: dir)
        }
        let listed = try ok(tools.run(.bd, ["list", "--json"], cwd: dir))
        #expect(try array(listed.stdout).count == 52)
        #expect(try array(ok(tools.run(.bd, ["list", "--json", "--limit", "5"], cwd: dir)).stdout).count == 5)
        #expect(try array(ok(tools.run(.bd, ["ready", "--json", "-n", "0"], cwd: dir)).stdout).count == 52)
        let brief = try array(ok(tools.run(.bd, ["ready", "--brief", "--json"], cwd: dir)).stdout)
        #expect(brief.count == 52 && brief.allSatisfy { $0["description"] == nil && $0["title"] is String })
        #expect(try array(ok(tools.run(.bd, ["list", "--json"], cwd: dir)).stdout).first?["description"] as? String
            == "long text")
        #expect(try tools.run(.bd, ["ready", "--brief", "--claim", "--json"], cwd: dir).status == 1)
    }

    // MARK: br

    @Test func brErrorsAreEnvelopesOnStdoutWithCategoryExitCodes() throws {
        let tools = try FakeTools(era: .br, include: [.bd])
        let uninitialised = try tools.run(.br, ["list", "--json"], cwd: temp.path)
        #expect(uninitialised.status == 2)
        #expect((try object(uninitialised.stdout)["error"] as? [String: Any])?["code"] as? String == "NOT_INITIALIZED")

        let dir = try project(tools)
        let missing = try tools.run(.bd, ["show", "proj-zzzz", "--json"], cwd: dir)
        #expect(missing.status == 3)
        #expect(missing.stderr.isEmpty)
        let error = try #require(try object(missing.stdout)["error"] as? [String: Any])
        #expect(error["code"] as? String == "ISSUE_NOT_FOUND")
        #expect((error["message"] as? String)?.contains("proj-zzzz") == true)
        #expect(error["hint"] is String && error["retryable"] as? Bool == false)
        #expect((error["context"] as? [String: Any])?["searched_id"] as? String == "proj-zzzz")

        let flag = try tools.run(.bd, ["list", "--frobnicate", "--json"], cwd: dir)
        #expect(flag.status == 4)
        #expect((try object(flag.stdout)["error"] as? [String: Any])?["code"] as? String == "VALIDATION_FAILED")
        let priority = try tools.run(.bd, ["create", "x", "-p", "9", "--json"], cwd: dir)
        #expect(priority.status == 4)
        #expect((try object(priority.stdout)["error"] as? [String: Any])?["code"] as? String == "INVALID_PRIORITY")

        let a = try create(tools, dir, "a"), b = try create(tools, dir, "b", ["--deps", a])
        let cycle = try tools.run(.bd, ["dep", "add", a, b, "--json"], cwd: dir)
        #expect(cycle.status == 5)
        #expect((try object(cycle.stdout)["error"] as? [String: Any])?["code"] as? String == "CYCLE_DETECTED")
        let c = try create(tools, dir, "c")
        let added = try object(try ok(tools.run(.bd, ["dep", "add", c, a, "--type", "related", "--json"], cwd: dir))
            .stdout)
        #expect(added["status"] as? String == "added" && added["schema_version"] == nil)
    }

    @Test func brCreateReadyListAndTheirShapes() throws {
        let tools = try FakeTools(era: .br, include: [.bd])
        let dir = try project(tools)
        let epic = try create(tools, dir, "epic", ["-t", "epic"])
        let created = try object(try ok(tools.run(.bd, ["create", "--title", "Pool <x>", "-t", "bug", "-p", "1", "-d",
                                                        "desc", "-l", "b,a", "--parent", epic, "--json"], cwd: dir))
            .stdout)
        #expect(created["schema_version"] == nil)
        #expect(created["title"] as? String == "Pool <x>")
        #expect(created["issue_type"] as? String == "bug" && created["priority"] as? Int == 1)
        #expect(created["labels"] as? [String] == ["a", "b"])
        #expect(created["source_repo"] as? String == "." && created["compaction_level"] as? Int == 0)
        #expect(created["original_size"] != nil)
        let child = try #require(created["id"] as? String)
        let dependent = try create(tools, dir, "after", ["--deps", child])
        #expect(try show(tools, dir, child)["dependent_count"] as? Int == 1)

        // br auto-flushes the JSONL after every write.
        let jsonl = try String(contentsOfFile: dir + "/.beads/issues.jsonl", encoding: .utf8)
        #expect(jsonl.split(separator: "\n").count == 3)

        // 25 more open issues through one import: ready stops at 20 unless --limit 0; list at 50.
        let lines = (1...25).map { n in
            #"{"id":"proj-\#(String(format: "z%03d", n))","title":"t\#(n)","status":"open","priority":3,"#
                + #""issue_type":"task","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}"#
        }
        try (jsonl + lines.joined(separator: "\n") + "\n").write(toFile: dir + "/.beads/issues.jsonl", atomically: true,
                                                                 encoding: .utf8)
        try ok(tools.run(.bd, ["sync", "--import-only", "--json"], cwd: dir))
        let ready = try array(ok(tools.run(.bd, ["ready", "--json"], cwd: dir)).stdout)
        #expect(ready.count == 20)
        #expect(ready.first?["dependency_count"] is Int && ready.first?["dependent_count"] is Int)
        #expect(ready.first?["source_repo"] as? String == ".")
        #expect(ready.first?["schema_version"] == nil)
        let all = try ids(ok(tools.run(.bd, ["ready", "--json", "--limit", "0"], cwd: dir)).stdout)
        #expect(all.count == 27 && !all.contains(dependent)) // 25 + epic + the child
        #expect(try array(ok(tools.run(.bd, ["list", "--json"], cwd: dir)).stdout).count == 28)

        try ok(tools.run(.bd, ["close", dependent, "--json"], cwd: dir))
        #expect(try array(ok(tools.run(.bd, ["list", "--json"], cwd: dir)).stdout).count == 27)
        #expect(try array(ok(tools.run(.bd, ["list", "-a", "--json"], cwd: dir)).stdout).count == 28)
    }

    @Test func brClaimIsAValidationErrorWhenAssignedElsewhere() throws {
        let tools = try FakeTools(era: .br, include: [.bd])
        let dir = try project(tools)
        let id = try create(tools, dir, "claim me", ["--notes", "n1"])
        let claimed = try array(ok(tools.run(.br, ["update", id, "--claim", "--actor", "agent1", "--json"], cwd: dir))
            .stdout)
        #expect(claimed.first?["status"] as? String == "in_progress")
        #expect(claimed.first?["assignee"] as? String == "agent1")
        try ok(tools.run(.br, ["update", id, "--claim", "--actor", "agent1", "--json"], cwd: dir))
        let stolen = try tools.run(.br, ["update", id, "--claim", "--actor", "agent2", "--json"], cwd: dir)
        #expect(stolen.status == 4)
        let error = try #require(try object(stolen.stdout)["error"] as? [String: Any])
        #expect(error["code"] as? String == "VALIDATION_FAILED")
        #expect(error["message"] as? String == "issue already assigned to agent1")

        let notes = try tools.run(.br, ["update", id, "--notes", "n2", "--json"], cwd: dir)
        #expect(notes.status == 4)
        try ok(tools.run(.br, ["update", id, "--notes", "n2", "--force", "--add-label", "x", "--json"], cwd: dir))
        let labels = try array(ok(tools.run(.br, ["update", id, "--set-labels", "p,q", "--remove-label", "q",
                                              "--append-notes", "n3", "--json"], cwd: dir)).stdout)
        #expect(labels.first?["labels"] as? [String] == ["p"])
        #expect(labels.first?["notes"] as? String == "n2\nn3")
        #expect(tools.calls(.br).count == 6)
    }

    @Test func brSyncNeedsExactlyOneMode() throws {
        let tools = try FakeTools(era: .br, include: [.bd])
        let dir = try project(tools)
        try FileManager.default.removeItem(atPath: dir + "/.beads/issues.jsonl")
        for args in [["sync", "--json"], ["sync", "--flush-only", "--import-only", "--json"]] {
            let refused = try tools.run(.bd, args, cwd: dir)
            #expect(refused.status == 4)
            #expect((try object(refused.stdout)["error"] as? [String: Any])?["code"] as? String == "VALIDATION_FAILED")
        }
        let status = try object(try ok(tools.run(.bd, ["sync", "--status", "--json"], cwd: dir)).stdout)
        #expect(status["jsonl_exists"] as? Bool == false)
        try ok(tools.run(.bd, ["sync", "--flush-only", "--json"], cwd: dir))
        #expect(FileManager.default.fileExists(atPath: dir + "/.beads/issues.jsonl"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/.beads/embeddeddolt"))
        let export = try tools.run(.bd, ["export", "-o", "x.jsonl"], cwd: dir)
        #expect(export.status == 4) // br has no export command
    }
}
