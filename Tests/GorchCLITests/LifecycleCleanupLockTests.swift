import Foundation
import GorchTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `gorch cleanup` and the repository lock.
@Suite("lifecycle: cleanup and the repository lock", .timeLimit(.minutes(20)))
struct LifecycleCleanupLockTests {
    static func actions(_ report: [String: Any]) throws -> [[String: Any]] {
        try #require(report["actions"] as? [[String: Any]])
    }

    static func worktreeList(_ project: TaskProject) throws -> String {
        try project.repo.git("worktree", "list", "--porcelain")
    }

    // MARK: cleanup

    @Test("cleanup --dry-run lists a merged task's worktree and branch without removing them")
    func dryRun() throws {
        let project = try TaskProject()
        try project.agent("kept", ["kept.txt": "1\n"])
        _ = try project.json("merge", "--no-cleanup", "--validate", "true")
        #expect(try project.state("kept") == "merged")

        let report = try project.json("cleanup", "--dry-run")
        #expect(report["dry_run"] as? Bool == true)
        let actions = try Self.actions(report)
        let kinds = actions.filter { $0["task"] as? String == "kept" }.map { $0["kind"] as? String }
        #expect(kinds == ["worktree", "branch"], "\(actions)")
        #expect(actions.allSatisfy { $0["done"] as? Bool == false && isNull($0["skipped"]) })
        #expect(actions.first?["path"] as? String == project.worktree("kept"))
        #expect(project.exists(".worktrees/wt-kept"))
        #expect(try project.branchExists("task/kept"))

        let human = try project.gorch("cleanup", "--dry-run")
        #expect(human.status == 0)
        #expect(human.stdout.contains("would remove"), "\(human.stdout)")
        #expect(project.exists(".worktrees/wt-kept"))
        #expect(try project.branchExists("task/kept"))

        let real = try project.json("cleanup")
        #expect(try Self.actions(real).filter { $0["done"] as? Bool == true }.count == 2)
        #expect(!project.exists(".worktrees/wt-kept"))
        #expect(try !project.branchExists("task/kept"))
        #expect(!(try Self.worktreeList(project)).contains("wt-kept"))
    }

    @Test("a merged task's worktree with a local change is kept (with a reason) unless --force")
    func dirtyMergedWorktree() throws {
        let project = try TaskProject()
        let worktree = try project.agent("edited", ["edited.txt": "1\n"])
        _ = try project.json("merge", "--no-cleanup", "--validate", "true")
        try Data("after the merge\n".utf8).write(to: URL(fileURLWithPath: worktree + "/edited.txt"))

        let dry = try project.json("cleanup", "--dry-run")
        let dryWorktree = try #require(try Self.actions(dry).first { $0["kind"] as? String == "worktree" })
        #expect(dryWorktree["skipped"] is String, "a dry run must predict the refusal: \(dryWorktree)")

        let report = try project.json("cleanup")
        let action = try #require(try Self.actions(report).first { $0["kind"] as? String == "worktree" })
        #expect(action["task"] as? String == "edited")
        #expect(action["done"] as? Bool == false)
        let reason = try #require(action["skipped"] as? String, "\(action)")
        #expect(reason.contains("--force"), "\(reason)")
        #expect(try String(contentsOfFile: worktree + "/edited.txt", encoding: .utf8) == "after the merge\n")
        #expect(try project.branchExists("task/edited"))

        let human = try project.gorch("cleanup")
        #expect(human.status == 0)
        #expect(human.stdout.contains("kept"), "\(human.stdout)")

        let forced = try project.json("cleanup", "--force")
        #expect(try Self.actions(forced).filter { $0["task"] as? String == "edited" }.allSatisfy { $0["done"] as? Bool == true })
        #expect(!project.exists(".worktrees/wt-edited"))
        #expect(try !project.branchExists("task/edited"))
        try project.expectConsistent()
    }

    @Test("a failed task's worktree survives plain cleanup; --force removes the worktree but keeps task/<id>")
    func failedTask() throws {
        let project = try TaskProject()
        let worktree = try project.agent("broken", ["broken.txt": "1\n"])
        let tip = try project.rev("task/broken")
        _ = try project.json("merge", "--validate", "false", status: 1)
        #expect(try project.state("broken") == "failed")

        let plain = try project.json("cleanup")
        #expect(try Self.actions(plain).allSatisfy { $0["task"] as? String != "broken" || $0["done"] as? Bool == false })
        #expect(FileManager.default.fileExists(atPath: worktree + "/broken.txt"))
        #expect(try project.branchExists("task/broken"))

        let merged = try project.json("cleanup", "--merged")
        #expect(try Self.actions(merged).isEmpty)
        #expect(project.exists(".worktrees/wt-broken"))

        let forced = try project.json("cleanup", "--force")
        let actions = try Self.actions(forced).filter { $0["task"] as? String == "broken" }
        #expect(actions.map { $0["kind"] as? String } == ["worktree"], "\(actions)")
        #expect(!project.exists(".worktrees/wt-broken"))
        #expect(!(try Self.worktreeList(project)).contains("wt-broken"))
        #expect(try project.rev("task/broken") == tip, "the branch (the work) always stays")
        #expect(try project.state("broken") == "failed")
        // The work can be picked up again.
        let restart = try project.gorch("start", "broken")
        #expect(restart.status == 0)
        #expect(FileManager.default.fileExists(atPath: worktree + "/broken.txt"))
    }

    @Test("cleanup --stale prunes the record of a worktree folder deleted by hand; the branch stays")
    func stale() throws {
        let project = try TaskProject()
        let worktree = try project.agent("gone", ["gone.txt": "1\n"], done: false)
        let tip = try project.rev("task/gone")
        try FileManager.default.removeItem(atPath: worktree)
        #expect(try Self.worktreeList(project).contains("wt-gone"))

        let dry = try project.json("cleanup", "--stale", "--dry-run")
        #expect(try Self.actions(dry).map { $0["kind"] as? String } == ["record"])
        #expect(try Self.worktreeList(project).contains("wt-gone"))

        let report = try project.json("cleanup", "--stale")
        let actions = try Self.actions(report)
        #expect(actions.count == 1, "\(actions)")
        #expect(actions.first?["kind"] as? String == "record")
        #expect(actions.first?["task"] as? String == "gone")
        #expect(actions.first?["done"] as? Bool == true)
        #expect(!(try Self.worktreeList(project)).contains("wt-gone"))
        #expect(!FileManager.default.fileExists(atPath: project.repo.absolute(".git/worktrees/wt-gone")))
        #expect(try project.rev("task/gone") == tip)

        let again = try project.json("cleanup", "--stale")
        #expect(try Self.actions(again).isEmpty)
        let human = try project.gorch("cleanup")
        #expect(human.stdout.contains("nothing to clean up"))
    }

    // MARK: repository lock

    /// A background process started by the test, killed by its pid.
    final class Background {
        let process = Process()
        private var launched = false
        private var killed = false

        /// A file the helper writes its own pid into (`echo $$ > file`), so its descendant is
        /// killed too: Foundation's Process only reports the exit once every descendant is gone.
        let childPidFile: String?

        init(_ executable: String, _ arguments: [String], cwd: String, childPidFile: String? = nil) throws {
            self.childPidFile = childPidFile
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            process.environment = gorchEnvironment
            process.currentDirectoryURL = URL(fileURLWithPath: cwd, isDirectory: true)
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            launched = true
        }

        func kill9() {
            guard launched, !killed else { return }
            killed = true
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            if let childPidFile { LifecycleCleanupLockTests.killRecorded(childPidFile) }
            process.waitUntilExit()
        }

        deinit { kill9() }
    }

    /// Waits until `condition` holds, up to `seconds`.
    static func eventually(_ seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            usleep(50_000)
        }
        return try condition()
    }

    /// Kills the process whose pid a helper script wrote into `file`, if it is still there.
    static func killRecorded(_ file: String) {
        if let pid = recordedPid(file) { kill(pid, SIGKILL) }
    }

    static func recordedPid(_ file: String) -> Int32? {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8),
              let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 1 else { return nil }
        return pid
    }

    @Test("while another process holds the lock, merge exits 3 (locked by another gorch process); after SIGKILL of the holder it works")
    func lockHeldByFlock() throws {
        let flock = try #require(Shell.which("flock"), "util-linux flock is needed for this test")
        let project = try TaskProject()
        try project.agent("one", ["one.txt": "1\n"])
        let lockFile = project.repo.absolute(".git/gorch/lock")
        let scratch = try TempDirectory(label: "lifecycle-lock")
        let childPid = scratch.path + "/child.pid"
        // -o: the lock is held by flock itself, not by its child, so SIGKILL of flock frees it.
        let holder = try Background(flock, ["-o", lockFile, "sh", "-c", "echo $$ > \(childPid); exec sleep 60"],
                                    cwd: project.path, childPidFile: childPid)
        defer { holder.kill9() }
        #expect(Self.eventually(10) { Self.recordedPid(childPid) != nil })
        #expect(try Shell.run(flock, ["-n", lockFile, "true"]).status != 0, "the helper does not hold the lock")

        let before = try project.rev("main")
        let blocked = try runGorch(["merge", "--validate", "true", "--json"], cwd: project.path)
        #expect(blocked.status == 3, "\(blocked.stdout) \(blocked.stderr)")
        let error = try errorObject(blocked)
        #expect(error["kind"] as? String == "environment")
        #expect((error["message"] as? String ?? "").contains("locked by another gorch process"), "\(blocked.stdout)")
        #expect(try project.rev("main") == before)
        #expect(try project.state("one") == "ready")

        let human = try project.gorch("merge", "--validate", "true")
        #expect(human.status == 3)
        #expect(human.stderr.contains("locked by another gorch process"), "\(human.stderr)")

        // cleanup takes the same lock (it waits a little, then gives up).
        let cleanup = try runGorch(["cleanup", "--json"], cwd: project.path)
        #expect(cleanup.status == 3)

        holder.kill9()
        let report = try project.json("merge", "--validate", "true")
        #expect((report["tasks"] as? [[String: Any]])?.first?["outcome"] as? String == "merged")
        #expect(try project.state("one") == "merged")
        #expect(try project.rev("main") != before)
        try project.expectConsistent()
    }

    @Test("a second merge during a running merge exits 3 naming the holder; after SIGKILL of the holder --continue takes over")
    func lockHeldByRunningMerge() throws {
        let project = try TaskProject()
        try project.agent("slow", ["slow.txt": "1\n"])
        let binary = try #require(GorchBinary.path, "\(GorchBinary.problem)")
        let scratch = try TempDirectory(label: "lifecycle-lock-merge")
        let pidFile = scratch.path + "/validate.pid"
        let release = scratch.path + "/go"
        let before = try project.rev("main")
        // The validation blocks until the test creates `go` (it never does for the first run).
        let step = "echo $$ > \(pidFile); test -e \(release) || exec sleep 60"
        let holder = try Background(binary, ["merge", "--validate", step], cwd: project.path, childPidFile: pidFile)
        defer { holder.kill9() }
        #expect(Self.eventually(60) { Self.recordedPid(pidFile) != nil }, "the first merge never reached validation")
        let holderPid = holder.process.processIdentifier

        let blocked = try runGorch(["merge", "--json"], cwd: project.path)
        #expect(blocked.status == 3, "\(blocked.stdout) \(blocked.stderr)")
        let message = try errorObject(blocked)["message"] as? String ?? ""
        #expect(message.contains("locked by another gorch process"), "\(message)")
        #expect(message.contains("pid \(holderPid)"), "the message should name the holder: \(message)")
        let running = try project.json("status")
        #expect((running["interrupted"] as? [String: Any])?["reason"] as? String == "running")

        holder.kill9()
        #expect(try project.rev("main") == before, "killed before the target moved")

        // The dead run is seen (exit 3, not a lock error); --continue takes the lock over and finishes.
        let plain = try runGorch(["merge", "--json"], cwd: project.path)
        #expect(plain.status == 3)
        let plainMessage = try errorObject(plain)["message"] as? String ?? ""
        #expect(plainMessage.contains("interrupted") && !plainMessage.contains("locked"), "\(plainMessage)")

        _ = FileManager.default.createFile(atPath: release, contents: Data())
        let resumed = try project.json("merge", "--continue")
        #expect((resumed["tasks"] as? [[String: Any]])?.first?["outcome"] as? String == "merged", "\(resumed)")
        #expect(try project.state("slow") == "merged")
        #expect(try project.rev("main") != before)
        #expect(isNull(try project.json("status")["interrupted"]))
        try project.expectConsistent()
    }
}
