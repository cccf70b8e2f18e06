import Foundation
import GorchTestSupport
import Testing

/// A change's tasks.md that is not a task list, through `gorch plan` and `gorch populate` (the
/// parser's own cases are in GorchCoreTests/PlanLoadTests): exit 3 naming the file and what is
/// wrong, the format as the fix, and not one issue created.
@Suite("bad input: tasks.md", .timeLimit(.minutes(20)))
struct BadInputPlanTests {
    typealias Project = SeedFlowTests.SeedProject

    /// A broken tasks.md and what the message must say.
    static let documents: [(name: String, data: Data, problem: String)] = [
        ("empty", Data(), "is empty"),
        ("blank lines", Data("\n  \n\t\n".utf8), "is empty"),
        ("binary", Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D]), "is binary (a NUL byte at offset 8)"),
        ("not UTF-8", Data([0x2D, 0x20, 0x5B, 0x20, 0x5D, 0x20, 0xFF, 0xFE, 0x0A]), "is not UTF-8 text"),
        ("10 MB", Data(count: 0), "is larger than 10 MB"),  // written by `write`, see there
        ("no checkboxes", Data("# Tasks\n\n## 1. Setup\nWrite the code.\n* a bullet\n1. a numbered step\n".utf8),
         "has no tasks: no '- [ ]' checkbox lines"),
        ("checkboxes only in a fence", Data("## 1. Setup\n```\n- [ ] 1.1 not a task\n```\n".utf8),
         "1 checkbox line is inside code fences"),
    ]

    /// Writes document `index` as the change's tasks.md (the 10 MB one as 10 MB + 1 byte of
    /// valid task lines, so only its size is wrong).
    static func write(_ index: Int, to repo: TempRepo, change: String) throws {
        let path = "openspec/changes/\(change)/tasks.md"
        if documents[index].name == "10 MB" {
            let line = Data("- [ ] 1.1 a task line that is perfectly fine\n".utf8)
            var data = Data("## 1. Big\n".utf8)
            data.reserveCapacity(10 * 1024 * 1024 + line.count)
            while data.count <= 10 * 1024 * 1024 { data.append(line) }
            repo.write(path, data: data)
        } else {
            repo.write(path, data: documents[index].data)
        }
    }

    @Test("plan: exit 3 naming tasks.md and the problem, with the format as the hint", arguments: 0..<documents.count)
    func plan(index: Int) throws {
        let project = try TaskProject()
        try Self.write(index, to: project.repo, change: "broken")
        try project.repo.commitAll("broken tasks.md")
        let before = try BadInputSnapshot(project.path)
        let result = try runGorch(["plan", "broken", "--json"], cwd: project.path)
        let file = project.path + "/openspec/changes/broken/tasks.md"
        try expectRefusal(result, exit: 3, kind: "environment", message: [file, Self.documents[index].problem])
        let hint = try errorObject(result)["hint"] as? String ?? ""
        #expect(hint.contains("- [ ] 1.1") || hint.contains("split the change"), "\(hint)")
        let human = try runGorch(["plan", "broken"], cwd: project.path)
        #expect(human.status == 3 && human.stdout.isEmpty)
        #expect(human.stderr.hasPrefix("error: \(file)"), "\(human.stderr)")
        #expect(try BadInputSnapshot(project.path) == before)
    }

    @Test("populate: the same refusal before any bd call that writes; the tracker is unchanged", arguments: 0..<documents.count)
    func populate(index: Int) throws {
        let project = try Project(era: .dolt)
        try Self.write(index, to: project.repo, change: SeedFlowTests.change)
        let before = try BadInputSnapshot(project.path)
        try project.fakes.clearLog()
        for arguments in [[String](), ["--phase", "1"], ["--link"]] {
            let result = try runGorch(["populate", SeedFlowTests.change] + arguments + ["--json"], cwd: project.path,
                                      environment: project.toolEnvironment)
            try expectRefusal(result, exit: 3, kind: "environment", message: ["tasks.md", Self.documents[index].problem])
        }
        #expect(project.fakes.calls(.bd).filter { ["create", "update", "dep", "close"].contains($0.first ?? "") }.isEmpty,
                "\(project.fakes.calls(.bd))")
        #expect((try project.bd("list", "--all", "--limit", "0") as? [Any])?.isEmpty == true)
        #expect(try BadInputSnapshot(project.path) == before)
    }

    @Test("a change name that is a path (../x, a/b) is a usage error (exit 2) naming it")
    func changeNameIsAPath() throws {
        let project = try TaskProject()
        for name in ["../../etc", "a/b", "-x"] {
            let result = try runGorch(["plan", "--json", "--", name], cwd: project.path)
            try expectRefusal(result, exit: 2, kind: "usage", message: ["invalid change name"])
        }
    }
}
