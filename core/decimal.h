/* Exact decimals: a value is mant × 10^-scale, both integers.  Device
 * readings, masses typed by a user and money all pass through here so that no
 * float ever touches a verdict (DESIGN.md, Conventions). */
#ifndef STALLCHECK_CORE_DECIMAL_H
#define STALLCHECK_CORE_DECIMAL_H

#include <stddef.h>
#include <stdint.h>

#define DECIMAL_MAX_SCALE 18

struct decimal {
    int64_t mant;
    int scale; /* digits after the point, 0..DECIMAL_MAX_SCALE */
};

/* Parses [+-]digits[.digits] with optional leading/trailing spaces (device
 * fields are padded).  Keeps every digit given: "100.00" is {10000, 2}.
 * *end (optional) gets the first byte not consumed; without end, trailing
 * non-space text is an error.  SC_ERR_PARSE / SC_ERR_RANGE. */
int decimal_parse(const char *text, struct decimal *out, const char **end);

/* Same value at another scale; SC_ERR_RANGE if digits would be lost or the
 * result overflows. */
int decimal_rescale(struct decimal d, int scale, int64_t *out);

/* Prints with exactly d.scale digits after the point ("100.00", "-0.0082"). */
int decimal_format(struct decimal d, char *buf, size_t size);

/* Prints v × 10^-scale with trailing zeros (and a bare point) dropped:
 * (2500000, 6) -> "2.5", (15000, 0) -> "15000". */
int decimal_format_trim(int64_t v, int scale, char *buf, size_t size);

/* Compares two decimals exactly: <0, 0, >0. */
int decimal_cmp(struct decimal a, struct decimal b);

#endif
