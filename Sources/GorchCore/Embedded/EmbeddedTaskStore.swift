import Foundation
import Synchronization

/// Tasks in `.git/gorch/tasks.json`, for repositories without Beads (DESIGN.md principle 3).
///
/// Every change is read-modify-write under an flock on `tasks.lock` and lands by atomic rename,
/// so concurrent gorch processes (four `start`s at once) never lose each other's updates.
///
/// The last file read or written stays decoded in memory with its stamp (inode, size, change
/// times): a read whose `stat` shows the same stamp skips the JSON decoding, which a merge run
/// otherwise paid twice per task. Another process's write replaces the file (new inode), and a
/// hand edit changes its times, so either is read afresh.
public final class EmbeddedTaskStore: TaskStore {
    public let kind = "embedded"
    private let paths: GorchPaths
    private let file: String
    private let lockFile: String
    private let cache = Mutex<Snapshot?>(nil)

    private struct Snapshot: Sendable {
        let stamp: FileStamp
        let tasks: [TaskRecord]
    }

    private struct File: Codable {
        var version: Int
        var tasks: [TaskRecord]
    }

    /// The store in `.git/gorch/<file>` (tasks.json by default; Beads mode keeps gorch's side
    /// records in another file).
    public init(paths: GorchPaths, file: String = "tasks.json") {
        self.paths = paths
        self.file = (paths.root as NSString).appendingPathComponent(file)
        lockFile = self.file.replacingOccurrences(of: ".json", with: "") + ".lock"
    }

    public func prepare() throws -> Bool {
        guard !FileManager.default.fileExists(atPath: file) else { return false }
        try mutate { _ in }
        return true
    }

    public func list() throws -> [TaskRecord] {
        try read()
    }

    public func get(_ id: TaskID) throws -> TaskRecord? {
        try read().first { $0.id == id }
    }

    public func add(_ task: TaskRecord) throws {
        try mutate { tasks in
            if tasks.contains(where: { $0.id == task.id }) {
                throw GorchFailure(.usage, "task \(task.id) already exists",
                                   hint: "pick another id, or see it with `gorch status`")
            }
            tasks.append(task)
        }
    }

    @discardableResult
    public func update(_ id: TaskID, _ change: (inout TaskRecord) throws -> Void) throws -> TaskRecord {
        try mutate { tasks in
            guard let index = tasks.firstIndex(where: { $0.id == id }) else {
                throw GorchFailure(.usage, "no task \(id)", hint: "list tasks with `gorch status`, or create one with `gorch add \(id)`")
            }
            try change(&tasks[index])
            return tasks[index]
        }
    }

    @discardableResult
    public func upsert(_ id: TaskID, create: () -> TaskRecord, _ change: (inout TaskRecord) throws -> Void) throws -> TaskRecord {
        try mutate { tasks in
            if let index = tasks.firstIndex(where: { $0.id == id }) {
                try change(&tasks[index])
                return tasks[index]
            }
            var task = create()
            try change(&task)
            tasks.append(task)
            return task
        }
    }

    private func mutate<T>(_ body: (inout [TaskRecord]) throws -> T) throws -> T {
        try FileLock.withLock(at: lockFile, what: "the task store") {
            var tasks = try read()
            let result = try body(&tasks)
            let data = try StoreJSON.encoder().encode(File(version: 1, tasks: tasks))
            try AtomicFile.write(data, to: file)
            // Still under the lock: no other writer can have replaced the file since.
            let written = FileStamp(path: file)
            cache.withLock { $0 = written.map { Snapshot(stamp: $0, tasks: tasks) } }
            return result
        }
    }

    private func read() throws -> [TaskRecord] {
        guard let current = FileStamp(path: file) else { return [] }
        if let hit = cache.withLock({ $0?.stamp == current ? $0?.tasks : nil }) { return hit }
        // The stamp kept is the one of the bytes decoded (fstat of the descriptor read), so a
        // file replaced in between is never cached under the wrong stamp.
        guard let (stamp, data) = FileStamp.read(file) else { return [] }
        do {
            let tasks = try StoreJSON.decoder().decode(File.self, from: data).tasks
            cache.withLock { $0 = Snapshot(stamp: stamp, tasks: tasks) }
            return tasks
        } catch {
            throw GorchFailure(.environment, "the task store \(file) is unreadable: \(error)",
                               hint: "restore it from a backup, or move it aside to start with an empty task list")
        }
    }
}
