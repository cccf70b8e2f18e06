import Foundation
import GorchTestSupport
import Testing

/// `gorch demo`, the README's first command, must keep working end to end.
@Suite("demo", .timeLimit(.minutes(20)))
struct DemoTests {
    @Test("the demo merges four tasks: one trivial tasks.md conflict resolved, one handed back and continued")
    func demoJSON() throws {
        let scratch = try TempDirectory(label: "demo")
        let directory = scratch.path + "/repo"
        let result = try runGorch(["demo", "--json", "--keep", "--dir", directory])
        #expect(result.status == 0, "\(result.stderr)")
        let document = try jsonDocument(result)
        let merges = try #require(document["merges"] as? [[String: Any]])
        #expect(merges.count == 2)
        let first = try #require(merges.first?["tasks"] as? [[String: Any]])
        #expect(first.map { $0["outcome"] as? String } == ["merged", "merged", "merged", "conflicted"])
        #expect(first.contains { ($0["resolved"] as? [[String: Any]])?.first?["path"] as? String == "tasks.md" })
        let second = try #require(merges.last?["tasks"] as? [[String: Any]])
        #expect(second.map { $0["outcome"] as? String } == ["merged"])
        #expect((document["history"] as? [[String: Any]])?.count == 5)

        // The kept repository is consistent and clean, every box ticked, no worktree left.
        #expect(try Shell.git(["status", "--porcelain"], cwd: directory).isEmpty)
        #expect(try Shell.git(["show", "main:tasks.md"], cwd: directory).components(separatedBy: "- [x]").count == 5)
        #expect(try Shell.git(["branch", "--list", "task/*"], cwd: directory).isEmpty)
        let fsck = try Shell.runGit(["fsck", "--no-dangling"], cwd: directory)
        #expect(fsck.status == 0)
    }

    @Test("the human demo tells the story and removes its repository")
    func demoText() throws {
        let scratch = try TempDirectory(label: "demo-text")
        let directory = scratch.path + "/repo"
        let result = try runGorch(["demo", "--dir", directory])
        #expect(result.status == 0, "\(result.stderr)")
        for expected in ["&& gorch start greeting", "resolved tasks.md: checkbox ticks (union)", "conflict in app/config.txt",
                         "$ gorch merge --continue", "Merge task/rebrand: Rebrand the app", "its repository was removed"] {
            #expect(result.stdout.contains(expected), "missing: \(expected)")
        }
        #expect(!FileManager.default.fileExists(atPath: directory))
    }
}
