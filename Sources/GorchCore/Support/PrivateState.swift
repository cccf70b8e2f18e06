import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `.git/gorch` is private to the user: the directory and every directory gorch makes under it
/// are 0700, every file gorch writes there 0600. Task titles, logs (which hold what validation
/// steps and agents printed, environment included), the journal and ports are nobody else's
/// business on a shared machine. Every writer under GorchPaths goes through this (AtomicFile,
/// FileLock, appends); Adapters' logs and bd lock use the same modes (ShellLog, BeadsLock).
///
/// Modes are given explicitly rather than by a process-wide umask: the same process checks out
/// worktrees, whose files must keep git's normal modes.
///
/// Exceptions, on purpose: the validation worktree's checkout (`validate/`, git's modes) and
/// the hook backups (`hooks-backup/`, which keep the hook's own mode for uninstall to restore);
/// both sit inside the 0700 directory, so only the user can reach them.
enum PrivateState {
    static let directoryMode: mode_t = 0o700
    static let fileMode: mode_t = 0o600

    /// Creates `path` and any missing parents as 0700 (existing directories are left alone).
    static func createDirectory(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: Int(directoryMode)])
    }

    /// open(2) with O_CREAT for a file under `.git/gorch`: created 0600 (its parent directories
    /// 0700 when missing); an existing file written by an older gorch is brought to 0600.
    /// Returns -1 with errno set on failure, like open(2).
    static func open(_ path: String, _ flags: Int32) -> Int32 {
        var descriptor = Foundation.open(path, flags | O_CREAT | O_CLOEXEC, fileMode)
        if descriptor < 0 && errno == ENOENT {
            try? createDirectory((path as NSString).deletingLastPathComponent)
            descriptor = Foundation.open(path, flags | O_CREAT | O_CLOEXEC, fileMode)
        }
        if descriptor >= 0 { restrict(descriptor) }
        return descriptor
    }

    /// Brings an open file to 0600 if it is not (a file made before gorch tightened its state,
    /// or one a tool such as bd wrote there with its own mode).
    static func restrict(_ descriptor: Int32) {
        var info = stat()
        if fstat(descriptor, &info) == 0, info.st_mode & 0o777 != fileMode { _ = fchmod(descriptor, fileMode) }
    }

    /// `restrict` for a file by path (best effort: a missing file is fine).
    static func restrict(file path: String) {
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & 0o777 != fileMode { _ = chmod(path, fileMode) }
    }

    /// Tightens `.git/gorch` itself to 0700 when an older gorch (or a umask) left it open to
    /// others: done whenever a command opens the repository, so existing repositories become
    /// private on their next run. Best effort (someone else's read-only repository stays as it is).
    static func tighten(root: String) {
        var info = stat()
        guard lstat(root, &info) == 0, info.st_mode & S_IFMT == S_IFDIR, info.st_mode & 0o777 != directoryMode else { return }
        _ = chmod(root, directoryMode)
    }
}
