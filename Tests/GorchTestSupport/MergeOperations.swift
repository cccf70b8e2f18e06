import Foundation

/// The random edits one commit is made of. Each returns a short description, or nil when it
/// does not apply to the current tree (the caller then draws another).
extension CaseBuilder {
    enum Op: CaseIterable {
        case edit, add, delete, rename, renameDirectory, chmod, fileToDirectory, directoryToFile
        case makeBinary, copy, symlink
    }

    func weight(_ op: Op) -> Double {
        switch op {
        case .edit: weights.edit
        case .add: weights.add
        case .delete: weights.delete
        case .rename: weights.rename
        case .renameDirectory: weights.renameDirectory
        case .chmod: weights.chmod
        case .fileToDirectory: weights.fileToDirectory
        case .directoryToFile: weights.directoryToFile
        case .makeBinary: weights.makeBinary
        case .copy: weights.copy
        case .symlink: weights.symlink
        }
    }

    func apply(_ op: Op) -> String? {
        switch op {
        case .edit: edit()
        case .add: add()
        case .delete: delete()
        case .rename: rename()
        case .renameDirectory: renameDirectory()
        case .chmod: chmod()
        case .fileToDirectory: fileToDirectory()
        case .directoryToFile: directoryToFile()
        case .makeBinary: makeBinary()
        case .copy: copy()
        case .symlink: symlink()
        }
    }

    /// A file passing `filter`, preferring the plan's hot files with probability `hot`.
    func pickFile(hot: Double, _ filter: (FileEntry) -> Bool = { _ in true }) -> String? {
        let candidates = tree.paths(where: filter)
        let hotOnes = plan.hotFiles.filter { candidates.contains($0) }
        if !hotOnes.isEmpty, rng.chance(hot) { return rng.pick(hotOnes) }
        return rng.pick(candidates)
    }

    /// A directory, preferring the plan's hot one while it exists on this side.
    func pickDir(hot: Double) -> String? {
        let dirs = tree.directories
        if let hotDir = plan.hotDir, dirs.contains(hotDir), rng.chance(hot) { return hotDir }
        return rng.pick(dirs)
    }

    /// Changes one line (replace or insert) so a renamed or copied file stays similar.
    func smallEdit(_ entry: inout FileEntry) -> Bool {
        guard var lines = entry.lines, lines.count >= 4 else { return false }
        let pos = rng.int(in: 0...(lines.count - 1))
        if rng.chance(0.5) { lines[pos] = line() } else { lines.insert(line(), at: pos) }
        entry.content = .text(lines)
        return true
    }

    func edit() -> String? {
        guard let path = pickFile(hot: 0.55, { $0.lines != nil }),
              var entry = tree.files[path], var lines = entry.lines else { return nil }
        var notes: [String] = []
        for _ in 0..<(rng.chance(0.7) ? 1 : 2) {
            let n = lines.count
            // Near the hotspot the two sides' hunks overlap (conflict) or touch (adjacent, also a conflict in git).
            let near = rng.chance(0.6)
            var pos = near ? hotspot(path, count: n) + rng.int(in: -1...1) : rng.int(in: 0...max(n - 1, 0))
            pos = min(max(pos, 0), n)
            let count = rng.int(in: 1...2)
            let kind = n == 0 ? 0 : rng.int(in: 0...2)
            if kind == 0 {
                let new = rng.chance(0.2) ? sharedLines("\(path)+\(pos)", count: count) : self.lines(count...count)
                lines.insert(contentsOf: new, at: pos)
                notes.append("insert@\(pos)")
            } else {
                pos = min(pos, n - 1)
                let range = pos..<min(pos + count, n)
                if kind == 1 {
                    lines.removeSubrange(range)
                    notes.append("delete@\(pos)+\(range.count)")
                } else {
                    // Sometimes both sides make the identical change, which merges cleanly.
                    let same = rng.chance(0.25)
                    let new = same ? sharedLines("\(path)@\(pos)", count: range.count) : self.lines(range.count...range.count)
                    lines.replaceSubrange(range, with: new)
                    notes.append("replace@\(pos)+\(range.count)\(same ? "=" : "")")
                }
            }
        }
        entry.content = .text(lines)
        tree.put(path, entry)
        return "edit \(path) \(notes.joined(separator: ","))"
    }

    func add() -> String? {
        let freeShared = plan.sharedAdds.filter { tree.isFree($0.path) }
        if rng.chance(0.35), let shared = rng.pick(freeShared) {
            var lines = shared.lines
            let roll = rng.int(in: 0...3)
            let kind: String
            switch roll {
            case 0, 1: kind = "same"
            case 2:
                lines[rng.int(in: 0...(lines.count - 1))] = line()
                kind = "similar"
            default:
                lines = self.lines(3...8)
                kind = "different"
            }
            tree.put(shared.path, FileEntry(content: .text(lines)))
            return "add \(shared.path) (shared name, \(kind) content)"
        }
        // Into the hot directory: if the other side renamed it, git's directory rename detection moves this file.
        if rng.chance(0.35), let hotDir = plan.hotDir, tree.directories.contains(hotDir), let path = freshPath(in: hotDir) {
            tree.put(path, randomEntry())
            return "add \(path) (hot dir)"
        }
        guard let path = freshPath(in: someDir()) else { return nil }
        tree.put(path, randomEntry())
        return "add \(path)"
    }

    func delete() -> String? {
        guard let path = pickFile(hot: 0.2) else { return nil }
        tree.delete(path)
        return "delete \(path)"
    }

    func rename() -> String? {
        guard let source = pickFile(hot: 0.35), var entry = tree.files[source] else { return nil }
        var dest: String?
        let shared = plan.renameTargets.filter { tree.isFree($0) }
        if rng.chance(0.25), let target = rng.pick(shared) {
            dest = target // both sides may pick the same or different targets: rename/rename
        } else {
            switch rng.int(in: 0...2) {
            case 0: dest = freshPath(in: parentDir(source))
            case 1:
                let other = rng.pick(([""] + tree.directories).filter { $0 != parentDir(source) }) ?? ""
                dest = join(other, baseName(source))
            default: dest = freshDir(under: parentDir(source)).map { join($0, baseName(source)) }
            }
        }
        guard let dest, dest != source, tree.isFree(dest) else { return nil }
        let edited = rng.chance(0.4) && smallEdit(&entry)
        tree.delete(source)
        tree.put(dest, entry)
        return "rename \(source) -> \(dest)\(edited ? " (edited)" : "")"
    }

    func renameDirectory() -> String? {
        guard let source = pickDir(hot: 0.6) else { return nil }
        var dest: String?
        let shared = plan.dirTargets.filter { tree.isFree($0) && !$0.hasPrefix(source + "/") }
        if rng.chance(0.5), let target = rng.pick(shared) {
            dest = target
        } else {
            let parent = rng.chance(0.7) ? parentDir(source) : (rng.pick([""] + tree.directories) ?? "")
            dest = freshDir(under: parent)
        }
        guard let dest, !dest.hasPrefix(source + "/"), tree.isFree(dest) else { return nil }
        let moved = tree.files(under: source)
        let entries = moved.compactMap { path in tree.files[path].map { (path, $0) } }
        for path in moved { tree.delete(path) }
        var edited = ""
        for (path, entry) in entries {
            var entry = entry
            let newPath = dest + path.dropFirst(source.count)
            if edited.isEmpty, rng.chance(0.2), smallEdit(&entry) { edited = " (edited \(newPath))" }
            tree.put(newPath, entry)
        }
        return "rename dir \(source)/ -> \(dest)/ (\(moved.count) files)\(edited)"
    }

    func chmod() -> String? {
        guard let path = pickFile(hot: 0.4, { $0.isRegular }), var entry = tree.files[path] else { return nil }
        entry.executable.toggle()
        tree.put(path, entry)
        return "chmod \(entry.executable ? "+x" : "-x") \(path)"
    }

    func fileToDirectory() -> String? {
        guard let path = pickFile(hot: 0.15) else { return nil }
        tree.delete(path)
        var added: [String] = []
        for _ in 0..<rng.int(in: 1...2) {
            guard let child = freshPath(in: path) else { continue }
            tree.put(child, textEntry())
            added.append(child)
        }
        return "file -> dir \(path) (\(added.joined(separator: ", ")))"
    }

    func directoryToFile() -> String? {
        guard let dir = pickDir(hot: 0.5) else { return nil }
        let removed = tree.files(under: dir)
        for path in removed { tree.delete(path) }
        tree.put(dir, textEntry())
        return "dir -> file \(dir) (\(removed.count) files removed)"
    }

    func makeBinary() -> String? {
        guard let path = pickFile(hot: 0.5, { $0.lines != nil }), var entry = tree.files[path],
              let lines = entry.lines else { return nil }
        entry.content = .binary(binaryBytes(prefix: Array(lines.prefix(2).joined(separator: "\n").utf8)))
        tree.put(path, entry)
        return "make binary \(path)"
    }

    func copy() -> String? {
        guard let source = pickFile(hot: 0.3, { $0.isRegular }), var entry = tree.files[source] else { return nil }
        let dest = rng.chance(0.5)
            ? freshPath(in: parentDir(source))
            : rng.pick(tree.directories.filter { $0 != parentDir(source) }).map { join($0, baseName(source)) }
        guard let dest, tree.isFree(dest) else { return nil }
        let edited = rng.chance(0.3) && smallEdit(&entry)
        tree.put(dest, entry)
        return "copy \(source) -> \(dest)\(edited ? " (edited)" : "")"
    }

    func symlink() -> String? {
        let links = tree.paths(where: { !$0.isRegular })
        if rng.chance(0.4), let link = rng.pick(links) {
            let target = symlinkTarget()
            tree.put(link, FileEntry(content: .symlink(target)))
            return "retarget \(link) -> \(target)"
        }
        if rng.chance(0.3), let path = pickFile(hot: 0.5, { $0.isRegular }) {
            let target = symlinkTarget()
            tree.put(path, FileEntry(content: .symlink(target)))
            return "file -> symlink \(path) -> \(target)"
        }
        guard let path = freshPath(in: someDir()) else { return nil }
        let target = symlinkTarget()
        tree.put(path, FileEntry(content: .symlink(target)))
        return "add symlink \(path) -> \(target)"
    }
}
