import GitKit
@testable import GorchCore
import Testing

/// `status` builds each pair's verdict-cache key from fields escaped once per task: it must be
/// the very key `ConflictPredictor` stores under, or status would never hit what it wrote.
@Suite(.timeLimit(.minutes(20))) struct VerdictCacheKeyTests {
    @Test("a key from escaped fields is the key from the commits and labels", arguments: [
        ("task/t1", "task/t2"), ("main", "with space"), ("100%", "tab\there"), ("new\nline", "cr\rlabel"), ("", "%20 already"),
    ])
    func escapedFieldsGiveTheSameKey(labels: (String, String)) throws {
        let ours = try #require(OID(hex: String(repeating: "ab", count: 20)))
        let theirs = try #require(OID(hex: String(repeating: "0f", count: 20)))
        for settings in ["ort5 renames=true limit=7000", "odd % settings"] {
            let whole = VerdictCache.Key(ours: ours, theirs: theirs, ourLabel: labels.0, theirLabel: labels.1, settings: settings)
            let parts = VerdictCache.Key(escapedSettings: VerdictCache.escape(settings), ours: VerdictCache.escape(ours.hex),
                                         theirs: VerdictCache.escape(theirs.hex), ourLabel: VerdictCache.escape(labels.0),
                                         theirLabel: VerdictCache.escape(labels.1))
            #expect(parts.text == whole.text)
        }
    }
}
