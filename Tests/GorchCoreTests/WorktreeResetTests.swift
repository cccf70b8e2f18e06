import Foundation
import Testing
import GitKit
import GorchTestSupport

/// `Repository.resetDetached(to:keepingUntracked:)`, the validation worktree's incremental reset,
/// against what `git clean -d` + `git checkout -f --detach` would leave.
@Suite(.timeLimit(.minutes(20))) struct WorktreeResetTests {
    private func text(_ repo: TempRepo, _ path: String) -> String? {
        repo.read(path).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test("the work tree ends up exactly at the commit: untracked gone, ignored and kept stay, edits undone, HEAD detached")
    func exactTree() throws {
        let repo = try TempRepo(label: #function)
        repo.write(".gitignore", "cache/\n*.o\n")
        repo.write("keep.txt", "keep\n")
        repo.write("gone.txt", "gone\n")
        repo.write("dir/edited.txt", "original\n")
        repo.write("dir/deleted.txt", "there\n")
        let first = try #require(OID(hex: try repo.commitAll("first")))
        try repo.git("rm", "-q", "gone.txt")
        repo.write("added.txt", "added\n")
        let second = try #require(OID(hex: try repo.commitAll("second")))
        try repo.git("checkout", "-q", "--detach", first.hex)

        // What a build or test run could leave behind.
        repo.write("artefact.txt", "x\n")
        repo.write("out/deep/result.txt", "x\n")
        repo.write("mixed/untracked.txt", "x\n")
        repo.write("mixed/object.o", "ignored\n")
        repo.write("cache/blob", "cache\n")
        repo.write("bootstrap.env", "kept\n")
        repo.write("vendor/lib/a.txt", "kept\n")
        repo.write("dir/edited.txt", "changed by a build\n")
        repo.remove("dir/deleted.txt")
        repo.write("keep.txt", "staged\n")
        try repo.git("add", "keep.txt")
        repo.write("keep.txt", "keep\n")  // staged change undone in the file only

        let repository = try Repository.open(at: repo.path)
        let reset = try repository.resetDetached(to: second, keepingUntracked: ["bootstrap.env", "vendor/"])
        #expect(Set(reset.removed) == ["artefact.txt", "out/deep/result.txt", "mixed/untracked.txt"])

        #expect(try repo.git("rev-parse", "HEAD") == second.hex)
        #expect(try Shell.runGit(["symbolic-ref", "-q", "HEAD"], cwd: repo.path).status != 0)  // detached
        #expect(try repo.git("status", "--porcelain", "--untracked-files=all") == "?? bootstrap.env\n?? vendor/lib/a.txt")
        #expect(text(repo, "gone.txt") == nil)
        #expect(text(repo, "added.txt") == "added\n")
        #expect(text(repo, "dir/edited.txt") == "original\n")
        #expect(text(repo, "dir/deleted.txt") == "there\n")
        #expect(try repo.git("diff", "--cached", "--name-only").isEmpty)
        #expect(text(repo, "cache/blob") == "cache\n")
        #expect(text(repo, "mixed/object.o") == "ignored\n")
        #expect(!FileManager.default.fileExists(atPath: repo.absolute("out")))  // emptied folders go
        #expect(text(repo, "bootstrap.env") == "kept\n")

        // Nothing left to do: a second reset changes nothing.
        let again = try repository.resetDetached(to: second, keepingUntracked: ["bootstrap.env", "vendor/"])
        #expect(again == WorktreeReset())
    }

    @Test("untrackedFiles lists untracked files one by one, ignored ones left out")
    func untrackedListing() throws {
        let repo = try TempRepo(label: #function)
        repo.write(".gitignore", "build/\n")
        repo.write("a.txt", "a\n")
        try repo.commitAll("first")
        repo.write("new/one.txt", "1\n")
        repo.write("new/two/three.txt", "3\n")
        repo.write("build/cache", "c\n")
        let files = try Repository.open(at: repo.path).untrackedFiles()
        #expect(Set(files) == ["new/one.txt", "new/two/three.txt"])
    }
}
