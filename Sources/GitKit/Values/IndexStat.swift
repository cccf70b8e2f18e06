internal import CLibGit2
import Foundation

/// The stat data an index entry records for a file, and the two questions gorch asks of it
/// without reading the file: is the file on disk still the one the index recorded, and was the
/// entry written early enough to be trusted (racy git). Shared by `status`'s quick dirtiness
/// and `start`'s copy of clean files from the main checkout.
struct IndexStat {
    let mtime: git_index_time
    let ctime: git_index_time
    let dev: UInt32
    let ino: UInt32
    let uid: UInt32
    let gid: UInt32
    let size: UInt32

    init(_ entry: git_index_entry) {
        (mtime, ctime, dev, ino, uid, gid, size) = (entry.mtime, entry.ctime, entry.dev, entry.ino, entry.uid, entry.gid, entry.file_size)
    }

    /// Size, mtime and ctime to the nanosecond, inode, uid and gid as recorded (32 bits each, as
    /// git stores them; a file of 4 GiB or more never matches); the device too with `device`.
    /// Stricter than libgit2, which may skip ctime and nanoseconds by configuration and build.
    func matches(_ info: stat, device: Bool = false) -> Bool {
        info.st_size >= 0 && info.st_size <= Int(UInt32.max) && UInt32(info.st_size) == size
            && Int32(truncatingIfNeeded: info.modified.tv_sec) == mtime.seconds
            && UInt32(truncatingIfNeeded: info.modified.tv_nsec) == mtime.nanoseconds
            && Int32(truncatingIfNeeded: info.changed.tv_sec) == ctime.seconds
            && UInt32(truncatingIfNeeded: info.changed.tv_nsec) == ctime.nanoseconds
            && UInt32(truncatingIfNeeded: info.st_ino) == ino && info.st_uid == uid && info.st_gid == gid
            && (!device || UInt32(truncatingIfNeeded: info.st_dev) == dev)
    }

    /// Racy git (`git_index_entry_newer_than_index`): the entry is trusted only when its mtime is
    /// older than the index file's, `index`, comparing nanoseconds when `nanoseconds`.
    func isOlder(than index: timespec, nanoseconds: Bool) -> Bool {
        let seconds = Int32(truncatingIfNeeded: index.tv_sec)
        if seconds != mtime.seconds { return seconds > mtime.seconds }
        return nanoseconds && UInt32(truncatingIfNeeded: index.tv_nsec) > mtime.nanoseconds
    }
}
