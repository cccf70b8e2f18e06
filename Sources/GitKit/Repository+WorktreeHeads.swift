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
        var heads = [WorktreeHead(name: nil, path: mainPath.map(Self.trimmingSlash), branch: Self.symbolicTarget(common + "HEAD"))]
        for name in directoryEntryNames(common + "worktrees").sorted() {
            let admin = common + "worktrees/" + name + "/"
            guard let head = readSmallFile(admin + "HEAD") else { continue }
            // `gitdir` holds the worktree's `.git` file path; its folder is the worktree.
            let gitdir = readSmallFile(admin + "gitdir")?.trimmingCharacters(in: .whitespacesAndNewlines)
            let path = gitdir.flatMap { $0.isEmpty ? nil : ($0 as NSString).deletingLastPathComponent }
            heads.append(WorktreeHead(name: name, path: path.map(Self.trimmingSlash), branch: Self.symbolicTarget(text: head)))
        }
        return heads
    }

    /// `ref: refs/heads/x` -> `refs/heads/x`; nil for a detached (or unreadable) HEAD.
    private static func symbolicTarget(_ path: String) -> String? {
        readSmallFile(path).flatMap { symbolicTarget(text: $0) }
    }

    private static func symbolicTarget(text: String) -> String? {
        guard text.hasPrefix("ref:") else { return nil }
        let target = text.dropFirst(4).trimmingCharacters(in: .whitespacesAndNewlines)
        return target.isEmpty ? nil : target
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
