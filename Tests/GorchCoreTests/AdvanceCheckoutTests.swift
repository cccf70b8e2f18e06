import Foundation
import Testing
import GitKit
import GorchTestSupport

/// `advanceCheckout` / `advanceBlockers` (the target's checkout after a merge, as `git merge`
/// updates it, touching only changed paths) and the cheap checked-out test behind deleteBranch.
@Suite(.timeLimit(.minutes(20))) struct AdvanceCheckoutTests {
    /// main at `old`; `new` changes a.txt, deletes b.txt and adds c/d.txt; HEAD's branch already
    /// moved to `new` (as the coordinator moves the ref first), the files still show `old`.
    private func fixture(_ label: String = #function) throws -> (TempRepo, old: OID, new: OID) {
        let repo = try TempRepo(label: label)
        repo.write("a.txt", "a\n")
        repo.write("b.txt", "b\n")
        repo.write("other.txt", "other\n")
        let old = try #require(OID(hex: try repo.commitAll("old")))
        repo.write("a.txt", "a2\n")
        repo.remove("b.txt")
        repo.write("c/d.txt", "d\n")
        let new = try #require(OID(hex: try repo.commitAll("new")))
        try repo.git("read-tree", "-u", "--reset", old.hex)  // files and index back at old
        return (repo, old, new)
    }

    private func text(_ repo: TempRepo, _ path: String) -> String? {
        repo.read(path).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test("only the changed paths are updated; an unrelated local edit stays; running it again is a no-op")
    func updates() throws {
        let (repo, old, new) = try fixture()
        repo.write("other.txt", "local edit\n")
        let repository = try Repository.open(at: repo.path)
        #expect(try repository.advanceBlockers(from: old, to: new).isEmpty)
        try repository.advanceCheckout(from: old, to: new)
        #expect(text(repo, "a.txt") == "a2\n")
        #expect(text(repo, "b.txt") == nil)
        #expect(text(repo, "c/d.txt") == "d\n")
        #expect(try repo.git("status", "--porcelain") == " M other.txt")
        try repository.advanceCheckout(from: old, to: new)  // an interrupted update, resumed
        #expect(try repo.git("status", "--porcelain") == " M other.txt")
    }

    @Test("local changes to changed paths, staged ones and untracked files in the way refuse, changing nothing")
    func refuses() throws {
        let (repo, old, new) = try fixture()
        repo.write("a.txt", "mine\n")
        repo.write("c/d.txt", "untracked in the way\n")
        repo.write("b.txt", "staged\n")
        try repo.git("add", "b.txt")
        repo.write("b.txt", "b\n")  // undone in the file: only the index shows it
        let repository = try Repository.open(at: repo.path)
        #expect(try repository.advanceBlockers(from: old, to: new) == ["a.txt", "b.txt", "c/d.txt"])
        let error = try #require(throws: GitError.self) { try repository.advanceCheckout(from: old, to: new) }
        #expect(error.code == .conflict)
        #expect(error.message.contains("a.txt") && error.message.contains("b.txt") && error.message.contains("c/d.txt"))
        #expect(text(repo, "a.txt") == "mine\n")
        #expect(text(repo, "c/d.txt") == "untracked in the way\n")
        #expect(try repo.git("show", ":b.txt") == "staged")
    }

    @Test("a change already staged exactly as the merge brings it is no blocker")
    func sameChangeStaged() throws {
        let (repo, old, new) = try fixture()
        repo.write("a.txt", "a2\n")
        try repo.git("add", "a.txt")
        let repository = try Repository.open(at: repo.path)
        #expect(try repository.advanceBlockers(from: old, to: new).isEmpty)
        try repository.advanceCheckout(from: old, to: new)
        #expect(try repo.git("status", "--porcelain").isEmpty)
    }

    @Test("worktreeHeads reads every work tree's HEAD; deleteBranch refuses a checked-out branch and drops its config")
    func heads() throws {
        let repo = try TempRepo(label: #function)
        try repo.commitAll("first")
        let elsewhere = try TempDirectory(label: #function + "-wt")
        try repo.git("worktree", "add", "-q", "-b", "busy", elsewhere.path + "/wt")
        try repo.git("worktree", "add", "-q", "--detach", elsewhere.path + "/detached")
        try repo.git("branch", "idle")
        try repo.git("config", "branch.idle.description", "to be dropped")
        let repository = try Repository.open(at: repo.path)
        let heads = repository.worktreeHeads()
        #expect(heads.first == WorktreeHead(name: nil, path: repo.path, branch: "refs/heads/main"))
        #expect(heads.contains(WorktreeHead(name: "wt", path: elsewhere.path + "/wt", branch: "refs/heads/busy")))
        #expect(heads.contains(WorktreeHead(name: "detached", path: elsewhere.path + "/detached", branch: nil)))
        #expect(throws: GitError.self) { try repository.deleteBranch("busy") }
        #expect(throws: GitError.self) { try repository.deleteBranch("main") }
        try repository.deleteBranch("idle")
        #expect(try repository.branchTarget("idle") == nil)
        #expect(try Shell.runGit(["config", "branch.idle.description"], cwd: repo.path).status != 0)
    }
}
