/// process_entries() / process_entry() of merge-ort.c: resolves every path, children before their
/// directory, writes the merged trees bottom-up and records the conflicted paths.
extension OrtMergeState {
    /// Returns the merged root tree (with conflict markers and moved files where conflicted).
    func processEntries() throws -> OID {
        if paths.isEmpty { return try repository.writeTree([]) }
        // ort walks a sorted list of (path, record) pairs taken before processing starts; paths
        // added meanwhile (files moved aside) are not in it, and no listed path is replaced.
        let listed = paths.map { (path: $0.key, info: $0.value) }
        var keys = ByteKeys(capacity: listed.count)
        // sort_dirs_next_to_their_children(): as if every path ended in "/".
        for entry in listed { keys.append(entry.path.utf8, terminator: 0x2F) }
        let order = keys.sortedOrder().map { listed[$0] }
        var contents: PathMap<[TreeEntry]> = [:]
        var entered = PathSet()
        for (path, info) in order.reversed() {
            entered.insert(info.directoryName)
            if entered.contains(path) {
                // write_completed_directory(): every path below is done; whatever the entry's own
                // state, a directory with merged children becomes their tree, else nothing.
                let children = contents.removeValue(forKey: path) ?? []
                info.isNull = children.isEmpty
                if !children.isEmpty { info.result = Version(mode: 0o040000, oid: try repository.writeTree(children)) }
            }
            if info.clean {
                record(path, info, into: &contents)
            } else {
                try processEntry(path, info, contents: &contents)
            }
        }
        return try repository.writeTree(contents[""] ?? [])
    }

    /// record_entry_for_tree(): skips only is_null entries. A conflicted entry can be neither
    /// null nor have a result: git 2.39 then writes "0 name" and the null id into the tree
    /// (seen when a file moved by a directory rename lands on a directory and is moved aside).
    private func record(_ path: String, _ info: PathInfo, into contents: inout PathMap<[TreeEntry]>) {
        guard !info.isNull else { return }
        assert(bytesEqual(info.directoryName, dirname(path)), "\(path) recorded under \(info.directoryName)")
        contents[info.directoryName, default: []].append(TreeEntry(name: basename(path), oid: info.result.oid, mode: FileMode(rawValue: info.result.mode)))
    }

    private func processEntry(_ originalPath: String, _ original: PathInfo, contents: inout PathMap<[TreeEntry]>) throws {
        var path = originalPath
        var ci = original
        var dfFileIndex = 0
        if ci.dirmask != 0 {
            record(path, ci, into: &contents)
            if ci.filemask == 0 { return }
        }
        if ci.dfConflict && ci.result.isNull {
            ci.dfConflict = false
            ci.clean = false
            ci.isNull = false
            ci.matchMask &= ~ci.dirmask
            ci.dirmask = 0
            for i in 0..<3 where ci.filemask & (1 << i) == 0 { ci.stages[i] = .null }
        } else if ci.dfConflict && !ci.result.isNull {
            // A directory is in the way: the file side moves to path~branch.
            if ci.filemask == 1 {
                ci.filemask = 0
                return
            }
            let moved = arena.copy(ci)
            moved.matchMask &= ~moved.dirmask
            moved.dirmask = 0
            moved.result = .null
            moved.isNull = false
            for i in 0..<3 where moved.filemask & (1 << i) == 0 { moved.stages[i] = .null }
            dfFileIndex = ci.dirmask & 2 != 0 ? 2 : 1
            let branch = dfFileIndex == 1 ? branch1 : branch2
            path = uniquePath(path, branch: branch)
            paths[path] = moved
            moved.kinds.append(.directoryFile)
            ci.filemask = 0
            ci = moved
        }

        if ci.matchMask != 0 {
            ci.clean = !ci.dfConflict && !ci.pathConflict
            if ci.matchMask == 6 {
                ci.result = ci.stages[1]
            } else {
                let othermask = 7 & ~ci.matchMask
                let side = othermask == 4 ? 2 : 1
                ci.result = ci.stages[side]
                ci.isNull = ci.result.isNull
                if ci.isNull { ci.clean = true }
            }
        } else if ci.filemask >= 6 && ci.stages[1].type != ci.stages[2].type {
            try distinctTypes(path, ci, contents: &contents)
            return
        } else if ci.filemask >= 6 {
            var merged = Version.null
            let cleanMerge = try handleContentMerge(path: path, ci.stages[0], ci.stages[1], ci.stages[2],
                                                    pathnames: ci.pathnames.array, extraMarkerSize: callDepth * 2, result: &merged)
            ci.clean = cleanMerge && !ci.dfConflict && !ci.pathConflict
            ci.result = merged
            ci.isNull = merged.mode == 0
            if cleanMerge && ci.dfConflict {
                ci.filemask = 1 << dfFileIndex
                ci.stages[dfFileIndex] = merged
            }
            if !cleanMerge {
                if ci.filemask == 6 { ci.kinds.append(.addAdd) }
                else if merged.isGitlink { ci.kinds.append(.submodule) }
                else if ci.stages[0].mode != 0 && (ci.stages[1].mode != ci.stages[0].mode || ci.stages[2].mode != ci.stages[0].mode)
                            && ci.stages[1].oid == ci.stages[2].oid { ci.kinds.append(.mode) }
            }
        } else if ci.filemask == 3 || ci.filemask == 5 {
            let side = ci.filemask == 5 ? 2 : 1
            ci.result = ci.stages[callDepth > 0 ? 0 : side]
            ci.clean = false
            if !(ci.pathConflict && ci.stages[0].oid == ci.stages[side].oid) { ci.kinds.append(.modifyDelete) }
        } else if ci.filemask == 2 || ci.filemask == 4 {
            let side = ci.filemask == 4 ? 2 : 1
            ci.result = ci.stages[side]
            ci.clean = !ci.dfConflict && !ci.pathConflict
        } else if ci.filemask == 1 {
            ci.isNull = true
            ci.result = .null
            ci.clean = !ci.pathConflict
        }
        if !ci.clean { conflicted[path] = ci }
        record(path, ci, into: &contents)
    }

    /// Both sides have different types (file, symlink, submodule) at one path: each moves aside.
    private func distinctTypes(_ path: String, _ ci: PathInfo, contents: inout PathMap<[TreeEntry]>) throws {
        if callDepth > 0 {
            ci.clean = false
            ci.result = ci.stages[0]
            ci.isNull = ci.result.isNull
            conflicted[path] = ci
            record(path, ci, into: &contents)
            return
        }
        let (oMode, aMode, bMode) = (ci.stages[0], ci.stages[1], ci.stages[2])
        var renameA = false, renameB = false
        if aMode.isRegular { renameA = true } else if bMode.isRegular { renameB = true } else { renameA = true; renameB = true }
        let aPath = renameA ? uniquePath(path, branch: branch1) : nil
        var bPath = renameB ? uniquePath(path, branch: branch2) : nil
        ci.clean = false
        ci.kinds.append(.content)
        let newCI = arena.copy(ci)
        newCI.result = ci.stages[2]
        newCI.stages[1] = .null
        newCI.filemask = 5
        if bMode.type != oMode.type { newCI.stages[0] = .null; newCI.filemask = 4 }
        ci.result = ci.stages[1]
        ci.stages[2] = .null
        ci.filemask = 3
        if aMode.type != oMode.type { ci.stages[0] = .null; ci.filemask = 2 }
        if let aPath { paths[aPath] = ci }
        if !renameB { bPath = path }
        let b = bPath ?? path
        paths[b] = newCI
        if renameA && renameB { paths[path] = nil }
        conflicted[b] = newCI
        record(b, newCI, into: &contents)
        let finalPath = aPath ?? path
        conflicted[finalPath] = ci
        record(finalPath, ci, into: &contents)
    }

    /// unique_path(): "path~branch" (slashes in the branch flattened), made unique with _N.
    private func uniquePath(_ path: String, branch: String) -> String {
        // Byte-wise, as git's loop over the branch name (a "/" followed by a combining mark is one
        // Character, which a Character-wise replacement would skip).
        let base = path + "~" + String(decoding: branch.utf8.map { $0 == 0x2F ? 0x5F : $0 }, as: UTF8.self)
        var candidate = base, suffix = 0
        while paths[candidate] != nil {
            candidate = base + "_\(suffix)"
            suffix += 1
        }
        return candidate
    }
}
