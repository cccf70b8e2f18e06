import Foundation
import GorchTestSupport
import Testing

/// `start` and `done` with a task remote (DESIGN.md "Several machines"): machines are clones of
/// one bare hub, reached over file:// and over git:// (`git daemon` on 127.0.0.1), real
/// protocols both; gorch fetches and pushes in process, git is only the oracle and the user.
@Suite("remote: start and done push, other machines go on from the hub", .timeLimit(.minutes(20)))
struct RemoteLifecycleTests {
    /// Machine A (a TaskProject) with the hub as `origin`, and the hub's URL for more machines.
    final class Hub {
        let a: TaskProject
        let directory: TempDirectory
        let url: String
        let daemon: GitDaemon?

        init(overDaemon: Bool, label: String = #function) throws {
            a = try TaskProject(label: label)
            directory = try TempDirectory(label: "hub")
            if overDaemon {
                let daemon = try GitDaemon()
                try Shell.git(["clone", "-q", "--bare", a.path, daemon.path(for: "hub.git")], cwd: directory.path)
                self.daemon = daemon
                url = daemon.url(for: "hub.git")
            } else {
                let bare = directory.path + "/hub.git"
                try Shell.git(["clone", "-q", "--bare", a.path, bare], cwd: directory.path)
                daemon = nil
                url = "file://" + bare
            }
            try a.repo.git("remote", "add", "origin", url)
            try a.repo.git("fetch", "-q", "origin")
            try a.repo.git("config", "gorch.remote", "origin")
        }

        /// Another machine: a clone of the hub with gorch.remote set.
        func machine(_ name: String) throws -> TempRepo {
            let clone = try TempRepo(label: "machine-\(name)")
            try clone.git("remote", "add", "origin", url)
            try clone.git("fetch", "-q", "origin")
            try clone.git("reset", "-q", "--hard", "origin/main")
            try clone.git("config", "gorch.remote", "origin")
            try clone.git("config", "gorch.target", "main")
            return clone
        }

        /// The hub's branches as `git ls-remote` reports them.
        func heads() throws -> [String: String] {
            let text = try Shell.git(["ls-remote", url], cwd: directory.path)
            var found: [String: String] = [:]
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: "\t")
                if parts.count == 2 { found[String(parts[1])] = String(parts[0]) }
            }
            return found
        }
    }

    @Test("start pushes the task branch, done pushes the work; another machine starts from the pushed work", arguments: [false, true])
    func startAndDonePush(overDaemon: Bool) throws {
        let hub = try Hub(overDaemon: overDaemon)
        let a = hub.a
        try a.gorch("add", "t", "--files", "t.txt")
        let start = try a.json("start", "t")
        #expect((start["warnings"] as? [String])?.isEmpty == true, "\(start)")
        #expect(try hub.heads()["refs/heads/task/t"] == a.rev("task/t"))
        try a.commit(in: a.worktree("t"), ["t.txt": "from A\n"], message: "A's work")
        #expect(try a.gorch("done", "t").status == 0)
        #expect(try hub.heads()["refs/heads/task/t"] == a.rev("task/t"), "done pushed the work")

        // Machine B knows the task (its own store) and goes on from what A pushed.
        let b = try hub.machine("b")
        #expect(try runGorch(["add", "t", "--files", "t.txt"], cwd: b.path).status == 0)
        let started = try runGorch(["start", "t"], cwd: b.path)
        #expect(started.status == 0, "\(started.stderr)")
        #expect(try String(contentsOfFile: b.path + "/.worktrees/wt-t/t.txt", encoding: .utf8) == "from A\n")
    }

    @Test("start branches from the hub's target, not a stale local one")
    func startBranchesFromTheRemoteTip() throws {
        let hub = try Hub(overDaemon: false)
        let b = try hub.machine("b")
        b.write("b.txt", "from B\n")
        try b.commitAll("B moves main")
        try b.git("push", "-q", "origin", "main")
        let a = hub.a
        try a.gorch("add", "u", "--files", "u.txt")
        #expect(try a.gorch("start", "u").status == 0)
        #expect(try a.rev("task/u") == b.git("rev-parse", "main"), "task/u starts at the hub's main")
        #expect(FileManager.default.fileExists(atPath: a.worktree("u") + "/b.txt"))
    }

    @Test("done is refused when the hub's task branch moved on; nothing is forced")
    func doneRefusedWhenTheRemoteMoved() throws {
        let hub = try Hub(overDaemon: false)
        let a = hub.a
        try a.gorch("add", "t", "--files", "t.txt")
        #expect(try a.gorch("start", "t").status == 0)
        let b = try hub.machine("b")
        try b.git("fetch", "-q", "origin", "task/t:task/t")
        try b.git("switch", "-q", "task/t")
        b.write("t.txt", "from B\n")
        try b.commitAll("B's work")
        try b.git("push", "-q", "origin", "task/t")
        let pushedByB = try b.git("rev-parse", "HEAD")
        try a.commit(in: a.worktree("t"), ["t.txt": "from A\n"], message: "A's work")
        let done = try a.gorch("done", "t")
        #expect(done.status == 1, "\(done.stderr)")
        #expect(done.stderr.contains("refused task/t"), "\(done.stderr)")
        #expect(try hub.heads()["refs/heads/task/t"] == pushedByB, "B's work is still there")
        #expect(try a.state("t") == "started")
    }

    @Test("an unknown remote name is a usage error; an unreachable hub names it")
    func unknownOrUnreachable() throws {
        let project = try TaskProject()
        try project.gorch("add", "t")
        let unknown = try runGorch(["start", "t", "--remote", "nowhere"], cwd: project.path)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("no git remote named nowhere"), "\(unknown.stderr)")
        let port = try AgentMailServer.freePort()
        try project.repo.git("remote", "add", "gone", "git://127.0.0.1:\(port)/hub.git")
        let gone = try runGorch(["start", "t", "--remote", "gone"], cwd: project.path)
        #expect(gone.status == 3, "\(gone.stderr)")
        #expect(gone.stderr.contains("git://127.0.0.1:\(port)/hub.git"), "\(gone.stderr)")
        #expect(!FileManager.default.fileExists(atPath: project.worktree("t")))
    }
}
