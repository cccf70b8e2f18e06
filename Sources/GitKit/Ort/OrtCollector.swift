/// collect_merge_info() of merge-ort.c: walks the three trees together, descending only where
/// they differ, records one PathInfo per visited path and each side's adds and deletes.
extension OrtMergeState {
    func collect(base: OID, side1: OID, side2: OID) throws {
        try traverse(directory: "", trees: Three(base, side1, side2))
        try handleDeferredEntries()
    }

    /// handle_deferred_entries(): a directory that only one side changed was set aside; when that
    /// side has no relevant rename source it is taken whole from that side (its adds are then
    /// never candidates for the other side's directory renames), otherwise it is walked now.
    private func handleDeferredEntries() throws {
        let pathCountBefore = paths.count
        var pathCountAfter = 0
        for side in 1...2 {
            var okay = true
            for source in relevantSources[side].keys where !cachedIrrelevant[side].contains(source) {
                guard let cached = cachedPairs[side][source] else { okay = false; break }
                guard let target = cached, paths[target] == nil else { continue }
                var dir = target
                while let slash = lastSlash(dir) {
                    dir = utf8Slice(dir, 0..<slash)
                    if targetDirs[side].insert(dir).inserted == false { break }
                }
            }
            trivialMergesOkay[side] = okay
            let deferred = possibleTrivialMerges[side]
            possibleTrivialMerges[side] = GitStrMap()
            for (path, mask) in deferred.ordered {
                guard let info = paths[path] else { continue }
                if okay && !targetDirs[side].contains(path) { resolveTrivialDirectoryMerge(info, side: side); continue }
                info.matchMask &= info.filemask
                dirRenameMask = mask
                try traverse(directory: path, trees: subtrees(info.stages, dirmask: info.dirmask))
            }
            for (path, _) in possibleTrivialMerges[side].ordered {
                if let info = paths[path] { resolveTrivialDirectoryMerge(info, side: side) }
            }
            possibleTrivialMerges[side] = GitStrMap()
            if !okay || pathCountAfter != 0 { pathCountAfter = paths.count }
        }
        dirRenameMask = 0
        // Walking the deferred directories tripled the work: ort caches the renames found and
        // merges again, now resolving directories without relevant renames trivially.
        if pathCountAfter != 0 {
            if redoAfterRenames == 0 && pathCountAfter / max(pathCountBefore, 1) >= 3 { redoAfterRenames = 1 }
        } else if redoAfterRenames == 2 {
            redoAfterRenames = 0
        }
    }

    private func resolveTrivialDirectoryMerge(_ info: PathInfo, side: Int) {
        info.result = info.stages[side]
        info.isNull = info.stages[side].oid.isZero
        info.matchMask = 0
        info.clean = true
    }

    /// The trees of the sides where the entry is a directory.
    private func subtrees(_ versions: Three<Version>, dirmask: Int) -> Three<OID?> {
        Three(dirmask & 1 != 0 ? versions.v0.oid : nil, dirmask & 2 != 0 ? versions.v1.oid : nil,
              dirmask & 4 != 0 ? versions.v2.oid : nil)
    }

    private func traverse(directory: String, trees: Three<OID?>) throws {
        let lists = Three(try trees.v0.map { try cache.sortedTree($0, in: repository) },
                          try trees.v1.map { try cache.sortedTree($0, in: repository) },
                          try trees.v2.map { try cache.sortedTree($0, in: repository) })
        // traverse_trees_wrapper: a directory removed on one side needs rename detection for
        // everything below it as soon as the other side added a file directly inside it.
        if dirRenameMask == 2 || dirRenameMask == 4 {
            var scan = TreeJoin(lists)
            while let (_, versions) = scan.next() {
                var mask = 0, dirmask = 0
                for i in 0..<3 where !versions[i].isNull { mask |= 1 << i; if versions[i].isDirectory { dirmask |= 1 << i } }
                let filemask = mask & ~dirmask
                if filemask != 0 && filemask == dirRenameMask { dirRenameMask = 7; break }
            }
        }
        var join = TreeJoin(lists)
        while let (name, versions) = join.next() {
            try visit(directory: directory, name: name, names: versions)
        }
    }

    private func visit(directory: String, name: String, names: Three<Version>) throws {
        let prevDirRenameMask = dirRenameMask
        var mask = 0, dirmask = 0
        for i in 0..<3 where !names[i].isNull {
            mask |= 1 << i
            if names[i].isDirectory { dirmask |= 1 << i }
        }
        let filemask = mask & ~dirmask
        let side1MatchesBase = !names[1].isNull && !names[0].isNull && names[0] == names[1]
        let side2MatchesBase = !names[2].isNull && !names[0].isNull && names[0] == names[2]
        let sidesMatch = !names[1].isNull && !names[2].isNull && names[1] == names[2]
        var matchMask = 0
        if side1MatchesBase { matchMask = side2MatchesBase ? 7 : 3 }
        else if side2MatchesBase { matchMask = 5 }
        else if sidesMatch { matchMask = 6 }
        let fullpath = joinPath(directory, name)

        func resolved(_ version: Version, isNull: Bool) {
            let info = arena.make(directoryName: directory, clean: true)
            info.result = version
            info.isNull = isNull
            paths[fullpath] = info
        }
        if side1MatchesBase && side2MatchesBase { return resolved(names[0], isNull: names[0].isNull) }
        if sidesMatch && filemask == 7 { return resolved(names[1], isNull: false) }
        if side1MatchesBase && filemask == 7 { return resolved(names[2], isNull: false) }
        if side2MatchesBase && filemask == 7 { return resolved(names[1], isNull: false) }

        collectRenameInfo(names: names, directory: directory, fullpath: fullpath, filemask: filemask, dirmask: dirmask, matchMask: matchMask)

        let info = arena.make(directoryName: directory, clean: false)
        info.stages = names
        info.pathnames = Three(fullpath)
        info.filemask = filemask
        info.dirmask = dirmask
        info.dfConflict = filemask != 0 && dirmask != 0
        info.isNull = dirmask != 0
        info.matchMask = matchMask
        paths[fullpath] = info

        if dirmask != 0 {
            var side = side1MatchesBase ? 2 : side2MatchesBase ? 1 : 0
            if filemask == 0 && (dirmask == 2 || dirmask == 4) {
                info.matchMask = 7 - dirmask
                side = dirmask / 2
            }
            if dirRenameMask != 7 && side != 0 && trivialMergesOkay[side] && !targetDirs[side].contains(fullpath) {
                possibleTrivialMerges[side][fullpath] = dirRenameMask
                dirRenameMask = prevDirRenameMask
                return
            }
            info.matchMask &= filemask
            try traverse(directory: fullpath, trees: subtrees(names, dirmask: dirmask))
            dirRenameMask = prevDirRenameMask
        }
    }

    private func collectRenameInfo(names: Three<Version>, directory: String, fullpath: String,
                                   filemask: Int, dirmask: Int, matchMask: Int) {
        if dirRenameMask != 7 && (dirmask == 3 || dirmask == 5) {
            dirRenameMask = dirmask & ~1
        }
        if dirmask == 1 || dirmask == 3 || dirmask == 5 {
            let sides = (7 - dirmask) / 2
            let relevance: DirRelevance = dirRenameMask == 7 ? .forAncestor : .notRelevant
            if sides & 1 != 0 { dirsRemoved[1][fullpath] = relevance }
            if sides & 2 != 0 { dirsRemoved[2][fullpath] = relevance }
        }
        if dirRenameMask == 7 && (filemask == 2 || filemask == 4) {
            let side = 3 - (filemask >> 1)
            dirsRemoved[side][directory] = .forSelf
        }
        if filemask == 0 || filemask == 7 { return }
        for side in 1...2 {
            let sideMask = 1 << side
            if filemask & 1 != 0 && filemask & sideMask == 0 {
                // Deleted on this side: a rename source if the other side changed it (content)
                // or a directory rename may need it (location).
                let contentRelevant = (matchMask & filemask) == 0
                let locationRelevant = dirRenameMask == 7
                if contentRelevant { cachedIrrelevant[side].remove(fullpath) }
                if contentRelevant || locationRelevant {
                    relevantSources[side][fullpath] = contentRelevant ? .content : .location
                }
                if cachedPairs[side][fullpath] != nil || cachedIrrelevant[side].contains(fullpath) { continue }
                pairs[side].append(FilePair(status: .deleted, onePath: fullpath, one: names[0], twoPath: fullpath, two: .null))
            }
            if filemask & 1 == 0 && filemask & sideMask != 0 && !cachedTargetNames[side].contains(fullpath) {
                pairs[side].append(FilePair(status: .added, onePath: fullpath, one: .null, twoPath: fullpath, two: names[side]))
            }
        }
    }
}

/// The union of up to three trees' names in byte order, each with its version on every side: a
/// merge join of the name-sorted trees, read one row at a time. The lists are separate fields,
/// not a `Three<SortedTree?>`: reading one out of that would copy (retain) its arrays per row.
private struct TreeJoin {
    private let names0: [String], names1: [String], names2: [String]
    private let versions0: [Version], versions1: [Version], versions2: [Version]
    private var p0 = 0, p1 = 0, p2 = 0

    init(_ lists: Three<SortedTree?>) {
        (names0, versions0) = (lists.v0?.names ?? [], lists.v0?.versions ?? [])
        (names1, versions1) = (lists.v1?.names ?? [], lists.v1?.versions ?? [])
        (names2, versions2) = (lists.v2?.names ?? [], lists.v2?.versions ?? [])
    }

    mutating func next() -> (String, Three<Version>)? {
        var lowest: String?
        if p0 < names0.count { lowest = names0[p0] }
        if p1 < names1.count, Self.precedes(names1[p1], lowest) { lowest = names1[p1] }
        if p2 < names2.count, Self.precedes(names2[p2], lowest) { lowest = names2[p2] }
        guard let name = lowest else { return nil }
        var versions = Three(Version.null)
        if p0 < names0.count, compareBytes(names0[p0], name) == 0 { versions.v0 = versions0[p0]; p0 += 1 }
        if p1 < names1.count, compareBytes(names1[p1], name) == 0 { versions.v1 = versions1[p1]; p1 += 1 }
        if p2 < names2.count, compareBytes(names2[p2], name) == 0 { versions.v2 = versions2[p2]; p2 += 1 }
        return (name, versions)
    }

    /// Whether `name` sorts before the lowest name so far (ties keep the earlier list's).
    @inline(__always) private static func precedes(_ name: String, _ lowest: String?) -> Bool {
        guard let lowest else { return true }
        return compareBytes(name, lowest) < 0
    }
}
