#include "tests/unit/hexbytes.h"

#include <stdio.h>
#include <stdlib.h>

size_t hex_bytes(const char *hex, uint8_t *out, size_t max)
{
    size_t n = 0;
    unsigned v;
    for (const char *p = hex; *p;) {
        if (*p == ' ') {
            p++;
            continue;
        }
        if (sscanf(p, "%2x", &v) != 1 || n == max) {
            fprintf(stderr, "hex_bytes: bad hex or too long at '%.8s'\n", p);
            abort();
        }
        out[n++] = (uint8_t)v;
        p += 2;
    }
    return n;
}
