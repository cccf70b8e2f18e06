import Foundation
@testable import GitKit  // objectExists: the object database itself, past libgit2's object cache
import Testing

@Suite(.timeLimit(.minutes(20))) struct MempackTests {
    static let identity = Signature(name: "A", email: "a@example.com")

    @Test func inMemoryWritesStayInMemory() throws {
        let repo = try Fixture.twoCommits()
        let objects = repo.path + "/.git/objects"
        let before = filesUnder(objects)
        let repository = try repo.open()
        try repository.useInMemoryObjectWrites()

        let blob = try repository.writeBlob(Array("only in memory \(UUID())\n".utf8))
        #expect(repository.objectExists(blob))
        #expect(try repository.blobData(blob).count > 0)
        #expect(try !GitCLI.succeeds(["cat-file", "-e", blob.hex], in: repo.path))

        // Trees and commits go to memory too.
        let tree = try repository.updateTree(repo.oid("HEAD^{tree}"), changes: [(path: "mem", entry: (blob, .blob))])
        let commit = try repository.createCommit(tree: tree, parents: [repo.oid("HEAD")], message: "scratch\n",
                                                 author: Self.identity, committer: Self.identity)
        #expect(repository.objectExists(commit))
        #expect(try !GitCLI.succeeds(["cat-file", "-e", commit.hex], in: repo.path))
        #expect(filesUnder(objects) == before)

        repository.discardScratchObjects()
        #expect(!repository.objectExists(blob))
        #expect(!repository.objectExists(commit))
        #expect(repository.objectExists(try repo.oid("HEAD")))  // the on-disk ones are still there
    }

    @Test func worksOnAReadOnlyBareClone() throws {
        let source = try Fixture.repo()
        source.write("f", "1\n2\n3\n")
        let base = try source.commitAll("base")
        source.write("f", "1\nours\n3\n")
        let ours = try source.commitAll("ours")
        try source.git("checkout", "-q", "-b", "theirs", base)
        source.write("g", "new\n")
        let theirs = try source.commitAll("theirs")
        let holder = try Fixture.directory()
        let clone = holder.path + "/clone.git"
        try GitCLI.git(["clone", "-q", "--bare", source.path, clone], in: holder.path)
        #expect(try GitCLI.run("chmod", ["-R", "a-w", clone], in: holder.path).status == 0)
        defer { _ = try? GitCLI.run("chmod", ["-R", "u+w", clone], in: holder.path) }  // so the directory can be removed
                // As root, permissions block nothing, so the check is that no file appears.
        let before = filesUnder(clone)

        let repository = try Repository.open(at: clone)
        #expect(repository.isBare)
        try repository.useInMemoryObjectWrites()
        let outcome = try OrtMerger(repository: repository).merge(ours: try #require(OID(hex: ours)), theirs: try #require(OID(hex: theirs)),
                                                                  ourLabel: "ours", theirLabel: "theirs")
        #expect(outcome.isClean)
        let tree = outcome.tree
        let blob = try repository.writeBlob(Array("scratch\n".utf8))
        let commit = try repository.createCommit(tree: tree, parents: [try #require(OID(hex: ours))], message: "m\n",
                                                 author: Self.identity, committer: Self.identity)
        #expect(repository.objectExists(tree) && repository.objectExists(blob) && repository.objectExists(commit))
        #expect(filesUnder(clone) == before)
        let oracle = try GitCLI.mergeTree(in: source.path, ours, theirs)
        #expect(oracle.tree == tree.hex)
    }
}
