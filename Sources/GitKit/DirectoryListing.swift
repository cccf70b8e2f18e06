import Foundation

/// One directory's entries as `getdents` lists them, each with the type the listing gives (an
/// `fstatat` only where the file system gives none), for walks that must not stat every file:
/// `quickUntracked` and the deletion of merged worktrees.
public struct DirectoryListing {
    public enum Kind: Sendable { case directory, file, symlink, other }

    public struct Entry {
        public let name: String
        public let kind: Kind
    }

    /// The open directory, for `*at` calls on its entries while the listing is in use.
    public let descriptor: Int32
    /// Every entry but `.` and `..`, in listing order.
    public let entries: [Entry]

    /// Opens directory `name` under `parent` (a descriptor, or AT_FDCWD for a path), lists it and
    /// hands the listing to `body`, closing it after. nil without calling `body` when it cannot
    /// be opened (with `followLink` false, a symlink is not opened) or read, or when a name is
    /// not UTF-8 (it would not survive the trip through `String`; callers fall back to a slower
    /// way that keeps bytes).
    public static func with<T>(_ name: String, in parent: Int32, followLink: Bool = false,
                                _ body: (DirectoryListing) -> T) -> T? {
        let fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | (followLink ? 0 : O_NOFOLLOW))
        guard fd >= 0 else { return nil }
        guard let directory = fdopendir(fd) else { close(fd); return nil }
        defer { closedir(directory) }
        let descriptor = dirfd(directory)
        var entries: [Entry] = []
        while let entry = readdir(directory) {
            guard let name = withUnsafeBytes(of: entry.pointee.d_name, { raw in
                String(validating: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }) else { return nil }
            if name == "." || name == ".." { continue }
            var type = Int32(entry.pointee.d_type)
            if type == Int32(DT_UNKNOWN) {
                var info = stat()
                guard fstatat(descriptor, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
                switch info.st_mode & S_IFMT {
                case S_IFDIR: type = Int32(DT_DIR)
                case S_IFREG: type = Int32(DT_REG)
                case S_IFLNK: type = Int32(DT_LNK)
                default: type = Int32(DT_FIFO)
                }
            }
            let kind: Kind = switch type {
            case Int32(DT_DIR): .directory
            case Int32(DT_REG): .file
            case Int32(DT_LNK): .symlink
            default: .other
            }
            entries.append(Entry(name: name, kind: kind))
        }
        return body(DirectoryListing(descriptor: descriptor, entries: entries))
    }
}
