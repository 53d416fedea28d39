#include "devices/drv_util.h"

#include <stdio.h>

#include "core/error.h"

int drv_put_line(uint8_t *buf, size_t size, const char *text)
{
    size_t n = strlen(text);
    if (n + 2 > size)
        return sc_error_set(SC_ERR_RANGE, "command buffer too small");
    memcpy(buf, text, n);
    buf[n] = '\r';
    buf[n + 1] = '\n';
    return (int)(n + 2);
}

enum frame_result drv_line_frame(void *state, const uint8_t *buf, size_t len, size_t max_line,
                                 size_t min_len, drv_line_fn parse_line, const char *what,
                                 size_t *used, struct reading *out)
{
    size_t scan = len < max_line + 2 ? len : max_line + 2;
    long lf = drv_find_lf(buf, scan);
    if (lf < 0) {
        if (len >= max_line + 2) {
            /* No terminator where one must be: drop up to the next CR or LF
             * (or all we have) and resynchronise there. */
            size_t n = 1;
            while (n < len && buf[n] != '\r' && buf[n] != '\n')
                n++;
            *used = n;
            return FRAME_INVALID;
        }
        return FRAME_NEED_MORE;
    }
    size_t frame_len = (size_t)lf + 1;
    if (lf == 0 || buf[lf - 1] != '\r') {
        /* A bare LF: the CR was lost (or this is junk).  Report the line. */
        char txt[64];
        drv_printable(txt, sizeof txt, buf, (size_t)lf);
        if (lf == 0) {
            *used = 1;
            return FRAME_INVALID;
        }
        reading_set_bad(out, "%s: line '%s' ends in LF without CR", what, txt);
        *used = frame_len;
        return FRAME_OK;
    }
    size_t n = (size_t)lf - 1; /* the line without CR LF */
    /* The usual case first: the whole line is a frame (into out, no copy). */
    if (parse_line(state, buf, n, out) == 0) {
        *used = frame_len;
        return FRAME_OK;
    }
    char first_why[READING_INFO_MAX];
    memcpy(first_why, out->info, sizeof first_why);
    /* Leading junk: a suffix that parses is a frame, the junk skipped. */
    for (size_t off = 1; off + min_len <= n; off++) {
        reading_clear(out);
        if (parse_line(state, buf + off, n - off, out) == 0) {
            *used = off;
            return FRAME_INVALID;
        }
    }
    reading_clear(out);
    char txt[64];
    drv_printable(txt, sizeof txt, buf, n);
    reading_set_bad(out, "%s: '%s': %s", what, txt, first_why[0] ? first_why : "not a frame");
    *used = frame_len;
    return FRAME_OK;
}

uint16_t drv_crc16_modbus(const uint8_t *buf, size_t len)
{
    /* Tables built once from the bit-serial definition; four bytes a step
     * ("slicing": t[k][i] is i's CRC followed by k zero bytes), since the
     * parser tries a CRC at each candidate frame. */
    static uint16_t t[4][256];
    static int ready;
    if (!ready) {
        for (unsigned i = 0; i < 256; i++) {
            uint16_t c = (uint16_t)i;
            for (int b = 0; b < 8; b++)
                c = (c & 1) ? (uint16_t)((c >> 1) ^ 0xA001) : (uint16_t)(c >> 1);
            t[0][i] = c;
        }
        for (unsigned i = 0; i < 256; i++)
            for (int k = 1; k < 4; k++)
                t[k][i] = (uint16_t)((t[k - 1][i] >> 8) ^ t[0][t[k - 1][i] & 0xFF]);
        ready = 1;
    }
    uint16_t crc = 0xFFFF;
    size_t i = 0;
    for (; i + 4 <= len; i += 4) {
        uint16_t x = (uint16_t)(crc ^ (buf[i] | buf[i + 1] << 8));
        crc = (uint16_t)(t[3][x & 0xFF] ^ t[2][x >> 8] ^ t[1][buf[i + 2]] ^ t[0][buf[i + 3]]);
    }
    for (; i < len; i++)
        crc = (uint16_t)((crc >> 8) ^ t[0][(crc ^ buf[i]) & 0xFF]);
    return crc;
}

int drv_put(uint8_t *buf, size_t size, size_t *pos, const void *text, size_t n)
{
    if (*pos + n > size)
        return sc_error_set(SC_ERR_RANGE, "frame does not fit");
    memcpy(buf + *pos, text, n);
    *pos += n;
    return SC_OK;
}

const char *drv_magnitude(const struct reading *r)
{
    return r->text[0] == '-' ? r->text + 1 : r->text;
}
