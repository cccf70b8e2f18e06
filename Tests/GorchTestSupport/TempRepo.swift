import Foundation

/// A throwaway git repository (initial branch `main`) driven through the git CLI.
public final class TempRepo: Sendable {
    public let directory: TempDirectory
    public let bare: Bool
    /// The work tree, or the git dir itself for a bare repository.
    public var path: String { directory.path }

    public init(label: String, bare: Bool = false) throws {
        directory = try TempDirectory(label: label)
        self.bare = bare
        try Shell.git(["init", "-q", "-b", "main"] + (bare ? ["--bare"] : []), cwd: directory.path)
    }

    /// Runs git in the repository; returns stdout without its trailing newline.
    @discardableResult
    public func git(_ args: String...) throws -> String {
        try Shell.git(args, cwd: path)
    }

    @discardableResult
    public func git(_ args: [String]) throws -> String {
        try Shell.git(args, cwd: path)
    }

    /// The absolute path of a file in the work tree.
    public func absolute(_ relativePath: String) -> String {
        (path as NSString).appendingPathComponent(relativePath)
    }

    public func write(_ relativePath: String, _ content: String) {
        write(relativePath, data: Data(content.utf8))
    }

    /// Writes a regular file, creating parent directories and replacing a symlink rather than
    /// writing through it. Failing to write into our own temp dir is a broken machine, not a test result.
    public func write(_ relativePath: String, data: Data) {
        let full = absolute(relativePath)
        prepareParent(of: full)
        removeIfSymlink(full)
        // Non-atomic on purpose: rewriting in place keeps an existing file's mode (its executable bit).
        do {
            try data.write(to: URL(fileURLWithPath: full))
        } catch {
            fatalError("TempRepo.write: cannot write \(full): \(error)")
        }
    }

    /// Creates (or replaces) a symlink at `relativePath` pointing at `target` verbatim.
    public func symlink(_ relativePath: String, to target: String) {
        let full = absolute(relativePath)
        prepareParent(of: full)
        try? FileManager.default.removeItem(atPath: full)
        do {
            try FileManager.default.createSymbolicLink(atPath: full, withDestinationPath: target)
        } catch {
            fatalError("TempRepo.symlink: cannot create \(full): \(error)")
        }
    }

    /// Sets or clears the executable bits (0755 / 0644).
    public func setExecutable(_ relativePath: String, _ executable: Bool) {
        let full = absolute(relativePath)
        do {
            try FileManager.default.setAttributes([.posixPermissions: executable ? 0o755 : 0o644], ofItemAtPath: full)
        } catch {
            fatalError("TempRepo.setExecutable: \(full): \(error)")
        }
    }

    /// The file's bytes, or nil when absent.
    public func read(_ relativePath: String) -> Data? {
        FileManager.default.contents(atPath: absolute(relativePath))
    }

    /// Removes a file, symlink or whole directory; a missing path is not an error.
    public func remove(_ relativePath: String) {
        try? FileManager.default.removeItem(atPath: absolute(relativePath))
    }

    /// Stages everything (including deletions) and commits, even when nothing changed; returns the id.
    @discardableResult
    public func commitAll(_ message: String) throws -> String {
        try git("add", "-A")
        try git("commit", "-q", "--allow-empty", "-m", message)
        return try head()
    }

    public func head() throws -> String {
        try git("rev-parse", "HEAD")
    }

    private func prepareParent(of full: String) {
        let parent = (full as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            fatalError("TempRepo: cannot create directory \(parent): \(error)")
        }
    }

    private func removeIfSymlink(_ full: String) {
        if (try? FileManager.default.destinationOfSymbolicLink(atPath: full)) != nil {
            try? FileManager.default.removeItem(atPath: full)
        }
    }
}
