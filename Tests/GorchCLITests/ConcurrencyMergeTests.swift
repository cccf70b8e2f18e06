import Foundation
import GorchTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A gorch process running in the background (stdout/stderr to temp files), so a test can run
/// another gorch while this one holds a lock. SIGKILLed if the test forgets it.
final class BackgroundGorch: @unchecked Sendable {
    let process = Process()
    private let out: String
    private let err: String
    private let exited = DispatchSemaphore(value: 0)
    private var result: ShellResult?

    init(_ arguments: [String], cwd: String, environment: [String: String] = [:]) throws {
        let binary = try #require(GorchBinary.path, "\(GorchBinary.problem)")
        let base = (NSTemporaryDirectory() as NSString).appendingPathComponent("gorch-bg-\(UUID().uuidString)")
        out = base + ".out"
        err = base + ".err"
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = gorchEnvironment.merging(environment) { $1 }
        process.currentDirectoryURL = URL(fileURLWithPath: cwd, isDirectory: true)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle(forWritingAtPath: out)
        process.standardError = FileHandle(forWritingAtPath: err)
        process.terminationHandler = { [exited] _ in exited.signal() }
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }

    /// Waits for the exit; what it printed.
    func finish() -> ShellResult {
        if let result { return result }
        ProcessDeadline.wait(for: process, signalled: exited) // killed past the deadline: the status says so
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        let stdout = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOfFile: err, encoding: .utf8)) ?? ""
        for path in [out, err] { try? FileManager.default.removeItem(atPath: path) }
        let finished = ShellResult(status: status, stdout: stdout, stderr: stderr)
        result = finished
        return finished
    }

    deinit {
        if result == nil {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            _ = finish()
        }
    }
}

/// A validation (or agent) step that records that it started, then waits until the test opens
/// the gate: it keeps a `gorch merge` inside its run (holding the repository lock) for as long
/// as the test needs, without any timing assumption.
final class Gate {
    private let directory: TempDirectory
    var started: String { directory.path + "/started" }
    var file: String { directory.path + "/open" }

    init() throws {
        directory = try TempDirectory(label: "gate")
    }

    /// `sh` text: append a line to `started`, then wait for the gate file.
    var step: String {
        "echo $$ >> '\(started)'; while ! test -e '\(file)'; do sleep 0.05; done"
    }

    /// How many times a step reached the gate.
    var reached: Int {
        ((try? String(contentsOfFile: started, encoding: .utf8)) ?? "").split(separator: "\n").count
    }

    func open() {
        _ = FileManager.default.createFile(atPath: file, contents: Data())
    }

    deinit { open() } // never leave a waiting step behind
}

enum Concurrency {
    /// Polls `condition` every 50 ms for up to `seconds` (a liveness bound, never asserted as a time).
    static func eventually(_ seconds: Double = 120, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            usleep(50_000)
        }
        return try condition()
    }

    /// Launches one gorch process per argument list, all before waiting for any (a thread pool
    /// such as concurrentPerform would run only as many at once as there are cores), then waits
    /// for all; results in the given order.
    static func together(_ invocations: [[String]], cwd: String, environment: [String: String] = [:]) throws -> [ShellResult] {
        let processes = try invocations.map { try BackgroundGorch($0, cwd: cwd, environment: environment) }
        return processes.map { $0.finish() }
    }

    /// After every gorch process ended: no merge run open, the repository lock free, no lock file
    /// of libgit2 left in the git dir, `git fsck` clean.
    static func expectQuiescent(_ repository: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let git = repository + "/.git"
        #expect(!FileManager.default.fileExists(atPath: git + "/gorch/journal.json"), "a merge run is still open",
                sourceLocation: sourceLocation)
        let descriptor = open(git + "/gorch/lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        #expect(descriptor >= 0, sourceLocation: sourceLocation)
        if descriptor >= 0 {
            #expect(flock(descriptor, LOCK_EX | LOCK_NB) == 0, "the repository lock is still held", sourceLocation: sourceLocation)
            flock(descriptor, LOCK_UN)
            close(descriptor)
        }
        let walker = FileManager.default.enumerator(atPath: git)
        var stale: [String] = []
        while let relative = walker?.nextObject() as? String {
            if relative == "gorch" { walker?.skipDescendants(); continue }
            if relative.hasSuffix(".lock") { stale.append(relative) }
        }
        #expect(stale.isEmpty, "lock files left in .git: \(stale)", sourceLocation: sourceLocation)
        let fsck = try Shell.runGit(["fsck", "--no-dangling"], cwd: repository)
        #expect(fsck.status == 0 && fsck.stdout.isEmpty, "git fsck: \(fsck.stdout) \(fsck.stderr)", sourceLocation: sourceLocation)
    }

    /// The subjects of the merge commits on `branch`, newest first.
    static func mergeSubjects(_ repository: String, branch: String = "main") throws -> [String] {
        try Shell.git(["log", "--merges", "--format=%s", branch], cwd: repository).split(separator: "\n").map(String.init)
    }
}

/// Two `gorch merge` at once: one waits (bounded) or exits 3 naming the holder; every task is
/// merged exactly once; nothing is left locked.
@Suite("concurrency: merge against merge", .timeLimit(.minutes(20)))
struct ConcurrencyMergeTests {
    static let ids = ["alpha", "bravo", "charlie", "delta"]

    static func readyProject() throws -> TaskProject {
        let project = try TaskProject()
        for id in ids { try project.agent(id, ["\(id).txt": "\(id)\n"]) }
        return project
    }

    /// Every id merged exactly once into main, each file there, every task `merged`.
    static func expectAllMergedOnce(_ project: TaskProject, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let subjects = try Concurrency.mergeSubjects(project.path)
        for id in ids {
            #expect(subjects.filter { $0.hasPrefix("Merge task/\(id):") }.count == 1, "\(id) merged once: \(subjects)",
                    sourceLocation: sourceLocation)
            #expect(try project.repo.git("show", "main:\(id).txt") == id, sourceLocation: sourceLocation)
            #expect(try project.state(id) == "merged", sourceLocation: sourceLocation)
        }
        #expect(try project.repo.git("status", "--porcelain").isEmpty, sourceLocation: sourceLocation)
        try Concurrency.expectQuiescent(project.path, sourceLocation: sourceLocation)
    }

    @Test("a merge started while another validates: exit 3 naming the holder; with --wait it waits, then finds nothing left")
    func secondMergeDuringValidation() throws {
        let project = try Self.readyProject()
        let gate = try Gate()
        let first = try BackgroundGorch(["merge", "--json", "--validate", gate.step], cwd: project.path)
        #expect(Concurrency.eventually { gate.reached >= 1 }, "the first merge never reached its validation")

        // Bounded wait (default 2 s), then exit 3 naming the live holder; nothing changed.
        let before = try project.rev("main")
        let blocked = try runGorch(["merge", "--json", "--validate", "true"], cwd: project.path)
        #expect(blocked.status == 3, "\(blocked.stdout) \(blocked.stderr)")
        let message = try errorObject(blocked)["message"] as? String ?? ""
        #expect(message.contains("locked by another gorch process") && message.contains("pid \(first.pid)"), "\(message)")
        #expect(try project.rev("main") == before)
        let human = try runGorch(["merge", "--validate", "true"], cwd: project.path)
        #expect(human.status == 3 && human.stderr.contains("pid \(first.pid)"), "\(human.stderr)")

        // A merge willing to wait: it gets the lock once the first run ends and has nothing to do.
        let waiter = try BackgroundGorch(["merge", "--json", "--wait", "600", "--validate", "true"], cwd: project.path)
        usleep(300_000) // lets it reach the lock; the outcome does not depend on it
        gate.open()
        let firstResult = first.finish()
        #expect(firstResult.status == 0, "\(firstResult.stdout) \(firstResult.stderr)")
        let report = try jsonDocument(firstResult)
        #expect((report["tasks"] as? [[String: Any]])?.map { $0["outcome"] as? String } == Array(repeating: "merged", count: 4))
        let waited = waiter.finish()
        #expect(waited.status == 0, "\(waited.stdout) \(waited.stderr)")
        #expect((try jsonDocument(waited)["tasks"] as? [Any])?.isEmpty == true, "the waiting merge found nothing left: \(waited.stdout)")
        #expect(gate.reached == 4, "one validation per task")
        try Self.expectAllMergedOnce(project)
    }

    @Test("two merges launched at the same instant: each exits 0 or 3 naming the holder; every task merged once")
    func twoMergesAtOnce() throws {
        let project = try Self.readyProject()
        let path = project.path
        // `sleep 1` keeps the winner inside its run for seconds: the loser either waits it out or
        // gives up after its bounded wait; both are allowed, nothing else is.
        let results = try Concurrency.together(Array(repeating: ["merge", "--json", "--validate", "sleep 1"], count: 2), cwd: path)
        var merged: [String] = []
        for result in results {
            #expect([0, 3].contains(result.status), "\(result.stdout) \(result.stderr)")
            if result.status == 3 {
                let message = try errorObject(result)["message"] as? String ?? ""
                #expect(message.contains("locked by another gorch process: gorch merge (pid "), "\(message)")
            } else {
                let tasks = try jsonDocument(result)["tasks"] as? [[String: Any]] ?? []
                #expect(tasks.allSatisfy { $0["outcome"] as? String == "merged" }, "\(tasks)")
                merged += tasks.compactMap { $0["id"] as? String }
            }
        }
        #expect(merged.sorted() == Self.ids.sorted(), "each task merged by exactly one of the runs: \(merged)")
        try Self.expectAllMergedOnce(project)
    }
}
