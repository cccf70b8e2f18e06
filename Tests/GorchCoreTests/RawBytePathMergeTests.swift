import Foundation
import Testing
import GitKit
import GorchTestSupport

/// Names that are not valid UTF-8 (Latin-1 "caf\xe9" from old repositories, stray bytes) are
/// paths like any other to git. `String(cCString:)` turned their bytes into U+FFFD, so a merged
/// tree that rewrote such a name's directory wrote the name changed. Each scenario is merged by
/// git and by `OrtMerger` and compared byte for byte (UnicodePathMergeTests' check).
@Suite(.timeLimit(.minutes(20))) struct RawBytePathMergeTests {
    typealias Scenario = UnicodePathMergeTests.Scenario

    static func raw(_ bytes: [UInt8]) -> String { RawPath.decode(bytes) }
    /// Latin-1 "café" and its UTF-8 spelling: different bytes, one name to a person.
    static let latin1 = raw([0x63, 0x61, 0x66, 0xE9])
    static let utf8 = "caf\u{e9}"

    static let scenarios: [Scenario] = {
        let (latin1, utf8) = (Self.latin1, Self.utf8)
        let text = UnicodePathMergeTests.text
        let x: UnicodePathMergeTests.File = ("x", "base\n")
        return [
            Scenario(name: "Latin-1 and UTF-8 spellings added on each side", base: [x],
                     main: [x, (latin1, "latin-1\n")], side: [x, (utf8, "utf-8\n")], gitClean: true),
            Scenario(name: "a file in a Latin-1 directory edited while the side adds next to it",
                     base: [x, ("d\(latin1)/a.txt", text("a", nil, "edited"))],
                     main: [x, ("d\(latin1)/a.txt", text("a", 2, "edited"))],
                     side: [x, ("d\(latin1)/a.txt", text("a", nil, "edited")), ("d\(latin1)/b.txt", "b\n")], gitClean: true),
            Scenario(name: "modify/delete of a Latin-1 name",
                     base: [x, (latin1 + ".txt", text("a", nil, "edited"))],
                     main: [x, (latin1 + ".txt", text("a", 4, "edited"))],
                     side: [x], gitClean: false),
            Scenario(name: "Latin-1 file renamed, edited on the other side",
                     base: [x, (latin1 + ".txt", text("a", nil, "edited"))],
                     main: [x, ("moved/" + latin1 + ".txt", text("a", nil, "edited"))],
                     side: [x, (latin1 + ".txt", text("a", 8, "edited"))], gitClean: true),
            Scenario(name: "renamed to a Latin-1 name, conflicting edits (labels carry the bytes)",
                     base: [x, ("f.txt", text("f", nil, "edited"))],
                     main: [x, (latin1 + ".txt", text("f", 5, "ours"))],
                     side: [x, ("f.txt", text("f", 5, "theirs"))], gitClean: false),
            Scenario(name: "directory renamed to a Latin-1 name, a file added under the old",
                     base: [x, ("src/a.txt", text("a", nil, "edited")), ("src/b.txt", text("b", nil, "edited"))],
                     main: [x, (latin1 + "/a.txt", text("a", nil, "edited")), (latin1 + "/b.txt", text("b", nil, "edited"))],
                     side: [x, ("src/a.txt", text("a", nil, "edited")), ("src/b.txt", text("b", nil, "edited")), ("src/new.txt", "new\n")],
                     gitClean: false), // ort's default directoryRenames=conflict: a file location conflict
            Scenario(name: "directory/file conflict on a Latin-1 name", base: [x],
                     main: [x, (latin1, "file\n")], side: [x, (latin1 + "/inner", "inner\n")], gitClean: false),
            // Raw bytes sort by their value, not by their escape's UTF-8: 0xE9 after "é" (C3 A9),
            // a lone C3 before it, U+10FFFF's own bytes (escaped too) and a truncated F4.
            Scenario(name: "byte order of raw names in trees and conflicts", base: [x],
                     main: [x, (raw([0xE9]), "m\n"), (utf8, "m\n"), (raw([0xC3, 0x78]), "m\n"), ("z", "m\n"),
                            (raw([0xF4, 0x8F, 0xBF, 0xBF]), "m\n"), (raw([0xF4, 0x90]), "m\n"), (raw([0x80]) + "a", "m\n")],
                     side: [x, (raw([0xE9]), "s\n"), (utf8, "s\n"), (raw([0xC3, 0x78]), "s\n"), ("z", "s\n"),
                            (raw([0xF4, 0x8F, 0xBF, 0xBF]), "s\n"), (raw([0xF4, 0x90]), "s\n"), (raw([0x80]) + "b", "s\n")],
                     gitClean: false),
        ]
    }()

    @Test(arguments: Self.scenarios.indices)
    func agreesWithGitByteForByte(index: Int) throws {
        try UnicodePathMergeTests.checkAgainstGit(Self.scenarios[index])
    }

    /// The codec is one-to-one on every byte string, keeps valid UTF-8 as it is, and orders as
    /// strcmp does: 20,000 random names from a byte alphabet rich in edge cases.
    @Test func codecIsLosslessAndOrdersByBytes() {
        var rng = SplitMix64(seed: 9)
        let alphabet: [UInt8] = [0x61, 0x2F, 0x7F, 0x80, 0x8F, 0xBE, 0xBF, 0xC2, 0xC3, 0xA9, 0xE0, 0xED, 0xE9,
                                 0xEF, 0xF0, 0xF4, 0x90, 0xFF]
        var previous: (String, [UInt8]) = ("", [])
        for _ in 0..<20_000 {
            let bytes = (0..<Int(rng.next() % 7)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            let name = RawPath.decode(bytes)
            #expect(RawPath.bytes(name) == bytes, "round trip of \(bytes)")
            if let valid = String(validating: bytes, as: UTF8.self), !valid.unicodeScalars.contains(where: { $0.value >= 0x10FF80 }) {
                #expect(Array(name.utf8) == bytes, "valid UTF-8 kept as it is: \(bytes)")
            }
            RawPath.withCString(name) { #expect(Array(UnsafeBufferPointer(start: $0, count: strlen($0)).map { UInt8(bitPattern: $0) }) == bytes) }
            let expected = previous.1.lexicographicallyPrecedes(bytes) ? -1 : (previous.1 == bytes ? 0 : 1)
            #expect(RawPath.compare(previous.0, name).signum() == expected, "order of \(previous.1) and \(bytes)")
            previous = (name, bytes)
        }
    }
}
