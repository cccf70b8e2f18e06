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
                #expect(OrtMergeState.dirsNextToChildren(path, other) == Self.dirsNextToChildren(path, other), "\(path) | \(other)")
            }
        }
    }

    @Test func directoriesSortNextToTheirChildren() {
        let sorted = ["a.b", "a/b", "a", "a-b", "a/b/c", "ab"].sorted(by: OrtMergeState.dirsNextToChildren)
        #expect(sorted == ["a-b", "a.b", "a", "a/b", "a/b/c", "ab"])
        #expect(joinPath("", "x") == "x")
        #expect(dirname("x") == "" && basename("x") == "x")
    }
}
