/* Thin wrapper over the vendored xdl_merge; see include/cxdiff.h. LGPL-2.1. */
#include "xinclude.h"
#include "include/cxdiff.h"

int cxdiff_merge3(const char *base, long base_size,
                  const char *ours, long ours_size,
                  const char *theirs, long theirs_size,
                  const char *ancestor_label, const char *our_label, const char *their_label,
                  int marker_size, int favor, cxdiff_buffer *out)
{
    mmfile_t o, a, b;
    mmbuffer_t result = { NULL, 0 };
    xmparam_t xmp;
    int status;

    o.ptr = (char *)base; o.size = base_size;
    a.ptr = (char *)ours; a.size = ours_size;
    b.ptr = (char *)theirs; b.size = theirs_size;

    memset(&xmp, 0, sizeof(xmp));
    xmp.level = XDL_MERGE_ZEALOUS;
    xmp.favor = favor;
    xmp.xpp.flags = XDF_HISTOGRAM_DIFF;
    xmp.marker_size = marker_size > 0 ? marker_size : DEFAULT_CONFLICT_MARKER_SIZE;
    xmp.ancestor = ancestor_label;
    xmp.file1 = our_label;
    xmp.file2 = their_label;
    status = xdl_merge(&o, &a, &b, &xmp, &result);
    out->ptr = result.ptr;
    out->size = result.size;
    return status;
}

void cxdiff_free(cxdiff_buffer *buffer)
{
    free(buffer->ptr);
    buffer->ptr = NULL;
    buffer->size = 0;
}
