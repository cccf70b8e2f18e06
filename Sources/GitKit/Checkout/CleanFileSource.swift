internal import CLibGit2
import Foundation

/// Files an existing checkout of the repository (the work tree the `Repository` was opened on,
/// normally the main checkout) already holds clean on disk, which a fresh checkout copies in the
/// kernel (`copy_file_range`) instead of inflating their blobs again: on a deeply packed
/// repository a blob is the end of a long delta chain, and inflating it costs far more than
/// copying the bytes.
///
/// A file is a candidate when the source index holds, at the same path and stage 0, a regular
/// file entry with the same blob id that git itself would trust without reading the file: not
/// assume-unchanged, skip-worktree or intent-to-add, and not racy (its recorded mtime is older
/// than the index file's own, git's racy-git rule at nanosecond precision). The writer then
/// opens the source file and copies it only when everything the index recorded (mtime and ctime
/// to the nanosecond, size, inode, device, owner) still holds for the open file, its size is the
/// blob's size, and the same stat data hold after the copy; anything else is written from the
/// blob as before. ctime cannot be set from user space, so a file rewritten since the index was
/// written fails the check even when its mtime was put back.
///
/// Bytes on disk are the blob's own only when no checkout filter produced them: the fresh
/// checkout already refuses trees, config and attribute files that filter, and the source is
/// refused when its index or work tree has a `.gitattributes` that filters. A file written under
/// a filter since removed (its stat still clean) differs from its blob in size for every filter
/// git ships (CRLF, ident, encodings, LFS pointers), and size is checked.
final class CleanFileSource: @unchecked Sendable {
    // @unchecked: every stored property is immutable after init; the descriptor is only read
    // (openat) by the writer's threads and closed in deinit.

    /// An open descriptor of the source work tree.
    let root: Int32
    /// Per item of the fresh tree (same order): what the source index recorded for that path
    /// and blob, or nil when the file is to be written from its blob.
    let recorded: [IndexStat?]

    /// Takes ownership of `root`.
    init(root: Int32, recorded: [IndexStat?]) {
        self.root = root
        self.recorded = recorded
    }

    deinit { close(root) }
}

extension Repository {
    /// The clean files of this repository's own work tree that `plan` can copy; nil when there
    /// is none to copy or any doubt (a bare repository, an index libgit2 cannot read or that
    /// changed while read, filtering attributes in the source, per-worktree config, no
    /// `copy_file_range`). Never throws: without a source the checkout inflates every blob.
    func cleanFileSource(for plan: FreshTree) -> CleanFileSource? {
        #if os(Linux)
        guard !isBare, let workTree = workingDirectory else { return nil }
        // config.worktree could give the source checkout filters the new one does not have.
        if (try? configFlag("extensions.worktreeConfig")) == true { return nil }
        let indexPath = (gitDirectory as NSString).appendingPathComponent("index")
        var before = stat(), after = stat()
        guard stat(indexPath, &before) == 0 else { return nil }
        var opened: OpaquePointer?
        guard git_index_open(&opened, indexPath) == 0, let index = opened else { git_error_clear(); return nil }
        defer { git_index_free(index) }
        // Replaced while libgit2 read it: its entries may not be the ones whose age we know.
        guard stat(indexPath, &after) == 0, after.isUnchanged(since: before) else { return nil }
        guard !sourceFilters(index, workTree: workTree, known: plan.attributeBlobs) else { return nil }

        let racyFrom = before.modified
        var recorded = [IndexStat?](repeating: nil, count: plan.items.count)
        var found = 0
        let count = git_index_entrycount(index)
        var position = 0
        for (slot, item) in plan.items.enumerated()
        where item.mode == GIT_FILEMODE_BLOB.rawValue || item.mode == GIT_FILEMODE_BLOB_EXECUTABLE.rawValue {
            // Both lists are in the byte order of their paths: advance the index to this path.
            while position < count, let entry = git_index_get_byindex(index, position) {
                guard let entryPath = entry.pointee.path else { position += 1; continue }
                let order = item.path.withUnsafeBufferPointer { path in path.baseAddress.map { strcmp(entryPath, $0) } ?? 1 }
                if order < 0 { position += 1; continue }
                if order == 0, let trusted = Self.trusted(entry.pointee, id: item.id, racyFrom: racyFrom) {
                    recorded[slot] = trusted
                    found += 1
                }
                break
            }
        }
        guard found > 0 else { return nil }
        let root = systemOpen(workTree, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard root >= 0 else { return nil }
        return CleanFileSource(root: root, recorded: recorded)
        #else
        return nil
        #endif
    }

    /// The index entry's stat data when git would trust the file as the clean checkout of blob
    /// `id` without reading it; nil otherwise.
    private static func trusted(_ entry: git_index_entry, id: git_oid, racyFrom limit: timespec) -> IndexStat? {
        var entryID = entry.id, wanted = id
        guard (Int32(entry.flags) & GIT_INDEX_ENTRY_STAGEMASK) == 0,
              entry.flags & UInt16(GIT_INDEX_ENTRY_VALID.rawValue) == 0,
              entry.flags_extended & UInt16(GIT_INDEX_ENTRY_EXTENDED_FLAGS.rawValue) == 0,
              entry.mode == GIT_FILEMODE_BLOB.rawValue || entry.mode == GIT_FILEMODE_BLOB_EXECUTABLE.rawValue,
              entry.file_size > 0,
              git_oid_equal(&entryID, &wanted) == 1 else { return nil }
        // Racy git: a file modified in the same clock tick as the index was written may show
        // the stat data the index recorded; only an mtime strictly older than the index's is
        // trusted.
        let recorded = IndexStat(entry)
        return recorded.isOlder(than: limit, nanoseconds: true) ? recorded : nil
    }

    /// True when a `.gitattributes` of the source checkout, in its index or on its disk, asks
    /// for a filter (then its files may not hold their blobs' bytes). `known` are attribute
    /// blobs already found harmless.
    private func sourceFilters(_ index: OpaquePointer, workTree: String, known: [git_oid]) -> Bool {
        let name = Array(".gitattributes".utf8)
        for position in 0..<git_index_entrycount(index) {
            guard let entry = git_index_get_byindex(index, position), let cPath = entry.pointee.path else { continue }
            let length = strlen(cPath)
            guard length >= name.count, memcmp(cPath + (length - name.count), name, name.count) == 0,
                  length == name.count || cPath[length - name.count - 1] == CChar(UInt8(ascii: "/")) else { continue }
            let path = String(cString: cPath)
            var id = entry.pointee.id
            if !known.contains(where: { var k = $0; return git_oid_equal(&k, &id) == 1 }) {
                var blob: OpaquePointer?
                guard git_blob_lookup(&blob, raw, &id) == 0, let blob else { git_error_clear(); return true }
                defer { git_blob_free(blob) }
                let size = Int(git_blob_rawsize(blob))
                if size > 0, let content = git_blob_rawcontent(blob),
                   Self.filteringAttribute(in: UnsafeRawBufferPointer(start: content, count: size)) != nil { return true }
            }
            if let data = FileManager.default.contents(atPath: (workTree as NSString).appendingPathComponent(path)),
               data.withUnsafeBytes({ Self.filteringAttribute(in: $0) }) != nil { return true }
        }
        return false
    }
}
