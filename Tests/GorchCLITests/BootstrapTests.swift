import Foundation
import GorchTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `gorch start`'s copy/setup/port bootstrap (gorch.copy, gorch.setup, GORCH_PORT).
@Suite("bootstrap: copy, port, setup", .timeLimit(.minutes(20)))
struct BootstrapTests {
    static func read(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    static func mode(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int
    }

    /// Whether anything (a dangling symlink too) is at `path`.
    static func present(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    static func start(_ project: TaskProject, _ id: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let json = try project.json("start", id, sourceLocation: sourceLocation)
        #expect(json["created"] as? Bool == true, sourceLocation: sourceLocation)
        return json
    }

    /// A project whose setup writes "$GORCH_PORT $GORCH_TASK_ID" to setup.out in the worktree.
    static func portProject(base: Int, label: String = #function) throws -> TaskProject {
        let project = try TaskProject(label: label)
        try project.repo.git("config", "gorch.portBase", String(base))
        try project.repo.git("config", "--add", "gorch.setup", "printf '%s %s' \"$GORCH_PORT\" \"$GORCH_TASK_ID\" > setup.out")
        return project
    }

    static func port(_ project: TaskProject, _ id: String) -> Int? {
        guard let text = read((project.worktree(id) as NSString).appendingPathComponent("setup.out")) else { return nil }
        let parts = text.split(separator: " ")
        guard parts.count == 2, parts[1] == id else { return nil }
        return Int(parts[0])
    }

    @Test(".worktreeinclude: the ignored files it matches are copied, untracked or tracked ones it matches are not")
    func worktreeInclude() throws {
        let project = try TaskProject()
        project.repo.write(".gitignore", ".env*\n*.local.json\n")
        project.repo.write(".worktreeinclude", ".env*\n!.env.test\nconfig/*.json\n")
        project.repo.write("config/app.json", "{\"tracked\": true}\n")
        try project.repo.commitAll("ignore env files; include some")
        project.repo.write(".env", "TOKEN=abc\n")
        project.repo.write(".env.test", "TOKEN=test\n")
        project.repo.write("config/dev.local.json", "{\"local\": true}\n")
        project.repo.write("config/notes.json", "untracked, not ignored\n")
        let json = try Self.start(project, "t1")
        let worktree = project.worktree("t1")
        #expect(Self.read(worktree + "/.env") == "TOKEN=abc\n")
        #expect(Self.read(worktree + "/config/dev.local.json") == "{\"local\": true}\n")
        #expect(!Self.present(worktree + "/.env.test"))
        #expect(!Self.present(worktree + "/config/notes.json"))
        #expect(Self.read(worktree + "/config/app.json") == "{\"tracked\": true}\n")
        let copied = ((json["bootstrap"] as? [String: Any])?["copied"] as? [String]) ?? []
        #expect(Set(copied) == [".env", "config/dev.local.json"])
    }

    @Test("an ignored .env and an untracked config/*.json are copied with their mode; tracked files come from the checkout")
    func copiesIgnoredAndUntracked() throws {
        let project = try TaskProject()
        project.repo.write(".gitignore", ".env\nsecrets/\n")
        project.repo.write("config/app.json", "{\"tracked\": true}\n")
        try project.repo.commitAll("ignore .env, tracked config")
        project.repo.write(".env", "TOKEN=abc\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: project.repo.absolute(".env"))
        project.repo.write("config/local.json", "{\"local\": true}\n")
        project.repo.write("config/app.json", "{\"tracked\": \"edited in main\"}\n")  // tracked, uncommitted edit
        project.repo.write("secrets/dev/key.pem", "KEY\n")
        project.repo.write("secrets/run.sh", "#!/bin/sh\n")
        project.repo.setExecutable("secrets/run.sh", true)
        project.repo.write("notes.txt", "not matched\n")
        try project.repo.git("config", "--add", "gorch.copy", ".env")
        try project.repo.git("config", "--add", "gorch.copy", "config/*.json")
        try project.repo.git("config", "--add", "gorch.copy", "secrets")

        let json = try Self.start(project, "t1")
        #expect((json["warnings"] as? [String]) == [])
        let worktree = project.worktree("t1")
        func inside(_ path: String) -> String { (worktree as NSString).appendingPathComponent(path) }
        #expect(Self.read(inside(".env")) == "TOKEN=abc\n")
        #expect(Self.mode(inside(".env")) == 0o600)
        #expect(Self.read(inside("config/local.json")) == "{\"local\": true}\n")
        #expect(Self.read(inside("config/app.json")) == "{\"tracked\": true}\n", "a tracked file is never copied over the checkout")
        #expect(Self.read(inside("secrets/dev/key.pem")) == "KEY\n")
        #expect(Self.mode(inside("secrets/run.sh")) == 0o755)
        #expect(!Self.present(inside("notes.txt")))
        // The copies are ignored or untracked in the worktree as they were in main: the task is clean.
        let status = try Shell.git(["status", "--porcelain", "--ignored=no", "--untracked-files=no"], cwd: worktree)
        #expect(status.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(status)")
    }

    @Test("a file already in the worktree is never overwritten")
    func existingFileKept() throws {
        let project = try TaskProject()
        try project.repo.git("config", "--add", "gorch.copy", "local.cfg")
        try project.gorch("start", "t1")
        try project.commit(in: project.worktree("t1"), ["local.cfg": "from the branch\n"], message: "branch copy")
        // main has its own, untracked local.cfg; the worktree is recreated from the branch.
        project.repo.write("local.cfg", "from main\n")
        try FileManager.default.removeItem(atPath: project.worktree("t1"))
        _ = try Self.start(project, "t1")
        #expect(Self.read((project.worktree("t1") as NSString).appendingPathComponent("local.cfg")) == "from the branch\n")
        #expect(Self.read(project.repo.absolute("local.cfg")) == "from main\n")
    }

    @Test("a symlink out of the repository is not followed nor copied, and named in start's warnings; one inside is copied as a symlink")
    func symlinks() throws {
        let project = try TaskProject()
        project.repo.write(".gitignore", ".env\n.env.*\nlinks/\n")
        try project.repo.commitAll("ignore")
        project.repo.symlink(".env", to: "/etc/hostname")
        project.repo.symlink(".env.up", to: "../outside-secret")
        project.repo.write("links/real.txt", "real\n")
        project.repo.symlink("links/inside", to: "real.txt")
        project.repo.symlink(".env.local", to: "app/config.txt")
        try project.repo.git("config", "--add", "gorch.copy", ".env*")
        try project.repo.git("config", "--add", "gorch.copy", "links")

        let json = try Self.start(project, "t1")
        let worktree = project.worktree("t1")
        func inside(_ path: String) -> String { (worktree as NSString).appendingPathComponent(path) }
        #expect(!Self.present(inside(".env")))
        #expect(!Self.present(inside(".env.up")))
        let warnings = (json["warnings"] as? [String]) ?? []
        #expect(warnings.contains { $0.contains(".env:") && $0.contains("/etc/hostname") && $0.contains("outside") }, "\(warnings)")
        #expect(warnings.contains { $0.contains(".env.up:") && $0.contains("outside") }, "\(warnings)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: inside("links/inside")) == "real.txt")
        #expect(Self.read(inside("links/inside")) == "real\n")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: inside(".env.local")) == "app/config.txt")
    }

    @Test("setup commands run in the worktree in order with GORCH_PORT, GORCH_TASK_ID, GORCH_BRANCH and GORCH_WORKTREE; output goes to the setup log")
    func setupRuns() throws {
        let project = try Self.portProject(base: 47100)
        try project.repo.git("config", "--add", "gorch.setup", "echo >> setup.out; echo \"$GORCH_BRANCH|$GORCH_WORKTREE|{id}\" >> setup.out; echo setup-output")
        _ = try Self.start(project, "t1")
        let text = Self.read((project.worktree("t1") as NSString).appendingPathComponent("setup.out")) ?? ""
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "\(text)")
        let first = lines.first?.split(separator: " ") ?? []
        #expect(first.count == 2 && first.last == "t1", "\(text)")
        #expect((Int(first.first ?? "") ?? 0) >= 47100)
        #expect(lines.last == "task/t1|\(project.worktree("t1"))|t1", "\(text)")
        let log = project.repo.absolute(".git/gorch/logs/t1.setup.log")
        #expect(Self.read(log)?.contains("setup-output") == true)
    }

    @Test("two tasks get different ports; a task started again (worktree folder deleted) gets its port back; a busy port is passed over")
    func stablePorts() throws {
        // Something listens on the base port: no task may get it.
        let base = 47200
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(base).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        let listening = bound == 0 && listen(listener, 1) == 0

        let project = try Self.portProject(base: base)
        _ = try Self.start(project, "a")
        _ = try Self.start(project, "b")
        let a = try #require(Self.port(project, "a"))
        let b = try #require(Self.port(project, "b"))
        #expect(a != b)
        #expect(a >= base && b >= base)
        if listening { #expect(a != base && b != base, "port \(base) is in use") }

        try FileManager.default.removeItem(atPath: project.worktree("a"))
        _ = try Self.start(project, "a")
        #expect(Self.port(project, "a") == a)
        let table = try jsonObject(Self.read(project.repo.absolute(".git/gorch/ports.json")) ?? "")
        #expect(table["a"] as? Int == a && table["b"] as? Int == b)
    }

    @Test("concurrent starts never share a port")
    func concurrentPorts() throws {
        let project = try Self.portProject(base: 47300)
        let ids = ["c1", "c2", "c3", "c4"]
        let results = LifecycleResults<Int32>()
        let path = project.path
        DispatchQueue.concurrentPerform(iterations: ids.count) { index in
            results.append((try? runGorch(["start", ids[index]], cwd: path))?.status ?? -1)
        }
        #expect(results.values.allSatisfy { $0 == 0 }, "\(results.values)")
        let ports = ids.compactMap { Self.port(project, $0) }
        #expect(ports.count == ids.count)
        #expect(Set(ports).count == ids.count, "\(ports)")
    }

    @Test("a failing setup keeps the worktree and the task started: exit 0 with a warning naming the log; later commands do not run")
    func failingSetupKeepsWorktree() throws {
        let project = try TaskProject()
        try project.repo.git("config", "--add", "gorch.setup", "echo boom; exit 3")
        try project.repo.git("config", "--add", "gorch.setup", "touch second-ran")
        let result = try project.gorch("start", "t1")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == project.worktree("t1"))
        #expect(result.stderr.contains("warning:") && result.stderr.contains("exited 3") && result.stderr.contains("t1.setup.log"),
                "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: project.worktree("t1") + "/README.md"))
        #expect(!Self.present(project.worktree("t1") + "/second-ran"))
        #expect(Self.read(project.repo.absolute(".git/gorch/logs/t1.setup.log"))?.contains("boom") == true)
        #expect(try project.state("t1") == "started")
        // Re-running start prints the existing worktree and does not run the setup again.
        let again = try project.json("start", "t1")
        #expect(again["created"] as? Bool == false)
    }

    @Test("the validation worktree gets copy + setup when created (GORCH_TASK_ID = the task validated), not again for the next task")
    func validationWorktree() throws {
        let project = try TaskProject()
        project.repo.write(".gitignore", ".env\nsetup.runs\n")
        try project.repo.commitAll("ignore .env and the setup's file")
        project.repo.write(".env", "TOKEN=abc\n")
        try project.repo.git("config", "--add", "gorch.copy", ".env")
        try project.repo.git("config", "--add", "gorch.setup", "echo \"$GORCH_TASK_ID\" >> setup.runs")
        try project.agent("v1", ["one.txt": "one\n"])
        try project.agent("v2", ["two.txt": "two\n"])
        let merge = try project.gorch("merge", "v1", "v2", "--validate", "test -f .env")
        #expect(merge.status == 0, "\(merge.stderr)")
        let validate = project.repo.absolute(".git/gorch/validate")
        #expect(Self.read(validate + "/.env") == "TOKEN=abc\n")
        #expect(Self.read(validate + "/setup.runs") == "v1\n")
    }
}
