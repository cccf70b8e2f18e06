import Foundation

/// Whole-file writes that a crash can never leave half done: write a sibling temp file, fsync,
/// rename over the target.
enum AtomicFile {
    static func write(_ data: Data, to path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let temporary = path + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: data) else {
            throw GorchFailure(.environment, "cannot write \(temporary)", hint: "check that \(directory) is writable and the disk is not full")
        }
        if let handle = FileHandle(forWritingAtPath: temporary) {
            try? handle.synchronize()
            try? handle.close()
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw GorchFailure(.environment, "cannot replace \(path): \(reason)", hint: "check that \(directory) is writable")
        }
    }

    static func remove(_ path: String) {
        unlink(path)
    }
}
