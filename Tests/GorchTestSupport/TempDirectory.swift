import Foundation

/// A fresh directory under the system temp dir, removed when this object goes away.
public final class TempDirectory: Sendable {
    /// Absolute path with symlinks resolved (macOS's /var is /private/var), so it compares equal
    /// to paths git reports.
    public let path: String

    /// `parent`: where to make it (default: the system temp dir, TMPDIR).
    public init(label: String, parent: String? = nil) throws {
        let name = "gorch-\(TempDirectory.sanitise(label))-\(UUID().uuidString.prefix(8))"
        let raw = ((parent ?? NSTemporaryDirectory()) as NSString).appendingPathComponent(name)
        try FileManager.default.createDirectory(atPath: raw, withIntermediateDirectories: true)
        path = TempDirectory.realPath(raw)
    }

    deinit { remove() }

    /// Deletes the directory and everything in it; harmless to call twice.
    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Keeps letters, digits, `.`, `_` and `-` so any test name makes a valid, readable directory name.
    static func sanitise(_ label: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        let cleaned = String(label.map { allowed.contains($0) ? $0 : "-" }.prefix(48))
        return cleaned.isEmpty ? "tmp" : cleaned
    }

    static func realPath(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
