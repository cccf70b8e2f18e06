/// The stamp that tells a skill file gorch wrote (and nobody edited since) from one a person or
/// agent changed.
///
/// A YAML comment in the front matter carries a digest of the rest of the file. When the file
/// minus that line still hashes to it, the file is exactly what some gorch version wrote, so a
/// newer gorch may replace it; any edit (or a missing stamp) makes it the user's file, kept unless
/// `--force`. FNV-1a 64 is enough: this detects edits, it does not resist forgery.
enum SkillStamp {
    static let prefix = "# gorch skills install: fnv1a64="

    static func line(_ digest: String) -> String {
        "\(prefix)\(digest) (gorch replaces this file only while the digest matches; edits are kept)"
    }

    /// The digest of `text`, as 16 lowercase hex digits.
    static func digest(of text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Whether `text` is a file gorch wrote and nobody changed: it has exactly one stamp line and
    /// the text without that line hashes to the stamp's digest.
    static func isPristine(_ text: String) -> Bool {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let stamps = lines.indices.filter { lines[$0].hasPrefix(prefix) }
        guard stamps.count == 1, let index = stamps.first else { return false }
        let recorded = lines[index].dropFirst(prefix.count).prefix(16)
        var rest = lines
        rest.remove(at: index)
        return digest(of: rest.joined(separator: "\n")) == String(recorded)
    }
}
