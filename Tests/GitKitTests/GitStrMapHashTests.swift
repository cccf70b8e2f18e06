import Testing
@testable import GitKit

/// git's strmap order follows FNV-1 over a key's bytes (hashmap.c strhash); for a name that is
/// not UTF-8 those are its raw bytes, not the RawPath escapes that carry them.
@Suite(.timeLimit(.minutes(20))) struct GitStrMapHashTests {
    static func fnv1(_ bytes: [UInt8]) -> UInt32 {
        bytes.reduce(0x811c9dc5 as UInt32) { ($0 &* 0x01000193) ^ UInt32($1) }
    }

    @Test(arguments: [Array("io".utf8) + [0xE9], Array("caf\u{e9}".utf8), Array("a/b".utf8), [0xF4, 0x8F, 0xBF, 0xBF], []])
    func hashesGitsBytes(bytes: [UInt8]) {
        #expect(GitStrMap<Int>.strhash(RawPath.decode(bytes)) == Self.fnv1(bytes))
    }
}
