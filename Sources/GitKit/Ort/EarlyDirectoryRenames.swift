/// handle_early_known_dir_renames() of diffcore-rename.c: before the expensive inexact matrix,
/// a directory whose rename is already decided by the renames found so far needs no more
/// location-only sources, which are dropped (and cached as irrelevant for a redo).
extension OrtMergeState {
    /// diffcore-rename's UNKNOWN_DIR placeholder: "/", which no directory can be named.
    static let unknownDir = "/"

    /// Returns the indices (into `sources`) of the sources still worth pairing.
    func cullKnownDirectoryRenames(_ sources: [String], side: Int, counts: inout PathMap<GitStrMap<Int>>,
                                   removed: inout PathMap<DirRelevance>) -> [Int] {
        // Each remaining source may still move its directories somewhere unknown.
        for path in sources {
            var dir = dirname(path)
            while !dir.isEmpty, (removed[dir] ?? .notRelevant) != .notRelevant {
                counts[dir, default: GitStrMap()][Self.unknownDir] = (counts[dir]?[Self.unknownDir] ?? 0) + 1
                dir = dirname(dir)
            }
        }
        for (dir, targets) in counts where removed[dir] == .forSelf && Self.alreadyDeterminable(targets) {
            removed[dir] = .forAncestor
        }
        var kept: [Int] = []
        for (index, path) in sources.enumerated() {
            if relevantSources[side][path] == .location {
                var removable = true
                var dir = dirname(path)
                while true {
                    let relevance = removed[dir] ?? .notRelevant
                    if relevance == .notRelevant { break }
                    if relevance == .forSelf { removable = false; break }
                    dir = dirname(dir)
                }
                if removable {
                    relevantSources[side][path] = .noMore
                    continue
                }
            }
            kept.append(index)
        }
        return kept
    }

    /// dir_rename_already_determinable(): the leader wins even if every unknown went to the runner-up.
    static func alreadyDeterminable(_ counts: GitStrMap<Int>) -> Bool {
        var first = 0, second = 0, unknown = 0
        for (dir, count) in counts.ordered {
            if bytesEqual(dir, unknownDir) { unknown = count }
            else if count >= first { second = first; first = count }
            else if count >= second { second = count }
        }
        return first > second + unknown
    }
}
