/* Fuzz target: the ascii driver.  The input's first line is its options
 * (the pattern language is input too: a device file is user text), the rest
 * the bytes from the scale. */
#include <stdio.h>

#include "tests/fuzz/fuzz_parser.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nl = memchr(data, '\n', size < 200 ? size : 200);
    if (nl == NULL)
        return fuzz_driver("ascii:pattern=ff,snnnnnnnnuuu:stable=ST:unstable=US", data, size);
    char spec[256];
    snprintf(spec, sizeof spec, "ascii:%.*s", (int)(nl - data), (const char *)data);
    if (strstr(spec, "file=") != NULL)
        return 0; /* no file system from fuzz input */
    return fuzz_driver(spec, nl + 1, size - (size_t)(nl + 1 - data));
}
