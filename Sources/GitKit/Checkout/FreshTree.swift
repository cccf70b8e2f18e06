internal import CLibGit2
import Foundation

/// A tree flattened into what a checkout into an empty directory writes: every file, symlink and
/// submodule in index order, with the byte paths the tree spells (not necessarily UTF-8).
struct FreshTree {
    struct Item {
        /// Relative to the work tree, NUL-terminated, ready for the `*at` system calls.
        let path: [CChar]
        /// The directory holding it, an index into `directories`; -1 for the top level.
        let directory: Int
        let id: git_oid
        /// 100644, 100755, 120000 or 160000 (a legacy 100664 is read as 100644, as git does).
        let mode: UInt32
    }

    /// A directory to create before its items, once, whichever worker gets there first.
    struct Directory {
        /// Relative to the work tree, NUL-terminated.
        let path: [CChar]
        /// Index of the directory holding it; -1 for the top level.
        let parent: Int
    }

    var items: [Item] = []
    var directories: [Directory] = []
    /// The `.gitattributes` blobs anywhere in the tree: they decide whether git would filter.
    var attributeBlobs: [git_oid] = []
    /// Set when something in the tree needs libgit2's careful checkout (a path git refuses or
    /// treats specially, an unknown mode); the fresh checkout then stands aside.
    var unsupported: String?
}

extension Repository {
    /// Walks `tree` depth first in git's order (`git_tree_lookup`, `git_tree_entry_byindex`). A
    /// tree's entries sort directories as if their name ended in `/`, so the walk yields paths in
    /// the byte order the index keeps.
    func freshTree(_ tree: OpaquePointer) throws -> FreshTree {
        var result = FreshTree()
        var prefix: [CChar] = []
        try walk(tree, prefix: &prefix, directory: -1, into: &result)
        return result
    }

    private func walk(_ tree: OpaquePointer, prefix: inout [CChar], directory: Int, into result: inout FreshTree) throws {
        for index in 0..<git_tree_entrycount(tree) where result.unsupported == nil {
            guard let entry = git_tree_entry_byindex(tree, index), let name = git_tree_entry_name(entry),
                  let id = git_tree_entry_id(entry) else { continue }
            let nameBytes = UnsafeBufferPointer(start: name, count: strlen(name))
            var mode = git_tree_entry_filemode_raw(entry).rawValue
            if let reason = FreshTree.refusal(nameBytes, mode: mode) {
                result.unsupported = reason + ": " + String(cString: name)
                return
            }
            if mode == GIT_FILEMODE_TREE.rawValue {
                var subtree: OpaquePointer?
                try check(git_tree_lookup(&subtree, raw, id), "git_tree_lookup")
                guard let subtree else { continue }
                defer { git_tree_free(subtree) }
                let mark = prefix.count
                prefix.append(contentsOf: nameBytes)
                result.directories.append(FreshTree.Directory(path: prefix + [0], parent: directory))
                prefix.append(CChar(UInt8(ascii: "/")))
                try walk(subtree, prefix: &prefix, directory: result.directories.count - 1, into: &result)
                prefix.removeSubrange(mark...)
                continue
            }
            if mode == 0o100664 { mode = GIT_FILEMODE_BLOB.rawValue }
            var path = prefix
            path.reserveCapacity(prefix.count + nameBytes.count + 1)
            path.append(contentsOf: nameBytes)
            path.append(0)
            if Self.isAttributesFile(nameBytes), mode != GIT_FILEMODE_COMMIT.rawValue {
                result.attributeBlobs.append(id.pointee)
            }
            result.items.append(FreshTree.Item(path: path, directory: directory, id: id.pointee, mode: mode))
        }
    }

    private static let attributesName = Array(".gitattributes".utf8).map { CChar(bitPattern: $0) }

    private static func isAttributesFile(_ name: UnsafeBufferPointer<CChar>) -> Bool {
        name.elementsEqual(attributesName)
    }
}

extension FreshTree {
    /// Why a tree entry is left to libgit2 rather than written as it is; nil for an ordinary one.
    /// Conservative on purpose: git and libgit2 refuse `.`, `..`, `.git` and its NTFS spellings
    /// (`.git.`, `.git::$INDEX_ALLOCATION`, `GIT~1`: protectNTFS is on by default) and symlinked
    /// `.gitmodules`-like files; anything near those, a backslash, or a mode other than file,
    /// executable, symlink, submodule and tree takes the careful path, which refuses or handles
    /// it exactly as before.
    static func refusal(_ name: UnsafeBufferPointer<CChar>, mode: UInt32) -> String? {
        switch mode {
        case GIT_FILEMODE_TREE.rawValue, GIT_FILEMODE_BLOB.rawValue, 0o100664, GIT_FILEMODE_BLOB_EXECUTABLE.rawValue,
             GIT_FILEMODE_LINK.rawValue, GIT_FILEMODE_COMMIT.rawValue: break
        default: return "unusual mode \(String(mode, radix: 8))"
        }
        // Nearly every name starts with neither `.` nor `g` and holds no `\`, `~` or non-ASCII
        // byte: nothing below can refuse it, so it costs one pass and no allocation.
        guard let first = name.first.map({ UInt8(bitPattern: $0) }) else { return "an empty path component" }
        let special = name.contains { let b = UInt8(bitPattern: $0); return b == UInt8(ascii: "\\") || b == UInt8(ascii: "~") || b >= 0x80 }
        if !special && first != UInt8(ascii: ".") && first != UInt8(ascii: "g") && first != UInt8(ascii: "G") { return nil }

        let bytes = name.map { UInt8(bitPattern: $0) }
        guard bytes != [46], bytes != [46, 46] else { return "path component . or .." }
        guard !bytes.contains(UInt8(ascii: "\\")) else { return "backslash in a path" }
        // Dropping every non-ASCII byte also catches HFS+'s ignorable code points (".g\u{200C}it"),
        // which macOS's protectHFS rejects.
        let lower = bytes.compactMap { $0 >= 0x80 ? nil : (65...90).contains($0) ? $0 + 32 : $0 }
        var trimmed = lower[...]
        while let last = trimmed.last, last == UInt8(ascii: ".") || last == UInt8(ascii: " ") { trimmed = trimmed.dropLast() }
        let dotGit = Array(".git".utf8)
        if Array(trimmed) == dotGit || lower.starts(with: dotGit + [UInt8(ascii: ":")]) || lower.starts(with: Array("git~".utf8)) {
            return "a .git-like path component"
        }
        if mode == GIT_FILEMODE_LINK.rawValue && (lower.starts(with: dotGit) || lower.contains(UInt8(ascii: "~"))) {
            return "a symlink named like a git file"
        }
        return nil
    }
}
