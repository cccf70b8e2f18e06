import Foundation
@testable import GitKit  // quickUntracked and statusEntries: the fast walk against the full status
import GorchTestSupport
import Testing

/// `Repository.quickUntracked()` (the index, `getdents` and ignore lookups) must list exactly the
/// untracked files of libgit2's full status (`git_status_list_new` with untracked directories
/// recursed into) whenever it answers, and `trackedChangesAndUntracked()` must always split the
/// full status.
@Suite(.timeLimit(.minutes(20))) struct QuickUntrackedTests {
    private func base(_ label: String) throws -> TempRepo {
        let repo = try Fixture.repo(label)
        for path in ["top.txt", "a/one.txt", "a/b/two.txt", "a/b/c/three.txt", "logs/keep.txt", "d/e/f/deep.txt"] {
            repo.write(path, "tracked \(path)\n")
        }
        repo.write(".gitignore", "*.log\n!keep.log\nbuild/\n/only-top.tmp\n")
        repo.write("a/.gitignore", "secret*\n")
        _ = try repo.commitAll("base")
        return repo
    }

    /// Layouts of untracked, ignored and re-included names, each alone and all together.
    static let layouts: [String: [String]] = [
        "none": [],
        "top file": ["new.txt"],
        "in tracked directories": ["a/new.txt", "a/b/c/new.txt", "d/e/f/new.c"],
        "untracked directories, deep": ["x/y/z/new.txt", "x/other.txt", "a/b/fresh/one.txt"],
        "ignored by pattern": ["debug.log", "a/b/trace.log", "a/secret.key", "a/b/secret2"],
        "re-included": ["keep.log", "a/keep.log"],
        "ignored directory": ["build/out.o", "a/build/deeper/out.o"],
        "anchored pattern": ["only-top.tmp", "a/only-top.tmp"],
        "untracked directory of ignored files": ["junk/one.log", "junk/two.log"],
        "empty directories": ["empty/", "a/b/empty/", "x/y/"],
        "names that need care": ["with space.txt", "é ü 文件.txt", "a/.hidden", "-dash", "a/b/c.d/e"],
        "symlinks": ["link-to-a@a", "x/dangling@nowhere"],
    ]

    private func apply(_ layout: [String], to repo: TempRepo) throws {
        for item in layout {
            if item.hasSuffix("/") {
                try FileManager.default.createDirectory(atPath: repo.path + "/" + item, withIntermediateDirectories: true)
            } else if let at = item.firstIndex(of: "@") {
                let path = String(item[..<at]), target = String(item[item.index(after: at)...])
                try FileManager.default.createDirectory(atPath: repo.path + "/" + (path as NSString).deletingLastPathComponent,
                                                        withIntermediateDirectories: true)
                try FileManager.default.createSymbolicLink(atPath: repo.path + "/" + path, withDestinationPath: target)
            } else {
                repo.write(item, "untracked \(item)\n")
            }
        }
    }

    private func fullUntracked(_ repository: Repository) throws -> [String] {
        try repository.statusEntries(includeUntracked: true).filter(\.isUntracked).map(\.path).sorted { compareBytes($0, $1) < 0 }
    }

    @Test(arguments: Array(layouts.keys).sorted() + ["all"])
    func listsWhatTheFullStatusLists(layout name: String) throws {
        let repo = try base("untracked-\(name)")
        try apply(name == "all" ? Self.layouts.values.flatMap { $0 } : Self.layouts[name] ?? [], to: repo)
        let repository = try repo.open()
        let quick = repository.quickUntracked()
        let full = try fullUntracked(repository)
        #expect(quick != nil)
        #expect(quick == full)
        let split = try repository.trackedChangesAndUntracked()
        #expect(split.changed.isEmpty && split.untracked == full)
    }

    @Test func infoExcludeAndExcludesFileApply() throws {
        let repo = try base(#function)
        try "*.bak\n".write(toFile: repo.path + "/.git/info/exclude", atomically: true, encoding: .utf8)
        let global = try Fixture.directory()
        try "*.swp\n".write(toFile: global.path + "/ignore", atomically: true, encoding: .utf8)
        try repo.git("config", "core.excludesFile", global.path + "/ignore")
        try apply(["a/old.bak", "a/.x.swp", "a/kept.txt"], to: repo)
        let repository = try repo.open()
        let full = try fullUntracked(repository)
        #expect(repository.quickUntracked() == ["a/kept.txt"])
        #expect(full == ["a/kept.txt"])
    }

    /// What the walk leaves to libgit2 gives no answer, and the split still comes out right.
    @Test func nestedRepositoryIsLeftToTheFullStatus() throws {
        let repo = try base(#function)
        try apply(["inner/file.txt", "new.txt"], to: repo)
        try Shell.git(["init", "-q"], cwd: repo.path + "/inner")
        let repository = try repo.open()
        #expect(repository.quickUntracked() == nil)
        let split = try repository.trackedChangesAndUntracked()
        let full = try fullUntracked(repository)
        #expect(split.untracked == full)
        #expect(split.untracked.contains("new.txt"))
    }

    /// core.ignoreCase, with a value or without one (git's true), is left to libgit2.
    @Test(arguments: ["\tignorecase = true\n", "\tignorecase\n"])
    func ignoreCaseIsLeftToTheFullStatus(line: String) throws {
        let repo = try base("ignorecase-\(line.count)")
        try apply(["new.txt"], to: repo)
        let config = repo.path + "/.git/config"
        try (String(contentsOfFile: config, encoding: .utf8) + "[core]\n" + line).write(toFile: config, atomically: true, encoding: .utf8)
        let repository = try repo.open()
        #expect(repository.quickUntracked() == nil)
        #expect(try repository.trackedChangesAndUntracked().untracked == ["new.txt"])
    }

    @Test func trackedChangesComeFromTheFullStatus() throws {
        let repo = try base(#function)
        repo.write("a/one.txt", "changed, and longer than before\n")
        try apply(["new.txt"], to: repo)
        let split = try repo.open().trackedChangesAndUntracked()
        #expect(split.changed == ["a/one.txt"])
        #expect(split.untracked == ["new.txt"])
    }
}
