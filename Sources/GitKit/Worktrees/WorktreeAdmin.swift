import Foundation

/// The files that make a directory a linked worktree, written as `git worktree add` (2.39,
/// builtin/worktree.c) writes them, so that git and libgit2 read the result as their own:
///
///     <common>/worktrees/<name>/gitdir     "<work tree>/.git\n"
///     <common>/worktrees/<name>/commondir  "../..\n"
///     <common>/worktrees/<name>/HEAD       "ref: refs/heads/<branch>\n"
///     <work tree>/.git                     "gitdir: <common>/worktrees/<name>\n"
///
/// Paths are absolute and resolved (realpath), as git writes them. While the checkout runs the
/// admin dir holds `locked` ("initializing"), as with git, so that a concurrent prune leaves the
/// half-made worktree alone; `finish()` removes it. (libgit2's `git_worktree_add` writes an
/// absolute `commondir` and a `.git` with a trailing slash; git reads both, but these match git.)
struct WorktreeAdmin {
    /// `<common>/worktrees/<name>`, resolved.
    let directory: String
    /// The new, empty work tree, resolved.
    let workTree: String

    /// Creates both directories (refusing either if it exists) and the admin files. On failure
    /// nothing is left behind.
    static func create(commonDirectory: String, name: String, path: String, headReference: String) throws -> WorktreeAdmin {
        let worktrees = (commonDirectory as NSString).appendingPathComponent("worktrees")
        let admin = (worktrees as NSString).appendingPathComponent(name)
        try makeDirectory(worktrees, parents: true, exclusive: false)
        try makeDirectory(admin, parents: false, exclusive: true)
        do {
            try write("initializing\n", to: admin + "/locked")
            try makeDirectory(path, parents: true, exclusive: true)
        } catch {
            try? FileManager.default.removeItem(atPath: admin)
            throw error
        }
        let result = WorktreeAdmin(directory: resolved(admin), workTree: resolved(path))
        do {
            try write(result.workTree + "/.git\n", to: result.directory + "/gitdir")
            try write("gitdir: " + result.directory + "\n", to: result.workTree + "/.git")
            try write("../..\n", to: result.directory + "/commondir")
            try write("ref: " + headReference + "\n", to: result.directory + "/HEAD")
        } catch {
            result.discard()
            throw error
        }
        return result
    }

    /// The index file of the new worktree.
    var indexPath: String { directory + "/index" }

    /// Unlocks the worktree once its files and index are in place.
    func finish() throws {
        guard unlink(directory + "/locked") == 0 || errno == ENOENT else { throw Self.posix("unlink", directory + "/locked") }
    }

    /// Removes the work tree and the admin dir, both made by `create`, after a failed checkout.
    func discard() {
        try? FileManager.default.removeItem(atPath: workTree)
        try? FileManager.default.removeItem(atPath: directory)
    }

    private static func makeDirectory(_ path: String, parents: Bool, exclusive: Bool) throws {
        if parents {
            let parent = (path as NSString).deletingLastPathComponent
            if !parent.isEmpty && mkdir(parent, 0o777) != 0 && errno != EEXIST {
                try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
            }
        }
        guard mkdir(path, 0o777) == 0 || (!exclusive && errno == EEXIST) else { throw posix("mkdir", path) }
    }

    private static func write(_ text: String, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw posix("open", path) }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        guard bytes.withUnsafeBytes({ systemWrite(fd, $0.baseAddress, $0.count) }) == bytes.count else { throw posix("write", path) }
    }

    private static func resolved(_ path: String) -> String {
        guard let real = realpath(path, nil) else { return path }
        defer { free(real) }
        return String(cString: real)
    }

    /// The error of the system call that just failed; `code` is its errno, read before `path`
    /// was built when that allocated.
    static func posix(_ call: String, _ path: String, _ code: Int32 = errno) -> GitError {
        let what = code == EEXIST ? "\(path) already exists" : "cannot \(call) \(path): \(String(cString: strerror(code)))"
        return GitError(code: code == EEXIST ? .exists : .other(-1), function: call, message: what)
    }
}

/// open(2), which `Repository.open(at:)` hides inside Repository's extensions.
func systemOpen(_ path: String, _ flags: Int32) -> Int32 { open(path, flags) }

/// write(2), named apart from the many Swift `write` methods it would otherwise hide behind.
func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(fd, buffer, count)
    #else
    Darwin.write(fd, buffer, count)
    #endif
}
