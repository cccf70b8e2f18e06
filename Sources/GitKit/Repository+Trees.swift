internal import CLibGit2
import Foundation

extension Repository {
    /// Writes a copy of `baseline` (a tree, or anything that peels to one) with `changes` applied:
    /// an entry adds or replaces the path, creating directories; nil removes the path, which must
    /// exist, dropping directories left empty (`git_tree_create_updated`). A file may become a
    /// directory and back in one call ("a" removed with "a/b" added; "a" added over directory "a").
    ///
    /// libgit2 refuses to change an entry's type in one pass ("cannot replace 'blob' with 'tree'",
    /// "D/F conflict"), also when the old entry is removed in the same call. Those paths are
    /// removed in a first `git_tree_create_updated` pass and the rest applied on its result, so a
    /// type change leaves one unreferenced intermediate tree per changed directory level in the
    /// object database (in memory after `useInMemoryObjectWrites()`).
    public func updateTree(_ baseline: OID, changes: [(path: String, entry: (OID, FileMode)?)]) throws -> OID {
        let tree = try peeledTree(baseline)
        defer { git_object_free(tree) }
        // Paths compare as bytes, as git's do (String's == takes NFC and NFD spellings for one).
        let removed = PathSet(changes.filter { $0.entry == nil }.map(\.path))
        var retyped = PathSet()
        for change in changes {
            guard let (_, mode) = change.entry else { continue }
            if let outer = Self.ancestors(of: change.path).last(where: removed.contains) {
                retyped.insert(outer)                                   // removed, then regrown as a directory
            } else if let old = try entryMode(tree, change.path), old.isTree != mode.isTree {
                retyped.insert(change.path)                             // file <-> directory in place
            }
        }
        // A path under a replaced or removed-first path is already gone: removing it again would fail.
        var replaced = PathSet(changes.filter { $0.entry != nil }.map(\.path))
        for path in retyped { replaced.insert(path) }
        let rest = changes.filter { change in
            guard change.entry == nil else { return true }
            return !retyped.contains(change.path) && !Self.ancestors(of: change.path).contains(where: replaced.contains)
        }
        guard !retyped.isEmpty else { return try applyUpdates(tree, rest) }
        let cleared = try applyUpdates(tree, retyped.sorted().map { (path: $0, entry: nil) })
        let intermediate = try peeledTree(cleared)
        defer { git_object_free(intermediate) }
        return try applyUpdates(intermediate, rest)
    }

    /// The mode of the entry at `path` in `tree`, nil when there is none (`git_tree_entry_bypath`).
    func entryMode(_ tree: OpaquePointer, _ path: String) throws -> FileMode? {
        var entry: OpaquePointer?
        let rc = git_tree_entry_bypath(&entry, tree, path)
        if rc == GIT_ENOTFOUND.rawValue { return nil }
        try check(rc, "git_tree_entry_bypath")
        guard let entry else { return nil }
        defer { git_tree_entry_free(entry) }
        return FileMode(rawValue: git_tree_entry_filemode_raw(entry).rawValue)
    }

    private func applyUpdates(_ tree: OpaquePointer, _ changes: [(path: String, entry: (OID, FileMode)?)]) throws -> OID {
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

    private static func ancestors(of path: String) -> [String] {
        var result: [String] = []
        var prefix = Substring(path)
        while let slash = prefix.utf8.lastIndex(of: 0x2F) {
            prefix = prefix[..<slash]
            result.append(String(prefix))
        }
        return result
    }
}
