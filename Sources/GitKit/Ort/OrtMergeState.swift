/// State of one (non-recursive) merge of three trees: merge_options_internal + rename_info.
final class OrtMergeState {
    let repository: Repository
    let cache: OrtCache
    let callDepth: Int
    let ancestorLabel: String
    let branch1: String
    let branch2: String
    let directoryRenames: Bool
    let renameLimit: Int

    /// Every path's record; `paths` and `conflicted` hold handles into it.
    let arena: PathArena
    var paths: PathMap<PathInfo> = [:]
    var conflicted: PathMap<PathInfo> = [:]
    /// Index 1 and 2: each side's adds and deletes (index 0 unused, as in ort).
    var pairs: [[FilePair]] = [[], [], []]
    var relevantSources: [PathMap<SourceRelevance>] = [[:], [:], [:]]
    var dirsRemoved: [PathMap<DirRelevance>] = [[:], [:], [:]]
    var dirRenameCount: [PathMap<GitStrMap<Int>>] = [[:], [:], [:]]
    var dirRenames: [PathMap<String>] = [[:], [:], [:]]
    var dirRenameMask = 0
    /// Directories changed on one side only, set aside while collecting (ort's `deferred`).
    var possibleTrivialMerges = [GitStrMap<Int>](repeating: GitStrMap(), count: 3)
    var trivialMergesOkay = [true, true, true]
    /// False once something made the merge unclean without a conflicted path (e.g. a directory
    /// rename split), as ort's `clean` return values do.
    var cleanSoFar = true
    /// Conflict kinds noticed per path while merging content.
    var pendingKinds: PathMap<[ConflictKind]> = [:]

    // Kept across ort's "redo after renames" (see `reinitializeForRedo()`).
    /// Renames found by the first pass: source -> target, or source -> nil for a plain delete.
    var cachedPairs = [GitStrMap<String?>](repeating: GitStrMap(), count: 3)
    var cachedTargetNames: [PathSet] = [[], [], []]
    /// Sources dropped as no longer needed (handle_early_known_dir_renames): not re-detected.
    var cachedIrrelevant: [PathSet] = [[], [], []]
    /// Ancestor directories of cached rename targets: never resolved trivially.
    var targetDirs: [PathSet] = [[], [], []]
    /// 0 no redo, 1 wanted (deferred directories tripled the paths), 2 caches filled: run again.
    var redoAfterRenames = 0
    /// A side had more rename candidates than the limit (no redo then, as in ort).
    var neededLimit = false
    /// The most paths any pass held: a redo's first pass walks the deferred directories too, up
    /// to three times the final count, and the next merge's path map should start that large.
    var peakPathCount = 0

    init(repository: Repository, cache: OrtCache, callDepth: Int, ancestorLabel: String,
         branch1: String, branch2: String, directoryRenames: Bool, renameLimit: Int) {
        self.repository = repository
        self.cache = cache
        self.callDepth = callDepth
        self.ancestorLabel = ancestorLabel
        self.branch1 = branch1
        self.branch2 = branch2
        self.directoryRenames = directoryRenames
        self.renameLimit = renameLimit
        arena = cache.takeArena()
        paths.reserveCapacity(min(cache.pathCountHint, 1 << 20))
    }

    /// clear_or_reinit_internal_opts(reinitialize: 1) with both sides' caches valid: forget the
    /// first pass except the rename caches and the directory rename counts.
    func reinitializeForRedo() {
        peakPathCount = max(peakPathCount, paths.count)
        paths = PathMap(minimumCapacity: paths.count); conflicted = [:]; pairs = [[], [], []]
        arena.reset()
        relevantSources = [[:], [:], [:]]; dirsRemoved = [[:], [:], [:]]; dirRenames = [[:], [:], [:]]
        possibleTrivialMerges = [GitStrMap<Int>](repeating: GitStrMap(), count: 3); targetDirs = [[], [], []]; trivialMergesOkay = [true, true, true]
        dirRenameMask = 0; cleanSoFar = true; pendingKinds = [:]
    }

    deinit {
        // The maps' handles die with this state: the records can go back for the next merge.
        paths = [:]; conflicted = [:]
        arena.reset()
        cache.recycle(arena)
    }
}
