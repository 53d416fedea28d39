/* Fuzz target: mass_parse() on any text a user can type. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/mass.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    int64_t ug;
    char buf[64];
    if (mass_parse(text, MASS_G, &ug) == 0)
        mass_format(ug, MASS_G, buf, sizeof buf);
    free(text);
    return 0;
}
