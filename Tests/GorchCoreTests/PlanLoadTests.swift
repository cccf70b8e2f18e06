import Foundation
import GorchCore
import GorchTestSupport
import Testing

/// `ChangePlanner`: finding openspec/changes/<change>/tasks.md and refusing what is not a task list.
@Suite(.timeLimit(.minutes(20))) struct PlanLoadTests {
    /// A work tree with `openspec/changes/<name>/` folders (and tasks.md contents where given).
    private func workTree(_ label: String, _ changes: [String: String?] = [:]) throws -> TempDirectory {
        let root = try TempDirectory(label: label)
        try FileManager.default.createDirectory(atPath: root.path + "/openspec/changes", withIntermediateDirectories: true)
        for (name, tasks) in changes {
            let folder = root.path + "/openspec/changes/" + name
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            if let tasks { try Data(tasks.utf8).write(to: URL(fileURLWithPath: folder + "/tasks.md")) }
        }
        return root
    }

    private func failure(_ change: String, _ root: TempDirectory) -> GorchFailure? {
        do {
            _ = try ChangePlanner.load(change: change, root: root.path)
            return nil
        } catch {
            return error
        }
    }

    @Test func loadsTheChange() throws {
        let root = try workTree("plan-load", ["add-login": "## 1. Backend\n- [ ] 1.1 Endpoint (Files: api.py)\n"])
        let plan = try ChangePlanner.load(change: "add-login", root: root.path)
        #expect(plan.change == "add-login")
        #expect(plan.path == root.path + "/openspec/changes/add-login/tasks.md")
        #expect(plan.document.tasks.map(\.number) == ["1.1"])
        #expect(plan.document.tasks.first?.files == ["api.py"])
        // A trailing slash on the root does not double up.
        #expect(try ChangePlanner.load(change: "add-login", root: root.path + "/").path == plan.path)
    }

    @Test func changesAreSortedFoldersWithoutArchive() throws {
        let root = try workTree("plan-changes", ["zeta": nil, "alpha": "x", "archive": nil, ".hidden": nil, "Mid-1": nil])
        try Data().write(to: URL(fileURLWithPath: root.path + "/openspec/changes/file.md"))
        #expect(ChangePlanner.changes(root: root.path) == ["Mid-1", "alpha", "zeta"])
        let bare = try TempDirectory(label: "plan-changes-bare")
        #expect(ChangePlanner.changes(root: bare.path) == [])
    }

    @Test func missingChangeListsTheExistingOnes() throws {
        let root = try workTree("plan-missing", ["b-two": nil, "a-one": nil, "archive": nil])
        let error = try #require(failure("add-login", root))
        #expect(error.kind == .environment)
        #expect(error.message.contains(root.path + "/openspec/changes/add-login does not exist"), "\(error.message)")
        #expect(error.message.contains("existing changes: a-one, b-two"), "\(error.message)")
        #expect(!error.message.contains("archive"), "\(error.message)")
        #expect(error.hint?.contains("openspec new change add-login") == true, "\(error.hint ?? "")")
    }

    @Test func missingChangeWithoutAnyChanges() throws {
        let empty = try workTree("plan-none")
        let error = try #require(failure("x", empty))
        #expect(error.kind == .environment)
        #expect(error.message.contains("there are no changes in"), "\(error.message)")
        let bare = try TempDirectory(label: "plan-bare")
        let noOpenSpec = try #require(failure("x", bare))
        #expect(noOpenSpec.kind == .environment)
        #expect(noOpenSpec.message.contains("openspec init"), "\(noOpenSpec.message)")
    }

    @Test func missingTasksFile() throws {
        let root = try workTree("plan-no-tasks", ["add-login": nil, "other": nil])
        let error = try #require(failure("add-login", root))
        #expect(error.kind == .environment)
        #expect(error.message.contains(root.path + "/openspec/changes/add-login/tasks.md does not exist"), "\(error.message)")
        #expect(error.message.contains("existing changes: add-login, other"), "\(error.message)")
        #expect(error.hint?.contains("## 1. Group") == true)
    }

    @Test func tasksFileIsADirectory() throws {
        let root = try workTree("plan-dir", ["c": nil])
        try FileManager.default.createDirectory(atPath: root.path + "/openspec/changes/c/tasks.md", withIntermediateDirectories: true)
        let error = try #require(failure("c", root))
        #expect(error.kind == .environment)
        #expect(error.message.contains("is a directory"))
    }

    @Test(arguments: [
        ("", "is empty"),
        ("\n  \n\t\n", "is empty"),
        ("# Tasks\n\nNothing to do.\n## 1. Later\n", "has no tasks"),
        ("## 1. Example\n```\n- [ ] 1.1 only in a fence\n```\n", "1 checkbox line is inside code fences"),
    ])
    func notATaskList(content: String, expected: String) throws {
        let root = try workTree("plan-not-tasks", ["c": content])
        let error = try #require(failure("c", root))
        #expect(error.kind == .environment)
        #expect(error.message.contains(root.path + "/openspec/changes/c/tasks.md"), "\(error.message)")
        #expect(error.message.contains(expected), "\(error.message)")
        #expect(error.hint?.contains("- [ ] 1.1 Description") == true, "\(error.hint ?? "")")
    }

    @Test func binaryFile() throws {
        let root = try workTree("plan-binary", ["c": "## 1. A\n- [ ] 1.1 a\u{0}\n"])
        let error = try #require(failure("c", root))
        #expect(error.kind == .environment)
        #expect(error.message.contains("is binary"), "\(error.message)")
        #expect(error.message.contains("offset 19"), "\(error.message)")
    }

    @Test func notUTF8() throws {
        let root = try workTree("plan-latin1", ["c": nil])
        try Data([0x2D, 0x20, 0x5B, 0x20, 0x5D, 0x20, 0xE9, 0x0A])
            .write(to: URL(fileURLWithPath: root.path + "/openspec/changes/c/tasks.md"))
        let error = try #require(failure("c", root))
        #expect(error.kind == .environment)
        #expect(error.message.contains("not UTF-8"), "\(error.message)")
    }

    @Test func overTenMegabytes() throws {
        let root = try workTree("plan-big", ["c": "- [ ] 1.1 a\n"])
        let path = root.path + "/openspec/changes/c/tasks.md"
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: UInt64(10 * 1024 * 1024 + 1))  // sparse: the size check comes before any parse
        try handle.close()
        let error = try #require(failure("c", root))
        #expect(error.kind == .environment)
        #expect(error.message.contains("larger than 10 MB"), "\(error.message)")
    }

    @Test func justUnderTheLimitIsRead() throws {
        let root = try workTree("plan-large", ["c": nil])
        let line = "- [x] 1.1 " + String(repeating: "a", count: 1013) + "\n"  // 1 KiB
        let text = "## 1. Big\n" + String(repeating: line, count: 10 * 1024 - 1)  // 10 MiB - 1014 bytes
        try Data(text.utf8).write(to: URL(fileURLWithPath: root.path + "/openspec/changes/c/tasks.md"))
        let plan = try ChangePlanner.load(change: "c", root: root.path)
        #expect(plan.document.tasks.count == 10 * 1024 - 1)
        #expect(plan.document.mode == "complete")
    }

    @Test(arguments: ["../x", "a/b", "", "-x", ".x", "a..b", "a b", "x\ny", "caf\u{E9}", "archive",
                      String(repeating: "a", count: 101)])
    func badChangeNames(name: String) throws {
        let root = try workTree("plan-names", ["a": "- [ ] 1.1 a\n"])
        let error = try #require(failure(name, root))
        #expect(error.kind == .usage)
        #expect(error.message.hasPrefix("invalid change name '"), "\(error.message)")
        #expect(error.hint?.contains("openspec/changes/") == true)
    }

    @Test func longestNameIsAllowed() throws {
        let name = String(repeating: "a", count: 100)
        let root = try workTree("plan-long", [name: "- [ ] 1.1 a\n"])
        #expect(try ChangePlanner.load(change: name, root: root.path).change == name)
    }
}
