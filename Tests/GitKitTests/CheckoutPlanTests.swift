import Foundation
import GitKit
import GorchTestSupport
import Testing

/// What a checked-out target's update would run into, with git's own fast-forward (a two-way
/// checkout from the old tree to the new one) as the oracle; the reusable validation worktree
/// (forced, detached checkouts); and the graph and diff queries the coordinator plans with.
@Suite(.timeLimit(.minutes(20))) struct CheckoutPlanTests {
    /// main at A (f, u, d/keep); `next` at B: f changed, g added.
    private func fixture(_ label: String = #function) throws -> (repo: TempRepo, a: OID, b: OID) {
        let repo = try Fixture.repo(label)
        repo.write("f", "f1\n")
        repo.write("u", "u1\n")
        repo.write("d/keep", "k\n")
        let a = try repo.oid(repo.commitAll("A"))
        try repo.git("checkout", "-q", "-b", "next")
        repo.write("f", "f2\n")
        repo.write("g", "g2\n")
        let b = try repo.oid(repo.commitAll("B"))
        try repo.git("checkout", "-q", "main")
        return (repo, a, b)
    }

    /// The paths git refuses `git merge --ff-only next` for, in a copy of `repo` (empty when it
    /// merges); git lists them tab-indented.
    private func gitRefusal(_ repo: TempRepo) throws -> [String] {
        let twin = try Fixture.directory("twin")
        try Shell.run("cp", ["-a", repo.path + "/.", twin.path])
        let result = try Shell.runGit(["merge", "--ff-only", "next"], cwd: twin.path)
        if result.status == 0 { return [] }
        let paths = result.stderr.split(separator: "\n").filter { $0.hasPrefix("\t") }.map { $0.dropFirst().trimmingCharacters(in: .whitespaces) }
        #expect(!paths.isEmpty, "git failed without naming paths: \(result.stderr)")
        return paths.sorted()
    }

    /// Sets up local state, asks for the blockers (checking that asking changed nothing), and
    /// compares them with git's refusal.
    private func blockers(_ label: String = #function, _ setUp: (TempRepo) throws -> Void) throws
        -> (blockers: [String], repo: TempRepo, a: OID, b: OID) {
        let (repo, a, b) = try fixture(label)
        try setUp(repo)
        let before = try repo.git("status", "--porcelain", "--untracked-files=all")
        let files = filesUnder(repo.path).filter { !$0.hasPrefix(".git") }.map { ($0, repo.read($0)) }
        let found = try repo.open().checkoutBlockers(tree: b, baseline: a)
        #expect(try repo.git("status", "--porcelain", "--untracked-files=all") == before, "the dry run changed something")
        for (path, content) in files { #expect(repo.read(path) == content, "\(path) changed") }
        #expect(found == (try gitRefusal(repo)), "git disagrees")
        return (found, repo, a, b)
    }

    @Test func localModificationOfAChangedPathBlocks() throws {
        let result = try blockers { $0.write("f", "mine\n") }
        #expect(result.blockers == ["f"])
    }

    @Test func localModificationElsewhereIsKeptByTheRealCheckout() throws {
        let (found, repo, a, b) = try blockers { $0.write("u", "mine\n") }
        #expect(found.isEmpty)
        try repo.open().checkout(tree: b, baseline: a)
        #expect(repo.read("u") == Data("mine\n".utf8))
        #expect(repo.read("f") == Data("f2\n".utf8))
        #expect(repo.read("g") == Data("g2\n".utf8))
    }

    @Test func untrackedFileInTheWayBlocks() throws {
        let result = try blockers { $0.write("g", "untracked\n") }
        #expect(result.blockers == ["g"])
    }

    @Test func untrackedFileElsewhereDoesNotBlock() throws {
        let result = try blockers { $0.write("h", "untracked\n") }
        #expect(result.blockers.isEmpty)
    }

    @Test func stagedOnlyChangeToAChangedPathBlocks() throws {
        let result = try blockers { repo in
            repo.write("f", "staged\n")
            try repo.git("add", "f")
        }
        #expect(result.blockers == ["f"])
    }

    /// Staged, then undone in the work tree: libgit2 looks only at the file and would drop the
    /// staged version; `stagedBlockers` catches it, as git does.
    @Test func stagedChangeUndoneInTheWorkTreeBlocks() throws {
        let (found, repo, _, b) = try blockers { repo in
            repo.write("f", "staged\n")
            try repo.git("add", "f")
            repo.write("f", "f1\n")
        }
        #expect(found == ["f"])
        let error = try #require(throws: GitError.self) { try repo.open().checkout(tree: b) }
        #expect(error.code == .conflict && error.message.contains("f"))
        #expect(try repo.git("diff", "--cached", "--name-only") == "f")
    }

    @Test func stagedNewFileAtAnAddedPathBlocks() throws {
        let result = try blockers { repo in
            repo.write("g", "mine\n")
            try repo.git("add", "g")
        }
        #expect(result.blockers == ["g"])
    }

    /// A directory replaced by a file (and back) is no local change: nothing blocks, as for git.
    @Test func directoryBecomingAFileDoesNotBlockACleanTree() throws {
        let repo = try Fixture.repo()
        repo.write("d/keep", "k\n")
        repo.write("e", "file\n")
        let a = try repo.oid(repo.commitAll("A"))
        try repo.git("checkout", "-q", "-b", "next")
        repo.remove("d")
        repo.write("d", "now a file\n")
        repo.remove("e")
        repo.write("e/inner", "now a dir\n")
        let b = try repo.oid(repo.commitAll("B"))
        try repo.git("checkout", "-q", "main")
        let repository = try repo.open()
        #expect(try repository.checkoutBlockers(tree: b, baseline: a).isEmpty)
        #expect(try repository.checkoutBlockers(tree: b).isEmpty)
        #expect(try gitRefusal(repo).isEmpty)
        try repository.checkout(tree: b)
        try repo.git("update-ref", "--no-deref", "HEAD", b.hex)
        #expect(try repo.git("status", "--porcelain") == "")
        #expect(try repository.checkoutBlockers(tree: a).isEmpty)
    }

    @Test func resetDetachedInADetachedWorktree() throws {
        let (repo, a, b) = try fixture()
        repo.write("stale", "tracked in A'\n")
        repo.write(".git/info/exclude", "cache/\n")  // shared by the worktrees
        let a2 = try repo.oid(repo.commitAll("A'"))
        let elsewhere = try Fixture.directory()
        let path = elsewhere.path + "/validate"
        let repository = try repo.open()

        let worktree = try repository.addDetachedWorktree(name: "validate", path: path, commit: a2)
        #expect(worktree.name == "validate" && worktree.path == path && worktree.isValid)
        #expect(try porcelain(repo, path) == ["HEAD \(a2.hex)", "detached"])
        #expect(try repo.git("branch", "--list") == "  main\n  next".replacingOccurrences(of: "  main", with: "* main"))
        #expect(try GitCLI.git(["status", "--porcelain"], in: path) == "")

        // A validation run leaves a build cache, a stray file and an edit behind.
        let write = { (name: String, text: String) in
            try FileManager.default.createDirectory(atPath: ((path + "/" + name) as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: path + "/" + name))
        }
        try write("cache/obj.o", "built\n")
        try write("stray", "left behind\n")
        try write("f", "edited by a step\n")
        try write("u", "also edited\n")

        let reset = try Repository.open(at: path).resetDetached(to: b)
        #expect(reset.removed == ["stray"])
        #expect(try GitCLI.git(["rev-parse", "HEAD"], in: path) == b.hex)
        #expect(try GitCLI.git(["status", "--porcelain", "--ignored"], in: path) == "!! cache/")
        #expect(FileManager.default.contents(atPath: path + "/f") == Data("f2\n".utf8))
        #expect(FileManager.default.contents(atPath: path + "/u") == Data("u1\n".utf8))
        #expect(!FileManager.default.fileExists(atPath: path + "/stale"))
        #expect(FileManager.default.contents(atPath: path + "/cache/obj.o") == Data("built\n".utf8))
        #expect(try porcelain(repo, path) == ["HEAD \(b.hex)", "detached"])
        _ = a
    }

    @Test func detachedWorktreeFailureLeavesNothingBehind() throws {
        let (repo, a, _) = try fixture()
        let elsewhere = try Fixture.directory()
        let repository = try repo.open()
        try repository.addDetachedWorktree(name: "v", path: elsewhere.path + "/v", commit: a)
        // Same name again: libgit2 refuses; the temporary branch must not survive.
        #expect(throws: GitError.self) { try repository.addDetachedWorktree(name: "v", path: elsewhere.path + "/w", commit: a) }
        #expect(try repository.branches() == ["main", "next"])
        #expect(!FileManager.default.fileExists(atPath: elsewhere.path + "/w"))
        #expect(try repository.worktrees().map(\.name) == ["v"])
    }

    @Test func aheadBehindCountsLikeRevList() throws {
        let (repo, a, b) = try fixture()
        repo.write("m", "main only\n")
        let m = try repo.oid(repo.commitAll("M1"))
        repo.write("m", "main only 2\n")
        let m2 = try repo.oid(repo.commitAll("M2"))
        let repository = try repo.open()
        let counts = try repository.aheadBehind(m2, b)
        #expect(counts.ahead == 2 && counts.behind == 1)
        #expect(try repo.git("rev-list", "--left-right", "--count", "\(m2.hex)...\(b.hex)") == "2\t1")
        #expect(try repository.aheadBehind(a, a) == (0, 0))
        #expect(try repository.aheadBehind(a, m) == (0, 1))
    }

    @Test func changedPathsAreFilesInByteOrder() throws {
        let repo = try Fixture.repo()
        repo.write("same", "s\n")
        repo.write("edit", "1\n")
        repo.write("gone", "g\n")
        repo.write("becomes-dir", "file\n")
        repo.write("link", "target-as-file\n")
        repo.write("dir/x", "x\n")
        repo.write("mode", "m\n")
        let old = try repo.oid(repo.commitAll("old"))
        repo.write("edit", "2\n")
        repo.remove("gone")
        repo.remove("becomes-dir")
        repo.write("becomes-dir/inner", "now a dir\n")
        repo.symlink("link", to: "elsewhere")
        repo.write("dir/y", "y\n")
        repo.write("Zeta", "capital sorts first\n")
        repo.setExecutable("mode")
        let new = try repo.oid(repo.commitAll("new"))
        let repository = try repo.open()
        let expected = try repo.git("diff", "--name-only", "--no-renames", "-z", old.hex, new.hex)
            .split(separator: "\0").map(String.init)
        let paths = try repository.changedPaths(from: old, to: new)
        #expect(paths == ["Zeta", "becomes-dir", "becomes-dir/inner", "dir/y", "edit", "gone", "link", "mode"])
        #expect(Set(paths) == Set(expected))
        // Trees work as well as commits; nil is the empty tree.
        #expect(try repository.changedPaths(from: repo.oid("\(old.hex)^{tree}"), to: new) == paths)
        #expect(try repository.changedPaths(from: nil, to: old) == ["becomes-dir", "dir/x", "edit", "gone", "link", "mode", "same"])
        #expect(try repository.changedPaths(from: new, to: new).isEmpty)
    }

    /// The lines of `git worktree list --porcelain` for the worktree at `path`, minus its path line.
    private func porcelain(_ repo: TempRepo, _ path: String) throws -> [String]? {
        for stanza in try repo.git("worktree", "list", "--porcelain").components(separatedBy: "\n\n") {
            let lines = stanza.split(separator: "\n").map(String.init)
            if lines.first == "worktree " + path { return Array(lines.dropFirst()) }
        }
        return nil
    }
}
