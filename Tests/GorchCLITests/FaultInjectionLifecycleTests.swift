import Foundation
import GorchTestSupport
import Testing

/// The fault points of start, batch, cleanup, sync and populate (docs/RELIABILITY.md): killed
/// there by SIGKILL, running the same command again finishes the job, with nothing lost or
/// left half done.
@Suite("fault injection: start, batch, cleanup, sync, populate", .enabled(if: faultPointsCompiledIn, "fault points are compiled into debug builds only"), .timeLimit(.minutes(20)))
struct FaultInjectionLifecycleTests {
    /// A project whose starts copy an untracked `.env` into the new worktree (the bootstrap).
    private func project(_ label: String) throws -> TaskProject {
        let project = try TaskProject(label: label)
        project.repo.write(".env", "SECRET=1\n")
        try project.repo.git("config", "gorch.copy", ".env")
        return project
    }

    private func expectStarted(_ project: TaskProject, _ id: String, _ context: String) throws {
        #expect(try project.state(id) == "started", "\(context)")
        #expect(try project.branchExists("task/\(id)"), "\(context)")
        let worktree = project.worktree(id)
        #expect(try Shell.git(["rev-parse", "--abbrev-ref", "HEAD"], cwd: worktree) == "task/\(id)", "\(context)")
        #expect(FileManager.default.fileExists(atPath: worktree + "/.env"), "\(context): the bootstrap never ran")
    }

    @Test("start killed at each point: starting again finishes it, bootstrap included",
          arguments: ["start.claimed", "start.branch-created", "start.worktree-added", "start.bootstrapped"])
    func start(point: String) throws {
        let project = try project("fault-" + point)
        let killed = try runGorch(fault: point, ["start", "alpha"], in: project)
        #expect(killedBySIGKILL(killed), "\(point): \(killed.status) \(killed.stderr)")
        let again = try project.gorch("start", "alpha")
        #expect(again.status == 0, "\(point): start again: \(again.stderr)")
        #expect(again.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == project.worktree("alpha"), "\(point)")
        try expectStarted(project, "alpha", point)
        try project.expectRecovered(tasks: ["alpha"], point)
    }

    @Test("batch killed between two starts: the same batch again starts the rest")
    func batch() throws {
        let project = try project("fault-batch")
        for id in ["alpha", "beta"] { #expect(try project.gorch("add", id).status == 0) }
        let killed = try runGorch(fault: "batch.started", ["batch", "--ids", "alpha,beta", "--yes"], in: project)
        #expect(killedBySIGKILL(killed), "\(killed.status) \(killed.stderr)")
        #expect(try project.state("beta") == "planned")
        let again = try project.gorch("batch", "--ids", "alpha,beta", "--yes")
        #expect(again.status == 0, "batch again: \(again.stderr)")
        for id in ["alpha", "beta"] { try expectStarted(project, id, "batch") }
        try project.expectRecovered(tasks: ["alpha", "beta"], "batch")
    }

    @Test("cleanup killed at each point: cleanup again removes the rest, never unmerged work",
          arguments: ["cleanup.worktree-removed", "cleanup.branch-deleted", "cleanup.worktree-removed@2",
                      "cleanup.admin-partial", "cleanup.folder-left"])
    func cleanup(point: String) throws {
        let project = try TaskProject(label: "fault-" + point)
        try project.agent("alpha", ["alpha.txt": "a\n"])
        try project.agent("beta", ["beta.txt": "b\n"])
        try project.agent("wip", ["wip.txt": "w\n"], done: false)
        #expect(try project.gorch("merge", "alpha", "beta", "--no-cleanup", "--validate", "true").status == 0)
        let killed = try runGorch(fault: point, ["cleanup"], in: project)
        #expect(killedBySIGKILL(killed), "\(point): \(killed.status) \(killed.stderr)")
        let status = try project.gorch("status")
        #expect(status.status == 0, "\(point): status after the kill: \(status.stderr)")
        let again = try project.gorch("cleanup")
        #expect(again.status == 0, "\(point): cleanup again: \(again.stderr)")
        for id in ["alpha", "beta"] {
            #expect(!FileManager.default.fileExists(atPath: project.worktree(id)), "\(point): \(id)'s worktree stayed")
            #expect(try !project.branchExists("task/\(id)"), "\(point): \(id)'s branch stayed")
        }
        #expect(try project.branchExists("task/wip") && FileManager.default.fileExists(atPath: project.worktree("wip")), "\(point)")
        try project.expectRecovered(tasks: ["alpha", "beta", "wip"], point)
    }

    @Test("sync killed at each point: the next sync marks, cleans and ticks exactly once",
          arguments: ["sync.journaled", "sync.ticked", "sync.marked"])
    func sync(point: String) throws {
        let project = try TaskProject(label: "fault-" + point)
        try project.agent("alpha", ["alpha.txt": "a\n"])
        try project.agent("beta", ["beta.txt": "b\n"])
        // A person merges both by hand (hooks off: the sync below is the one under test).
        for id in ["alpha", "beta"] {
            try project.repo.git("-c", "core.hooksPath=/dev/null", "merge", "-q", "--no-ff", "-m", "Merge task/\(id)", "task/\(id)")
        }
        let killed = try runGorch(fault: point, ["sync"], in: project)
        #expect(killedBySIGKILL(killed), "\(point): \(killed.status) \(killed.stderr)")
        let again = try project.gorch("sync")
        #expect(again.status == 0, "\(point): sync again: \(again.stderr)")
        for id in ["alpha", "beta"] {
            #expect(try project.state(id) == "merged", "\(point): \(id)")
            #expect(!FileManager.default.fileExists(atPath: project.worktree(id)), "\(point): \(id)'s worktree stayed")
            #expect(try !project.branchExists("task/\(id)"), "\(point): \(id)'s branch stayed")
        }
        #expect(!project.exists(".git/gorch/sync.json"), "\(point): the sync journal stayed")
        try project.expectRecovered(tasks: ["alpha", "beta"], point)
    }

    @Test("populate killed at each point: populate again creates the rest, nothing twice",
          arguments: ["populate.created@3", "populate.linked@4"])
    func populate(point: String) throws {
        let project = try SeedFlowTests.SeedProject(era: .dolt)
        let killed = try runGorch(["populate", SeedFlowTests.change], cwd: project.path,
                                  environment: project.toolEnvironment.merging(["GORCH_FAULT": point]) { $1 })
        #expect(killedBySIGKILL(killed), "\(point): \(killed.status) \(killed.stderr)")
        let again = try project.json("populate", SeedFlowTests.change)
        #expect((again["issues"] as? [[String: Any]])?.count == 6, "\(point)")
        #expect((again["links"] as? [[String: Any]])?.count == 9, "\(point)")
        let third = try project.json("populate", SeedFlowTests.change)
        #expect((third["issues"] as? [[String: Any]])?.allSatisfy { $0["created"] as? Bool == false } == true, "\(point)")
        #expect((third["links"] as? [[String: Any]])?.allSatisfy { $0["created"] as? Bool == false } == true, "\(point)")
        let issues = try #require(try project.bd("list", "--all", "--limit", "0") as? [[String: Any]])
        let numbers = issues.compactMap { ($0["labels"] as? [String])?.first { $0.hasPrefix("task:") } }
        #expect(numbers.count == 6 && Set(numbers).count == 6, "\(point): \(numbers)")
    }
}
