internal import CLibGit2
import Foundation

/// Where on disk the files of new worktrees go.
public enum WorktreePlacement {
    /// Marks `directory`, which holds worktrees side by side (gorch's `.worktrees`), as the top
    /// of unrelated hierarchies (ext2/3/4's `FS_TOPDIR_FL`, what `chattr +T` sets), so that the
    /// file system's Orlov allocator places each new worktree in a block group with many free
    /// inodes instead of next to its parent, and the worktree's files follow it there.
    ///
    /// Why: on ext4 without a journal (common on VM and CI disks) every inode allocation scans
    /// past each free inode of its group that was deleted in the last minutes (the kernel's
    /// `recently_deleted`, reading inode-table blocks as it goes). Next to a checkout or a temp
    /// directory where builds and tests create and delete files, that scan was most of
    /// `gorch start`'s time on a 15,606-file tree: 1-6 s of system time instead of about 0.5 s
    /// (BENCHMARKS.md, row 3). With a journal the kernel skips that scan and the flag only
    /// spreads the worktrees over the disk, which costs nothing measurable. It is a hint, not a
    /// cure: Orlov takes the first group (searching from a hash of the new directory's name)
    /// with the fewest directories, and a group that a removed worktree just emptied is such a
    /// group again, full of recently deleted inodes: a worktree made there within minutes of the
    /// removal (always one of the same name, often others) pays the scan in full
    /// (scripts/bench's 50,000-file row, run again minutes after the previous run's cleanup:
    /// 17-38 s instead of 2 s).
    ///
    /// Best effort: false where the file system has no such flag (or the directory cannot be
    /// opened); the worktree is then placed as before.
    @discardableResult
    public static func spreadWorktrees(in directory: String) -> Bool {
        #if os(Linux)
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return gorch_mark_top_directory(fd) == 0
        #else
        return false
        #endif
    }
}
