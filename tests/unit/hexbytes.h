/* Test helper: hex text ("53 20 0D 0A", spaces anywhere) to bytes. */
#ifndef STALLCHECK_TESTS_HEXBYTES_H
#define STALLCHECK_TESTS_HEXBYTES_H

#include <stddef.h>
#include <stdint.h>

/* The byte count; aborts the test on a character that is not hex or when
 * more than max bytes would be written. */
size_t hex_bytes(const char *hex, uint8_t *out, size_t max);

#endif
