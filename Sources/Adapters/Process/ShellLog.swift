import Foundation

/// The log file a shell command appends to: a header line, the child's stdout and stderr
/// written straight through the descriptor (never through this process's memory), a footer.
final class ShellLog {
    /// `O_RDWR` to read the tail back, `O_APPEND` so stdout and stderr interleave in order,
    /// `O_CLOEXEC` so children spawned concurrently elsewhere never inherit it.
    let descriptor: Int32
    let path: String
    /// Where the child's output starts (just after the header).
    private(set) var outputStart: Int64 = 0

    private init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    deinit { close(descriptor) }

    /// Creates the file and its parent directories as needed. Logs hold whatever a command
    /// printed (its environment, say), so they are the user's alone: the file 0600 (an existing
    /// one is brought to it), new directories 0700, as gorch's state (GorchCore's PrivateState).
    static func open(_ path: String, command: String) throws -> ShellLog {
        func failure(_ cause: String) -> ShellCommandError {
            ShellCommandError(reason: .logNotWritable, path: path, command: command, cause: cause)
        }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
            } catch {
                throw failure("cannot create \(parent): \(error.localizedDescription)")
            }
        }
        let fd = Foundation.open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw failure(Errors.text(errno)) }
        _ = fchmod(fd, 0o600)
        return ShellLog(descriptor: fd, path: path)
    }

    /// `== 2025-06-01T12:00:00Z $ make test (in /repo/.git/gorch/validate)`
    func writeHeader(command: String, workingDirectory: String, at date: Date) throws {
        let time = date.formatted(.iso8601)
        var prefix = ""
        if let last = lastByte(), last != UInt8(ascii: "\n") { prefix = "\n" }   // a previous run cut short
        guard write(prefix + "== \(time) $ \(command) (in \(workingDirectory))\n") else {
            throw ShellCommandError(reason: .logNotWritable, path: path, command: command, cause: Errors.text(errno))
        }
        outputStart = size()
    }

    /// Best effort: the outcome matters more than a footer on a full disk.
    func writeFooter(_ line: String) {
        let needsNewline = size() > outputStart && lastByte() != UInt8(ascii: "\n")
        _ = write((needsNewline ? "\n" : "") + "== \(line)\n")
    }

    /// The last `limit` bytes of the child's output so far, and whether they start mid-output.
    func outputTail(limit: Int) -> (bytes: [UInt8], isCut: Bool) {
        let end = size()
        let start = max(outputStart, end - Int64(limit))
        guard end > start else { return ([], false) }
        var bytes = [UInt8](repeating: 0, count: Int(end - start))
        let count = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, off_t(start)) }
        return (Array(bytes.prefix(max(count, 0))), start > outputStart)
    }

    private func size() -> Int64 {
        var info = stat()
        return fstat(descriptor, &info) == 0 ? Int64(info.st_size) : 0
    }

    private func lastByte() -> UInt8? {
        let end = size()
        guard end > 0 else { return nil }
        var byte: UInt8 = 0
        return pread(descriptor, &byte, 1, off_t(end - 1)) == 1 ? byte : nil
    }

    private func write(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            bytes = bytes.dropFirst(written)
        }
        return true
    }
}

enum Errors {
    static func text(_ code: Int32) -> String { String(cString: strerror(code)) }
}
