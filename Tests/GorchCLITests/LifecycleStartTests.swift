import Foundation
import GorchTestSupport
import Testing

/// Collects results from concurrently running closures.
final class LifecycleResults<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [T] = []

    func append(_ value: T) {
        lock.lock()
        storage.append(value)
        lock.unlock()
    }

    var values: [T] {
        lock.lock()
        defer { lock.unlock() }
        return storage
    }
}

/// `gorch start`: branch, worktree, idempotence, folders in the way, concurrency.
@Suite("lifecycle: start", .timeLimit(.minutes(20)))
struct LifecycleStartTests {
    /// The linked worktrees git knows about: path -> branch (refs/heads/...).
    static func gitWorktrees(_ project: TaskProject) throws -> [String: String] {
        let porcelain = try project.repo.git("worktree", "list", "--porcelain")
        var result: [String: String] = [:]
        for block in porcelain.components(separatedBy: "\n\n") {
            let lines = block.split(separator: "\n").map(String.init)
            guard let path = lines.first(where: { $0.hasPrefix("worktree ") })?.dropFirst(9) else { continue }
            result[String(path)] = lines.first(where: { $0.hasPrefix("branch ") }).map { String($0.dropFirst(7)) } ?? ""
        }
        return result
    }

    @Test("start prints only the worktree path, creates task/<id> at main and .worktrees/wt-<id>; the main checkout stays clean")
    func startCreatesBranchAndWorktree() throws {
        let project = try TaskProject()
        let main = try project.rev("main")
        let result = try project.gorch("start", "feature")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == project.worktree("feature") + "\n", "stdout must be the path alone: \(result.stdout.debugDescription)")
        #expect(try project.rev("task/feature") == main)
        let worktrees = try Self.gitWorktrees(project)
        #expect(worktrees[project.worktree("feature")] == "refs/heads/task/feature", "\(worktrees)")
        #expect(try Shell.git(["rev-parse", "--abbrev-ref", "HEAD"], cwd: project.worktree("feature")) == "task/feature")
        #expect(FileManager.default.fileExists(atPath: project.worktree("feature") + "/app/config.txt"))
        #expect(try project.repo.git("status", "--porcelain").isEmpty, "the worktree folder must be excluded")
        #expect(try project.repo.git("status", "--porcelain", "--ignored=no", "-uall").isEmpty)
        // The first start records the target, as init would.
        #expect(try project.repo.git("config", "gorch.target") == "main")
        #expect(try project.state("feature") == "started")
        // cd "$(gorch start ID)" works from inside another directory too.
        let fromSub = try runGorch(["start", "feature"], cwd: project.repo.absolute("app"))
        #expect(fromSub.stdout == project.worktree("feature") + "\n")
        try project.expectConsistent()
    }

    @Test("start --json has the keys id, branch, worktree, created, base, target, state, warnings in order; a second start changes nothing")
    func startJSONAndIdempotence() throws {
        let project = try TaskProject()
        let main = try project.rev("main")
        let first = try runGorch(["start", "feature", "--json"], cwd: project.path)
        #expect(first.status == 0)
        let keys = ["id", "branch", "worktree", "created", "base", "target", "state", "warnings", "bootstrap"]
        #expect(keysAppearInOrder(keys, in: first.stdout), "\(first.stdout)")
        let report = try jsonDocument(first)
        #expect(Set(report.keys) == Set(keys))
        #expect(report["id"] as? String == "feature")
        #expect(report["branch"] as? String == "task/feature")
        #expect(report["worktree"] as? String == project.worktree("feature"))
        #expect(report["created"] as? Bool == true)
        #expect(report["base"] as? String == main)
        #expect(report["target"] as? String == "main")
        #expect(report["state"] as? String == "started")

        // Work in the worktree; a second start keeps it as it is.
        try project.commit(in: project.worktree("feature"), ["feature.txt": "v1\n"], message: "feature")
        try Data("local edit\n".utf8).write(to: URL(fileURLWithPath: project.worktree("feature") + "/README.md"))
        let tip = try project.rev("task/feature")
        let refsBefore = try project.repo.git("for-each-ref")
        let again = try project.json("start", "feature")
        #expect(again["created"] as? Bool == false)
        #expect(again["worktree"] as? String == project.worktree("feature"))
        #expect(isNull(again["base"]))
        let human = try project.gorch("start", "feature")
        #expect(human.status == 0)
        #expect(human.stdout == project.worktree("feature") + "\n")
        #expect(try project.rev("task/feature") == tip)
        #expect(try project.repo.git("for-each-ref") == refsBefore)
        #expect(try String(contentsOfFile: project.worktree("feature") + "/README.md", encoding: .utf8) == "local edit\n")
        #expect(try Self.gitWorktrees(project).count == 2)
    }

    @Test("start --base REV branches from that revision")
    func startWithBase() throws {
        let project = try TaskProject()
        let old = try project.rev("main")
        project.repo.write("later.txt", "later\n")
        try project.repo.commitAll("later")
        let report = try project.json("start", "old-work", "--base", old)
        #expect(report["base"] as? String == old)
        #expect(try project.rev("task/old-work") == old)
        #expect(!FileManager.default.fileExists(atPath: project.worktree("old-work") + "/later.txt"))

        let tag = try project.json("start", "from-parent", "--base", "main~1")
        #expect(tag["base"] as? String == old)

        let bad = try runGorch(["start", "nowhere", "--base", "no-such-rev", "--json"], cwd: project.path)
        #expect(bad.status == 2)
        #expect((try errorObject(bad)["message"] as? String ?? "").contains("no-such-rev"))
        #expect(try !project.branchExists("task/nowhere"))
        #expect(!project.exists(".worktrees/wt-nowhere"))
    }

    @Test("a plain folder at .worktrees/wt-<id> is refused with exit 3 and left untouched")
    func folderInTheWay() throws {
        let project = try TaskProject()
        project.repo.write(".worktrees/wt-blocked/precious.txt", "do not touch\n")
        project.repo.write(".worktrees/wt-blocked/sub/more.txt", "more\n")
        let result = try runGorch(["start", "blocked", "--json"], cwd: project.path)
        #expect(result.status == 3)
        let error = try errorObject(result)
        #expect(error["kind"] as? String == "environment")
        #expect((error["message"] as? String ?? "").contains(project.worktree("blocked")))
        #expect(try FileManager.default.contentsOfDirectory(atPath: project.worktree("blocked")).sorted() == ["precious.txt", "sub"])
        #expect(project.repo.read(".worktrees/wt-blocked/precious.txt") == Data("do not touch\n".utf8))
        #expect(project.repo.read(".worktrees/wt-blocked/sub/more.txt") == Data("more\n".utf8))
        #expect(try !project.branchExists("task/blocked"), "a refused start must not leave a branch behind")
        #expect(try Self.gitWorktrees(project).count == 1)
        // Human mode: nothing on stdout (no path to cd into).
        let human = try project.gorch("start", "blocked")
        #expect(human.status == 3 && human.stdout.isEmpty)
    }

    @Test("a worktree folder deleted by hand is recreated from the branch, with its commits")
    func deletedWorktreeRecreated() throws {
        let project = try TaskProject()
        let worktree = try project.agent("lost", ["lost.txt": "work\n"], done: false)
        let tip = try project.rev("task/lost")
        try FileManager.default.removeItem(atPath: worktree)
        let report = try project.json("start", "lost")
        #expect(report["created"] as? Bool == true)
        #expect(report["worktree"] as? String == worktree)
        #expect(try project.rev("task/lost") == tip)
        #expect(try String(contentsOfFile: worktree + "/lost.txt", encoding: .utf8) == "work\n")
        #expect(try Shell.git(["rev-parse", "HEAD"], cwd: worktree) == tip)
        #expect(try Shell.git(["status", "--porcelain"], cwd: worktree).isEmpty)
        #expect(try Self.gitWorktrees(project)[worktree] == "refs/heads/task/lost")
        try project.expectConsistent()
    }

    @Test("starting a merged task is refused")
    func startMergedTask() throws {
        let project = try TaskProject()
        try project.agent("shipped", ["shipped.txt": "1\n"])
        _ = try project.json("merge", "--validate", "true")
        #expect(try project.state("shipped") == "merged")
        let result = try runGorch(["start", "shipped", "--json"], cwd: project.path)
        #expect(result.status == 2, "\(result.stdout)")
        #expect((try errorObject(result)["message"] as? String ?? "").contains("merged"))
        #expect(try !project.branchExists("task/shipped"))
        #expect(!project.exists(".worktrees/wt-shipped"))
        #expect(try project.state("shipped") == "merged")
    }

    /// PRODUCT BUG (found by this test, intermittent per round, so the test repeats the race):
    /// concurrent `gorch start` of *different* ids is not serialised around the repository-wide
    /// steps. In roughly one round in five one or more starts exit 3 with
    ///   `error: reference is already checked out (git_worktree_add)` (for its own, just-created
    ///   branch, which is then left behind without a task record), or
    ///   `error: failed to make directory '.../.git/worktrees': directory exists (git_worktree_add)`,
    /// and, when gorch.target is not yet set (no `gorch init`: every start writes it),
    ///   `error: failed to create locked file '.../.git/config.lock': File exists (git_config_set_string)`.
    /// TaskStarter only takes the per-id lock `locks/start-<id>.lock`; worktree creation and the
    /// config write race with the other ids' starts.
    @Test("four starts of different ids at once all succeed (repeated: with and without a prior init)")
    func concurrentStartsOfDifferentIDs() throws {
        let ids = ["alpha", "bravo", "charlie", "delta"]
        var failures: [String] = []
        for round in 0..<16 {
            let project = try TaskProject()
            if round.isMultiple(of: 2) { try project.gorch("init") }
            let path = project.path
            let results = LifecycleResults<(String, Result<ShellResult, any Error>)>()
            DispatchQueue.concurrentPerform(iterations: ids.count) { index in
                results.append((ids[index], Result { try runGorch(["start", ids[index]], cwd: path) }))
            }
            for (id, outcome) in results.values {
                let result = try outcome.get()
                if result.status != 0 || result.stdout != project.worktree(id) + "\n" {
                    failures.append("round \(round)\(round.isMultiple(of: 2) ? " (after init)" : ""): start \(id) exited \(result.status): "
                                    + result.stderr.trimmingCharacters(in: .whitespacesAndNewlines))
                }
            }
            let tasks = try #require(try project.json("status")["tasks"] as? [[String: Any]])
            let worktrees = try Self.gitWorktrees(project)
            let missing = ids.filter { id in
                !tasks.contains { $0["id"] as? String == id && $0["state"] as? String == "started" }
                    || worktrees[project.worktree(id)] != "refs/heads/task/\(id)"
            }
            if !missing.isEmpty { failures.append("round \(round): not started afterwards: \(missing)") }
            #expect(try project.repo.git("config", "--get-all", "gorch.target") == "main")
            let exclude = try String(contentsOfFile: project.repo.absolute(".git/info/exclude"), encoding: .utf8)
            #expect(exclude.split(separator: "\n").filter { $0 == "/.worktrees/" }.count == 1)
            #expect(try project.repo.git("status", "--porcelain").isEmpty)
            try project.expectConsistent()
        }
        #expect(failures.isEmpty, "concurrent starts failed:\n\(failures.joined(separator: "\n"))")
    }

    @Test("the same id started three times at once gives one worktree; all exit 0 with the same path")
    func concurrentStartsOfTheSameID() throws {
        let project = try TaskProject()
        try project.gorch("init")
        let path = project.path
        let results = LifecycleResults<Result<ShellResult, any Error>>()
        DispatchQueue.concurrentPerform(iterations: 3) { _ in
            results.append(Result { try runGorch(["start", "same", "--json"], cwd: path) })
        }
        var created = 0
        for outcome in results.values {
            let result = try outcome.get()
            #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
            let report = try jsonDocument(result)
            #expect(report["worktree"] as? String == project.worktree("same"))
            if report["created"] as? Bool == true { created += 1 }
        }
        #expect(created == 1, "exactly one of the starts creates the worktree")
        let worktrees = try Self.gitWorktrees(project)
        #expect(worktrees.count == 2, "\(worktrees)")
        #expect(worktrees[project.worktree("same")] == "refs/heads/task/same")
        let tasks = try #require(try project.json("status")["tasks"] as? [[String: Any]])
        #expect(tasks.map { $0["id"] as? String } == ["same"])
        try project.expectConsistent()
    }
}
