import Foundation
import Testing
import GorchCore
import GorchTestSupport

/// The embedded store keeps the last list it read or wrote in memory while the file is unchanged;
/// a change by anyone else must be seen on the next read.
@Suite(.timeLimit(.minutes(20))) struct TaskStoreCacheTests {
    @Test("another writer's replacement and an in-place edit of the same size are both read")
    func seesOtherWriters() throws {
        let directory = try TempDirectory(label: #function)
        let paths = GorchPaths(commonDirectory: directory.path, mainWorkTree: nil)
        let store = EmbeddedTaskStore(paths: paths)
        try store.add(TaskRecord(id: try TaskID("a"), title: "aaaa"))
        #expect(try store.get(try TaskID("a"))?.title == "aaaa")

        // Another process: its own store object, its own atomic rename.
        let other = EmbeddedTaskStore(paths: paths)
        try other.update(try TaskID("a")) { $0.title = "bbbb" }
        #expect(try store.get(try TaskID("a"))?.title == "bbbb")

        // A hand edit in place, same length.
        let text = try String(contentsOfFile: paths.tasks, encoding: .utf8)
        let handle = try #require(FileHandle(forWritingAtPath: paths.tasks))
        try handle.write(contentsOf: Data(text.replacingOccurrences(of: "bbbb", with: "cccc").utf8))
        try handle.close()
        #expect(try store.get(try TaskID("a"))?.title == "cccc")
        #expect(try store.list().count == 1)
    }
}
