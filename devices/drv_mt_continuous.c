/* Mettler Toledo Standard Continuous Output (protocols.md c; WILDCAT
 * technical manual, appendix 2, tables 6-8 to 6-11):
 *
 *   byte 1     STX 0x02
 *   byte 2-4   status words SWA, SWB, SWC
 *   byte 5-10  displayed weight, 6 digits, no sign, no point
 *   byte 11-16 tare, 6 digits
 *   byte 17    CR
 *   byte 18    checksum (optional): (-sum of bytes 1..17) & 0x7F
 *
 * SWA bits 2..0: point position or dummy zeros; SWB bit 0 net, 1 negative,
 * 2 out of range, 3 motion, 4 kg (else lb); SWC bit 0 grams.  Only bits 0-4
 * are read: emulations differ in the constant bits (FB6000 manual).
 *
 * Option checksum=auto|on|off (default auto: a frame is followed either by
 * a checksum that makes the sum 0 mod 128, or by the next STX; the first
 * frame decides for the rest of the stream). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "devices/driver.h"
#include "devices/drv_util.h"

#define STX 0x02
#define CR 0x0D

enum chk_mode { CHK_AUTO, CHK_ON, CHK_OFF };

struct mtc_state {
    enum chk_mode mode;
};

static int state_new(void **state, const struct driver_opt *opts, size_t n)
{
    struct mtc_state *st = calloc(1, sizeof *st);
    if (st == NULL)
        return sc_error_set(SC_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        if (strcmp(opts[i].key, "checksum") == 0) {
            if (strcmp(opts[i].value, "auto") == 0)
                st->mode = CHK_AUTO;
            else if (strcmp(opts[i].value, "on") == 0)
                st->mode = CHK_ON;
            else if (strcmp(opts[i].value, "off") == 0)
                st->mode = CHK_OFF;
            else {
                free(st);
                return sc_error_set(SC_ERR_ARG, "mt-continuous: checksum=%s: want auto, on or off",
                                    opts[i].value);
            }
        } else {
            free(st);
            return sc_error_set(SC_ERR_ARG, "mt-continuous: unknown option '%s'", opts[i].key);
        }
    }
    *state = st;
    return SC_OK;
}

static void state_free(void *state)
{
    free(state);
}

/* 6 ASCII digits at d, placed per SWA bits 2..0. */
static int field(const uint8_t *d, int code, struct decimal *out)
{
    int64_t v = 0;
    for (int i = 0; i < 6; i++) {
        if (d[i] < '0' || d[i] > '9')
            return -1;
        v = v * 10 + (d[i] - '0');
    }
    /* 000 XXXX00, 001 XXXXX0, 010 XXXXXX, 011..111 one to five decimals. */
    if (code == 0) {
        out->mant = v * 100;
        out->scale = 0;
    } else if (code == 1) {
        out->mant = v * 10;
        out->scale = 0;
    } else {
        out->mant = v;
        out->scale = code - 2;
    }
    return 0;
}

static enum frame_result frame(void *state, const uint8_t *buf, size_t len, bool at_end,
                               size_t *used, struct reading *out)
{
    struct mtc_state *st = state;
    if (buf[0] != STX) {
        const uint8_t *next = memchr(buf, STX, len);
        *used = next ? (size_t)(next - buf) : len;
        return FRAME_INVALID;
    }
    if (len < 17)
        return FRAME_NEED_MORE;
    if (buf[16] != CR) {
        *used = 1;
        return FRAME_INVALID;
    }
    size_t flen = 17;
    int checked = 0;
    unsigned sum = 0;
    for (int i = 0; i < 17; i++)
        sum += buf[i];
    if (st->mode != CHK_OFF) {
        if (len < 18) {
            if (!at_end)
                return FRAME_NEED_MORE;
            if (st->mode == CHK_ON) {
                reading_set_bad(out, "mt-continuous: checksum byte missing");
                *used = 17;
                return FRAME_OK;
            }
        } else if (((sum + buf[17]) & 0x7F) == 0) {
            flen = 18;
            checked = 1;
            if (st->mode == CHK_AUTO)
                st->mode = CHK_ON;
        } else if (st->mode == CHK_ON || buf[17] != STX) {
            reading_set_bad(out, "mt-continuous: checksum 0x%02X, want 0x%02X", buf[17],
                            (unsigned)(-sum) & 0x7F);
            *used = 18;
            return FRAME_OK;
        } else {
            st->mode = CHK_OFF; /* the next STX follows the CR: no checksum */
        }
    }
    (void)checked;
    uint8_t swa = buf[1], swb = buf[2], swc = buf[3];
    int code = swa & 0x07;
    struct decimal w, t;
    if (field(buf + 4, code, &w) < 0 || field(buf + 10, code, &t) < 0) {
        reading_set_bad(out, "mt-continuous: a weight or tare digit is not 0-9");
        *used = flen;
        return FRAME_OK;
    }
    /* SWB bit 1: negative */
    if (swb & 0x02)
        w.mant = -w.mant;
    reading_set_decimal(out, w);
    out->tare = t;
    out->has_tare = true;
    /* SWB bit 0: net */
    out->net = (swb & 0x01) != 0;
    /* SWB bit 3: motion */
    out->stable = (swb & 0x08) == 0;
    out->stable_reported = true;
    /* SWC bit 0: grams; else SWB bit 4: kg or lb */
    snprintf(out->unit, sizeof out->unit, "%s",
             (swc & 0x01) ? "g" : (swb & 0x10) ? "kg" : "lb");
    /* SWB bit 2: out of range: no valid weight */
    if (swb & 0x04) {
        out->status = (swb & 0x02) ? READING_STATUS_UNDERLOAD : READING_STATUS_OVERLOAD;
        out->has_value = false;
        out->stable = false;
        snprintf(out->info, sizeof out->info, "out of range");
    }
    *used = flen;
    return FRAME_OK;
}

static int encode(void *state, const struct reading *r, uint8_t *buf, size_t size)
{
    struct mtc_state *st = state;
    if (r->kind != READING_VALUE)
        return sc_error_set(SC_ERR_UNSUPPORTED, "mt-continuous: streams weights only");
    int scale = r->has_value ? r->value.scale : r->has_tare ? r->tare.scale : 0;
    if (scale > 5)
        return sc_error_set(SC_ERR_RANGE, "mt-continuous: at most 5 decimals");
    int64_t w = 0, t = 0;
    if (r->has_value)
        w = r->value.mant < 0 ? -r->value.mant : r->value.mant;
    if (r->has_tare && decimal_rescale(r->tare, scale, &t) < 0)
        return sc_error_set(SC_ERR_RANGE, "mt-continuous: tare at another resolution");
    int out_of_range = r->status != READING_STATUS_OK || w > 999999 || t > 999999 || t < 0;
    uint8_t f[18];
    f[0] = STX;
    f[1] = (uint8_t)(0x20 | 0x08 | (scale + 2));   /* SWA: bit 5, x1 increment, point */
    f[2] = (uint8_t)(0x20 | (r->net ? 0x01 : 0) |   /* SWB */
                     (r->has_value && r->value.mant < 0 ? 0x02 : 0) | (out_of_range ? 0x04 : 0) |
                     (r->stable ? 0 : 0x08) | (strcmp(r->unit, "kg") == 0 ? 0x10 : 0));
    f[3] = (uint8_t)(0x20 | (strcmp(r->unit, "g") == 0 ? 0x01 : 0));  /* SWC */
    if (strcmp(r->unit, "kg") != 0 && strcmp(r->unit, "g") != 0 && strcmp(r->unit, "lb") != 0)
        return sc_error_set(SC_ERR_RANGE, "mt-continuous: unit '%s' is not kg, g or lb", r->unit);
    if (out_of_range)
        w = t = 0;
    char digits[48];
    snprintf(digits, sizeof digits, "%06lld%06lld", (long long)w, (long long)t);
    memcpy(f + 4, digits, 12);
    f[16] = CR;
    size_t n = 17;
    if (st->mode != CHK_OFF) {
        unsigned sum = 0;
        for (int i = 0; i < 17; i++)
            sum += f[i];
        f[17] = (uint8_t)((-sum) & 0x7F);
        n = 18;
    }
    if (size < n)
        return sc_error_set(SC_ERR_RANGE, "frame does not fit");
    memcpy(buf, f, n);
    return (int)n;
}

const struct driver driver_mt_continuous = {
    .name = "mt-continuous",
    .maker = "Mettler Toledo (and Toledo-format emulations)",
    .description = "Standard Continuous Output: STX, SWA/SWB/SWC, weight, tare, CR, checksum",
    .serialcomm = "9600/8n1",
    .flags = DRIVER_STREAMS,
    .max_frame = 18,
    .options_help = "checksum=auto|on|off",
    .state_new = state_new,
    .state_free = state_free,
    .frame = frame,
    .encode = encode,
};
