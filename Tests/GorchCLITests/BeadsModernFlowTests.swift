import Foundation
import GorchTestSupport
import Testing

/// gorch against bd 1.3 and br (contracts-update.md sections 1-2), through the fake bd's `v13` and
/// `br` eras: claim leases kept alive while an agent runs and never after, the migration freeze,
/// `bd sync` only with a Dolt remote (retried on exit 3, a conflict reported), br's claim conflict.
@Suite("bd 1.3 and br: leases, freeze, sync, claims", .timeLimit(.minutes(20)))
struct BeadsModernFlowTests {
    typealias Project = SeedFlowTests.SeedProject

    /// A project with the seed change populated; returns the issue id of task 1.1.
    static func populated(_ era: FakeBeadsEra) throws -> (Project, String) {
        let project = try Project(era: era)
        let populated = try project.json("populate", SeedFlowTests.change)
        let issues = try #require(populated["issues"] as? [[String: Any]])
        let first = try #require(issues.first { $0["number"] as? String == "1.1" }?["id"] as? String)
        return (project, first)
    }

    static func gorch(_ project: Project, _ arguments: [String], _ extra: [String: String] = [:]) throws -> ShellResult {
        try runGorch(arguments, cwd: project.path, environment: project.toolEnvironment.merging(extra) { $1 })
    }

    static func heartbeats(_ project: Project, _ id: String) -> Int {
        project.fakes.calls(.bd).filter { $0.first == "heartbeat" && $0.contains(id) }.count
    }

    @Test("bd 1.3: the claim is heartbeaten while the agent runs, as the task's actor, and not after it exits")
    func heartbeatWhileTheAgentRuns() throws {
        let (project, id) = try Self.populated(.v13)
        try project.repo.git("config", "gorch.beads.heartbeat", "1s")
        let start = try Self.gorch(project, ["start", id])
        #expect(start.status == 0, "\(start.stderr)")
        // The prompt carries the issue's own text (populate wrote "Files: ..." into it).
        let agent = "grep -q '^Files: src/greeting.txt' {description_file} && sleep 3 && echo work > work.txt && git add -A && git commit -qm work"
        let run = try Self.gorch(project, ["run", id, "--json", "--", "sh", "-c", agent])
        #expect(run.status == 0, "\(run.stdout) \(run.stderr)")
        let during = Self.heartbeats(project, id)
        #expect(during >= 2, "a heartbeat at the start and about one a second: \(project.fakes.calls(.bd))")
        #expect(project.fakes.calls(.bd).filter { $0.first == "heartbeat" }.allSatisfy { $0.contains("--actor=gorch-\(id)") })
        Thread.sleep(forTimeInterval: 2)
        #expect(Self.heartbeats(project, id) == during, "no heartbeat once the agent has stopped")

        // A failing agent: heartbeats stop too, and the task is failed.
        let (other, second) = try Self.populated(.v13)
        try other.repo.git("config", "gorch.beads.heartbeat", "1s")
        #expect(try Self.gorch(other, ["start", second]).status == 0)
        let failed = try Self.gorch(other, ["run", second, "--", "sh", "-c", "sleep 2; exit 3"])
        #expect(failed.status == 1, "\(failed.stderr)")
        let count = Self.heartbeats(other, second)
        #expect(count >= 1)
        Thread.sleep(forTimeInterval: 2)
        #expect(Self.heartbeats(other, second) == count)
    }

    @Test("bd 1.3: a claim reclaimed before the agent ran is taken again; one another worker took is not run")
    func reclaimedClaimIsTakenAgainOrRefused() throws {
        let agent = ["--", "sh", "-c", "echo w > w.txt && git add -A && git commit -qm w"]
        for stolen in [false, true] {
            let (project, id) = try Self.populated(.v13)
            #expect(try Self.gorch(project, ["start", id], ["FAKE_BD_LEASE_TTL": "1"]).status == 0)
            Thread.sleep(forTimeInterval: 2)
            _ = try project.fakes.run(.bd, ["reclaim", "--older-than", "0s", "--json"], cwd: project.path)
            if stolen { _ = try project.fakes.run(.bd, ["update", id, "--claim", "--actor=elsewhere", "--json"], cwd: project.path) }
            let run = try Self.gorch(project, ["run", id, "--json"] + agent)
            let agents = try #require(try jsonDocument(run)["agents"] as? [[String: Any]])
            let message = agents.first?["message"] as? String ?? ""
            if stolen {
                #expect(run.status == 1)
                #expect(message.contains("agent not run") && message.contains("elsewhere"), "\(agents)")
                #expect(!FileManager.default.fileExists(atPath: project.path + "/.worktrees/wt-\(id)/w.txt"))
            } else {
                #expect(run.status == 0, "\(run.stdout)")
                #expect(message.contains("taken again"), "\(agents)")
                #expect(agents.first?["state"] as? String == "ready")
            }
        }
    }

    @Test("bd 1.3: a migration freeze refuses start with nothing changed, and says to retry later")
    func freezeRefusesWrites() throws {
        let (project, id) = try Self.populated(.v13)
        let freeze = project.path + "/.beads/MIGRATION-FREEZE"
        try Data().write(to: URL(fileURLWithPath: freeze))
        let start = try Self.gorch(project, ["start", id])
        #expect(start.status == 1, "\(start.stderr)")
        #expect(start.stderr.contains("frozen for migration"), "\(start.stderr)")
        #expect(start.stderr.contains("retry"), "\(start.stderr)")
        #expect(!FileManager.default.fileExists(atPath: project.path + "/.worktrees/wt-\(id)"))
        let issue = try #require((try project.bd("show", id) as? [[String: Any]])?.first)
        #expect(issue["status"] as? String == "open")
        try FileManager.default.removeItem(atPath: freeze)
        #expect(try Self.gorch(project, ["start", id]).status == 0)
    }

    /// Starts, works and merges task 1.1 with `extra` in the environment; returns merge's JSON.
    static func mergeOne(_ project: Project, _ id: String, _ extra: [String: String]) throws -> [String: Any] {
        #expect(try gorch(project, ["start", id]).status == 0)
        try project.work([["id": id, "worktree": project.path + "/.worktrees/wt-\(id)"]])
        let merge = try gorch(project, ["merge", "--json"], extra)
        #expect(merge.status == 0, "\(merge.stdout) \(merge.stderr)")
        return try jsonDocument(merge)
    }

    @Test("bd 1.3: no Dolt remote, no bd sync; with one, bd sync after merges, exit 3 retried")
    func syncOnlyWithARemote() throws {
        let (project, id) = try Self.populated(.v13)
        let quiet = try Self.mergeOne(project, id, [:])
        #expect((quiet["tracker"] as? String)?.contains("no Dolt remote") == true, "\(quiet)")
        #expect(!project.fakes.calls(.bd).contains { $0.first == "sync" })

        let (remote, second) = try Self.populated(.v13)
        _ = try remote.fakes.run(.bd, ["dolt", "remote", "add", "origin", "file:///nowhere"], cwd: remote.path)
        let synced = try Self.mergeOne(remote, second, ["FAKE_BD_SYNC": "retries-exhausted,ok"])
        #expect((synced["tracker"] as? String)?.contains("bd sync: ok, pushed after 2 rounds") == true, "\(synced)")
        #expect(remote.fakes.calls(.bd).filter { $0.first == "sync" }.count == 2)
    }

    @Test("bd 1.3: a bd sync conflict is a warning naming the fix; a proxied server is never synced")
    func syncConflictAndProxied() throws {
        let (project, id) = try Self.populated(.v13)
        _ = try project.fakes.run(.bd, ["dolt", "remote", "add", "origin", "file:///nowhere"], cwd: project.path)
        let merged = try Self.mergeOne(project, id, ["FAKE_BD_SYNC": "conflict"])
        let warnings = merged["warnings"] as? [String] ?? []
        #expect(warnings.contains { $0.contains("conflict with the Dolt remote") && $0.contains("gorch sync") }, "\(merged)")
        #expect(project.fakes.calls(.bd).filter { $0.first == "sync" }.count == 1, "a conflict is not retried")

        let (proxied, second) = try Self.populated(.v13)
        let shared = try Self.mergeOne(proxied, second, ["FAKE_BD_PROXIED": "1"])
        #expect((shared["tracker"] as? String)?.contains("proxied") == true, "\(shared)")
        #expect(!proxied.fakes.calls(.bd).contains { $0.first == "sync" })
    }

    @Test("br: a claim held by someone else refuses the start and names the holder")
    func brClaimConflict() throws {
        let (project, id) = try Self.populated(.br)
        _ = try project.fakes.run(.bd, ["update", id, "--claim", "--actor=someone", "--json"], cwd: project.path)
        let start = try Self.gorch(project, ["start", id])
        #expect(start.status == 1, "\(start.stderr)")
        #expect(start.stderr.contains("already claimed by someone"), "\(start.stderr)")
        #expect(!FileManager.default.fileExists(atPath: project.path + "/.worktrees/wt-\(id)"))
    }

    @Test("doctor names the Beads tool, its version and the contract, for every era")
    func doctorNamesTheContract() throws {
        let expected: [(FakeBeadsEra, String)] = [
            (.legacy, "bd 0.49.6: contract bd <= 0.55"), (.dolt, "bd 1.0.5: contract bd 0.56 - 1.2"),
            (.v13, "bd 1.3.0: contract bd >= 1.3"), (.br, "br 0.5.7: contract br (beads_rust)"),
        ]
        for (era, text) in expected {
            let project = try Project(era: era)
            let doctor = try Self.gorch(project, ["doctor", "--json"])
            let checks = try #require(try jsonDocument(doctor)["checks"] as? [[String: Any]])
            let bd = checks.first { $0["name"] as? String == "bd" }?["detail"] as? String ?? ""
            #expect(bd.hasPrefix(text), "\(era): \(bd)")
            let bv = checks.first { $0["name"] as? String == "bv" }?["detail"] as? String ?? ""
            #expect(bv.hasPrefix("bv 0.0.0; contract bv"), "\(bv)")
        }
    }
}
