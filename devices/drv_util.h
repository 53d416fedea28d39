/* Small helpers shared by the driver files (not a public module). */
#ifndef STALLCHECK_DEVICES_DRV_UTIL_H
#define STALLCHECK_DEVICES_DRV_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "devices/driver.h"

/* Index of the first LF in buf[0..len), or -1. */
static inline long drv_find_lf(const uint8_t *buf, size_t len)
{
    const uint8_t *lf = memchr(buf, '\n', len);
    return lf ? (long)(lf - buf) : -1;
}

/* Printable ASCII for error messages: other bytes become '.'. */
static inline void drv_printable(char *dst, size_t size, const uint8_t *src, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n + 1 < size; i++)
        dst[n++] = src[i] >= 0x20 && src[i] < 0x7f ? (char)src[i] : '.';
    dst[n] = '\0';
}

/* Text built without snprintf on the parsers' hot path: each appends at *n
 * within size (dst stays terminated). */
static inline void drv_cat(char *dst, size_t size, size_t *n, const char *s)
{
    size_t k = strlen(s), room = size - 1 - *n; /* strlen of a literal folds */
    if (k > room)
        k = room;
    memcpy(dst + *n, s, k);
    *n += k;
    dst[*n] = '\0';
}

/* value as exactly digits upper-case hex digits */
static inline void drv_cat_hex(char *dst, size_t size, size_t *n, uint32_t value, int digits)
{
    static const char hex[] = "0123456789ABCDEF";
    for (int sh = 4 * (digits - 1); sh >= 0 && *n + 1 < size; sh -= 4)
        dst[(*n)++] = hex[(value >> sh) & 15];
    dst[*n] = '\0';
}

static inline void drv_cat_uint(char *dst, size_t size, size_t *n, unsigned value)
{
    char tmp[12];
    int k = 0;
    do {
        tmp[k++] = (char)('0' + value % 10);
        value /= 10;
    } while (value > 0);
    while (k > 0 && *n + 1 < size)
        dst[(*n)++] = tmp[--k];
    dst[*n] = '\0';
}

/* Copies a command text into buf with CR LF; SC_ERR_RANGE when too small. */
int drv_put_line(uint8_t *buf, size_t size, const char *text);

/* A line-based frame(): finds the CR LF line, then tries parse_line on the
 * line and on each of its suffixes (leading junk: a frame joined mid-way,
 * KERN's "A00", SIR leftovers).  Junk before a suffix that parses is skipped
 * (FRAME_INVALID); a line none of whose suffixes parse is a READING_BAD with
 * parse_line's reason at offset 0.  min_len: the shortest line (without
 * CR LF) worth trying.  max_line bounds the search. */
typedef int (*drv_line_fn)(void *state, const uint8_t *line, size_t len, struct reading *out);
enum frame_result drv_line_frame(void *state, const uint8_t *buf, size_t len, size_t max_line,
                                 size_t min_len, drv_line_fn parse_line, const char *what,
                                 size_t *used, struct reading *out);



/* CRC-16/MODBUS: init 0xFFFF, reflected polynomial 0xA001 (Modbus over
 * serial line V1.02 §2.5.1.2); sent low byte first. */
uint16_t drv_crc16_modbus(const uint8_t *buf, size_t len);
/* Copies n bytes of text into buf at *pos; SC_ERR_RANGE when it does not fit. */
int drv_put(uint8_t *buf, size_t size, size_t *pos, const void *text, size_t n);

/* The magnitude of r's text without sign ("12.34" for "-12.34"). */
const char *drv_magnitude(const struct reading *r);

#endif
