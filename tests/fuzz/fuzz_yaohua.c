/* Fuzz target: the yaohua (XK3190-A23 continuous format 1) parser on any
 * bytes, in any chunking. */
#include "tests/fuzz/fuzz_parser.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_driver("yaohua", data, size);
}
