import GorchCore
import Testing

/// Legacy Beads issues.jsonl merged by issue id.
@Suite(.timeLimit(.minutes(20))) struct ResolutionJSONLTests {
    private static func issue(_ id: String, _ title: String, _ updated: String = "2024-01-01T00:00:00Z") -> String {
        #"{"id":"\#(id)","title":"\#(title)","status":"open","updated_at":"\#(updated)"}"#
    }

    private func resolve(_ base: [String], _ ours: [String], _ theirs: [String]) -> String? {
        func text(_ lines: [String]) -> [UInt8] { Array(lines.map { $0 + "\n" }.joined().utf8) }
        return JSONLMerge.resolve(base: text(base), ours: text(ours), theirs: text(theirs))
            .map { String(decoding: $0, as: UTF8.self) }
    }

    private func lines(_ items: String...) -> String { items.map { $0 + "\n" }.joined() }

    let a = issue("bd-1", "a"), b = issue("bd-2", "b"), c = issue("bd-3", "c")

    @Test func addsOnBothSidesKeepOursOrderThenTheirsNewIds() {
        let d = Self.issue("bd-4", "d"), e = Self.issue("bd-5", "e")
        #expect(resolve([a], [a, d], [a, e, c]) == lines(a, d, e, c))
    }

    @Test func sameRecordAddedOnBothSidesAppearsOnce() {
        #expect(resolve([a], [a, b], [b, a]) == lines(a, b))
    }

    @Test func bothChangedNewerUpdatedAtWins() {
        let ours = Self.issue("bd-1", "ours", "2024-03-01T10:00:00Z")
        let theirs = Self.issue("bd-1", "theirs", "2024-03-01T10:00:01Z")
        #expect(resolve([a, b], [ours, b], [theirs, b]) == lines(theirs, b))
        #expect(resolve([a, b], [theirs, b], [ours, b]) == lines(theirs, b))
    }

    @Test func timestampsCompareAsInstantsNotText() {
        // 12:00+02:00 is 10:00Z, earlier than 11:00Z although it sorts later as text.
        let ours = Self.issue("bd-1", "ours", "2024-03-01T12:00:00+02:00")
        let theirs = Self.issue("bd-1", "theirs", "2024-03-01T11:00:00Z")
        #expect(resolve([a], [ours], [theirs]) == lines(theirs))
        // Fractions of any length: .5 is later than .123456789.
        let o2 = Self.issue("bd-1", "ours", "2024-03-01T11:00:00.123456789Z")
        let t2 = Self.issue("bd-1", "theirs", "2024-03-01T11:00:00.5Z")
        #expect(resolve([a], [o2], [t2]) == lines(t2))
        let o3 = Self.issue("bd-1", "ours", "2024-03-01T11:00:00.9-00:30")
        let t3 = Self.issue("bd-1", "theirs", "2024-03-01T11:30:00.8Z")
        #expect(resolve([a], [o3], [t3]) == lines(o3))
    }

    @Test func equalOrUnparsableTimestampsKeepOurs() {
        let ours = Self.issue("bd-1", "ours", "2024-03-01T10:00:00Z")
        let theirs = Self.issue("bd-1", "theirs", "2024-03-01T10:00:00Z")
        #expect(resolve([a], [ours], [theirs]) == lines(ours))
        let bad = Self.issue("bd-1", "theirs", "yesterday")
        #expect(resolve([a], [ours], [bad]) == lines(ours))
        let missing = #"{"id":"bd-1","title":"theirs, no date"}"#
        #expect(resolve([a], [ours], [missing]) == lines(ours))
    }

    /// Changed on one side only: that side, whatever the timestamps say (as a clean merge would).
    @Test func changedOnOneSideTakesThatSide() {
        let theirs = Self.issue("bd-1", "theirs", "2020-01-01T00:00:00Z")
        #expect(resolve([a, b], [a, b], [theirs, b]) == lines(theirs, b))
        #expect(resolve([a, b], [theirs, b], [a, b]) == lines(theirs, b))
    }

    @Test func deletedOnOneSideUnchangedOnTheOtherStaysDeleted() {
        #expect(resolve([a, b, c], [a, c], [a, b, c]) == lines(a, c))
        #expect(resolve([a, b, c], [a, b, c], [a, c]) == lines(a, c))
        #expect(resolve([a, b], [a], [a]) == lines(a))
    }

    @Test func deletedOnOneSideModifiedOnTheOtherKeepsTheModifiedRecord() {
        let b2 = Self.issue("bd-2", "b edited", "2024-02-01T00:00:00Z")
        #expect(resolve([a, b, c], [a, c], [a, b2, c]) == lines(a, c, b2))
        #expect(resolve([a, b, c], [a, b2, c], [a, c]) == lines(a, b2, c))
    }

    @Test func everythingDeletedIsEmpty() {
        #expect(resolve([a], [], []) == "")
    }

    @Test func linesAreKeptByteForByte() {
        let spaced = #"{ "id" : "bd-9",  "title":"spacing \u00e9 kept" ,"updated_at":"2024-01-01T00:00:00Z"}"#
        #expect(resolve([], [spaced], [a]) == lines(spaced, a))
    }

    @Test func missingFinalNewlineAndBlankLinesAreTolerated() {
        let ours = Array((a + "\n\n" + b).utf8), theirs = Array((a + "\n" + c + "\n").utf8)
        let merged = JSONLMerge.resolve(base: Array(a.utf8), ours: ours, theirs: theirs)
        #expect(merged.map { String(decoding: $0, as: UTF8.self) } == lines(a, b, c))
    }

    @Test func aSideRepeatingAnIdKeepsOneRecordTheNewest() {
        let older = Self.issue("bd-1", "older", "2024-01-01T00:00:00Z")
        let newer = Self.issue("bd-1", "newer", "2024-06-01T00:00:00Z")
        let merged = resolve([], [older, b, newer], [c])
        #expect(merged == lines(newer, b, c))
    }

    @Test(arguments: [
        "not json",
        "[1, 2, 3]",
        #"{"title":"no id"}"#,
        #"{"id":42,"title":"numeric id"}"#,
        #"{"id":"bd-1","title":"truncated"#,
        "\"a string\"",
    ])
    func badLinesMakeItComplex(_ bad: String) {
        #expect(resolve([a], [a, bad], [a]) == nil)
        #expect(resolve([a], [a], [bad]) == nil)
        #expect(resolve([bad], [a], [a]) == nil)
    }
}
