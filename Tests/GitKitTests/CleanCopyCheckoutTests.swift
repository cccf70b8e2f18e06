import Foundation
@testable import GitKit
import GorchTestSupport
import Testing

/// The fresh checkout's shortcut: files the main checkout holds clean are copied rather than
/// inflated (`CleanFileSource`). Whatever the main checkout looks like, the new worktree and its
/// index must be what `git worktree add` makes of the same commit; these cases give the shortcut
/// every reason to copy the wrong bytes.
@Suite(.timeLimit(.minutes(20))) struct CleanCopyCheckoutTests {
    @Test func copiesOnlyCleanFilesAndMatchesGitWorktreeAdd() throws {
        let repo = try Fixture.repo()
        for i in 0..<40 { repo.write("src/d\(i % 4)/f\(i).c", "int f\(i)(void) { return \(i); }\n") }
        repo.write("dirty.txt", "original\n")
        repo.write("changed.txt", "base version\n")
        repo.write("only-in-base.txt", "the main checkout lacks me\n")
        repo.write("run.sh", "#!/bin/sh\necho run\n")
        repo.setExecutable("run.sh")
        repo.write("plain.sh", "#!/bin/sh\necho plain\n")
        repo.write("shape", "src/d1/f1.c")              // a file whose blob a symlink spells in main
        repo.symlink("link", to: "src/d1/f1.c")
        repo.symlink("was-link", to: "dirty.txt")         // a link in base, a file of the same blob in main
        repo.write("empty", "")
        // Written last: the index is later given its mtime, which makes its entry racy while
        // every other file of the base is older than the index.
        usleep(30_000)
        repo.write("racy.txt", "racy\n")
        try repo.commitAll("base")
        let base = try repo.oid("HEAD")

        repo.write("changed.txt", "main version\n")
        repo.remove("only-in-base.txt")
        repo.write("only-in-main.txt", "new\n")
        repo.setExecutable("run.sh", false)               // same blob, other mode
        repo.setExecutable("plain.sh")
        repo.symlink("shape", to: "src/d1/f1.c")
        repo.write("was-link", "dirty.txt")
        try repo.commitAll("main moves on")

        // dirty.txt: changed on disk to the same size, its mtime put back to the nanosecond.
        var recorded = stat()
        #expect(lstat(repo.absolute("dirty.txt"), &recorded) == 0)
        repo.write("dirty.txt", "changed!\n")
        var times = [recorded.st_atim, recorded.st_mtim]
        #expect(utimensat(AT_FDCWD, repo.absolute("dirty.txt"), &times, 0) == 0)
        var now = stat()
        #expect(lstat(repo.absolute("dirty.txt"), &now) == 0)
        #expect(now.st_size == recorded.st_size && now.st_mtim.tv_sec == recorded.st_mtim.tv_sec && now.st_mtim.tv_nsec == recorded.st_mtim.tv_nsec)
        try matchIndexTimeTo(repo, path: "racy.txt")

        let elsewhere = try Fixture.directory()
        let (ours, theirs, copied) = try checkoutBoth(repo, base, in: elsewhere)
        // The 40 sources, run.sh and plain.sh; not dirty.txt (ctime), racy.txt (racy), changed.txt
        // and shape/was-link (other blob or kind), only-in-base.txt (absent), empty (nothing to copy).
        #expect(copied == 42)
        #expect(FileManager.default.contents(atPath: ours + "/dirty.txt") == Data("original\n".utf8))
        #expect(try GitCLI.git(["status", "--porcelain"], in: ours) == "")
        #expect(try staleStatEntries(ours).isEmpty)
        #expect(try snapshot(ours) == snapshot(theirs))
    }

    /// A racy entry whose file changed without its stat data changing (the same clock tick):
    /// an index entry recording the changed file's stat data with the old blob, and the index
    /// no newer than the file.
    @Test func aRacyEntryIsInflatedEvenWhenItsStatMatches() throws {
        let repo = try Fixture.repo()
        repo.write("clean.txt", "clean\n")
        repo.write("racy.txt", "before\n")
        try repo.commitAll("one")
        let blob = try repo.oid("HEAD:racy.txt")
        let repository = try repo.open()
        usleep(30_000)
        repo.write("racy.txt", "after!\n")
        var changed = stat()
        #expect(lstat(repo.absolute("racy.txt"), &changed) == 0)
        let item = FreshTree.Item(path: Array("racy.txt".utf8CString), directory: -1, id: blob.raw, mode: 0o100644)
        try withUnsafePointer(to: changed) { try Repository.writeIndex([item], stats: UnsafeBufferPointer(start: $0, count: 1), at: repo.path + "/.git/index") }
        var times = [changed.st_mtim, changed.st_mtim]
        #expect(utimensat(AT_FDCWD, repo.path + "/.git/index", &times, 0) == 0)

        let elsewhere = try Fixture.directory()
        let (ours, theirs, copied) = try checkoutBoth(repo, repo.oid("HEAD"), in: elsewhere)
        #expect(copied == 1)
        #expect(FileManager.default.contents(atPath: ours + "/racy.txt") == Data("before\n".utf8))
        #expect(try snapshot(ours) == snapshot(theirs))

        // The same entry in an index a second newer is trusted, as `git status` trusts it: the
        // racy rule, nothing else, kept the copy above exact.
        times = [changed.st_mtim, timespec(tv_sec: changed.st_mtim.tv_sec + 1, tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, repo.path + "/.git/index", &times, 0) == 0)
        try repository.createBranch("again", at: repo.oid("HEAD"))
        #expect(try repository.createWorktree(name: "again", path: elsewhere.path + "/again", branch: "again").copied == 2)
    }

    /// A tree asking for CRLF output leaves it all to libgit2's checkout: nothing copied.
    @Test func aFilterInTheNewTreeCopiesNothing() throws {
        let repo = try Fixture.repo()
        repo.write(".gitattributes", "*.txt eol=crlf\n")
        repo.write("a.txt", "one\ntwo\n")
        repo.write("b.c", "int b;\n")
        try repo.commitAll("crlf")
        try ageIndex(repo)
        let elsewhere = try Fixture.directory()
        let repository = try repo.open()
        try repository.createBranch("ours", at: repo.oid("HEAD"))
        let result = try repository.createWorktree(name: "ours", path: elsewhere.path + "/ours", branch: "ours")
        try repo.git("worktree", "add", "-q", "-b", "theirs", elsewhere.path + "/theirs", "HEAD")
        #expect(result.fallback?.contains("eol=crlf") == true && result.copied == 0)
        #expect(FileManager.default.contents(atPath: elsewhere.path + "/ours/a.txt") == Data("one\r\ntwo\r\n".utf8))
        #expect(try snapshot(elsewhere.path + "/ours") == snapshot(elsewhere.path + "/theirs"))
        #expect(try indexWithoutStat(elsewhere.path + "/ours") == indexWithoutStat(elsewhere.path + "/theirs"))
    }

    /// The main checkout filters (its files hold CRLF) and the new tree does not: its files are
    /// not the blobs' bytes, so none is copied.
    @Test func aFilterInTheMainCheckoutCopiesNothing() throws {
        let repo = try Fixture.repo()
        repo.write("a.txt", "one\ntwo\n")
        repo.write("b.c", "int b;\n")
        try repo.commitAll("plain")
        let base = try repo.oid("HEAD")
        repo.write(".gitattributes", "*.txt eol=crlf\n")
        try repo.commitAll("crlf")
        repo.remove("a.txt")
        try repo.git("checkout", "--", "a.txt")
        #expect(repo.read("a.txt") == Data("one\r\ntwo\r\n".utf8))
        try ageIndex(repo)
        let elsewhere = try Fixture.directory()
        let (ours, theirs, copied) = try checkoutBoth(repo, base, in: elsewhere)
        #expect(copied == 0)
        #expect(FileManager.default.contents(atPath: ours + "/a.txt") == Data("one\ntwo\n".utf8))
        #expect(try snapshot(ours) == snapshot(theirs))
    }

    /// The attribute is gone but the file it converted was never rewritten: git calls it clean,
    /// yet its bytes are CRLF. The size check keeps it from being copied.
    @Test func aFileConvertedUnderAnAttributeSinceRemovedIsInflated() throws {
        let repo = try Fixture.repo()
        repo.write(".gitattributes", "*.txt eol=crlf\n")
        repo.write("a.txt", "one\ntwo\n")
        repo.write("b.c", "int b;\n")
        try repo.commitAll("crlf")
        repo.remove("a.txt")
        try repo.git("checkout", "--", "a.txt")
        // Seconds old, so that no later index write finds the entry racy and re-reads the file
        // (git without USE_NSEC compares whole seconds): git keeps trusting it from here on.
        var times = [timespec(tv_sec: time(nil) - 10, tv_nsec: 0), timespec(tv_sec: time(nil) - 10, tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, repo.absolute("a.txt"), &times, 0) == 0)
        try repo.git("update-index", "--refresh")
        try repo.git("rm", "-q", ".gitattributes")
        try repo.git("commit", "-q", "-m", "no attributes")
        #expect(repo.read("a.txt") == Data("one\r\ntwo\r\n".utf8))
        try ageIndex(repo)
        #expect(try repo.git("status", "--porcelain") == "")
        #expect(try repo.git("ls-files", "--debug", "a.txt").contains("size: 10\t"))
        let elsewhere = try Fixture.directory()
        let (ours, theirs, copied) = try checkoutBoth(repo, repo.oid("HEAD"), in: elsewhere)
        #expect(copied == 1)
        #expect(FileManager.default.contents(atPath: ours + "/a.txt") == Data("one\ntwo\n".utf8))
        #expect(try snapshot(ours) == snapshot(theirs))
    }

    // MARK: - Helpers

    /// `createWorktree` and `git worktree add` of `commit`; expects the same index (stat data
    /// aside) and returns both paths and how many files the shortcut copied.
    private func checkoutBoth(_ repo: FixtureRepo, _ commit: OID, in elsewhere: TempDirectory) throws -> (ours: String, theirs: String, copied: Int) {
        let ours = elsewhere.path + "/ours", theirs = elsewhere.path + "/theirs"
        let repository = try repo.open()
        try repository.createBranch("ours", at: commit)
        let result = try repository.createWorktree(name: "ours", path: ours, branch: "ours")
        #expect(result.fallback == nil)
        try repo.git("worktree", "add", "-q", "-b", "theirs", theirs, commit.hex)
        #expect(try snapshot(ours) == snapshot(theirs))
        #expect(try indexWithoutStat(ours) == indexWithoutStat(theirs))
        #expect(try GitCLI.git(["status", "--porcelain"], in: ours) == "")
        return (ours, theirs, result.copied)
    }

    /// Makes the main index newer than every file in the checkout, as it is a while after a
    /// checkout (entries written in the index's own clock tick are racy and not copied).
    private func ageIndex(_ repo: FixtureRepo) throws {
        usleep(30_000)
        #expect(utimensat(AT_FDCWD, repo.path + "/.git/index", nil, 0) == 0)
    }

    /// Sets the index's mtime to `path`'s, making that entry racy.
    private func matchIndexTimeTo(_ repo: FixtureRepo, path: String) throws {
        var st = stat()
        #expect(lstat(repo.absolute(path), &st) == 0)
        var times = [st.st_mtim, st.st_mtim]
        #expect(utimensat(AT_FDCWD, repo.path + "/.git/index", &times, 0) == 0)
    }
}
