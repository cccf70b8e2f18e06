/*
 * CXDiff: git 2.39.5's xdiff (LGPL-2.1), used for content merges exactly as merge-ort does them
 * (histogram diff, zealous merge level). This header is the only API the Swift side sees.
 */
#ifndef CXDIFF_H
#define CXDIFF_H

#include <stddef.h>

typedef struct {
    char *ptr;   /* malloc'd; release with cxdiff_free */
    long size;
} cxdiff_buffer;

/* Favour values, as xdiff's XDL_MERGE_FAVOR_*. */
enum { CXDIFF_FAVOR_NONE = 0, CXDIFF_FAVOR_OURS = 1, CXDIFF_FAVOR_THEIRS = 2, CXDIFF_FAVOR_UNION = 3 };

/*
 * Three-way merge of text buffers with XDL_MERGE_ZEALOUS and histogram diff, as ll_xdl_merge does
 * for merge-ort. Returns < 0 on error, 0 when clean, otherwise the number of conflict hunks; the
 * merged text (with conflict markers when conflicted) is stored in *out.
 */
int cxdiff_merge3(const char *base, long base_size,
                  const char *ours, long ours_size,
                  const char *theirs, long theirs_size,
                  const char *ancestor_label, const char *our_label, const char *their_label,
                  int marker_size, int favor, cxdiff_buffer *out);

void cxdiff_free(cxdiff_buffer *buffer);

#endif
