import Foundation
import GitKit
import Testing

// Self-contained fixtures (git CLI in temp dirs), so these tests do not depend on the shape of
// GorchTestSupport while it is being written.

/// Runs the git CLI with no user or system config, a private HOME and a pinned identity and date.
enum GitCLI {
    struct Failure: Error, CustomStringConvertible {
        let arguments: [String], status: Int32, stderr: String
        var description: String { "git \(arguments.joined(separator: " ")) exited \(status): \(stderr)" }
    }

    static let environment: [String: String] = {
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GIT_") }
        let home = NSTemporaryDirectory() + "gitkit-tests-home-\(getpid())"
        try? FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        env["HOME"] = home
        env["XDG_CONFIG_HOME"] = home + "/.config"
        env["GIT_CONFIG_GLOBAL"] = "/dev/null"
        env["GIT_CONFIG_NOSYSTEM"] = "1"
        for role in ["AUTHOR", "COMMITTER"] {
            env["GIT_\(role)_NAME"] = "Test"
            env["GIT_\(role)_EMAIL"] = "test@example.com"
            env["GIT_\(role)_DATE"] = "2024-01-01T00:00:00Z"
        }
        env["GIT_TERMINAL_PROMPT"] = "0"
        env["LC_ALL"] = "C"
        return env
    }()

    /// Runs a program and returns its exit status and output; output goes through temp files so
    /// a chatty child never blocks on a full pipe.
    static func run(_ executable: String, _ arguments: [String], in directory: String) throws -> (status: Int32, stdout: Data, stderr: String) {
        let scratch = NSTemporaryDirectory() + "gitkit-out-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: scratch + ".out", contents: nil)
        _ = FileManager.default.createFile(atPath: scratch + ".err", contents: nil)
        defer { for suffix in [".out", ".err"] { try? FileManager.default.removeItem(atPath: scratch + suffix) } }
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: scratch + ".out"))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: scratch + ".err"))
        defer { try? out.close(); try? err.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: directory, isDirectory: true)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        let stdout = (try? Data(contentsOf: URL(fileURLWithPath: scratch + ".out"))) ?? Data()
        let stderr = (try? String(contentsOfFile: scratch + ".err", encoding: .utf8)) ?? ""
        return (process.terminationStatus, stdout, stderr)
    }

    /// `git <arguments>` in `directory`; stdout without its trailing newline. Throws on failure.
    @discardableResult
    static func git(_ arguments: [String], in directory: String) throws -> String {
        let result = try run("git", arguments, in: directory)
        guard result.status == 0 else { throw Failure(arguments: arguments, status: result.status, stderr: result.stderr) }
        var text = String(decoding: result.stdout, as: UTF8.self)
        if text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    /// Whether `git <arguments>` succeeds.
    static func succeeds(_ arguments: [String], in directory: String) throws -> Bool {
        try run("git", arguments, in: directory).status == 0
    }

    /// git's own merge of two commits (`git merge-tree --write-tree`): the tree, and whether it was clean.
    static func mergeTree(in directory: String, _ ours: String, _ theirs: String) throws -> (tree: String, clean: Bool) {
        let result = try run("git", ["merge-tree", "--write-tree", "--no-messages", ours, theirs], in: directory)
        let tree = String(decoding: result.stdout, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
        return (tree, result.status == 0)
    }
}

/// A temp directory (symlinks resolved, so it compares equal to what git and libgit2 report),
/// removed when the value goes away.
final class FixtureDirectory {
    let path: String

    init(_ label: String) throws {
        let name = label.map { $0.isLetter || $0.isNumber ? $0 : "-" }.prefix(40)
        let raw = NSTemporaryDirectory() + "gitkit-\(String(name))-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: raw, withIntermediateDirectories: true)
        if let resolved = realpath(raw, nil) {
            path = String(cString: resolved)
            free(resolved)
        } else {
            path = raw
        }
    }

    deinit {
        _ = try? GitCLI.run("chmod", ["-R", "u+w", path], in: "/")
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// A throwaway repository (initial branch `main`) driven with the git CLI.
final class FixtureRepo {
    let directory: FixtureDirectory
    let bare: Bool
    var path: String { directory.path }

    init(_ label: String, bare: Bool = false) throws {
        directory = try FixtureDirectory(label)
        self.bare = bare
        try GitCLI.git(["init", "-q", "-b", "main"] + (bare ? ["--bare"] : []), in: directory.path)
    }

    @discardableResult
    func git(_ arguments: String...) throws -> String { try GitCLI.git(arguments, in: path) }

    func absolute(_ relative: String) -> String { path + "/" + relative }

    func write(_ relative: String, _ text: String) { write(relative, data: Data(text.utf8)) }

    func write(_ relative: String, data: Data) {
        let full = absolute(relative)
        try? FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        if !FileManager.default.createFile(atPath: full, contents: data) { Issue.record("cannot write \(full)") }
    }

    func read(_ relative: String) -> Data? { FileManager.default.contents(atPath: absolute(relative)) }

    func remove(_ relative: String) { try? FileManager.default.removeItem(atPath: absolute(relative)) }

    func setExecutable(_ relative: String) throws {
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: absolute(relative))
    }

    func symlink(_ relative: String, to target: String) throws {
        try FileManager.default.createSymbolicLink(atPath: absolute(relative), withDestinationPath: target)
    }

    /// Stages everything and commits; returns the commit id.
    @discardableResult
    func commitAll(_ message: String) throws -> String {
        try git("add", "-A")
        try git("commit", "-q", "--allow-empty", "-m", message)
        return try git("rev-parse", "HEAD")
    }

    func head() throws -> String { try git("rev-parse", "HEAD") }

    /// `git rev-parse <revision>` as an OID.
    func oid(_ revision: String) throws -> OID {
        let hex = try git("rev-parse", revision)
        return try #require(OID(hex: hex), "git rev-parse \(revision) printed \(hex)")
    }

    /// Opens this fixture with GitKit.
    func open() throws -> Repository { try Repository.open(at: path) }
}

enum Fixture {
    /// libgit2 in this process must not read the machine's ~/.gitconfig either. Runtime reads these
    /// variables when libgit2 is first initialised, so every fixture sets them before that happens.
    private static let isolated: Void = {
        setenv("GIT_CONFIG_GLOBAL", "/dev/null", 1)
        setenv("GIT_CONFIG_NOSYSTEM", "1", 1)
    }()

    static func repo(_ label: String = #function, bare: Bool = false) throws -> FixtureRepo {
        _ = isolated
        return try FixtureRepo(label, bare: bare)
    }

    static func directory(_ label: String = #function) throws -> FixtureDirectory {
        _ = isolated
        return try FixtureDirectory(label)
    }

    /// Two commits on main: "one" (a, b, dir/c) then "two" (a changed, b removed, d added).
    static func twoCommits(_ label: String = #function) throws -> FixtureRepo {
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
