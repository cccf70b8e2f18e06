import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file writes that a crash can never leave half done: write a sibling temp file, rename
/// it over the target. A killed process (SIGKILL, the reliability contract's case) leaves either
/// the old or the new file, since the page cache outlives it.
///
/// `durable: true` also fsyncs the file before the rename and the directory after it, so the new
/// content survives a power loss too. That costs a disk flush, so only writes that must be on disk
/// before something else happens ask for it (the merge journal just before the target ref moves);
/// bookkeeping files (task store, reservations, ports) are rewritten on the next run if lost.
///
/// Files are gorch's private state (0600, PrivateState) unless the caller says `.ordinary`: a
/// file outside `.git/gorch` that other tools read (info/exclude, skill files), 0644 under the umask.
enum AtomicFile {
    enum Access { case privateState, ordinary }

    static func write(_ data: Data, to path: String, durable: Bool = false, access: Access = .privateState) throws {
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = path + ".tmp-\(getpid())"
        let flags = O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC
        var descriptor: Int32
        switch access {
        case .privateState:
            descriptor = PrivateState.open(temporary, flags)
        case .ordinary:
            descriptor = open(temporary, flags, 0o644)
            if descriptor < 0 && errno == ENOENT {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                descriptor = open(temporary, flags, 0o644)
            }
        }
        guard descriptor >= 0 else { throw failure("cannot write \(temporary)", directory) }
        let written = writeAll(descriptor, data)
        let synced = !durable || fsync(descriptor) == 0
        close(descriptor)
        guard written, synced else {
            let error = failure("cannot write \(temporary)", directory)
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw GorchFailure(.environment, "cannot replace \(path): \(reason)", hint: "check that \(directory) is writable")
        }
        if durable { syncDirectory(directory) }
    }

    static func remove(_ path: String) {
        unlink(path)
    }

    /// Makes a rename in `directory` durable. Best effort: some file systems refuse fsync on a
    /// directory, and the file's own content is already on disk.
    private static func syncDirectory(_ directory: String) {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    private static func failure(_ what: String, _ directory: String) -> GorchFailure {
        GorchFailure(.environment, "\(what): \(String(cString: strerror(errno)))",
                     hint: "check that \(directory) is writable and the disk is not full")
    }
}

/// write(2) until all of `data` is out; false on an error (errno says which).
func writeAll(_ descriptor: Int32, _ data: Data) -> Bool {
    data.withUnsafeBytes { buffer -> Bool in
        guard let base = buffer.baseAddress else { return true }
        var offset = 0
        while offset < buffer.count {
            let count = write(descriptor, base + offset, buffer.count - offset)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return false }
            offset += count
        }
        return true
    }
}
