import Foundation
import GorchTestSupport
import Testing

/// gorch's state is the user's alone (`.git/gorch` 0700, its files 0600), and what gorch keeps
/// to itself (GORCH_FAULT, the Agent Mail URL and token) never reaches the commands it runs.
@Suite("security: private state and child environments", .timeLimit(.minutes(20)))
struct SecurityPrivateStateTests {
    /// Every directory under `.git/gorch` whose mode is not 0700 and every file not 0600, as
    /// "relative path: mode". Skipped on purpose (PrivateState): the validation worktree's
    /// checkout (git's modes; its `.git` link is gorch's and is checked) and hook backups
    /// (the hook's own mode, restored on uninstall).
    static func openEntries(_ root: String) -> [String] {
        var found: [String] = []
        func check(_ relative: String, directory: Bool) {
            let path = relative.isEmpty ? root : root + "/" + relative
            var info = stat()
            guard lstat(path, &info) == 0 else { return }
            let mode = info.st_mode & 0o777
            if mode != (directory ? 0o700 : 0o600) { found.append("\(relative.isEmpty ? "." : relative): \(String(mode, radix: 8))") }
        }
        check("", directory: true)
        let walker = FileManager.default.enumerator(atPath: root)
        while let relative = walker?.nextObject() as? String {
            if relative == "validate" {
                check("validate/.git", directory: false)
                walker?.skipDescendants()
                continue
            }
            if relative.hasPrefix("hooks-backup/") && !relative.hasSuffix(".absent") { continue }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root + "/" + relative, isDirectory: &isDirectory) else { continue }
            check(relative, directory: isDirectory.boolValue)
        }
        return found
    }

    @Test("after init, add, start, run, done, merge, hook, sync, batch, conflicts: .git/gorch 0700, its files 0600")
    func stateIsPrivate() throws {
        let project = try TaskProject()
        let results = try SecurityTokenTests.everyCommand(project, environment: [:])
        try SecurityTokenTests.expectLogsWritten(project, results)
        let conflicts = try project.gorch("conflicts", "main", "main~1")
        #expect(conflicts.status == 0, "\(conflicts.stderr)")
        let root = project.path + "/.git/gorch"
        let files = (FileManager.default.enumerator(atPath: root)?.allObjects as? [String]) ?? []
        for written in ["tasks.json", "lock", "logs/alpha.log", "logs/bravo.agent.log", "logs/alpha.setup.log",
                        "verdicts", "validate/.git", "validate.keep"] {
            #expect(files.contains(written), "\(written) was not written: \(files.sorted())")
        }
        #expect(Self.openEntries(root).isEmpty, "open to others: \(Self.openEntries(root))")
    }

    @Test("a .git/gorch an older gorch left 0755 (files 0644) is private after the next run")
    func existingStateIsTightened() throws {
        let project = try TaskProject()
        #expect(try project.gorch("add", "alpha", "--files", "alpha.txt").status == 0)
        let root = project.path + "/.git/gorch"
        #expect(chmod(root, 0o755) == 0 && chmod(root + "/tasks.json", 0o644) == 0 && chmod(root + "/tasks.lock", 0o644) == 0)
        #expect(try project.gorch("status").status == 0)
        #expect(!Self.openEntries(root).contains { $0.hasPrefix(".:") }, "any command tightens the folder: \(Self.openEntries(root))")
        #expect(try project.gorch("add", "bravo", "--files", "bravo.txt").status == 0)
        #expect(Self.openEntries(root).isEmpty, "a rewritten store is 0600: \(Self.openEntries(root))")
    }

    @Test("validation, setup and agent commands see neither GORCH_FAULT nor the Agent Mail URL or token")
    func childrenDoNotInheritGorchsOwnVariables() throws {
        let project = try TaskProject()
        let port = try AgentMailServer.freePort()
        // A fault point that does not exist: gorch itself must run through.
        let environment = ["GORCH_FAULT": "no.such-point", "GORCH_AGENT_MAIL_URL": "http://127.0.0.1:\(port)/mcp/",
                           "GORCH_AGENT_MAIL_TOKEN": SecurityTokenTests.token]
        let results = try SecurityTokenTests.everyCommand(project, environment: environment)
        try SecurityTokenTests.expectLogsWritten(project, results)
        for file in ["alpha.log", "bravo.agent.log", "alpha.setup.log"] {
            let text = (try? String(contentsOfFile: project.path + "/.git/gorch/logs/" + file, encoding: .utf8)) ?? ""
            for name in ["GORCH_FAULT=", "GORCH_AGENT_MAIL_URL=", "GORCH_AGENT_MAIL_TOKEN="] {
                #expect(!text.contains(name), "\(file) shows the child got \(name)")
            }
        }
    }
}
