import Foundation

/// A work tree's HEAD as its file says, read without opening the work tree as a repository.
public struct WorktreeHead: Sendable, Equatable {
    /// The linked worktree's name; nil for the main work tree.
    public let name: String?
    /// The work tree's top directory, without a trailing slash; nil when its record names none.
    public let path: String?
    /// The full ref name HEAD points at (`refs/heads/main`); nil when HEAD is detached.
    public let branch: String?

    public init(name: String?, path: String?, branch: String?) {
        self.name = name
        self.path = path
        self.branch = branch
    }
}

extension Repository {
    /// The HEAD of the main work tree and of every linked worktree, read from the HEAD and gitdir
    /// files under the common git dir. libgit2's own walk (`git_branch_is_checked_out`,
    /// `git_repository_foreach_worktree`) opens each worktree as a repository, config files and
    /// all, which made deleting one branch cost O(worktrees) repository opens; these are two
    /// small file reads per worktree. A record whose folder is gone is still listed (git, too,
    /// refuses to delete a branch a stale worktree has checked out).
    public func worktreeHeads() -> [WorktreeHead] {
        let common = Self.withSlash(commonDirectory)
        let mainPath = isLinkedWorktree ? (common as NSString).deletingLastPathComponent : workingDirectory
        return checkedOutBranches().map { name, branch in
            guard let name else { return WorktreeHead(name: nil, path: mainPath.map(Self.trimmingSlash), branch: branch) }
            // `gitdir` holds the worktree's `.git` file path; its folder is the worktree.
            let gitdir = readSmallFile(common + "worktrees/" + name + "/gitdir").map(trimmedLine)
            let path = gitdir.flatMap { $0.isEmpty ? nil : ($0 as NSString).deletingLastPathComponent }
            return WorktreeHead(name: name, path: path.map(Self.trimmingSlash), branch: branch)
        }
    }

    /// The HEAD files alone, as (worktree name, nil for the main one; full branch ref, nil when
    /// detached): all that deleteBranch needs.
    func checkedOutBranches() -> [(name: String?, branch: String?)] {
        let common = Self.withSlash(commonDirectory)
        var heads: [(name: String?, branch: String?)] = [(nil, readSmallFile(common + "HEAD").flatMap(symbolicTarget))]
        for name in directoryEntryNames(common + "worktrees").sorted() {
            guard let head = readSmallFile(common + "worktrees/" + name + "/HEAD") else { continue }
            heads.append((name, symbolicTarget(head)))
        }
        return heads
    }

    private static func withSlash(_ path: String) -> String {
        path.hasSuffix("/") ? path : path + "/"
    }

    private static func trimmingSlash(_ path: String) -> String {
        path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }
}

/// A file of at most 4 KiB (HEAD, gitdir), read with plain POSIX calls: Foundation's
/// String(contentsOfFile:) costs more than the read itself at this size.
private func readSmallFile(_ path: String) -> String? {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var buffer = [UInt8](repeating: 0, count: 4096)
    let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
    guard count >= 0 else { return nil }
    return String(decoding: buffer[..<count], as: UTF8.self)
}

/// Entry names of a directory (not `.`/`..`); empty when it cannot be read.
private func directoryEntryNames(_ path: String) -> [String] {
    guard let directory = opendir(path) else { return [] }
    defer { closedir(directory) }
    var names: [String] = []
    while let entry = readdir(directory) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
            String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
        if name != "." && name != ".." { names.append(name) }
    }
    return names
}

/// `ref: refs/heads/x` -> `refs/heads/x`; nil for a detached HEAD.
private func symbolicTarget(_ text: String) -> String? {
    guard text.hasPrefix("ref:") else { return nil }
    let target = trimmedLine(String(text.dropFirst(4)))
    return target.isEmpty ? nil : target
}

/// Without leading and trailing ASCII spaces, tabs and line ends (Foundation's
/// trimmingCharacters(in:) bridges through NSString, which shows in a profile at this rate).
private func trimmedLine(_ text: String) -> String {
    let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
    let bytes = text.utf8
    guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) }) else { return "" }
    return String(text[first...last])
}
