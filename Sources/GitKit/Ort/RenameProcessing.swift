/// detect_and_process_renames() of merge-ort.c: per-side rename detection, directory renames,
/// then process_renames() moving stages so that each rename merges at its target path.
extension OrtMergeState {
    func detectAndProcessRenames() throws {
        let possible = (1...2).contains { (!pairs[$0].isEmpty && !relevantSources[$0].isEmpty) || !cachedPairs[$0].isEmpty }
        guard possible else { return }
        let ran1 = try detectRegularRenames(side: 1)
        let ran2 = try detectRegularRenames(side: 2)
        if neededLimit { redoAfterRenames = 0 }
        if redoAfterRenames == 1 && (ran1 || ran2) {
            for side in 1...2 {
                for i in pairs[side].indices {
                    cacheNewPair(status: pairs[side][i].status, from: pairs[side][i].onePath, to: pairs[side][i].twoPath, side: side)
                }
            }
            redoAfterRenames = 2
            return
        }
        for side in 1...2 {   // use_cached_pairs
            for (old, new) in cachedPairs[side].ordered {
                pairs[side].append(FilePair(status: new == nil ? .deleted : .renamed, onePath: old, one: .null,
                                            twoPath: new ?? old, two: .null))
            }
        }

        if callDepth == 0 && directoryRenames {
            provisionalDirectoryRenames(side: 1)
            provisionalDirectoryRenames(side: 2)
            dropDirectoriesRenamedOnBothSides()
        }
        var collisions: [PathMap<[String]>] = [[:], [:], [:]]
        for side in 1...2 {
            collisions[side] = computeCollisions(side: side, otherRenames: dirRenames[3 - side])
        }
        var reported: [PathSet] = [[], [], []]
        var combined: [FilePair] = []
        for side in 1...2 {
            // Nothing reads pairs[side] after this loop: changes go to the copies in `combined`.
            for var pair in pairs[side] where pair.status == .added || pair.status == .renamed {
                let newPath = directoryRenameTarget(for: pair.twoPath, side: side, collisions: &collisions, reported: &reported[side])
                if pair.status != .renamed && newPath == nil { continue }
                if let newPath { applyDirectoryRenameModifications(&pair, newPath: newPath) }
                pair.side = side
                combined.append(pair)
            }
        }
        // STABLE_QSORT by source path.
        combined = combined.enumerated().sorted { l, r in
            let c = compareBytes(l.element.onePath, r.element.onePath)
            return c != 0 ? c < 0 : l.offset < r.offset
        }.map(\.element)
        try processRenames(combined)
    }

    /// possibly_cache_new_pair() for the redo: relevant deletes and renames only.
    /// Takes the pair's fields, not the pair: copying a pair out of `pairs` retains both paths.
    private func cacheNewPair(status: FilePair.Status, from onePath: String, to twoPath: String, side: Int) {
        let relevance = relevantSources[side][onePath]
        if relevance == .noMore { cachedIrrelevant[side].insert(onePath) }
        guard let relevance, relevance != .noMore else { return }
        switch status {
        case .deleted: cachedPairs[side][onePath] = .some(nil)
        case .renamed:
            cachedPairs[side][onePath] = twoPath
            cachedTargetNames[side].insert(twoPath)
        case .added: break
        }
    }

    private func processRenames(_ renames: [FilePair]) throws {
        var i = 0
        while i < renames.count {
            defer { i += 1 }
            let pair = renames[i]
            guard let oldInfo = paths[pair.onePath], !oldInfo.clean else { continue }
            let oldPath = pair.onePath
            let newPath = pair.twoPath
            let newInfo = paths[newPath]

            if i + 1 < renames.count && bytesEqual(renames[i + 1].onePath, oldPath) {
                // rename/rename(1to2), or both sides renamed to the same path.
                let names = [oldPath, newPath, renames[i + 1].twoPath]
                guard let base = paths[names[0]], let side1 = paths[names[1]], let side2 = paths[names[2]] else { i += 1; continue }
                if bytesEqual(names[1], names[2]) {
                    side1.stages[0] = base.stages[0]
                    side1.filemask |= 1
                    base.isNull = true
                    base.clean = true
                    i += 1
                    continue
                }
                var merged = Version.null
                let clean = try handleContentMerge(path: oldPath, base.stages[0], side1.stages[1], side2.stages[2],
                                                   pathnames: names, extraMarkerSize: 1 + 2 * callDepth, result: &merged)
                let wasBinaryBlob = !clean && merged == side1.stages[1]
                side1.stages[1] = merged
                side2.stages[2] = wasBinaryBlob ? side2.stages[2] : merged
                side1.pathConflict = true
                side2.pathConflict = true
                base.pathConflict = true
                for info in [base, side1, side2] { info.kinds.append(.renameRename) }
                i += 1
                continue
            }

            guard let newInfo else { continue }
            let targetIndex = pair.side
            let otherIndex = 3 - targetIndex
            let oldSideMask = 1 << otherIndex
            let sourceDeleted = oldInfo.filemask == 1
            var collision = newInfo.filemask & oldSideMask != 0
            let typeChanged = !sourceDeleted && oldInfo.stages[otherIndex].isRegular != newInfo.stages[targetIndex].isRegular
            if typeChanged && collision { collision = false }

            if collision && !sourceDeleted {
                // rename/add or rename/rename(2to1): merge the renamed content into the target's stage.
                var names = ["", "", ""]
                names[0] = oldPath; names[otherIndex] = oldPath; names[targetIndex] = newPath
                guard let base = paths[names[0]], let side1 = paths[names[1]], let side2 = paths[names[2]] else { continue }
                var merged = Version.null
                _ = try handleContentMerge(path: oldPath, base.stages[0], side1.stages[1], side2.stages[2],
                                           pathnames: names, extraMarkerSize: 1 + 2 * callDepth, result: &merged)
                newInfo.stages[targetIndex] = merged
                newInfo.kinds.append(.renameAdd)
            } else if collision && sourceDeleted {
                newInfo.pathConflict = true
                newInfo.kinds.append(.renameDelete)
            } else {
                newInfo.stages[0] = oldInfo.stages[0]
                newInfo.filemask |= 1
                newInfo.pathnames[0] = oldPath
                if typeChanged {
                    oldInfo.stages[0] = .null
                    oldInfo.filemask &= 6
                } else if sourceDeleted {
                    newInfo.pathConflict = true
                    newInfo.kinds.append(.renameDelete)
                } else {
                    newInfo.stages[otherIndex] = oldInfo.stages[otherIndex]
                    newInfo.filemask |= oldSideMask
                    newInfo.pathnames[otherIndex] = oldPath
                }
            }
            if !typeChanged {
                oldInfo.isNull = true
                oldInfo.clean = true
            }
        }
    }
}
