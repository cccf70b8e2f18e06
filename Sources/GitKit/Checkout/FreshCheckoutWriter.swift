internal import CLibGit2
import Dispatch
import Foundation

/// Writes a `FreshTree` into an empty directory with several threads and records each item's
/// stat data for the index. The work is file creation in the kernel, which scales with cores;
/// libgit2 only reads blobs. libgit2's threading rule is one `git_repository` per thread, so
/// every worker opens its own `Repository` on the common git dir.
///
/// Files are created as git's checkout creates them (entry.c): 0666 or 0777 before the umask,
/// symlinks with the blob as their target, an empty directory for a submodule.
final class FreshCheckoutWriter: @unchecked Sendable {
    // @unchecked: `items`, `root` and `gitDirectory` are read-only while workers run; each worker
    // writes only the slots of `stats` it claimed under `lock`, which also guards `unclaimed` and
    // `failure`.
    private let items: [FreshTree.Item]
    private let directories: [FreshTree.Directory]
    private let root: Int32
    private let gitDirectory: String
    private let source: CleanFileSource?
    private let stats: UnsafeMutableBufferPointer<stat>
    private let lock = NSLock()
    /// The items not yet claimed, per segment: two workers share a segment, one eating it from
    /// the front and one from the back, so they meet in the middle (balanced whatever each file
    /// costs) and work in different directories until then: two threads creating files in one
    /// directory queue on its lock in the kernel.
    private var unclaimed: [Range<Int>] = []
    private var failure: (any Error)?
    /// Files copied from `source` rather than written from their blobs, guarded by `lock`.
    private(set) var copied = 0
    /// The modification time every file gets once written: one second before the checkout
    /// began. git without nanosecond timestamps (Debian's build) takes an entry whose mtime is
    /// in the index file's second as "racily clean" and reads the file again on every command
    /// until the index is rewritten a second later; a fresh checkout writes its files and its
    /// index within one second, so the agent's first `git` command re-read all of them (a
    /// `git reset --hard` 0.53 s instead of 0.23 s on a 15,600-file tree). The date is set on
    /// the open file right after it is written and before its stat is recorded, and nothing
    /// else writes into a worktree being made, so any later change gives the file a newer mtime
    /// than the index records: nothing racy is hidden.
    private let settled: [timespec]

    /// UTIME_OMIT (a macro Swift does not import): leave the access time alone.
    #if canImport(Darwin)
    private static let omit = -2
    #else
    private static let omit = (1 << 30) - 2
    #endif

    /// Items a worker claims at a time: large enough to keep the lock cold, small enough that
    /// the two ends meet closely.
    private static let chunk = 32

    /// `root` is an open descriptor of the new, empty work tree; `gitDirectory` any git dir
    /// whose object database has the blobs; `source` the clean files of another checkout that
    /// may be copied instead of inflated.
    init(_ tree: FreshTree, root: Int32, gitDirectory: String, source: CleanFileSource? = nil) {
        items = tree.items
        directories = tree.directories
        self.root = root
        self.gitDirectory = gitDirectory
        self.source = source
        stats = .allocate(capacity: items.count)
        stats.initialize(repeating: stat())
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        settled = [timespec(tv_sec: 0, tv_nsec: Self.omit), timespec(tv_sec: now.tv_sec - 1, tv_nsec: now.tv_nsec)]
    }

    deinit { stats.deallocate() }

    /// Writes every item with `workers` threads; returns each item's stat data, in item order.
    func write(workers: Int) throws -> UnsafeBufferPointer<stat> {
        let count = max(1, min(workers, (items.count + Self.chunk - 1) / Self.chunk))
        let segments = (count + 1) / 2
        unclaimed = (0..<segments).map { items.count * $0 / segments ..< items.count * ($0 + 1) / segments }
        DispatchQueue.concurrentPerform(iterations: count) { worker in
            do { try work(worker) } catch { fail(error) }
        }
        if let failure { throw failure }
        return UnsafeBufferPointer(stats)
    }

    /// The next items for `worker`, from the front of its segment for an even worker, from the
    /// back (to be written last first) for an odd one; nil when the segment is done or a worker failed.
    private func claim(_ worker: Int) -> [Int]? {
        lock.lock()
        defer { lock.unlock() }
        let segment = worker / 2
        let left = unclaimed[segment]
        guard failure == nil, !left.isEmpty else { return nil }
        if worker % 2 == 0 {
            let end = min(left.upperBound, left.lowerBound + Self.chunk)
            unclaimed[segment] = end..<left.upperBound
            return Array(left.lowerBound..<end)
        }
        let start = max(left.lowerBound, left.upperBound - Self.chunk)
        unclaimed[segment] = left.lowerBound..<start
        return (start..<left.upperBound).reversed()
    }

    private func fail(_ error: any Error) {
        lock.lock()
        defer { lock.unlock() }
        if failure == nil { failure = error }
    }

    private func work(_ worker: Int) throws {
        let blobs = try BlobReader(repository: Repository.open(at: gitDirectory))
        var made = [Bool](repeating: false, count: directories.count)
        var copies = 0
        defer { lock.lock(); copied += copies; lock.unlock() }
        while let claimed = claim(worker) {
            for index in claimed {
                let item = items[index]
                try makeDirectory(item.directory, made: &made)
                try item.path.withUnsafeBufferPointer { path in
                    guard let path = path.baseAddress else { return }
                    if item.mode == GIT_FILEMODE_COMMIT.rawValue {
                        guard mkdirat(root, path, 0o777) == 0 else { throw Self.posix("mkdir", path) }
                        guard fstatat(root, path, &stats[index], AT_SYMLINK_NOFOLLOW) == 0 else { throw Self.posix("stat", path) }
                    } else if let source, let recorded = source.recorded[index] {
                        if try copy(item, from: source, recorded, blobs: blobs, at: path, stat: &stats[index]) { copies += 1 }
                    } else {
                        try blobs.withBlob(item.id, path: RawPath.decode(path)) { try write($0, item.mode, at: path, stat: &stats[index]) }
                    }
                }
            }
        }
    }

    private func write(_ content: UnsafeRawBufferPointer, _ mode: UInt32, at path: UnsafePointer<CChar>, stat: inout stat) throws {
        if mode == GIT_FILEMODE_LINK.rawValue {
            var target = [CChar](repeating: 0, count: content.count + 1)
            target.withUnsafeMutableBytes { $0.copyMemory(from: content) }
            guard symlinkat(target, root, path) == 0 else { throw Self.posix("symlink", path) }
            guard utimensat(root, path, settled, AT_SYMLINK_NOFOLLOW) == 0 else { throw Self.posix("utimensat", path) }
            guard fstatat(root, path, &stat, AT_SYMLINK_NOFOLLOW) == 0 else { throw Self.posix("stat", path) }
            return
        }
        let fd = try create(path, mode)
        defer { close(fd) }
        try fill(fd, content, path)
        try settle(fd, path)
        // Before close, as git does: the size and times the index records are the ones just made.
        guard fstat(fd, &stat) == 0 else { throw Self.posix("stat", path) }
    }

    /// Creates regular file `path` as git's checkout does: 0666 or 0777 before the umask.
    private func create(_ path: UnsafePointer<CChar>, _ mode: UInt32) throws -> Int32 {
        let permissions: mode_t = mode == GIT_FILEMODE_BLOB_EXECUTABLE.rawValue ? 0o777 : 0o666
        let fd = openat(root, path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, permissions)
        guard fd >= 0 else { throw Self.posix("open", path) }
        return fd
    }

    private func fill(_ fd: Int32, _ content: UnsafeRawBufferPointer, _ path: UnsafePointer<CChar>) throws {
        var written = 0
        while written < content.count, let base = content.baseAddress {
            let n = systemWrite(fd, base + written, content.count - written)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw Self.posix("write", path) }
            written += n
        }
    }

    /// Writes regular file `item` by copying the source checkout's file at the same path when
    /// that file still shows what the source index recorded and is the blob's size, checked on
    /// the open file before and after the copy (`CleanFileSource`); otherwise, or when the copy
    /// fails, from the blob. Returns true when the bytes were copied.
    private func copy(_ item: FreshTree.Item, from source: CleanFileSource, _ recorded: IndexStat, blobs: BlobReader,
                      at path: UnsafePointer<CChar>, stat result: inout stat) throws -> Bool {
        let input = openat(source.root, path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        defer { if input >= 0 { close(input) } }
        var before = stat()
        guard input >= 0, fstat(input, &before) == 0, (before.st_mode & S_IFMT) == S_IFREG, recorded.matches(before, device: true),
              let size = blobs.size(of: item.id), size == Int(before.st_size) else {
            try blobs.withBlob(item.id, path: RawPath.decode(path)) { try write($0, item.mode, at: path, stat: &result) }
            return false
        }
        let output = try create(path, item.mode)
        defer { close(output) }
        var done = 0
        while done < size {
            let n = gorch_copy_file_range(input, output, size - done)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            done += n
        }
        var after = stat()
        let copied = done == size && fstat(input, &after) == 0 && after.isUnchanged(since: before)
        if !copied {
            // Changed under the copy, or the copy failed: the blob's bytes instead.
            guard ftruncate(output, 0) == 0, lseek(output, 0, SEEK_SET) == 0 else { throw Self.posix("truncate", path) }
            try blobs.withBlob(item.id, path: RawPath.decode(path)) { try fill(output, $0, path) }
        }
        try settle(output, path)
        guard fstat(output, &result) == 0 else { throw Self.posix("stat", path) }
        return copied
    }

    /// Dates the file just written on `fd` to `settled`.
    private func settle(_ fd: Int32, _ path: UnsafePointer<CChar>) throws {
        guard futimens(fd, settled) == 0 else { throw Self.posix("futimens", path) }
    }

    /// Creates directory `index` (and any missing parents) unless this worker already did.
    /// Another worker may make the same directory at the same moment, so "exists" is success: in
    /// a fresh work tree only this checkout creates anything, and a tree never holds a file and
    /// a directory of one name.
    private func makeDirectory(_ index: Int, made: inout [Bool]) throws {
        guard index >= 0, !made[index] else { return }
        let directory = directories[index]
        var rc = mkdirat(root, directory.path, 0o777)
        if rc != 0 && errno == ENOENT && directory.parent >= 0 {
            try makeDirectory(directory.parent, made: &made)
            rc = mkdirat(root, directory.path, 0o777)
        }
        guard rc == 0 || errno == EEXIST else {
            let code = errno
            throw WorktreeAdmin.posix("mkdir", String(decoding: directory.path.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self), code)
        }
        made[index] = true
    }

    private static func posix(_ call: String, _ path: UnsafePointer<CChar>) -> GitError {
        let code = errno
        return GitError(code: code == EEXIST ? .exists : .other(-1), function: call,
                        message: "cannot \(call) \(String(cString: path)) in the new worktree: \(String(cString: strerror(code)))")
    }
}
