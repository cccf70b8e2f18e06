import Foundation
import GitKit
import GorchTestSupport
import Testing

// GitKit's tests speak in terms of fixtures; the work is done by GorchTestSupport's Shell,
// TempDirectory and TempRepo (one isolated git runner for the whole test suite).

/// The git CLI with the test suite's isolated environment.
enum GitCLI {
    /// Runs a program and returns its exit status and output.
    static func run(_ executable: String, _ arguments: [String], in directory: String) throws -> (status: Int32, stdout: Data, stderr: String) {
        let result = try Shell.run(executable, arguments, cwd: directory, env: Shell.gitEnvironment)
        return (result.status, result.stdoutData, result.stderr)
    }

    /// `git <arguments>` in `directory`; stdout without its trailing newline. Throws on failure.
    @discardableResult
    static func git(_ arguments: [String], in directory: String) throws -> String {
        try Shell.git(arguments, cwd: directory)
    }

    /// Whether `git <arguments>` succeeds.
    static func succeeds(_ arguments: [String], in directory: String) throws -> Bool {
        try Shell.runGit(arguments, cwd: directory).status == 0
    }

    /// git's own merge of two commits (`git merge-tree --write-tree`): the tree, and whether it was clean.
    static func mergeTree(in directory: String, _ ours: String, _ theirs: String) throws -> (tree: String, clean: Bool) {
        let result = try Shell.runGit(["merge-tree", "--write-tree", "--no-messages", ours, theirs], cwd: directory)
        return (result.stdout.split(separator: "\n").first.map(String.init) ?? "", result.status == 0)
    }
}

typealias FixtureRepo = TempRepo

extension TempRepo {
    func setExecutable(_ relative: String) { setExecutable(relative, true) }

    /// `git rev-parse <revision>` as an OID.
    func oid(_ revision: String) throws -> OID {
        let hex = try git("rev-parse", revision)
        return try #require(OID(hex: hex), "git rev-parse \(revision) printed \(hex)")
    }

    /// Opens this fixture with GitKit.
    func open() throws -> Repository { try Repository.open(at: path) }
}

enum Fixture {
    static func repo(_ label: String = #function, bare: Bool = false) throws -> TempRepo {
        ProcessIsolation.apply()
        return try TempRepo(label: label, bare: bare)
    }

    static func directory(_ label: String = #function) throws -> TempDirectory {
        ProcessIsolation.apply()
        return try TempDirectory(label: label)
    }

    /// Two commits on main: "one" (a, b, dir/c) then "two" (a changed, b removed, d added).
    static func twoCommits(_ label: String = #function) throws -> TempRepo {
        let repo = try repo(label)
        repo.write("a", "a1\n")
        repo.write("b", "b1\n")
        repo.write("dir/c", "c1\n")
        try repo.commitAll("one")
        repo.write("a", "a2\n")
        repo.remove("b")
        repo.write("d", "d2\n")
        try repo.commitAll("two")
        return repo
    }
}

/// The file names under `path`, recursively, sorted (to see that nothing was written).
func filesUnder(_ path: String) -> [String] {
    (FileManager.default.enumerator(atPath: path)?.allObjects as? [String] ?? []).sorted()
}
