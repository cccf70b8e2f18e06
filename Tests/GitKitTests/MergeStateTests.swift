import Foundation
import GitKit
import GorchTestSupport
import Testing

/// A conflicted merge written into a task's worktree must be the state a real `git merge main`
/// leaves there (a twin clone does that merge): same status, same stages, same file bytes, and
/// plain git can conclude or abort it.
@Suite(.timeLimit(.minutes(20))) struct MergeStateTests {
    /// A repository whose `task/x` is checked out in a linked worktree; both branches come from
    /// one base and `change` makes each side's commit.
    struct Setup {
        let repo: TempRepo
        let elsewhere: TempDirectory
        let worktree: String
        let task: OID
        let main: OID

        func inWorktree(_ args: String...) throws -> String { try GitCLI.git(args, in: worktree) }
        func read(_ path: String) -> Data? { FileManager.default.contents(atPath: worktree + "/" + path) }
    }

    private func setUp(_ label: String = #function, base: [String: String],
                       task: (Files) throws -> Void, main: (Files) throws -> Void) throws -> Setup {
        let repo = try Fixture.repo(label)
        for (path, content) in base { repo.write(path, content) }
        try repo.commitAll("base")
        try repo.git("branch", "task/x")
        try main(Files(root: repo.path))
        let mainHead = try repo.oid(repo.commitAll("main side"))
        let elsewhere = try Fixture.directory(label + "-wt")
        let worktree = elsewhere.path + "/x"
        try repo.git("worktree", "add", "-q", worktree, "task/x")
        try task(Files(root: worktree))
        try GitCLI.git(["add", "-A"], in: worktree)
        try GitCLI.git(["commit", "-q", "-m", "task side"], in: worktree)
        let taskHead = try repo.oid("task/x")
        return Setup(repo: repo, elsewhere: elsewhere, worktree: worktree, task: taskHead, main: mainHead)
    }

    /// Merges main into task/x with OrtMerger (objects on disk) and writes it into the worktree.
    private func writeMerge(_ setup: Setup) throws -> (MergeOutcome, Repository) {
        let outcome = try OrtMerger(repository: setup.repo.open())
            .merge(ours: setup.task, theirs: setup.main, ourLabel: "HEAD", theirLabel: "main")
        #expect(!outcome.isClean)
        let worktree = try Repository.open(at: setup.worktree)
        #expect(!worktree.isMerging)
        try worktree.writeConflictedMerge(outcome, theirs: setup.main, message: "Merge main into task/x")
        #expect(worktree.isMerging)
        return (outcome, worktree)
    }

    /// `git merge main` on task/x in a clone: the reference state.
    private func twin(_ setup: Setup) throws -> TempDirectory {
        let twin = try Fixture.directory("twin")
        try Shell.git(["clone", "-q", setup.repo.path, twin.path + "/r"], cwd: twin.path)
        let path = twin.path + "/r"
        try Shell.git(["checkout", "-q", "task/x"], cwd: path)
        let merge = try Shell.runGit(["merge", "main"], cwd: path)
        #expect(merge.status == 1, "git merge was expected to conflict: \(merge.stdout) \(merge.stderr)")
        return twin
    }

    /// Compares the worktree with the twin: status, every index entry, and the given files' bytes.
    private func expectSameAsGit(_ setup: Setup, files: [String]) throws {
        let twin = try twin(setup)
        let reference = twin.path + "/r"
        #expect(try setup.inWorktree("status", "--porcelain") == GitCLI.git(["status", "--porcelain"], in: reference))
        #expect(try setup.inWorktree("ls-files", "-u") == GitCLI.git(["ls-files", "-u"], in: reference))
        #expect(try setup.inWorktree("ls-files", "-s") == GitCLI.git(["ls-files", "-s"], in: reference))
        for file in files {
            #expect(setup.read(file) == FileManager.default.contents(atPath: reference + "/" + file), "\(file) differs from git's")
        }
    }

    private let base = ["conflict.txt": "one\ntwo\nthree\n", "clean.txt": "c1\n", "keep.txt": "k\n", "gone.txt": "g1\ng2\n"]

    private func contentConflict(_ label: String = #function) throws -> Setup {
        try setUp(label, base: base, task: { repo in
            try repo.write("conflict.txt", "one\ntask\nthree\n")
        }, main: { repo in
            try repo.write("conflict.txt", "one\nmain\nthree\n")
            try repo.write("clean.txt", "c2 from main\n")
            try repo.write("added.txt", "new on main\n")
        })
    }

    @Test func contentConflictIsWhatGitMergeLeaves() throws {
        let setup = try contentConflict()
        let (outcome, worktree) = try writeMerge(setup)
        #expect(outcome.conflicts.map(\.path) == ["conflict.txt"])
        #expect(try setup.inWorktree("status", "--porcelain") == "A  added.txt\nM  clean.txt\nUU conflict.txt")
        try expectSameAsGit(setup, files: ["conflict.txt", "clean.txt", "added.txt"])
        #expect(try setup.inWorktree("diff").contains("<<<<<<< HEAD"))
        #expect(try setup.inWorktree("rev-parse", "HEAD") == setup.task.hex)  // HEAD did not move
        #expect(try setup.repo.git("status", "--porcelain") == "")  // the main checkout is untouched

        // Resolved and committed with plain git: a merge commit with both parents.
        try Data("one\nresolved\nthree\n".utf8).write(to: URL(fileURLWithPath: setup.worktree + "/conflict.txt"))
        _ = try setup.inWorktree("add", "conflict.txt")
        _ = try setup.inWorktree("commit", "-q", "--no-edit")
        #expect(try setup.inWorktree("rev-list", "--parents", "-1", "HEAD").split(separator: " ").dropFirst()
                    == [Substring(setup.task.hex), Substring(setup.main.hex)])
        #expect(try setup.inWorktree("log", "-1", "--format=%s") == "Merge main into task/x")
        #expect(!worktree.isMerging)
        #expect(try setup.inWorktree("status", "--porcelain") == "")
    }

    @Test func commitAllConcludesTheMergeToo() throws {
        let setup = try contentConflict()
        _ = try writeMerge(setup)
        try Data("one\nresolved\nthree\n".utf8).write(to: URL(fileURLWithPath: setup.worktree + "/conflict.txt"))
        _ = try setup.inWorktree("commit", "-q", "-am", "merged")
        #expect(try setup.inWorktree("rev-list", "--parents", "-1", "HEAD").split(separator: " ").count == 3)
    }

    @Test func abortRestoresTheTaskAndKeepsUntrackedFiles() throws {
        let setup = try contentConflict()
        let (_, worktree) = try writeMerge(setup)
        try Data("notes\n".utf8).write(to: URL(fileURLWithPath: setup.worktree + "/notes.txt"))
        try worktree.abortMerge()
        #expect(!worktree.isMerging)
        #expect(try setup.inWorktree("status", "--porcelain") == "?? notes.txt")
        #expect(setup.read("conflict.txt") == Data("one\ntask\nthree\n".utf8))
        #expect(setup.read("clean.txt") == Data("c1\n".utf8))
        #expect(setup.read("added.txt") == nil)
        #expect(setup.read("notes.txt") == Data("notes\n".utf8))
        let gitDir = try setup.inWorktree("rev-parse", "--absolute-git-dir")
        for name in ["MERGE_HEAD", "MERGE_MSG", "MERGE_MODE"] {
            #expect(!FileManager.default.fileExists(atPath: gitDir + "/" + name), "\(name) left behind")
        }
        #expect(try setup.inWorktree("rev-parse", "HEAD") == setup.task.hex)
    }

    @Test func modifyDeleteIsWhatGitMergeLeaves() throws {
        let setup = try setUp(base: base, task: { repo in
            try repo.remove("gone.txt")
            try repo.write("conflict.txt", "one\ntask\nthree\n")
        }, main: { repo in
            try repo.write("gone.txt", "g1\ng2 changed on main\n")
            try repo.write("conflict.txt", "one\nmain\nthree\n")
        })
        let (outcome, _) = try writeMerge(setup)
        #expect(Set(outcome.conflicts.map(\.path)) == ["conflict.txt", "gone.txt"])
        try expectSameAsGit(setup, files: ["conflict.txt", "gone.txt"])
        #expect(try setup.inWorktree("status", "--porcelain").contains("DU gone.txt"))
        // Concluded by keeping main's version.
        _ = try setup.inWorktree("add", "-A")
        _ = try setup.inWorktree("commit", "-q", "--no-edit")
        #expect(try setup.inWorktree("rev-list", "--parents", "-1", "HEAD").split(separator: " ").count == 3)
    }

    @Test func refusesADirtyWorktreeOrAnUntrackedFileInTheWay() throws {
        let setup = try contentConflict()
        let outcome = try OrtMerger(repository: setup.repo.open())
            .merge(ours: setup.task, theirs: setup.main, ourLabel: "HEAD", theirLabel: "main")
        let worktree = try Repository.open(at: setup.worktree)

        try Data("local\n".utf8).write(to: URL(fileURLWithPath: setup.worktree + "/keep.txt"))
        let dirty = try #require(throws: GitError.self) {
            try worktree.writeConflictedMerge(outcome, theirs: setup.main, message: "m")
        }
        #expect(dirty.code == .conflict && dirty.message.contains("keep.txt"))
        _ = try setup.inWorktree("checkout", "--", "keep.txt")

        try Data("mine\n".utf8).write(to: URL(fileURLWithPath: setup.worktree + "/added.txt"))
        let inTheWay = try #require(throws: GitError.self) {
            try worktree.writeConflictedMerge(outcome, theirs: setup.main, message: "m")
        }
        #expect(inTheWay.code == .conflict && inTheWay.message.contains("added.txt"))
        #expect(!worktree.isMerging)
        #expect(try setup.inWorktree("status", "--porcelain") == "?? added.txt")
        #expect(setup.read("conflict.txt") == Data("one\ntask\nthree\n".utf8))

        // An unrelated untracked file is fine.
        try FileManager.default.removeItem(atPath: setup.worktree + "/added.txt")
        try Data("scratch\n".utf8).write(to: URL(fileURLWithPath: setup.worktree + "/scratch.txt"))
        try worktree.writeConflictedMerge(outcome, theirs: setup.main, message: "m")
        #expect(try setup.inWorktree("status", "--porcelain").contains("?? scratch.txt"))
        let again = try #require(throws: GitError.self) {
            try worktree.writeConflictedMerge(outcome, theirs: setup.main, message: "m")
        }
        #expect(again.code == .conflict && again.message.contains("MERGE_HEAD"))
    }

    /// Generated conflicts (renames, D/F, modes, binaries, criss-cross): the worktree after
    /// `writeConflictedMerge` must match one where `git merge theirs` ran, index and files.
    @Test func generatedConflictsAreWhatGitMergeLeaves() throws {
        let count = ProcessInfo.processInfo.environment["GORCH_FUZZ_CASES"].flatMap(Int.init) ?? 60
        let first = ProcessInfo.processInfo.environment["GORCH_FUZZ_SEED"].flatMap(UInt64.init) ?? 1
        var compared = 0
        var mismatches: [String] = [], gitFailed: [String] = []
        for seed in first..<(first + UInt64(count)) {
            let repo = try Fixture.repo("wcm-\(seed)")
            let mergeCase = try MergeCaseGenerator(seed: seed).generate(in: repo)
            guard try GitOracle.conflictStages(repo: repo.path, mergeCase.ours, mergeCase.theirs)?.isEmpty == false else { continue }
            let outcome = try OrtMerger(repository: repo.open())
                .merge(ours: repo.oid(mergeCase.ours), theirs: repo.oid(mergeCase.theirs), ourLabel: "HEAD", theirLabel: mergeCase.theirs)
            let dir = try Fixture.directory("wcm-wt-\(seed)")
            let (ours, reference) = (dir.path + "/ours", dir.path + "/git")
            for path in [ours, reference] { try repo.git("worktree", "add", "-q", "--detach", path, mergeCase.ours) }
            let merge = try Shell.runGit(["merge", "-q", mergeCase.theirs], cwd: reference)
            // git 2.39's own `git merge` dies (BUG() in record_conflicted_index_entries, or a
            // fatal error) on a few D/F-heavy cases that merge-tree handles: nothing to compare.
            guard merge.status == 1 else {
                gitFailed.append("seed \(seed): git merge exited \(merge.status): \(merge.stderr.split(separator: "\n").last ?? "")")
                continue
            }
            compared += 1
            do {
                try Repository.open(at: ours).writeConflictedMerge(outcome, theirs: repo.oid(mergeCase.theirs), message: "m")
            } catch {
                mismatches.append("seed \(seed): \(error)\n    \(mergeCase.description)")
                continue
            }
            var differences: [String] = []
            for args in [["ls-files", "-s"], ["status", "--porcelain", "--untracked-files=all"]] {
                let (mine, theirs) = (try GitCLI.git(args, in: ours), try GitCLI.git(args, in: reference))
                if mine != theirs { differences.append("\(args.joined(separator: " ")):\n\(mine)\n  vs git:\n\(theirs)") }
            }
            let diff = try Shell.run("diff", ["-r", "--no-dereference", "-x", ".git", ours, reference])
            if diff.status != 0 { differences.append("files: \(diff.stdout)") }
            if !differences.isEmpty {
                mismatches.append("seed \(seed): " + differences.joined(separator: "\n") + "\n    \(mergeCase.description)")
            }
        }
        print("conflicted merges written: \(compared - mismatches.count)/\(compared) as git merge leaves them; "
              + "\(gitFailed.count) where git merge itself failed")
        for line in gitFailed + mismatches.prefix(5) { print(line) }
        #expect(mismatches.isEmpty)
        #expect(count < 30 || compared > 10, "too few conflicted cases")
    }
}

/// Writes and removes files under a work tree (the main checkout or a linked worktree).
struct Files {
    let root: String

    func write(_ path: String, _ content: String) throws {
        let full = root + "/" + path
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(content.utf8).write(to: URL(fileURLWithPath: full))
    }

    func remove(_ path: String) throws { try FileManager.default.removeItem(atPath: root + "/" + path) }
}
