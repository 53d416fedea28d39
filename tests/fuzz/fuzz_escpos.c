/* Fuzz target: escpos_decode, the reader tests use on receipt bytes. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "devices/escpos.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text;
    if (escpos_decode(data, size, &text) == 0)
        free(text);
    return 0;
}
