import Testing
@testable import GitKit
import GorchTestSupport

/// The engine's byte-level path helpers (split, join, last-component and directory-order
/// comparisons) against plain byte-array references, on random paths mixing ASCII, NFC and NFD
/// accents, emoji and names that are not UTF-8 (RawPath escapes).
@Suite(.timeLimit(.minutes(20))) struct PathBytesTests {
    static let components: [String] = [
        "a", "b", "src", "README.md", "caf\u{e9}", "cafe\u{301}", "\u{1F600}x", "a.b", "a-b", "a~b", "",
        RawPath.decode([0x66, 0xFF, 0x6F]), RawPath.decode([0xC3, 0x28]), "long-directory-name-beyond-small-strings",
    ]

    static func randomPath(_ rng: inout SplitMix64) -> String {
        let depth = 1 + Int(rng.next() % 4)
        let parts = (0..<depth).map { _ in components[Int(rng.next() % UInt64(components.count - 1))] }
        return parts.map { $0.isEmpty ? "x" : $0 }.joined(separator: "/")
    }

    /// Reference split at the last "/" of the UTF-8 bytes.
    static func split(_ path: String) -> (dir: [UInt8], base: [UInt8]) {
        let bytes = Array(path.utf8)
        guard let slash = bytes.lastIndex(of: 0x2F) else { return ([], bytes) }
        return (Array(bytes[..<slash]), Array(bytes[(slash + 1)...]))
    }

    /// sort_dirs_next_to_their_children() as the engine first wrote it, over UTF-8 iterators.
    static func dirsNextToChildren(_ one: String, _ two: String) -> Bool {
        var a = one.utf8.makeIterator(), b = two.utf8.makeIterator()
        while true {
            let x = a.next(), y = b.next()
            if let x, let y, x == y { continue }
            let c1 = x ?? 0x2F, c2 = y ?? 0x2F
            if c1 == c2 { return x == nil }
            return c1 < c2
        }
    }

    @Test func splitJoinAndCompareAgreeWithBytes() {
        var rng = SplitMix64(seed: 11)
        for _ in 0..<5_000 {
            let path = Self.randomPath(&rng), other = Self.randomPath(&rng)
            let (dir, base) = Self.split(path)
            #expect(Array(dirname(path).utf8) == dir, "\(path)")
            #expect(Array(basename(path).utf8) == base, "\(path)")
            #expect(lastSlash(path) == Array(path.utf8).lastIndex(of: 0x2F), "\(path)")
            #expect(Array(joinPath(dirname(path), basename(path)).utf8) == Array(path.utf8) || dir.isEmpty, "\(path)")
            #expect(Array(joinPath(path, basename(other)).utf8) == Array(path.utf8) + [0x2F] + Self.split(other).base)
            #expect(sameLastComponent(path, other) == (base == Self.split(other).base), "\(path) | \(other)")
            #expect(sameLastComponent(path, basename(path)), "\(path)")
            if !bytesEqual(path, other) {
                var keys = ByteKeys(capacity: 2)
                keys.append(path.utf8, terminator: 0x2F)
                keys.append(other.utf8, terminator: 0x2F)
                #expect((keys.sortedOrder() == [0, 1]) == Self.dirsNextToChildren(path, other), "\(path) | \(other)")
            }
        }
    }

    /// git's tree order as libgit2 and git compare entries: raw bytes, a directory as its name
    /// plus "/".
    static func treeOrder(_ a: (name: String, tree: Bool), _ b: (name: String, tree: Bool)) -> Bool {
        let x = RawPath.bytes(a.name) + (a.tree ? [0x2F] : []), y = RawPath.bytes(b.name) + (b.tree ? [0x2F] : [])
        return x.lexicographicallyPrecedes(y)
    }

    @Test func byteKeysSortAsTheReferenceOrders() {
        var rng = SplitMix64(seed: 12)
        for _ in 0..<300 {
            let count = Int(rng.next() % 40)
            var paths: [String] = []
            while paths.count < count {
                let path = Self.randomPath(&rng)
                if !paths.contains(where: { bytesEqual($0, path) }) { paths.append(path) }
            }
            var keys = ByteKeys(capacity: paths.count)
            for path in paths { keys.append(path.utf8, terminator: 0x2F) }
            #expect(keys.sortedOrder().map { paths[$0] } == paths.sorted(by: Self.dirsNextToChildren))
            // Tree entries: one directory's names, some of them directories.
            let names = Array(Set(paths.map { basename($0) }))
            let entries = names.map { (name: $0, tree: rng.next() % 2 == 0) }
            var treeKeys = ByteKeys(capacity: entries.count)
            for entry in entries { treeKeys.append(RawPath.bytes(entry.name), terminator: entry.tree ? 0x2F : nil) }
            #expect(treeKeys.sortedOrder().map { entries[$0].name } == entries.sorted(by: Self.treeOrder).map(\.name))
        }
        var empty = ByteKeys(capacity: 2)
        empty.append([UInt8]())
        empty.append([UInt8]())
        #expect(empty.sortedOrder() == [0, 1])
    }

    @Test func directoriesSortNextToTheirChildren() {
        let sorted = ["a.b", "a/b", "a", "a-b", "a/b/c", "ab"].sorted(by: Self.dirsNextToChildren)
        #expect(sorted == ["a-b", "a.b", "a", "a/b", "a/b/c", "ab"])
        #expect(joinPath("", "x") == "x")
        #expect(dirname("x") == "" && basename("x") == "x")
    }
}
