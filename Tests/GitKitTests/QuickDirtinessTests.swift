import Foundation
@testable import GitKit  // quickDirtiness and statusEntries: the fast answer against the full status
import GorchTestSupport
import Testing

/// `Repository.quickDirtiness()` (the index and one lstat per entry) must give the full status's
/// answer (`git_status_list_new` without untracked files) whenever it answers at all: generated
/// work trees with every kind of change a tracked path can have, alone and combined.
@Suite(.timeLimit(.minutes(20))) struct QuickDirtinessTests {
    /// One kind of change to a work tree whose index is fresh and not racy.
    enum Change: CaseIterable {
        case sameSizeEdit, sameSizeEditOldMtime, append, delete, fileToDirectory, fileToSymlink, executable,
             directoryToSymlink, staged, stagedThenReverted, untracked, touched, removedFromIndex,
             intentToAdd, conflict, manyTouched, rawNameTouched, rawNameEdited
    }

    /// A repository with files at several depths, their mtimes an hour old and the index
    /// refreshed after, so that no entry is racy.
    private func base(_ label: String) throws -> TempRepo {
        let repo = try Fixture.repo(label)
        for (index, path) in Self.paths.enumerated() { repo.write(path, "file \(index)\n") }
        try RawFiles.write(repo.path + "/" + Self.rawName, Data("latin-1\n".utf8))
        _ = try repo.commitAll("base")
        try repo.git("checkout", "-q", "-b", "side")
        repo.write("a/one.txt", "side\n")
        _ = try repo.commitAll("side")
        try repo.git("checkout", "-q", "main")
        try Shell.run("/usr/bin/find", [repo.path, "-path", repo.path + "/.git", "-prune", "-o", "-exec", "touch", "-h", "-d", "1 hour ago", "{}", "+"], cwd: repo.path)
        try repo.git("update-index", "--really-refresh")
        return repo
    }

    static let paths = ["top.txt", "a/one.txt", "a/two.txt", "a/b/three.txt", "a/b/c/four.txt", "a/b.txt", "a0.txt",
                        "d/e/f/g/deep.txt", "d/e/other.txt"] + (0..<40).map { "many/m\($0).txt" }

    /// "a/caf\xe9.txt": a name that is not UTF-8 (RawPath's escape for the byte 0xE9).
    static let rawName = RawPath.decode(Array("a/caf".utf8) + [0xE9] + Array(".txt".utf8))

    private func apply(_ change: Change, to repo: TempRepo) throws {
        switch change {
        case .sameSizeEdit: repo.write("a/two.txt", "FILE 2\n")
        case .sameSizeEditOldMtime:
            repo.write("a/b/three.txt", "FILE 3\n")
            try Shell.run("/usr/bin/touch", ["-d", "1 hour ago", repo.absolute("a/b/three.txt")], cwd: repo.path)
        case .append: repo.write("d/e/other.txt", "file 8\nmore\n")
        case .delete: repo.remove("a/b/c/four.txt")
        case .fileToDirectory:
            repo.remove("a0.txt")
            repo.write("a0.txt/inside.txt", "x\n")
        case .fileToSymlink:
            repo.remove("top.txt")
            repo.symlink("top.txt", to: "a/one.txt")
        case .executable: repo.setExecutable("a/b.txt", true)
        case .directoryToSymlink:
            // The same files, same inodes and stat data, reached through a symlinked directory.
            try FileManager.default.moveItem(atPath: repo.absolute("d/e"), toPath: repo.absolute("d/moved"))
            try FileManager.default.createSymbolicLink(atPath: repo.absolute("d/e"), withDestinationPath: "moved")
        case .staged:
            repo.write("many/m3.txt", "staged\n")
            try repo.git("add", "many/m3.txt")
        case .stagedThenReverted:
            repo.write("many/m4.txt", "staged\n")
            try repo.git("add", "many/m4.txt")
            repo.write("many/m4.txt", "file 13\n")
        case .untracked: repo.write("a/b/new.txt", "untracked\n")
        case .touched: try Shell.run("/usr/bin/touch", [repo.absolute("many/m5.txt")], cwd: repo.path)
        case .removedFromIndex: try repo.git("rm", "-q", "--cached", "many/m6.txt")
        case .intentToAdd:
            repo.write("ita.txt", "new\n")
            try repo.git("add", "-N", "ita.txt")
        case .conflict:
            try repo.git("checkout", "-q", "-b", "other")
            repo.write("a/one.txt", "other\n")
            _ = try repo.commitAll("other")
            _ = try? repo.git("merge", "-q", "side")
        case .rawNameTouched:
            // Its mtime moves to now, its content stays: a doubt that git_status_file must find by its bytes.
            #expect(RawPath.withCString(repo.path + "/" + Self.rawName) { utimensat(AT_FDCWD, $0, nil, 0) } == 0)
        case .rawNameEdited: try RawFiles.write(repo.path + "/" + Self.rawName, Data("LATIN-1\n".utf8))
        case .manyTouched:
            for index in 0..<40 { try Shell.run("/usr/bin/touch", [repo.absolute("many/m\(index).txt")], cwd: repo.path) }
        }
    }

    private func check(_ changes: [Change], label: String) throws -> Bool? {
        let repo = try base(label)
        for change in changes { try apply(change, to: repo) }
        let quick = try repo.open().quickDirtiness()
        let full = try !repo.open().statusEntries(includeUntracked: false).isEmpty
        #expect(quick == nil || quick == full, "changes \(changes): quick \(String(describing: quick)), full \(full)")
        return quick
    }

    @Test("an unchanged work tree is answered clean from the index and lstat alone")
    func clean() throws {
        #expect(try check([], label: "quick-clean") == false)
    }

    @Test("each change alone: the full status's answer, or none", arguments: Change.allCases)
    func single(_ change: Change) throws {
        let quick = try check([change], label: "quick-\(change)")
        // Only these may leave the answer to the full status; every other change is answered.
        let deferred: Set<Change> = [.fileToDirectory, .directoryToSymlink, .staged, .stagedThenReverted,
                                      .removedFromIndex, .intentToAdd, .conflict, .manyTouched]
        if !deferred.contains(change) { #expect(quick != nil, "\(change) was not answered") }
    }

    @Test("generated combinations of changes agree with the full status")
    func combinations() throws {
        var random = SplitMix64(seed: 20)
        var answered = 0
        for round in 0..<40 {
            let changes = Change.allCases.filter { _ in random.chance(0.15) }
            if try check(changes, label: "quick-combination-\(round)") != nil { answered += 1 }
        }
        #expect(answered > 0)
    }
}
