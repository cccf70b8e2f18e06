import Foundation
import Testing
import GitKit
import GorchCore
import GorchTestSupport

/// Conflicted trees git 2.39 writes with an entry of mode 0 and the null id. main turns the
/// directory lib/sub into a file while theirs renames lib/ to core/: ort moves the file to
/// core/sub, and apply_directory_rename_modifications, splitting it from the directory it
/// replaced, zeroes stage 1 (main's version of the file) instead of the directory's stage. The
/// entry keeps its filemask, so it is not null and record_entry_for_tree writes "0 sub" into
/// the tree (moved to sub~main first when theirs still has a directory core/sub). gorch skipped
/// such entries: these 11 of 5,462 fuzzed conflicted trees differed from git's.
@Suite(.timeLimit(.minutes(20))) struct ConflictedTreeTests {
    /// `keepSubdirectory`: theirs still has lib/sub/f.txt, so core/sub is a directory on theirs.
    private func fixture(keepSubdirectory: Bool) throws -> TempRepo {
        let repo = try TempRepo(label: "mode-zero-\(keepSubdirectory)")
        repo.write("lib/a.txt", "one\n")
        repo.write("lib/b.txt", "two\n")
        repo.write("lib/sub/f.txt", "x\ny\n")
        try repo.commitAll("base")
        try repo.git("checkout", "-q", "-b", "theirs")
        if !keepSubdirectory { try repo.git("rm", "-q", "lib/sub/f.txt") }
        try repo.git("mv", "lib", "core")
        try repo.commitAll("rename lib/ to core/")
        try repo.git("checkout", "-q", "main")
        try repo.git("rm", "-q", "-r", "lib/sub")
        repo.write("lib/sub", "file\n")
        try repo.commitAll("directory lib/sub becomes a file")
        return repo
    }

    @Test(arguments: [true, false])
    func modeZeroEntryAsGitWritesIt(keepSubdirectory: Bool) throws {
        let repo = try fixture(keepSubdirectory: keepSubdirectory)
        let (mismatch, sameTree, oracle, _) = try Differential.compare(try Differential.predictor(repo.path), repo: repo.path,
                                                                       "main", "theirs")
        #expect(mismatch == nil, "\(mismatch.map(\.description) ?? "")")
        #expect(sameTree == true)
        let moved = keepSubdirectory ? "core/sub~main" : "core/sub"
        #expect(try repo.git("ls-tree", oracle.tree ?? "", moved).hasPrefix("160000 commit \(String(repeating: "0", count: 40))"),
                "the oracle still writes its mode-0 entry (git ls-tree shows mode 0 as a gitlink)")
    }

    /// Handing the conflict back checks out git's tree without the mode-0 entry (git's own
    /// `git merge` dies here: "cache entry has null sha1"); the other conflicts are in the index.
    @Test func writesTheConflictIntoTheWorkTree() throws {
        let repo = try fixture(keepSubdirectory: true)
        ProcessIsolation.apply()
        let repository = try Repository.open(at: repo.path)
        let ours = try repository.resolveCommit("main"), theirs = try repository.resolveCommit("theirs")
        let outcome = try OrtMerger(repository: repository).merge(ours: ours, theirs: theirs, ourLabel: "main", theirLabel: "theirs")
        #expect(!outcome.isClean)
        try repository.writeConflictedMerge(outcome, theirs: theirs, message: "Merge branch 'theirs'")
        let index = try repo.git("ls-files", "-s")
        #expect(index.contains("1\tcore/sub/f.txt") && index.contains("3\tcore/sub/f.txt"), "\(index)")
        #expect(!index.contains("core/sub~main"))
        #expect(!FileManager.default.fileExists(atPath: repo.absolute("core/sub~main")))
        #expect(FileManager.default.fileExists(atPath: repo.absolute("core/a.txt")))
    }
}
