import CXDiff

/// Three-way content merges as ll_merge does them for merge-ort: git's own xdiff with histogram
/// diff and the zealous level; binary content (a NUL in the first 8000 bytes) is not merged.
enum ContentMerge {
    enum Outcome {
        case merged([UInt8], conflicted: Bool)
        /// Binary content: ours at the top level (conflicted), the base inside a virtual base (clean).
        case binary
    }

    static func isBinary(_ bytes: [UInt8]) -> Bool {
        bytes.prefix(8000).contains(0)
    }

    static func merge(base: [UInt8], ours: [UInt8], theirs: [UInt8],
                      labels: (base: String, ours: String, theirs: String), markerSize: Int) throws -> Outcome {
        guard let merged = try merge3(base: base, ours: ours, theirs: theirs, labels: labels, markerSize: markerSize, favor: 0) else {
            return .binary
        }
        return .merged(merged.bytes, conflicted: merged.conflictHunks > 0)
    }

    /// `xdl_merge` with `favor` (xdiff's XDL_MERGE_FAVOR_*, 0 to keep conflicts): the merged bytes
    /// and the number of hunks left with markers; nil for binary content or any side larger than
    /// MAX_XDIFF_SIZE, which git does not text-merge. `TextMerge` is this with a Swift face.
    static func merge3(base: [UInt8], ours: [UInt8], theirs: [UInt8], labels: (base: String, ours: String, theirs: String),
                       markerSize: Int, favor: Int32) throws -> (bytes: [UInt8], conflictHunks: Int)? {
        let limit = 1024 * 1024 * 1023  // MAX_XDIFF_SIZE
        if base.count > limit || ours.count > limit || theirs.count > limit
            || isBinary(base) || isBinary(ours) || isBinary(theirs) {
            return nil
        }
        var out = cxdiff_buffer(ptr: nil, size: 0)
        // Labels hold paths: their raw bytes go into the markers, as in git.
        let status = RawPath.withCString(labels.base) { baseLabel in
            RawPath.withCString(labels.ours) { oursLabel in
                RawPath.withCString(labels.theirs) { theirsLabel in
                    base.withUnsafeBufferPointer { b in
                        ours.withUnsafeBufferPointer { o in
                            theirs.withUnsafeBufferPointer { t in
                                cxdiff_merge3(b.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }, b.count,
                                              o.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }, o.count,
                                              t.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }, t.count,
                                              baseLabel, oursLabel, theirsLabel, Int32(markerSize), favor, &out)
                            }
                        }
                    }
                }
            }
        }
        defer { cxdiff_free(&out) }
        guard status >= 0 else {
            throw GitError(code: .other(status), function: "xdl_merge", message: "internal content merge failed")
        }
        let bytes = out.ptr.map { Array(UnsafeRawBufferPointer(start: $0, count: out.size)) } ?? []
        return (bytes, Int(status))
    }
}
