internal import CLibGit2
import Foundation

/// git's commit-graph file (`.git/objects/info/commit-graph`, gitformat-commit-graph(5)): every
/// commit's parents and committer date without inflating the commit. `git gc` writes it by
/// default, so large repositories usually have one; history walks (merge bases) of old
/// repositories read thousands of commits.
///
/// Read only when it is exactly what git would trust: version 1, SHA-1, a single file (no split
/// chain), `core.commitGraph` not false, no grafts or shallow boundary; any size that does not add
/// up drops the whole file. A commit missing from it (written after the file) is read the usual
/// way by the caller.
final class CommitGraphFile {
    private let data: Data
    private let count: Int
    private let fanout: Int, oids: Int, commits: Int
    private let edges: Int?
    private let edgeCount: Int

    /// Opens `objects/info/commit-graph` under `commonDirectory`; nil when absent or unusable.
    init?(commonDirectory: String) {
        let git = commonDirectory.hasSuffix("/") ? commonDirectory : commonDirectory + "/"
        let manager = FileManager.default
        if manager.fileExists(atPath: git + "shallow") || manager.fileExists(atPath: git + "info/grafts")
            || manager.fileExists(atPath: git + "objects/info/commit-graphs/commit-graph-chain") { return nil }
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: git + "objects/info/commit-graph"), options: .alwaysMapped),
              data.count >= 8 + 12 else { return nil }
        self.data = data
        func u8(_ at: Int) -> Int { Int(data[data.startIndex + at]) }
        guard data.prefix(4).elementsEqual("CGPH".utf8), u8(4) == 1, u8(5) == 1, u8(7) == 0 else { return nil }
        let chunkCount = u8(6)
        var chunks: [UInt32: Int] = [:]
        var ends: [Int] = []
        for index in 0...chunkCount {
            let at = 8 + index * 12
            guard at + 12 <= data.count else { return nil }
            let id = Self.be32(data, at), offset = Int(Self.be64(data, at + 4))
            guard offset <= data.count else { return nil }
            if index < chunkCount { chunks[id] = offset }
            ends.append(offset)
        }
        // A chunk ends where the next one in the table starts.
        func size(_ id: UInt32) -> Int? {
            guard let start = chunks[id], let next = ends.filter({ $0 > start }).min() else { return nil }
            return next - start
        }
        guard let fanout = chunks[0x4F49_4446], size(0x4F49_4446) == 1024,          // OIDF
              let oids = chunks[0x4F49_444C], let oidBytes = size(0x4F49_444C),     // OIDL
              let commits = chunks[0x4344_4154], let commitBytes = size(0x4344_4154) // CDAT
        else { return nil }
        let count = Int(Self.be32(data, fanout + 255 * 4))
        guard oidBytes == count * 20, commitBytes == count * 36 else { return nil }
        self.count = count
        self.fanout = fanout
        self.oids = oids
        self.commits = commits
        edges = chunks[0x4544_4745]                                                     // EDGE
        edgeCount = (size(0x4544_4745) ?? 0) / 4
    }

    /// The commit's committer date and parents, nil when the file does not hold it.
    func dateAndParents(_ oid: OID) -> (date: Int64, parents: [OID])? {
        guard let position = position(of: oid) else { return nil }
        let at = commits + position * 36 + 20
        let first = Self.be32(data, at), second = Self.be32(data, at + 4)
        var parents: [OID] = []
        let none: UInt32 = 0x7000_0000
        if first != none {
            guard let parent = commitID(at: first) else { return nil }
            parents.append(parent)
        }
        if second != none {
            if second & 0x8000_0000 == 0 {
                guard let parent = commitID(at: second) else { return nil }
                parents.append(parent)
            } else {
                // Octopus: the rest are listed in EDGE from here, the last with the top bit set.
                guard let edges else { return nil }
                var index = Int(second & 0x7FFF_FFFF)
                while true {
                    guard index < edgeCount else { return nil }
                    let entry = Self.be32(data, edges + index * 4)
                    guard let parent = commitID(at: entry & 0x7FFF_FFFF) else { return nil }
                    parents.append(parent)
                    if entry & 0x8000_0000 != 0 { break }
                    index += 1
                }
            }
        }
        // The low 34 bits of the generation-and-date words are the commit time.
        let high = Int64(Self.be32(data, at + 8) & 0x3), low = Int64(Self.be32(data, at + 12))
        return (high << 32 | low, parents)
    }

    private func commitID(at position: UInt32) -> OID? {
        let index = Int(position)
        guard index < count else { return nil }
        return OID(bytes: data, at: oids + index * 20)
    }

    /// Binary search of the sorted ids, narrowed by the fan-out table on the first byte.
    private func position(of oid: OID) -> Int? {
        let first = Int(oid.firstByte)
        var low = first == 0 ? 0 : Int(Self.be32(data, fanout + (first - 1) * 4))
        var high = Int(Self.be32(data, fanout + first * 4))
        guard low <= high, high <= count else { return nil }
        while low < high {
            let middle = (low + high) / 2
            let order = oid.compare(toBytesOf: data, at: oids + middle * 20)
            if order == 0 { return middle }
            if order < 0 { high = middle } else { low = middle + 1 }
        }
        return nil
    }

    private static func be32(_ data: Data, _ at: Int) -> UInt32 {
        data.withUnsafeBytes { raw in UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt32.self)) }
    }

    private static func be64(_ data: Data, _ at: Int) -> UInt64 {
        data.withUnsafeBytes { raw in UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt64.self)) }
    }
}

extension OID {
    /// The id stored as 20 raw bytes at `offset` of `data`.
    init(bytes data: Data, at offset: Int) {
        self = data.withUnsafeBytes { OID(rawBytes: UnsafeRawBufferPointer(rebasing: $0[offset..<(offset + 20)])) }
    }

    /// The id whose 20 raw bytes are `bytes` (as trees and the commit-graph store them).
    init(rawBytes bytes: UnsafeRawBufferPointer) {
        var raw = git_oid()
        withUnsafeMutableBytes(of: &raw.id) { $0.copyMemory(from: bytes) }
        self.init(raw)
    }

    /// The id's first byte (the commit-graph fan-out's index).
    var firstByte: UInt8 { withUnsafeBytes(of: raw.id) { $0[0] } }

    /// memcmp order of this id against the 20 bytes at `offset` of `data`.
    func compare(toBytesOf data: Data, at offset: Int) -> Int32 {
        var mine = raw
        return withUnsafeBytes(of: &mine.id) { own in
            data.withUnsafeBytes { other in
                guard let a = own.baseAddress, let b = other.baseAddress else { return 0 }
                return memcmp(a, b + offset, 20)
            }
        }
    }
}
