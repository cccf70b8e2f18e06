/// State of one (non-recursive) merge of three trees: merge_options_internal + rename_info.
final class OrtMergeState {
    let repository: Repository
    let cache: OrtCache
    let callDepth: Int
    let ancestorLabel: String
    let branch1: String
    let branch2: String
    let directoryRenames: Bool

    var paths: [String: PathInfo] = [:]
    var conflicted: [String: PathInfo] = [:]
    /// Index 1 and 2: each side's adds and deletes (index 0 unused, as in ort).
    var pairs: [[FilePair]] = [[], [], []]
    var relevantSources: [[String: SourceRelevance]] = [[:], [:], [:]]
    var dirsRemoved: [[String: DirRelevance]] = [[:], [:], [:]]
    var dirRenameCount: [[String: [String: Int]]] = [[:], [:], [:]]
    var dirRenames: [[String: String]] = [[:], [:], [:]]
    var dirRenameMask = 0
    /// Directories changed on one side only, set aside while collecting (ort's `deferred`).
    var possibleTrivialMerges: [[(path: String, mask: Int)]] = [[], [], []]
    var trivialMergesOkay = [true, true, true]
    /// False once something made the merge unclean without a conflicted path (e.g. a directory
    /// rename split), as ort's `clean` return values do.
    var cleanSoFar = true
    /// Conflict kinds noticed per path while merging content.
    var pendingKinds: [String: [ConflictKind]] = [:]

    init(repository: Repository, cache: OrtCache, callDepth: Int, ancestorLabel: String,
         branch1: String, branch2: String, directoryRenames: Bool) {
        self.repository = repository
        self.cache = cache
        self.callDepth = callDepth
        self.ancestorLabel = ancestorLabel
        self.branch1 = branch1
        self.branch2 = branch2
        self.directoryRenames = directoryRenames
    }
}
