/* Fuzz target: the canonical text of a pushed record, as the district
 * reads it (core/canon.h): any bytes give an error or a document that
 * writes back to exactly those bytes. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/canon.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct canon_doc d;
    if (canon_parse((const char *)data, size, &d) == 0) {
        struct canon_buf out = {0};
        canon_write(&d, &out);
        if (!out.oom && (out.len != size || memcmp(out.p ? out.p : "", data, size) != 0))
            abort(); /* parse accepted a text that is not the written one */
        canon_buf_free(&out);
    }
    canon_free(&d);
    return 0;
}
