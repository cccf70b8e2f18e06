import Foundation
import GorchTestSupport
import Testing

/// batch's choice in embedded mode: scope overlaps, one unknown scope, in-flight changes,
/// dependencies, --max.
@Suite("batch selection (embedded)", .timeLimit(.minutes(20)))
struct BatchSelectionTests {
    @Test("overlapping scopes, a second unknown scope and --max are skipped with reasons; --after waits")
    func skips() throws {
        let project = try TaskProject()
        try project.gorch("add", "a", "--files", "web/*.js")
        try project.gorch("add", "b", "--files", "web/app.js")            // overlaps a
        try project.gorch("add", "c")                                     // unknown scope
        try project.gorch("add", "d")                                     // second unknown scope
        try project.gorch("add", "e", "--files", "docs/e.md", "--after", "a")  // waits for a
        try project.gorch("add", "f", "--files", "src/f.swift")
        try project.gorch("add", "g", "--files", "src/g.swift")
        let batch = try project.json("batch", "--max", "3")
        #expect(batch["source"] as? String == "embedded")
        let picks = try #require(batch["picks"] as? [[String: Any]])
        #expect(picks.compactMap { $0["id"] as? String } == ["a", "c", "f"])
        let skips = try #require(batch["skips"] as? [[String: Any]])
        let reasons = Dictionary(uniqueKeysWithValues: skips.compactMap { s in (s["id"] as? String).map { ($0, s["reason"] as? String ?? "") } })
        #expect(reasons["b"]?.contains("scope overlaps a") == true)
        #expect(reasons["d"]?.contains("unknown scope") == true)
        #expect(reasons["g"]?.contains("batch is full") == true)
        #expect(reasons["e"] == nil)   // not a candidate until a is merged
        #expect((batch["started"] as? [Any])?.isEmpty == true)
    }

    @Test("a task whose scope covers files an in-flight branch changed is skipped; --yes starts the picks")
    func inFlight() throws {
        let project = try TaskProject()
        try project.agent("busy", ["src/shared.txt": "x\n"], done: false)
        try project.gorch("add", "later", "--files", "src/*.txt")
        try project.gorch("add", "free", "--files", "docs/*.md")
        let batch = try project.json("batch", "--yes")
        #expect((batch["picks"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["free"])
        let skip = try #require((batch["skips"] as? [[String: Any]])?.first)
        #expect((skip["reason"] as? String)?.contains("in-flight busy, which changed src/shared.txt") == true)
        #expect((batch["started"] as? [[String: Any]])?.first?["id"] as? String == "free")
        #expect(try project.state("free") == "started")
    }

    @Test("reservations: a started task's scope blocks an overlapping start until it is merged")
    func reservations() throws {
        let project = try TaskProject()
        try project.gorch("add", "one", "--files", "app/*")
        try project.gorch("add", "two", "--files", "app/config.txt")
        #expect(try project.gorch("start", "one").status == 0)
        let blocked = try project.gorch("start", "two")
        #expect(blocked.status == 1)
        #expect(blocked.stderr.contains("reserved by others"))
        #expect(!project.exists(".worktrees/wt-two"))
        #expect(try project.state("two") == "planned")
        let status = try project.json("status")
        let one = (status["tasks"] as? [[String: Any]])?.first { $0["id"] as? String == "one" }
        #expect(one?["reservations"] as? [String] == ["app/*"])
        // Merging one releases its reservation.
        try project.commit(in: project.worktree("one"), ["app/config.txt": "name = one\n"], message: "one")
        try project.gorch("done", "one")
        #expect(try project.gorch("merge").status == 0)
        #expect(try project.gorch("start", "two").status == 0)
    }
}
