/* Fuzz target: visit_decode(), the parser of a stored draft (a draft may be
 * cut by a crash, synced from another build, or written by the first text
 * form), and the round trip: what decodes must encode and decode to the
 * same visit, byte for byte. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/visit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    static struct visit v, back;
    if (visit_decode(text, &v) == 0) {
        static char buf[VISIT_TEXT_MAX];
        if (visit_encode(&v, buf, sizeof buf) < 0 || visit_decode(buf, &back) != 0 ||
            memcmp(&v, &back, sizeof v) != 0)
            abort();
    }
    free(text);
    return 0;
}
