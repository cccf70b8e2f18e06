import CXDiff

/// Three-way text merges with git's own xdiff (histogram diff, zealous merge level), as ll_merge
/// does them for merge-ort: the public face of the content merge the Ort port uses internally.
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

    /// Whether git treats the content as binary: a NUL in the first 8000 bytes (`buffer_is_binary`).
    public static func isBinary(_ bytes: [UInt8]) -> Bool {
        bytes.prefix(8000).contains(0)
    }

    /// Merges `ours` and `theirs` against `base` (`xdl_merge` through `cxdiff_merge3`).
    /// nil when any side is binary (NUL in the first 8000 bytes) or larger than xdiff's limit,
    /// as git refuses to text-merge those. Labels go after the markers; the base label only shows
    /// in diff3 styles, which this merge does not use.
    public static func merge3(base: [UInt8], ours: [UInt8], theirs: [UInt8], favor: Favor = .none,
                              labels: (base: String, ours: String, theirs: String) = ("base", "ours", "theirs"),
                              markerSize: Int = 7) throws -> Result? {
        let limit = 1024 * 1024 * 1023  // MAX_XDIFF_SIZE
        if base.count > limit || ours.count > limit || theirs.count > limit
            || isBinary(base) || isBinary(ours) || isBinary(theirs) {
            return nil
        }
        let favorValue: Int32
        switch favor {
        case .none: favorValue = Int32(CXDIFF_FAVOR_NONE)
        case .ours: favorValue = Int32(CXDIFF_FAVOR_OURS)
        case .theirs: favorValue = Int32(CXDIFF_FAVOR_THEIRS)
        case .union: favorValue = Int32(CXDIFF_FAVOR_UNION)
        }
        // xdiff writes markerSize characters per marker; git clamps nothing, but 0 or less makes
        // markers unreadable, so fall back to git's default as ll_merge does for a bad attribute.
        let size = markerSize > 0 ? markerSize : 7
        var out = cxdiff_buffer(ptr: nil, size: 0)
        let status = base.withUnsafeBufferPointer { b in
            ours.withUnsafeBufferPointer { o in
                theirs.withUnsafeBufferPointer { t in
                    cxdiff_merge3(cString(b), b.count, cString(o), o.count, cString(t), t.count,
                                  labels.base, labels.ours, labels.theirs, Int32(size), favorValue, &out)
                }
            }
        }
        defer { cxdiff_free(&out) }
        guard status >= 0 else {
            throw GitError(code: .other(status), function: "xdl_merge", message: "internal content merge failed")
        }
        let bytes = out.ptr.map { Array(UnsafeRawBufferPointer(start: $0, count: out.size)) } ?? []
        return Result(bytes: bytes, conflictHunks: Int(status))
    }

    private static func cString(_ buffer: UnsafeBufferPointer<UInt8>) -> UnsafePointer<CChar>? {
        buffer.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }
    }
}
