import CXDiff

/// Three-way text merges exactly as merge-ort makes them (git's own xdiff, histogram diff,
/// zealous level): the public face of the Ort engine's `ContentMerge`, for gorch's resolution rules.
public enum TextMerge {
    /// How conflicting hunks are settled, as xdiff's `XDL_MERGE_FAVOR_*` (`git merge-file
    /// --ours/--theirs/--union`, the `union` merge driver, `-X ours/theirs`).
    public enum Favor: Sendable {
        /// Conflicts stay, with markers.
        case none
        case ours
        case theirs
        /// Both sides' lines, ours first, no markers.
        case union
    }

    public struct Result: Sendable, Equatable {
        /// The merged text, with conflict markers when `conflictHunks > 0`.
        public let bytes: [UInt8]
        /// Hunks left with conflict markers (always 0 unless the favor is `.none`).
        public let conflictHunks: Int

        public init(bytes: [UInt8], conflictHunks: Int) {
            self.bytes = bytes
            self.conflictHunks = conflictHunks
        }

        public var isClean: Bool { conflictHunks == 0 }
    }

    /// Merges `ours` and `theirs` against `base` with the content merge of the Ort engine
    /// (`ContentMerge.merge3`: `xdl_merge`, histogram diff, zealous level, as ll_merge for
    /// merge-ort), `favor` settling conflicting hunks. nil when any side is binary (NUL in the
    /// first 8000 bytes) or larger than xdiff's limit, as git refuses to text-merge those. Labels
    /// go after the markers; the base label only shows in diff3 styles, which this merge does not use.
    public static func merge3(base: [UInt8], ours: [UInt8], theirs: [UInt8], favor: Favor = .none,
                              labels: (base: String, ours: String, theirs: String) = ("base", "ours", "theirs"),
                              markerSize: Int = 7) throws -> Result? {
        let favorValue: Int32
        switch favor {
        case .none: favorValue = Int32(CXDIFF_FAVOR_NONE)
        case .ours: favorValue = Int32(CXDIFF_FAVOR_OURS)
        case .theirs: favorValue = Int32(CXDIFF_FAVOR_THEIRS)
        case .union: favorValue = Int32(CXDIFF_FAVOR_UNION)
        }
        // xdiff writes markerSize characters per marker; 0 or less would make markers
        // unreadable, so git's default stands in, as ll_merge does for a bad attribute.
        guard let merged = try ContentMerge.merge3(base: base, ours: ours, theirs: theirs, labels: labels,
                                                   markerSize: markerSize > 0 ? markerSize : 7, favor: favorValue) else { return nil }
        return Result(bytes: merged.bytes, conflictHunks: merged.conflictHunks)
    }
}
