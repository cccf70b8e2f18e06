import Foundation

/// merge-ort's algorithm, rebuilt on libgit2 primitives and git's own xdiff: in-memory merges of
/// two commits that agree with `git merge-tree --write-tree` in verdict, clean tree id and
/// conflicting paths. Objects it creates go wherever the repository writes (use
/// `Repository.useInMemoryObjectWrites()` to keep them out of the object database).
public final class OrtMerger {
    public let repository: Repository
    let cache: OrtCache
    lazy var graph = CommitGraph(repository: repository)
    /// `merge.directoryRenames`: ort's default "conflict" mode is on unless set to false.
    public var directoryRenames = true
    /// `merge.renameLimit`, else `diff.renameLimit`; 7000 when unset or not positive (as ort).
    public var renameLimit = 7000

    /// Bumped whenever a change to the engine may change a merge's result, so that verdicts
    /// cached by an older gorch are not reused.
    public static let engineVersion = 5 // 3: names that are not UTF-8 kept as bytes (RawPath); 4: rename-slot ties, raw-byte strhash; 5: mode-0 entries in conflicted trees

    /// Everything besides the two commits and the labels that decides a merge's result, for
    /// keying cached verdicts.
    public var settingsFingerprint: String {
        "ort\(Self.engineVersion) renames=\(directoryRenames) limit=\(renameLimit)"
    }

    /// `shared`: signatures, matrix cells and content merges shared with mergers on other
    /// threads (each with its own repository handle).
    public init(repository: Repository, shared: SharedMergeCache? = nil) {
        self.repository = repository
        cache = OrtCache(shared: shared)
        if let value = try? repository.configString("merge.directoryRenames")?.lowercased(),
           ["false", "no", "off", "0"].contains(value) {
            directoryRenames = false
        }
        let limit = ["merge.renameLimit", "diff.renameLimit"].lazy
            .compactMap { try? repository.configString($0) }.first.flatMap { Int($0) }
        if let limit, limit > 0 { renameLimit = limit }
    }

    /// Merges `theirs` into `ours`. Throws `OrtError.unrelatedHistories` when there is no merge base.
    public func merge(ours: OID, theirs: OID, ourLabel: String, theirLabel: String) throws -> MergeOutcome {
        try merge(ours: ours, theirs: theirs, bases: try mergeBases(ours, theirs),
                  ourLabel: ourLabel, theirLabel: theirLabel)
    }

    /// All merge bases of two commits (the set `git merge-base --all` prints), from a commit
    /// graph this merger keeps, so a stream of merges reads each commit once.
    public func mergeBases(_ one: OID, _ two: OID) throws -> [OID] {
        try graph.mergeBases(one, two)
    }

    /// Merges `theirs` into `ours` given their merge bases (`Repository.mergeBases(_:_:)`), for
    /// callers that need the bases first anyway (to tell fast-forward and up-to-date apart).
    public func merge(ours: OID, theirs: OID, bases: [OID], ourLabel: String, theirLabel: String) throws -> MergeOutcome {
        if bases.isEmpty { throw OrtError.unrelatedHistories }
        let state = try mergeRecursive(.real(ours), .real(theirs), bases: bases, depth: 0, branch1: ourLabel, branch2: theirLabel)
        // The conflicted map's handles point into the state's arena: keep it alive until read.
        return withExtendedLifetime(state.state) { outcome(state.state, tree: state.tree, bases: bases) }
    }

    private func outcome(_ state: OrtMergeState, tree: OID, bases: [OID]) -> MergeOutcome {
        let clean = state.cleanSoFar && state.conflicted.isEmpty
        let conflicts = state.conflicted.compactMap { path, info -> MergeConflict? in
            info.filemask == 0 ? nil : MergeConflict(path: path, kind: Self.kind(of: info, pending: state.pendingKinds[path] ?? []))
        }.sorted { compareBytes($0.path, $1.path) < 0 }
        let unlisted = !state.cleanSoFar || state.conflicted.values.contains { $0.filemask == 0 }
        return MergeOutcome(clean: clean, conflicts: conflicts, tree: tree, bases: bases.count,
                            stages: Self.stages(of: state.conflicted), hasUnlistedConflicts: unlisted)
    }

    /// merge_get_conflicted_files(): for each conflicted path, stage i+1 for every side i whose
    /// filemask bit is set (nothing else is skipped), sorted by path bytes; string_list_sort is
    /// stable, so a path's stages stay in 1, 2, 3 order.
    static func stages(of conflicted: PathMap<PathInfo>) -> [ConflictStage] {
        conflicted.sortedByPath().flatMap { path, info in
            (0...2).filter { info.filemask & (1 << $0) != 0 }.map { i in
                ConflictStage(path: path, stage: i + 1, mode: FileMode(rawValue: info.stages[i].mode), oid: info.stages[i].oid)
            }
        }
    }

    /// A commit of the recursion: a real one, or a virtual merge of merge bases (git's
    /// make_virtual_commit: its tree, no date, and the two commits it merged as parents).
    indirect enum Node {
        case real(OID)
        case virtual(tree: OID, parents: [Node])

        /// The real commits it stands for, whose merge bases are its merge bases.
        var leaves: [OID] {
            switch self {
            case .real(let oid): [oid]
            case .virtual(_, let parents): parents.flatMap(\.leaves)
            }
        }
    }

    private func tree(of node: Node) throws -> OID {
        switch node {
        case .real(let oid): try repository.commit(oid).tree
        case .virtual(let tree, _): tree
        }
    }

    /// merge_ort_internal(): merges the merge bases into one virtual base, then the two sides.
    private func mergeRecursive(_ h1: Node, _ h2: Node, bases given: [OID]?, depth: Int,
                                branch1: String, branch2: String) throws -> (state: OrtMergeState, tree: OID) {
        var bases: [OID]
        if let given { bases = given } else {
            let leaves = h2.leaves + h1.leaves
            bases = try leaves.first.map { try graph.mergeBases($0, Array(leaves.dropFirst())) } ?? []
        }
        if bases.count > 1 { bases = try gitOrder(of: bases, one: h1, two: h2) }
        let reversed = Array(bases.reversed())
        var merged: Node
        let ancestorLabel: String
        if let first = reversed.first {
            merged = .real(first)
            ancestorLabel = reversed.count > 1 ? "merged common ancestors" : try repository.shortID(first)
            var folded = [first]
            for next in reversed.dropFirst() {
                folded.append(next)
                // The virtual base of these bases, in this order, at this depth, is always the
                // same tree: a later merge with the same oldest bases starts from it.
                let key = VirtualBaseKey(depth: depth, bases: folded)
                if let known = cache.virtualBase(key, in: repository) {
                    merged = known
                    continue
                }
                let inner = try mergeRecursive(merged, .real(next), bases: nil, depth: depth + 1,
                                               branch1: "Temporary merge branch 1", branch2: "Temporary merge branch 2")
                merged = .virtual(tree: inner.tree, parents: [merged, .real(next)])
                cache.storeVirtualBase(merged, for: key, in: repository)
            }
        } else {
            merged = .virtual(tree: try repository.writeTree([]), parents: [])
            ancestorLabel = "empty tree"
        }
        let state = OrtMergeState(repository: repository, cache: cache, callDepth: depth, ancestorLabel: ancestorLabel,
                                  branch1: branch1, branch2: branch2, directoryRenames: directoryRenames,
                                  renameLimit: renameLimit)
        let (baseTree, tree1, tree2) = (try tree(of: merged), try tree(of: h1), try tree(of: h2))
        try state.collect(base: baseTree, side1: tree1, side2: tree2)
        try state.detectAndProcessRenames()
        if state.redoAfterRenames == 2 {
            state.reinitializeForRedo()
            try state.collect(base: baseTree, side1: tree1, side2: tree2)
            try state.detectAndProcessRenames()
        }
        let tree = try state.processEntries()
        // Decays slowly, so one small (virtual base) merge does not shrink the next big one.
        cache.pathCountHint = max(state.paths.count, state.peakPathCount, cache.pathCountHint - cache.pathCountHint / 8)
        return (state, tree)
    }

    /// The most telling kind for a conflicted path.
    static func kind(of info: PathInfo, pending: [ConflictKind]) -> ConflictKind {
        let all = info.kinds + pending
        let priority: [ConflictKind] = [.location, .renameRename, .renameDelete, .renameAdd, .directoryFile, .submodule,
                                        .binary, .modifyDelete, .addAdd, .mode, .content]
        for kind in priority where all.contains(kind) { return kind }
        switch info.filemask {
        case 3, 5: return .modifyDelete
        case 6: return .addAdd
        default: return .content
        }
    }
}

public enum OrtError: Error, Equatable, Sendable {
    case unrelatedHistories
}
