/* libgit2 for Swift: the public API plus the sys/ headers gorch uses, and shims for variadic calls. */
#ifndef GORCH_CLIBGIT2_SHIM_H
#define GORCH_CLIBGIT2_SHIM_H

#include <git2.h>
#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>
#include <git2/sys/repository.h>

/* git_libgit2_opts is variadic, which Swift cannot call. */
static inline int gorch_git_set_search_path(int level, const char *path) {
    return git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, level, path);
}
static inline int gorch_git_set_owner_validation(int enabled) {
    return git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, enabled);
}
static inline int gorch_git_set_cache_max_size(long long bytes) {
    return git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)bytes);
}

static inline int gorch_git_set_strict_hash_verification(int enabled) {
    return git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, enabled);
}

/* FS_TOPDIR_FL (`chattr +T`) on a directory: ext2/3/4's Orlov allocator then spreads each new
   subdirectory to a block group with many free inodes, rather than packing it next to its
   parent. Returns 0 when the flag is set (or already was), -1 with errno where the file system
   has no such flag. ioctl(2) is variadic, hence the shim. */
#ifdef __linux__
#include <sys/ioctl.h>
#include <linux/fs.h>
#endif
static inline int gorch_mark_top_directory(int fd) {
#if defined(__linux__) && defined(FS_IOC_GETFLAGS) && defined(FS_TOPDIR_FL)
    int flags = 0;
    if (ioctl(fd, FS_IOC_GETFLAGS, &flags) != 0) return -1;
    if (flags & FS_TOPDIR_FL) return 0;
    flags |= FS_TOPDIR_FL;
    return ioctl(fd, FS_IOC_SETFLAGS, &flags);
#else
    (void)fd;
    errno = ENOTSUP;
    return -1;
#endif
}

#endif
