import Foundation
import Testing
import GorchCore
import GorchTestSupport

/// The task store's dates are written and read by hand (not ISO8601DateFormatter, which is slow):
/// they must keep the file format (UTC, milliseconds, `Z`) and read older or hand-edited forms.
@Suite(.timeLimit(.minutes(20))) struct TaskStoreDateTests {
    private func store(_ label: String = #function) throws -> (EmbeddedTaskStore, String, TempDirectory) {
        let directory = try TempDirectory(label: label)
        let paths = GorchPaths(commonDirectory: directory.path, mainWorkTree: nil)
        return (EmbeddedTaskStore(paths: paths), paths.tasks, directory)
    }

    @Test("dates round-trip at millisecond precision and are written as UTC with milliseconds")
    func roundTrip() throws {
        let (store, file, directory) = try store()
        _ = directory
        let dates: [(Double, String)] = [
            (1_700_000_000.123, "2023-11-14T22:13:20.123Z"),
            (0, "1970-01-01T00:00:00.000Z"),
            (951_782_400.5, "2000-02-29T00:00:00.500Z"),
            (4_102_444_799.999, "2099-12-31T23:59:59.999Z"),
            (-86_400.25, "1969-12-30T23:59:59.750Z"),
        ]
        for (index, (seconds, _)) in dates.enumerated() {
            try store.add(TaskRecord(id: try TaskID("t\(index)"), title: "t", createdAt: Date(timeIntervalSince1970: seconds)))
        }
        let text = try String(contentsOfFile: file, encoding: .utf8)
        for (index, (seconds, expected)) in dates.enumerated() {
            #expect(text.contains("\"createdAt\" : \"\(expected)\""), "\(expected) in \(text)")
            let read = try #require(try store.get(try TaskID("t\(index)")))
            #expect(read.createdAt.timeIntervalSince1970 == (seconds * 1000).rounded() / 1000)
        }
        // Rewriting what was read gives the same bytes: no drift from binary fractions.
        try store.update(try TaskID("t0")) { $0.title = "t" }
        #expect(try String(contentsOfFile: file, encoding: .utf8) == text)
    }

    @Test("older and hand-edited ISO-8601 forms still read", arguments: [
        ("2023-11-14T22:13:20Z", 1_700_000_000.0),
        ("2023-11-14T22:13:20.1Z", 1_700_000_000.1),
        ("2023-11-14T23:13:20.123+01:00", 1_700_000_000.123),
        ("2023-11-14T17:13:20-0500", 1_700_000_000.0),
    ])
    func lenientRead(text: String, seconds: Double) throws {
        let (store, file, directory) = try store("lenient-\(seconds)")
        _ = directory
        let json = """
            {"version": 1, "tasks": [{"id": "a", "title": "a", "state": "planned", "after": [], "createdAt": "\(text)"}]}
            """
        try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(json.utf8).write(to: URL(fileURLWithPath: file))
        let task = try #require(try store.get(try TaskID("a")))
        #expect(abs(task.createdAt.timeIntervalSince1970 - seconds) < 0.0005, "\(text)")
    }

    @Test("a date that is not ISO-8601 is an error naming the store")
    func unreadable() throws {
        let (store, file, directory) = try store()
        _ = directory
        let json = #"{"version": 1, "tasks": [{"id": "a", "title": "a", "state": "planned", "after": [], "createdAt": "yesterday"}]}"#
        try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(json.utf8).write(to: URL(fileURLWithPath: file))
        #expect { _ = try store.get(try TaskID("a")) } throws: { "\($0)".contains("tasks.json") }
    }
}
