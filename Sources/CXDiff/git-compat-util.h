/*
 * Stand-in for git's git-compat-util.h: just what the vendored xdiff/ files use.
 * Part of the CXDiff target, LGPL-2.1 like the files it serves (see LICENSE.LGPL-2.1).
 */
#ifndef CXDIFF_GIT_COMPAT_UTIL_H
#define CXDIFF_GIT_COMPAT_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <limits.h>
#include <regex.h>

#define UNUSED __attribute__((unused))

/* git's x*alloc die on failure; a merge cannot continue without memory either. */
static inline void *cxdiff_die_oom(void) { fputs("cxdiff: out of memory\n", stderr); abort(); }
static inline void *xmalloc(size_t n) { void *p = malloc(n ? n : 1); return p ? p : cxdiff_die_oom(); }
static inline void *xcalloc(size_t n, size_t s) { void *p = calloc(n ? n : 1, s ? s : 1); return p ? p : cxdiff_die_oom(); }
static inline void *xrealloc(void *q, size_t n) { void *p = realloc(q, n ? n : 1); return p ? p : cxdiff_die_oom(); }
/* git's regexec over a buffer (xdiff's ignore-regex option, unused by merges but linked). */
static inline int regexec_buf(const regex_t *preg, const char *buf, size_t size,
                              size_t nmatch, regmatch_t pmatch[], int eflags)
{
    pmatch[0].rm_so = 0;
    pmatch[0].rm_eo = size;
    return regexec(preg, buf, nmatch, pmatch, eflags | REG_STARTEND);
}
#define BUG(...) do { fprintf(stderr, "cxdiff BUG: " __VA_ARGS__); abort(); } while (0)

#endif
