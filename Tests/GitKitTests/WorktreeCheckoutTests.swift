import Foundation
@testable import GitKit
import GorchTestSupport
import Testing

/// `addWorktree`'s own checkout (`freshCheckout`) against `git worktree add` of the same commit:
/// same files, modes, links, index entries, admin files, and a clean `git status` whose stat
/// data needs no refresh.
@Suite(.timeLimit(.minutes(20))) struct WorktreeCheckoutTests {
    /// A commit with every kind of entry a checkout writes, and enough files for two workers.
    private func richRepo(_ label: String = #function) throws -> FixtureRepo {
        let repo = try Fixture.repo(label)
        repo.write("README.md", "hello\n")
        repo.write("empty", "")
        repo.write("bin/run.sh", "#!/bin/sh\necho run\n")
        repo.setExecutable("bin/run.sh")
        repo.symlink("link-to-readme", to: "README.md")
        repo.symlink("dir-link", to: "deep/a/b")
        repo.symlink("dangling", to: "nowhere/at/all")
        repo.write("deep/a/b/c/d/e/leaf.txt", "leaf\n")
        repo.write("with space/é ü 文件.txt", "unicode\n")
        // Tree order puts "a-b" and "a.b" before the directory "a/": the index order must match.
        repo.write("a-b", "dash\n")
        repo.write("a.b", "dot\n")
        repo.write("a/b", "nested\n")
        repo.write("crlf.txt", "kept\r\nas is\r\n")
        repo.write("binary.dat", data: Data([0, 1, 2, 0, 255, 10, 13]))
        for i in 0..<600 { repo.write("many/d\(i % 6)/f\(i).txt", "file \(i)\n") }
        try repo.git("add", "-A")
        // A submodule entry without a .gitmodules: git and the checkout make an empty directory.
        try repo.git("update-index", "--add", "--cacheinfo", "160000,1111111111111111111111111111111111111111,sub/mod")
        try repo.git("commit", "-q", "-m", "rich")
        return repo
    }

    @Test func matchesGitWorktreeAddEntryForEntry() throws {
        let repo = try richRepo()
        let elsewhere = try Fixture.directory()
        let ours = elsewhere.path + "/ours", theirs = elsewhere.path + "/theirs"
        let repository = try repo.open()
        try repository.createBranch("ours", at: repo.oid("HEAD"))

        let (worktree, fallback, _) = try repository.createWorktree(name: "ours", path: ours, branch: "ours")
        try repo.git("worktree", "add", "-q", "-b", "theirs", theirs, "HEAD")

        #expect(fallback == nil)
        #expect(worktree.path == ours && worktree.isValid && !worktree.isLocked)
        #expect(try snapshot(ours) == snapshot(theirs))
        #expect(try snapshot(ours)["sub/mod"] == "dir")
        #expect(try indexWithoutStat(ours) == indexWithoutStat(theirs))
        #expect(try GitCLI.git(["status", "--porcelain", "--ignored"], in: ours) == "")
        #expect(try GitCLI.git(["diff", "--stat"], in: ours) == "")
        #expect(try GitCLI.git(["symbolic-ref", "HEAD"], in: ours) == "refs/heads/ours")
        #expect(try GitCLI.git(["rev-parse", "HEAD"], in: ours) == repo.git("rev-parse", "HEAD"))
        #expect(try staleStatEntries(ours).isEmpty)
        let stanza = try repo.git("worktree", "list", "--porcelain")
        #expect(stanza.contains("worktree \(ours)\nHEAD \(try repo.git("rev-parse", "HEAD"))\nbranch refs/heads/ours"))
    }

    /// `richRepo` checked out by `createWorktree` into a new worktree "ours" (branch "ours"),
    /// in a temporary folder the caller keeps alive.
    private func richWorktree(_ label: String = #function) throws -> (repo: FixtureRepo, ours: String, folder: TempDirectory) {
        let repo = try richRepo(label)
        let elsewhere = try Fixture.directory(label)
        let ours = elsewhere.path + "/ours"
        let repository = try repo.open()
        try repository.createBranch("ours", at: repo.oid("HEAD"))
        _ = try repository.createWorktree(name: "ours", path: ours, branch: "ours")
        return (repo, ours, elsewhere)
    }

    /// git without nanosecond timestamps calls an entry "racily clean" when its mtime is in the
    /// index file's second and reads the file again on every command: the checkout dates its
    /// files a second back, so none is, however fast it ran.
    @Test func noEntryIsRacyForGit() throws {
        let (repo, ours, elsewhere) = try richWorktree()
        defer { withExtendedLifetime((repo, elsewhere)) {} }
        var index = stat()
        #expect(lstat(repo.path + "/.git/worktrees/ours/index", &index) == 0)
        let files = try GitCLI.git(["ls-files", "-z"], in: ours).split(separator: "\0").map(String.init)
        #expect(files.count > 600)
        let racy = files.filter { path in
            var st = stat()
            return lstat(ours + "/" + path, &st) == 0 && (st.st_mode & S_IFMT) != S_IFDIR
                && st.modified.tv_sec >= index.modified.tv_sec
        }
        #expect(racy.count == 0, "entries in the index file's second: \(racy.prefix(5))")
        #expect(try staleStatEntries(ours).isEmpty)
    }

    /// The dating hides nothing: a change right after the checkout, same size, same second,
    /// is a change for git and for libgit2.
    @Test func aChangeRightAfterTheCheckoutIsSeen() throws {
        let (repo, ours, elsewhere) = try richWorktree()
        defer { withExtendedLifetime((repo, elsewhere)) {} }
        try "HELLO\n".write(toFile: ours + "/README.md", atomically: false, encoding: .utf8)
        try "File 7\n".write(toFile: ours + "/many/d1/f7.txt", atomically: false, encoding: .utf8)
        #expect(try GitCLI.git(["status", "--porcelain"], in: ours) == " M README.md\n M many/d1/f7.txt")
        #expect(try Repository.open(at: ours).isDirty())
    }

    @Test func adminFilesAreWrittenAsGitWritesThem() throws {
        let repo = try Fixture.twoCommits()
        let elsewhere = try Fixture.directory()
        let ours = elsewhere.path + "/ours", theirs = elsewhere.path + "/theirs"
        let repository = try repo.open()
        try repository.createBranch("ours", at: repo.oid("HEAD"))
        try repository.addWorktree(name: "ours", path: ours, branch: "ours")
        try repo.git("worktree", "add", "-q", "-b", "theirs", theirs, "HEAD")

        func admin(_ name: String) -> [String: String] {
            let dir = repo.path + "/.git/worktrees/" + name
            var files: [String: String] = [:]
            for file in ["gitdir", "commondir", "HEAD"] {
                files[file] = (try? String(contentsOfFile: dir + "/" + file, encoding: .utf8))?
                    .replacingOccurrences(of: name, with: "NAME")
            }
            files[".git"] = (try? String(contentsOfFile: elsewhere.path + "/" + name + "/.git", encoding: .utf8))?
                .replacingOccurrences(of: name, with: "NAME")
            return files
        }
        #expect(admin("ours") == admin("theirs"))
        #expect(admin("ours")["commondir"] == "../..\n")
        #expect(admin("ours")[".git"] == "gitdir: \(repo.path)/.git/worktrees/NAME\n")
        #expect(!FileManager.default.fileExists(atPath: repo.path + "/.git/worktrees/ours/locked"))
        // git reads it as its own: it can lock, list and remove it.
        try repo.git("worktree", "lock", ours)
        try repo.git("worktree", "unlock", ours)
        try repo.git("worktree", "remove", ours)
        #expect(!FileManager.default.fileExists(atPath: ours))
    }

    @Test func harmlessAttributesKeepTheFastCheckout() throws {
        let repo = try Fixture.repo()
        repo.write(".gitattributes", "* text=auto\n*.sh text eol=lf\n*.png binary\n# ident filter=x in a comment\n[attr]plain -diff\n")
        repo.write("sub/.gitattributes", "*.md -ident linguist-vendored\n")
        repo.write("a.sh", "echo a\n")
        repo.write("sub/readme.md", "$Id$\n")
        repo.write("img.png", data: Data([137, 80, 78, 71, 13, 10, 26, 10]))
        try repo.commitAll("attributes")
        let elsewhere = try Fixture.directory()
        let (ours, fallback) = try checkoutBoth(repo, in: elsewhere)
        #expect(fallback == nil)
        #expect(try GitCLI.git(["status", "--porcelain"], in: ours) == "")
        #expect(try staleStatEntries(ours).isEmpty)
    }

    @Test(arguments: [
        ("*.txt ident\n", "ident"),
        ("[attr]keyword ident\n*.txt keyword\n", "ident"),
        ("*.txt text eol=crlf\n", "eol=crlf"),
    ])
    func filteringAttributesFallBackToLibgit2(attributes: String, reason: String) throws {
        let repo = try Fixture.repo("filteringAttributesFallBackToLibgit2")
        repo.write(".gitattributes", attributes)
        repo.write("id.txt", "$Id$\nline\n")
        try repo.commitAll("filtered")
        let elsewhere = try Fixture.directory()
        let (ours, fallback) = try checkoutBoth(repo, in: elsewhere)
        #expect(fallback?.contains(reason) == true)
        #expect(try GitCLI.git(["status", "--porcelain"], in: ours) == "")
    }

    @Test func autocrlfFallsBackToLibgit2() throws {
        let repo = try Fixture.repo()
        repo.write("a.txt", "one\ntwo\n")
        try repo.commitAll("lf")
        try repo.git("config", "core.autocrlf", "true")
        let elsewhere = try Fixture.directory()
        let (ours, fallback) = try checkoutBoth(repo, in: elsewhere)
        #expect(fallback == "core.autocrlf=true")
        #expect(FileManager.default.contents(atPath: ours + "/a.txt") == Data("one\r\ntwo\r\n".utf8))
    }

    @Test func aMissingBlobFailsAndLeavesNothingBehind() throws {
        let repo = try Fixture.twoCommits()
        try repo.git("update-index", "--add", "--cacheinfo", "100644,2222222222222222222222222222222222222222,missing")
        let tree = try repo.git("write-tree", "--missing-ok")
        let commit = try repo.git("commit-tree", tree, "-p", "HEAD", "-m", "broken")
        let elsewhere = try Fixture.directory()
        let repository = try repo.open()
        try repository.createBranch("broken", at: #require(OID(hex: commit)))
        #expect(throws: GitError.self) { try repository.addWorktree(name: "broken", path: elsewhere.path + "/b", branch: "broken") }
        #expect(!FileManager.default.fileExists(atPath: elsewhere.path + "/b"))
        #expect(!FileManager.default.fileExists(atPath: repo.path + "/.git/worktrees/broken"))
        #expect(try repository.worktrees().isEmpty)
    }

    @Test func anExistingPathOrACheckedOutBranchIsRefusedUntouched() throws {
        let repo = try Fixture.twoCommits()
        let elsewhere = try Fixture.directory()
        let repository = try repo.open()
        try repository.createBranch("t", at: repo.oid("HEAD"))
        try FileManager.default.createDirectory(atPath: elsewhere.path + "/taken", withIntermediateDirectories: true)
        let exists = try #require(throws: GitError.self) { try repository.addWorktree(name: "t", path: elsewhere.path + "/taken", branch: "t") }
        #expect(exists.code == .exists && exists.message.contains("taken"))
        #expect(!FileManager.default.fileExists(atPath: repo.path + "/.git/worktrees/t"))
        let busy = try #require(throws: GitError.self) { try repository.addWorktree(name: "m", path: elsewhere.path + "/m", branch: "main") }
        #expect(busy.message.contains("already checked out"))
        #expect(!FileManager.default.fileExists(atPath: elsewhere.path + "/m"))
    }

    @Test(arguments: [
        ("*.c ident", "ident"), ("*.c filter=lfs diff=lfs", "filter=lfs"), ("*.x working-tree-encoding=UTF-16", "working-tree-encoding=utf-16"),
        ("* text eol=crlf", "eol=crlf"), ("  [attr]k ident", "ident"), ("a\tb\tIDENT\r\n", "ident"),
    ])
    func attributesThatRewriteFiles(line: String, found: String) {
        #expect(Array(line.utf8).withUnsafeBytes { Repository.filteringAttribute(in: $0) } == found)
    }

    @Test(arguments: ["* text=auto", "*.sh text eol=lf", "*.c -ident !filter", "# *.c ident", "   # filter=x", "* binary linguist-vendored", "*.c crlf=input", ""])
    func attributesThatChangeNothingOnCheckout(line: String) {
        #expect(Array(line.utf8).withUnsafeBytes { Repository.filteringAttribute(in: $0) } == nil)
    }

    @Test(arguments: [
        (".git", 0o100644, true), (".GIT. ", 0o100644, true), (".git::$INDEX_ALLOCATION", 0o100644, true), ("GIT~1", 0o40000, true),
        ("..", 0o40000, true), ("a\\b", 0o100644, true), (".gitmodules", 0o120000, true), ("odd", 0o100600, true),
        (".g\u{200C}it", 0o40000, true), (".gitattributes", 0o100644, false), (".github", 0o40000, false), ("a b é", 0o120000, false), ("legacy", 0o100664, false),
    ])
    func pathsLeftToLibgit2(name: String, mode: UInt32, refused: Bool) {
        let bytes = name.utf8.map { CChar(bitPattern: $0) }
        #expect(bytes.withUnsafeBufferPointer { FreshTree.refusal($0, mode: mode) != nil } == refused)
    }

    // MARK: - Helpers

    /// Checks HEAD out with `createWorktree` and with `git worktree add`; expects the same files.
    private func checkoutBoth(_ repo: FixtureRepo, in elsewhere: TempDirectory) throws -> (ours: String, fallback: String?) {
        let ours = elsewhere.path + "/ours", theirs = elsewhere.path + "/theirs"
        let repository = try repo.open()
        try repository.createBranch("ours", at: repo.oid("HEAD"))
        let fallback = try repository.createWorktree(name: "ours", path: ours, branch: "ours").fallback
        try repo.git("worktree", "add", "-q", "-b", "theirs", theirs, "HEAD")
        #expect(try snapshot(ours) == snapshot(theirs))
        #expect(try indexWithoutStat(ours) == indexWithoutStat(theirs))
        return (ours, fallback)
    }
}
