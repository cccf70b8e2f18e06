import Foundation
import GorchTestSupport
import Testing

/// Merge fault points in Beads mode (fake bd, Dolt era): after the kill and `--continue`, the
/// tracker matches the repository: every merged task's issue closed exactly once with its
/// merge reason, tasks.md ticked once, the other issues still in progress.
@Suite("fault injection: merge in Beads mode", .enabled(if: faultPointsCompiledIn, "fault points are compiled into debug builds only"), .timeLimit(.minutes(20)))
struct FaultInjectionBeadsTests {
    @Test("killed mid-merge, --continue leaves bd matching the repository",
          arguments: ["merge.validating@2", "merge.target-moved@2", "merge.checkout-updated@2", "merge.marked@2", "merge.cleaned@2"])
    func trackerMatches(point: String) throws {
        let project = try SeedFlowTests.SeedProject(era: .dolt)
        _ = try project.json("populate", SeedFlowTests.change)
        let started = try #require(try project.json("batch", "--yes")["started"] as? [[String: Any]])
        try project.work(started)
        let killed = try runGorch(["merge", "--validate", "true"], cwd: project.path,
                                  environment: project.toolEnvironment.merging(["GORCH_FAULT": point]) { $1 })
        #expect(killedBySIGKILL(killed), "\(point): \(killed.status) \(killed.stderr)")
        _ = try project.json("merge", "--continue")

        let log = try project.repo.git("log", "--format=%s", "main").split(separator: "\n")
        let tasksFile = try project.repo.git("show", "main:openspec/changes/\(SeedFlowTests.change)/tasks.md")
        let closes = project.fakes.calls(.bd).filter { $0.first == "close" }
        for task in started {
            let id = try #require(task["id"] as? String)
            let issue = try #require((try project.bd("show", id) as? [[String: Any]])?.first)
            #expect(log.filter { $0.hasPrefix("Merge task/\(id):") }.count == 1, "\(point): \(id) merged once")
            #expect(issue["status"] as? String == "closed", "\(point): \(id) is \(issue["status"] ?? "?")")
            #expect((issue["close_reason"] as? String)?.hasSuffix("(task/\(id))") == true, "\(point): \(issue)")
            #expect(closes.filter { $0.contains(id) }.count == 1, "\(point): \(id) closed \(closes.filter { $0.contains(id) }.count) times")
            let number = try #require((issue["title"] as? String)?.split(separator: " ").first)
            #expect(tasksFile.components(separatedBy: "- [x] \(number) ").count == 2, "\(point): \(number) ticked once")
        }
        #expect(try project.repo.git("status", "--porcelain", "--untracked-files=no").isEmpty, "\(point)")
        #expect(try Shell.runGit(["fsck", "--no-dangling"], cwd: project.path).status == 0, "\(point)")
    }
}
