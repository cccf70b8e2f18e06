import Foundation
@testable import GitKit
import GorchTestSupport
import Testing

/// The pieces issue 20 added to make criss-cross merges cheap, each against what it replaced:
/// trees parsed from their bytes against libgit2's parse, the commit graph's merge bases of one
/// commit and many against `git merge-base --all`, and the bounded scratch store.
@Suite(.timeLimit(.minutes(20))) struct HeavyMergeHelpersTests {
    /// `items` without repeats, in first-seen order.
    static func unique(_ items: [String]) -> [String] {
        var seen = Set<String>()
        return items.filter { seen.insert($0).inserted }
    }

    /// `git ARGS` in `repo` with the isolated environment plus `env`, fed `input`; its stdout.
    @discardableResult
    static func git(_ repo: TempRepo, _ args: [String], env: [String: String] = [:], input: String? = nil) throws -> String {
        let result = try Shell.run("git", args, cwd: repo.path, env: Shell.gitEnvironment.merging(env) { $1 }, stdin: input)
        guard result.status == 0 else { throw ShellError(command: ["git"] + args, status: result.status, stderr: result.stderr, cwd: repo.path) }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func rawTreeEntriesMatchLibgit2sParse() throws {
        let repo = try Fixture.repo()
        repo.write("a.c", "1\n")
        repo.write("a/b", "2\n")            // "a" sorts after "a.c" in tree order
        repo.write("run.sh", "#!/bin/sh\n")
        repo.setExecutable("run.sh")
        repo.write("caf\u{e9}/x", "3\n")
        try repo.git("add", "-A")
        try repo.git("update-index", "--add", "--cacheinfo", "120000,\(try Self.git(repo, ["hash-object", "-w", "--stdin"], input: "a.c")),link")
        try repo.git("update-index", "--add", "--cacheinfo", "160000,\(String(repeating: "1", count: 40)),sub")
        try repo.git("commit", "-qm", "modes")
        // A name that is not UTF-8, written with git mktree.
        let blob = try Self.git(repo, ["hash-object", "-w", "--stdin"], input: "raw\n")
        let odd = try Shell.run("sh", ["-c", "printf '100644 blob \(blob)\\tf\\377o\\n' | git mktree"], cwd: repo.path, env: Shell.gitEnvironment)
        let oddTree = try #require(OID(hex: odd.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        let repository = try repo.open()
        for tree in [try repo.oid("HEAD^{tree}"), try repo.oid("HEAD:a"), oddTree] {
            let parsed = try repository.rawTreeEntries(tree)
            let reference = try repository.treeEntries(tree)
            #expect(parsed.map(\.name) == reference.map(\.name))
            #expect(parsed.map(\.mode) == reference.map(\.mode.rawValue))
            #expect(parsed.map(\.oid) == reference.map(\.oid))
        }
        #expect(throws: GitError.self) { try repository.rawTreeEntries(try repo.oid("HEAD")) }   // a commit
    }

    @Test func mergeBasesOfOneAndManyMatchGit() throws {
        // A random history of branches merging each other (criss-crosses, many bases).
        let repo = try Fixture.repo()
        let empty = try Self.git(repo, ["hash-object", "-t", "tree", "-w", "/dev/null"])
        var rng = SplitMix64(seed: 20)
        var commits: [String] = []
        var time = 1_600_000_000
        for index in 0..<120 {
            var parents: [String] = []
            if !commits.isEmpty { parents.append(commits[Int(rng.next() % UInt64(commits.count))]) }
            if commits.count > 3 && rng.next() % 3 == 0 { parents.append(commits[Int(rng.next() % UInt64(commits.count))]) }
            time += Int(rng.next() % 3)   // equal dates too
            let flags = Self.unique(parents).flatMap { ["-p", $0] }
            commits.append(try Self.git(repo, ["commit-tree", empty, "-m", "c\(index)"] + flags,
                                        env: ["GIT_COMMITTER_DATE": "\(time) +0000", "GIT_AUTHOR_DATE": "\(time) +0000"]))
        }
        // Octopus merges too (the commit-graph keeps their extra parents in its EDGE chunk).
        for index in 0..<6 {
            let parents = (0..<(3 + index % 3)).map { _ in commits[Int(rng.next() % UInt64(commits.count))] }
            commits.append(try Self.git(repo, ["commit-tree", empty, "-m", "octopus \(index)"] + Self.unique(parents).flatMap { ["-p", $0] }))
        }
        try checkMergeBases(repo, commits, &rng)
        // Again through git's commit-graph file, which must give every commit's parents and date.
        try Self.git(repo, ["commit-graph", "write", "--stdin-commits", "--no-progress"], input: commits.joined(separator: "\n") + "\n")
        let repository = try repo.open()
        let file = try #require(repository.commitGraphFile)
        for commit in commits {
            let oid = try #require(OID(hex: commit))
            let fromFile = try #require(file.dateAndParents(oid))
            let parsed = try repository.commit(oid)
            #expect(fromFile.parents == parsed.parents, "\(commit)")
            #expect(fromFile.date == parsed.time, "\(commit)")
        }
        #expect(file.dateAndParents(try #require(OID(hex: empty))) == nil)   // not a commit: not in the file
        try checkMergeBases(repo, commits, &rng)
        // core.commitGraph=false: git's switch turns the file off.
        try Self.git(repo, ["config", "core.commitGraph", "false"])
        #expect(try repo.open().commitGraphFile == nil)
    }

    private func checkMergeBases(_ repo: TempRepo, _ commits: [String], _ rng: inout SplitMix64) throws {
        let graph = CommitGraph(repository: try repo.open())
        for _ in 0..<150 {
            let one = commits[Int(rng.next() % UInt64(commits.count))]
            var others: [String] = []
            for _ in 0..<(1 + Int(rng.next() % 4)) { others.append(commits[Int(rng.next() % UInt64(commits.count))]) }
            let expected = Set(try Self.git(repo, ["merge-base", "--all", one] + others).split(separator: "\n").map(String.init))
            let found = Set(try graph.mergeBases(try #require(OID(hex: one)), try others.map { try #require(OID(hex: $0)) }).map(\.hex))
            #expect(found == expected, "\(one) \(others)")
        }
    }

    @Test func scratchObjectsAreKeptUpToTheBound() throws {
        let repo = try Fixture.twoCommits()
        let repository = try repo.open()
        try repository.useInMemoryObjectWrites()
        let small = try repository.writeBlob(Array("kept\n".utf8))
        let generation = repository.scratchGeneration
        repository.discardScratchObjects(above: 1 << 20)
        #expect(repository.objectExists(small))
        #expect(repository.scratchGeneration == generation)
        _ = try repository.writeBlob([UInt8](repeating: 0x61, count: 2 << 20))
        repository.discardScratchObjects(above: 1 << 20)
        #expect(!repository.objectExists(small))
        #expect(repository.scratchGeneration == generation + 1)
        #expect(repository.scratchBytes == 0)
    }
}

/// Merges that share their merge bases reuse the virtual base built for the first one, and get
/// exactly git's trees.
@Suite(.timeLimit(.minutes(20))) struct VirtualBaseMemoTests {
    @Test func pairsWithTheSameBasesReuseTheVirtualBaseExactly() throws {
        let repo = try Fixture.repo()
        let lines = (1...40).map { "line \($0)" }
        repo.write("shared.txt", lines.joined(separator: "\n") + "\n")
        let base = try repo.commitAll("base")
        // Four topics from base, each editing the shared file at its own place (two of them
        // next to each other: their folds conflict inside the virtual base) and a file of its own.
        var topics: [String] = []
        for (index, line) in [3, 4, 20, 33].enumerated() {
            try repo.git("checkout", "-q", "-b", "topic\(index)", base)
            var edited = lines
            edited[line] = "topic \(index) was here"
            repo.write("shared.txt", edited.joined(separator: "\n") + "\n")
            repo.write("own\(index).txt", "topic \(index)\n")
            topics.append(try repo.commitAll("topic \(index)"))
        }
        // Two integration branches merging the topics in opposite orders (resolving as the later
        // topic's side), so the topics are four merge bases of any pair of their descendants.
        for (branch, order) in [("x", [0, 1, 2, 3]), ("y", [3, 2, 1, 0])] {
            try repo.git("checkout", "-q", "-b", branch, base)
            for index in order {
                _ = try? repo.git("merge", "-q", "--no-edit", "topic\(index)")
                try repo.git("checkout", "-q", "topic\(index)", "--", "own\(index).txt")
                if try repo.git("diff", "--name-only", "--diff-filter=U").contains("shared.txt") {
                    try repo.git("checkout", "-q", "--theirs", "--", "shared.txt")
                }
                try repo.git("add", "-A")
                _ = try? repo.git("commit", "-q", "--no-edit")
            }
        }
        try repo.git("checkout", "-q", "x")
        repo.write("x.txt", "x\n")
        let x = try repo.commitAll("x moves on")
        var sides: [String] = []
        for index in 0..<3 {
            try repo.git("checkout", "-q", "-B", "y\(index)", "y")
            var edited = lines
            edited[10 + index] = "side \(index)"
            repo.write("shared.txt", edited.joined(separator: "\n") + "\n")
            sides.append(try repo.commitAll("side \(index)"))
        }
        let merger = OrtMerger(repository: try repo.open())
        for side in sides {
            let ours = try repo.oid(x), theirs = try repo.oid(side)
            #expect(try merger.mergeBases(ours, theirs).count == 4)
            let outcome = try merger.merge(ours: ours, theirs: theirs, ourLabel: x, theirLabel: side)   // git labels markers with its arguments
            let git = try GitCLI.mergeTree(in: repo.path, x, side)
            #expect(outcome.tree.hex == git.tree)
            #expect(outcome.isClean == git.clean)
        }
        // Three folds per pair; the second and third pair fold nothing anew.
        #expect(merger.cache.virtualBaseHits == 6)
    }
}

/// Objects written to memory never touch the object store: libgit2's own write "freshened" the
/// loose file (or pack) already holding the same object.
@Suite(.timeLimit(.minutes(20))) struct ScratchWriteTests {
    @Test func writingAnObjectTheRepositoryHasLeavesItsFileAlone() throws {
        let repo = try Fixture.twoCommits()
        let content = "already on disk \(UUID())\n"
        let blob = try HeavyMergeHelpersTests.git(repo, ["hash-object", "-w", "--stdin"], input: content)
        let file = repo.path + "/.git/objects/" + blob.prefix(2) + "/" + blob.dropFirst(2)
        let old = Date(timeIntervalSince1970: 1_000_000_000)
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: file)
        let repository = try repo.open()
        try repository.useInMemoryObjectWrites()
        #expect(try repository.writeBlob(Array(content.utf8)).hex == blob)
        let tree = try repository.writeTree([TreeEntry(name: "f", oid: try #require(OID(hex: blob)), mode: .blob)])
        #expect(try repository.treeEntries(tree).map(\.name) == ["f"])
        let after = try FileManager.default.attributesOfItem(atPath: file)[.modificationDate] as? Date
        #expect(after == old)
        #expect(try !GitCLI.succeeds(["cat-file", "-e", tree.hex], in: repo.path))   // the tree stayed in memory
    }
}
