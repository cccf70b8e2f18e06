import Foundation
import GitKit

/// Files whose names are not UTF-8 (a Latin-1 "caf\xe9.txt"): the path's `RawPath` escapes are
/// written to the file system as the raw bytes, which Foundation's String paths cannot do.
public enum RawFiles {
    /// Writes `data` at `path` (absolute), creating missing parent directories.
    public static func write(_ path: String, _ data: Data) throws {
        let bytes = RawPath.bytes(path)
        for (index, byte) in bytes.enumerated() where byte == 0x2F && index > 0 {
            let parent = RawPath.decode(Array(bytes[..<index]))
            let rc = RawPath.withCString(parent) { mkdir($0, 0o755) }
            guard rc == 0 || errno == EEXIST else { throw posix("mkdir", parent) }
        }
        let fd = RawPath.withCString(path) { open($0, O_WRONLY | O_CREAT | O_TRUNC, 0o644) }
        guard fd >= 0 else { throw posix("open", path) }
        defer { close(fd) }
        let written = data.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        guard written == data.count else { throw posix("write", path) }
    }

    /// Whether a file exists at `path` (absolute, raw bytes as above).
    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return RawPath.withCString(path) { lstat($0, &info) } == 0
    }

    static func posix(_ call: String, _ path: String) -> ShellError {
        ShellError(command: [call, path], status: errno, stderr: String(cString: strerror(errno)), cwd: "/")
    }
}
