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

static inline int gorch_git_set_cache_object_limit(git_object_t type, size_t bytes) {
    return git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, type, bytes);
}

static inline int gorch_git_set_strict_hash_verification(int enabled) {
    return git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, enabled);
}

/* copy_file_range(2) (Linux; glibc declares it only under _GNU_SOURCE, which Swift's Glibc
   module does not see): copies in the kernel, sharing extents where the file system can
   (btrfs, XFS). Elsewhere it fails with ENOSYS. syscall(2) is variadic, hence the shim. */
#ifdef __linux__
#include <sys/syscall.h>
#include <unistd.h>
#endif
#include <errno.h>
#include <stddef.h>
static inline long gorch_copy_file_range(int in, int out, size_t length) {
#if defined(__linux__) && defined(SYS_copy_file_range)
    return syscall(SYS_copy_file_range, in, (void *)0, out, (void *)0, length, 0u);
#else
    (void)in; (void)out; (void)length;
    errno = ENOSYS;
    return -1;
#endif
}

#endif
