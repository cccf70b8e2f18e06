/// Directory rename detection of merge-ort.c (get_provisional_directory_renames,
/// handle_directory_level_conflicts, compute_collisions, check_for_directory_rename,
/// apply_directory_rename_modifications), in `merge.directoryRenames=conflict` mode.
extension OrtMergeState {
    func provisionalDirectoryRenames(side: Int) {
        for (sourceDir, counts) in dirRenameCount[side] {
            var max = 0, badMax = 0
            var best: String?
            for (target, count) in counts.ordered {
                if count == max { badMax = max }
                else if count > max { max = count; best = target }
            }
            if max == 0 { continue }
            if badMax == max {
                cleanSoFar = false  // CONFLICT (directory rename split): no path is listed for it
            } else if let best {
                dirRenames[side][sourceDir] = best
            }
        }
    }

    /// A directory renamed on both sides is renamed on neither.
    func dropDirectoriesRenamedOnBothSides() {
        for key in dirRenames[1].keys where dirRenames[2][key] != nil {
            dirRenames[1][key] = nil
            dirRenames[2][key] = nil
        }
    }

    /// The nearest renamed ancestor directory of `path`, if any.
    func renamedAncestor(of path: String, in renames: PathMap<String>) -> (old: String, new: String)? {
        var dir = path
        while let slash = lastSlash(dir) {
            dir = utf8Slice(dir, 0..<slash)
            if let new = renames[dir] { return (dir, new) }
        }
        return nil
    }

    func applyDirRename(_ rename: (old: String, new: String), to path: String) -> String {
        // Byte offsets: `rename.old` is a byte prefix of `path`, followed by "/".
        let slash = path.utf8.index(path.utf8.startIndex, offsetBy: rename.old.utf8.count)
        return rename.new.isEmpty ? String(path[path.utf8.index(after: slash)...]) : rename.new + path[slash...]
    }

    /// new path -> sorted source paths that the other side's directory renames would put there.
    func computeCollisions(side: Int, otherRenames: PathMap<String>) -> PathMap<[String]> {
        var collisions: PathMap<[String]> = [:]
        guard !otherRenames.isEmpty else { return collisions }
        for pair in pairs[side] where pair.status == .added || pair.status == .renamed {
            guard let rename = renamedAncestor(of: pair.twoPath, in: otherRenames) else { continue }
            collisions[applyDirRename(rename, to: pair.twoPath), default: []].append(pair.twoPath)
        }
        return collisions
    }

    /// check_for_directory_rename(): where `path` (added or renamed into on `side`) moves because
    /// the other side renamed its directory; nil when it stays.
    func directoryRenameTarget(for path: String, side: Int, collisions: inout [PathMap<[String]>],
                               reported: inout PathSet) -> String? {
        let dirRenamesForSide = dirRenames[3 - side], exclusions = dirRenames[side]
        if dirRenamesForSide.isEmpty { return nil }
        if collisions[3 - side][path] != nil { return nil }
        guard let rename = renamedAncestor(of: path, in: dirRenamesForSide) else { return nil }
        if exclusions[rename.new] != nil { return nil }
        let newPath = applyDirRename(rename, to: path)
        let sources = collisions[side][newPath] ?? []
        var clean = true
        if reported.contains(newPath) {
            clean = false
        } else if pathInWay(newPath, sideMask: 1 << side) {
            reported.insert(newPath); clean = false   // CONFLICT (implicit dir rename): file in the way
        } else if sources.count > 1 {
            reported.insert(newPath); clean = false   // CONFLICT (implicit dir rename): collision
        }
        if !clean { cleanSoFar = false; return nil }
        return newPath
    }

    private func pathInWay(_ path: String, sideMask: Int) -> Bool {
        guard let info = paths[path] else { return false }
        return info.clean || (sideMask & (info.filemask | info.dirmask)) != 0
    }

    /// apply_directory_rename_modifications(): moves the entry at `pair.twoPath` to `newPath`,
    /// creating the parent directories it needs, and marks it a location conflict.
    func applyDirectoryRenameModifications(_ pair: inout FilePair, newPath: String) {
        let oldPath = pair.twoPath
        guard var info = paths[oldPath] else { return }
        // Parent directories that do not exist yet become directory entries.
        var toInsert: [String] = []
        var current = newPath
        var parent = ""
        while true {
            guard let slash = lastSlash(current) else { parent = ""; break }
            parent = utf8Slice(current, 0..<slash)
            if paths[parent] != nil { break }
            toInsert.append(parent)
            current = parent
        }
        var parentName = parent
        for dir in toInsert.reversed() {
            let dirInfo = arena.make(directoryName: parentName, clean: false)
            dirInfo.dirmask = info.filemask
            dirInfo.isNull = true
            paths[dir] = dirInfo
            parentName = dir
        }
        if info.dirmask == 0 {
            paths[oldPath] = nil
        } else {
            let moved = arena.copy(info)
            moved.dirmask = 0
            moved.stages[1] = .null
            info.filemask = 0
            info.clean = true
            for i in 0..<3 where info.dirmask & (1 << i) == 0 { info.stages[i] = .null }
            info = moved
        }
        info.directoryName = dirname(newPath)
        if let existing = paths[newPath] {
            existing.filemask |= info.filemask
            if existing.dirmask != 0 { existing.dfConflict = true }
            let index = info.filemask >> 1
            existing.pathnames[index] = info.pathnames[index]
            existing.stages[index] = info.stages[index]
            info = existing
        } else {
            paths[newPath] = info
        }
        info.pathConflict = true
        info.kinds.append(.location)
        pair.twoPath = newPath
    }
}
