import Foundation
import GorchTestSupport
import Testing

/// `gorch plan` reports duplicate and mismatched task numbers as OpenSpec 1.9+ does, whether or
/// not openspec is installed (these projects have none), and exits 1 on them.
@Suite("plan: task numbering", .timeLimit(.minutes(20)))
struct PlanNumberingTests {
    @Test("a duplicate and a misplaced number: exit 1, both listed with their lines, in JSON and for people")
    func reported() throws {
        let project = try TaskProject()
        project.repo.write("openspec/changes/numbers/tasks.md",
                           "## 1. Setup\n- [ ] 1.1 Create the module (Files: a.py)\n- [ ] 1.1 Again (Files: b.py)\n\n"
                               + "## 2. Build\n- [ ] 1.3 Misplaced (Files: c.py)\n")
        try project.repo.commitAll("tasks")
        let result = try runGorch(["plan", "numbers", "--json"], cwd: project.path)
        #expect(result.status == 1, "\(result.stderr)")
        let numbering = try jsonObject(result.stdout)["numbering"] as? [[String: Any]] ?? []
        #expect(numbering.map { $0["line"] as? Int } == [3, 6])
        #expect(numbering.first?["message"] as? String == "Task ID \"1.1\" is duplicated; it was first declared on line 2.")
        let human = try runGorch(["plan", "numbers"], cwd: project.path)
        #expect(human.status == 1)
        #expect(human.stdout.contains("task numbering: 2 problems"))
        #expect(human.stdout.contains("  line 6: Task \"1.3\" is under group 2, but its leading number points to group 1."))
    }

    @Test("well-numbered tasks: exit 0 and an empty list")
    func clean() throws {
        let project = try TaskProject()
        project.repo.write("openspec/changes/fine/tasks.md", "## 1. Setup\n- [ ] 1.1 One (Files: a.py)\n- [ ] 1.2 Two (Files: b.py)\n")
        try project.repo.commitAll("tasks")
        let result = try runGorch(["plan", "fine", "--json"], cwd: project.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect((try jsonObject(result.stdout)["numbering"] as? [Any])?.isEmpty == true)
    }
}
