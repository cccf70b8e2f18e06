/// merge-ort's per-path record: `struct merged_info` plus `struct conflict_info`, kept close to
/// the original so the port can be checked against it line by line.
struct PathRecord {
    /// Directory containing this path ("" at the top).
    var directoryName: String
    // merged_info
    var clean: Bool
    var isNull = false
    var result = Version.null
    // conflict_info: meaningful only for entries not resolved while collecting.
    var stages = Three(Version.null)
    var pathnames = Three("")
    var filemask = 0
    var dirmask = 0
    var matchMask = 0
    var dfConflict = false
    var pathConflict = false
    /// Conflict kinds noticed for this path, for `gorch conflicts` (ort's path_msg types).
    var kinds: [ConflictKind] = []

    init(directoryName: String, clean: Bool) {
        self.directoryName = directoryName
        self.clean = clean
    }
}

/// A record in its merge's `PathArena`: ort's `struct merged_info *`. Several maps may hold one
/// record (the `conflicted` map shares `paths`' records, as in ort), and a change through any
/// handle is seen through all. A handle is a bare pointer: no reference count to touch on every
/// lookup, and it is valid until its arena is reset, which only `OrtMergeState` does, never
/// while a handle is in use.
@dynamicMemberLookup
struct PathInfo {
    let record: UnsafeMutablePointer<PathRecord>

    /// `info.clean`, `info.stages[1] = ...`: the record's fields, read and changed in place
    /// (constant key paths into a stored struct compile down to field offsets).
    subscript<Value>(dynamicMember field: WritableKeyPath<PathRecord, Value>) -> Value {
        @inline(__always) get { record.pointee[keyPath: field] }
        @inline(__always) nonmutating _modify { yield &record.pointee[keyPath: field] }
    }
}

/// The records of one merge, in chunks that never move (so handles stay valid as it grows). A
/// large merge makes tens of thousands of records and ort's redo drops them all once: an object
/// each cost an allocation, a free and reference counting on every map lookup.
final class PathArena {
    private static let chunkShift = 10
    private static let chunkSize = 1 << chunkShift
    /// Chunks kept by `reset()` for reuse; beyond this many (about 15 MB) they are freed.
    private static let keptChunks = 64
    private var chunks: [UnsafeMutablePointer<PathRecord>] = []
    private(set) var count = 0

    /// A new record for a path in `directoryName`.
    func make(directoryName: String, clean: Bool) -> PathInfo {
        let slot = nextSlot()
        slot.initialize(to: PathRecord(directoryName: directoryName, clean: clean))
        return PathInfo(record: slot)
    }

    /// A new record with `info`'s fields (ort's memcpy of a conflict_info).
    func copy(_ info: PathInfo) -> PathInfo {
        let slot = nextSlot()
        slot.initialize(to: info.record.pointee)
        return PathInfo(record: slot)
    }

    @inline(__always) private func nextSlot() -> UnsafeMutablePointer<PathRecord> {
        let chunk = count >> Self.chunkShift
        if chunk == chunks.count { chunks.append(.allocate(capacity: Self.chunkSize)) }
        defer { count += 1 }
        return chunks[chunk] + (count & (Self.chunkSize - 1))
    }

    /// Drops every record; handles made so far must not be used again.
    func reset() {
        var left = count
        for chunk in chunks where left > 0 {
            let n = min(left, Self.chunkSize)
            chunk.deinitialize(count: n)
            left -= n
        }
        count = 0
        while chunks.count > Self.keptChunks { chunks.removeLast().deallocate() }
    }

    deinit {
        reset()
        for chunk in chunks { chunk.deallocate() }
    }
}
