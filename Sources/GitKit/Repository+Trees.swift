internal import CLibGit2
import Foundation

extension Repository {
    /// Writes a tree, and the subtrees it needs, from a flat map of `/`-separated paths
    /// (`git_treebuilder_new`, `git_treebuilder_insert`, `git_treebuilder_write`, bottom up).
    /// An entry may itself be a tree (mode `.tree`) to graft a whole directory. Every object must
    /// exist. Throws `.conflict` when one path is both a file and a directory, `.invalidSpec` for
    /// an empty path component.
    public func buildTree(from entries: [String: (OID, FileMode)]) throws -> OID {
        let root = TreeNode()
        for (path, entry) in entries {
            let parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard !parts.contains(where: \.isEmpty) else {
                throw GitError(code: .invalidSpec, function: "git_treebuilder_insert", message: "invalid path '\(path)'")
            }
            var node = root
            for (depth, part) in parts.dropLast().enumerated() {
                if node.entries[part] != nil { throw Self.directoryFileClash(parts.prefix(depth + 1), path) }
                let child = node.directories[part] ?? TreeNode()
                node.directories[part] = child
                node = child
            }
            guard let name = parts.last else { continue }
            if node.directories[name] != nil { throw Self.directoryFileClash(parts[...], path) }
            node.entries[name] = entry
        }
        return try write(root)
    }

    /// Writes a copy of `baseline` (a tree, or anything that peels to one) with `changes` applied:
    /// an entry adds or replaces the path, creating directories; nil removes it, dropping
    /// directories left empty (`git_tree_create_updated`). A file may become a directory and
    /// back in one call ("a" removed with "a/b" added, or "a/b" removed with "a" added).
    public func updateTree(_ baseline: OID, changes: [(path: String, entry: (OID, FileMode)?)]) throws -> OID {
        // libgit2 stops with "D/F conflict" wherever it must descend through a blob, even one
        // removed in the same call, and wherever it must remove below a path it just replaced.
        // A removed path that gets entries below it becomes one subtree, built here from those
        // entries; a removal below an added path is already done by the addition.
        let removed = Set(changes.filter { $0.entry == nil }.map(\.path))
        let added = Set(changes.filter { $0.entry != nil }.map(\.path))
        var regrown: [String: [String: (OID, FileMode)]] = [:]
        var updates: [(path: String, entry: (OID, FileMode)?)] = []
        for change in changes {
            let above = Self.ancestors(of: change.path)
            if let root = above.last(where: removed.contains) {  // the outermost removed directory
                if let entry = change.entry { regrown[root, default: [:]][String(change.path.dropFirst(root.count + 1))] = entry }
            } else if change.entry != nil || !above.contains(where: added.contains) {
                updates.append(change)
            }
        }
        for (root, entries) in regrown {
            updates.removeAll { $0.path == root }
            updates.append((path: root, entry: (try buildTree(from: entries), .tree)))
        }
        return try applyUpdates(baseline, updates)
    }

    private func applyUpdates(_ baseline: OID, _ changes: [(path: String, entry: (OID, FileMode)?)]) throws -> OID {
        let tree = try peeledTree(baseline)
        defer { git_object_free(tree) }
        var copies: [UnsafeMutablePointer<CChar>] = []
        defer { copies.forEach { free($0) } }
        var updates: [git_tree_update] = []
        updates.reserveCapacity(changes.count)
        for change in changes {
            guard let path = strdup(change.path) else {
                throw GitError(code: .other(-1), function: "strdup", message: "out of memory copying \(change.path)")
            }
            copies.append(path)
            var update = git_tree_update()
            update.path = UnsafePointer(path)
            if let (oid, mode) = change.entry {
                update.action = GIT_TREE_UPDATE_UPSERT
                update.id = oid.raw
                update.filemode = git_filemode_t(rawValue: mode.rawValue)
            } else {
                update.action = GIT_TREE_UPDATE_REMOVE
            }
            updates.append(update)
        }
        var id = git_oid()
        try check(git_tree_create_updated(&id, raw, tree, updates.count, updates), "git_tree_create_updated")
        return OID(id)
    }

    private func write(_ node: TreeNode) throws -> OID {
        var builder: OpaquePointer?
        try check(git_treebuilder_new(&builder, raw, nil), "git_treebuilder_new")
        guard let builder else { throw GitError(code: .other(-1), function: "git_treebuilder_new", message: "no tree builder") }
        defer { git_treebuilder_free(builder) }
        for (name, (oid, mode)) in node.entries {
            var id = oid.raw
            try check(git_treebuilder_insert(nil, builder, name, &id, git_filemode_t(rawValue: mode.rawValue)),
                      "git_treebuilder_insert")
        }
        for (name, child) in node.directories {
            var id = try write(child).raw
            try check(git_treebuilder_insert(nil, builder, name, &id, GIT_FILEMODE_TREE), "git_treebuilder_insert")
        }
        var id = git_oid()
        try check(git_treebuilder_write(&id, builder), "git_treebuilder_write")
        return OID(id)
    }

    private static func ancestors(of path: String) -> [String] {
        var result: [String] = []
        var prefix = Substring(path)
        while let slash = prefix.lastIndex(of: "/") {
            prefix = prefix[..<slash]
            result.append(String(prefix))
        }
        return result
    }

    private static func directoryFileClash(_ parts: ArraySlice<String>, _ path: String) -> GitError {
        GitError(code: .conflict, function: "git_treebuilder_insert",
                 message: "'\(parts.joined(separator: "/"))' would be both a file and a directory (at '\(path)')")
    }
}

/// One directory of a tree being built: its files (and grafted subtrees) and its subdirectories.
private final class TreeNode {
    var entries: [String: (OID, FileMode)] = [:]
    var directories: [String: TreeNode] = [:]
}
