/* Fuzz target: the kern parser on any bytes, in any chunking. */
#include "tests/fuzz/fuzz_parser.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_driver("kern", data, size);
}
