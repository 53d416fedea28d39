/* Mettler Toledo Standard Continuous Output (WILDCAT technical manual
 * (12/00), appendix 2 "Continuous Mode Output", Tables 6-8 to 6-11):
 *
 *   byte 1     STX 0x02
 *   byte 2-4   status words SWA, SWB, SWC
 *   byte 5-10  displayed weight, 6 characters, no sign, no point
 *   byte 11-16 tare, 6 characters
 *   byte 17    CR
 *   byte 18    checksum (optional): (-sum of bytes 1..17) & 0x7F
 *
 * The weight and tare fields are the display's digits right-aligned, the
 * leftmost non-significant zeros sent as spaces (Toledo 8530D manual,
 * continuous output: "最左无意义零将作为空格传送"; IND245 terminal firmware
 * ContOut.c, FormatOutputWeightString: the display string without point and
 * sign, aligned right with spaces).  SWA bits 2..0 give the point or the
 * dummy zeros (Table 6-9: 000 XXXX00, 001 XXXXX0, 010 XXXXXX, 011 XXXXX.X
 * ... 111 X.XXXXX): the six digits are the display's, so XXXX00 and XXXXX0
 * already end in their dummy zeros and are taken as they are.  SWB bit 0
 * net, 1 negative, 2 out of range (over, or under zero), 3 motion, 4 kg
 * (else lb) (Table 6-10).  SWC bits 2..0 the unit when not lb/kg: 001 g
 * (Table 6-11), 010 t, 011 oz (IND245 ContOut.c buildStatusWord; Tufner T900
 * manual, State C).  Only these bits are read: emulations differ in the
 * constant bits (FB6000 manual).  Bit 7 of every byte is the parity bit on
 * a 7-bit line (appendix 2: ASCII, 7 data bits): the parser strips it, so a
 * 7E1 terminal read at 8N1 decodes (DRIVER_7BIT).
 *
 * The short form (Cardinal 225 manual, continuous output formats, Toledo
 * "Format 1 - SHORT" and "Format 3 - SHORT with CKSUM"; Cardinal 210
 * "Toledo Short") leaves out the tare: STX, SWA, SWB, SWC, the six weight
 * characters, CR and the optional checksum, 11 or 12 bytes.  Byte 11 tells
 * the two apart: CR in the short form, a tare character in the long one.
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
    int pad_zeros;   /* the sim's encoder: 1 pads with zeros, 0 with spaces */
};

static int state_new(void **state, const struct driver_opt *opts, size_t n)
{
    struct mtc_state *st = calloc(1, sizeof *st);
    if (st == NULL)
        return sc_error_set(SC_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        if (strcmp(opts[i].key, "pad") == 0) {
            if (strcmp(opts[i].value, "spaces") == 0 || strcmp(opts[i].value, "zeros") == 0) {
                st->pad_zeros = opts[i].value[0] == 'z';
            } else {
                free(st);
                return sc_error_set(SC_ERR_ARG, "mt-continuous: pad=%s: want spaces or zeros",
                                    opts[i].value);
            }
        } else if (strcmp(opts[i].key, "checksum") == 0) {
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

/* A 6-character field: spaces, then digits (the display's, right-aligned).
 * Returns the integer, -1 for a character that is neither, -2 for a field
 * of spaces only. */
static int64_t field(const uint8_t *d)
{
    int i = 0;
    while (i < 6 && d[i] == ' ')
        i++;
    if (i == 6)
        return -2;
    int64_t v = 0;
    for (; i < 6; i++) {
        unsigned c = (unsigned)d[i] - '0';
        if (c > 9)
            return -1;
        v = v * 10 + c;
    }
    return v;
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
    if (len < 11)
        return FRAME_NEED_MORE;
    size_t body = buf[10] == CR ? 11 : 17; /* the short form has no tare */
    if (len < body)
        return FRAME_NEED_MORE;
    if (buf[body - 1] != CR) {
        *used = 1;
        return FRAME_INVALID;
    }
    size_t flen = body;
    if (st->mode != CHK_OFF) {
        unsigned sum = 0;
        for (size_t i = 0; i < body; i++)
            sum += buf[i];
        if (len < body + 1) {
            if (!at_end)
                return FRAME_NEED_MORE;
            if (st->mode == CHK_ON) {
                reading_set_bad(out, "mt-continuous: checksum byte missing");
                *used = body;
                return FRAME_OK;
            }
        } else if (((sum + buf[body]) & 0x7F) == 0) {
            flen = body + 1;
            if (st->mode == CHK_AUTO)
                st->mode = CHK_ON;
        } else if (st->mode == CHK_ON || buf[body] != STX) {
            reading_set_bad(out, "mt-continuous: checksum 0x%02X, want 0x%02X", buf[body],
                            (unsigned)(-sum) & 0x7F);
            *used = body + 1;
            return FRAME_OK;
        } else {
            st->mode = CHK_OFF; /* the next STX follows the CR: no checksum */
        }
    }
    *used = flen;
    uint8_t swa = buf[1], swb = buf[2], swc = buf[3];
    /* Unit: SWC bits 2..0, or SWB bit 4 between kg and lb. */
    static const char *const units[8] = {NULL, "g", "t", "oz", NULL, NULL, NULL, NULL};
    const char *unit = units[swc & 0x07];
    if ((swc & 0x07) == 0)
        unit = (swb & 0x10) ? "kg" : "lb";
    if (unit == NULL) {
        reading_set_bad(out, "mt-continuous: unit code %u in SWC is not one we know", swc & 0x07u);
        return FRAME_OK;
    }
    READING_SET(out, unit, unit);
    out->net = (swb & 0x01) != 0;         /* SWB bit 0 */
    out->stable_reported = true;
    out->stable = (swb & 0x08) == 0;       /* SWB bit 3: motion */
    if (swb & 0x04) {
        /* SWB bit 2, out of range: no valid weight; the sign bit tells
         * over from under zero. */
        out->status = (swb & 0x02) ? READING_STATUS_UNDERLOAD : READING_STATUS_OVERLOAD;
        out->stable = false;
        READING_SET(out, info, "out of range");
        return FRAME_OK;
    }
    int64_t w = field(buf + 4), t = body == 17 ? field(buf + 10) : -2;
    if (w < 0 || t == -1) {
        reading_set_bad(out, "mt-continuous: the %s field '%.6s' is not digits after spaces",
                        w < 0 ? "weight" : "tare", (const char *)(w < 0 ? buf + 4 : buf + 10));
        return FRAME_OK;
    }
    int code = swa & 0x07;
    int scale = code <= 2 ? 0 : code - 2; /* XXXX00, XXXXX0, XXXXXX: whole units */
    reading_set_decimal(out, (struct decimal){(swb & 0x02) ? -w : w, scale});
    out->tare = (struct decimal){t < 0 ? 0 : t, scale};
    out->has_tare = body == 17;
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
                     ((r->has_value && r->value.mant < 0) || r->status == READING_STATUS_UNDERLOAD ? 0x02 : 0) | (out_of_range ? 0x04 : 0) |
                     (r->stable ? 0 : 0x08) | (strcmp(r->unit, "kg") == 0 ? 0x10 : 0));
    f[3] = (uint8_t)(0x20 | (strcmp(r->unit, "g") == 0 ? 0x01 : 0));  /* SWC */
    if (strcmp(r->unit, "kg") != 0 && strcmp(r->unit, "g") != 0 && strcmp(r->unit, "lb") != 0)
        return sc_error_set(SC_ERR_RANGE, "mt-continuous: unit '%s' is not kg, g or lb", r->unit);
    if (out_of_range)
        w = t = 0;
    char digits[48];
    /* As the terminals send it: leading zeros as spaces (pad=zeros for the
     * emulations that send zeros). */
    if (st->pad_zeros)
        snprintf(digits, sizeof digits, "%06lld%06lld", (long long)w, (long long)t);
    else
        snprintf(digits, sizeof digits, "%6lld%6lld", (long long)w, (long long)t);
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
    .flags = DRIVER_STREAMS | DRIVER_7BIT,
    .max_frame = 18,
    .options_help = "checksum=auto|on|off pad=spaces|zeros (sim: how the weight is padded)",
    .state_new = state_new,
    .state_free = state_free,
    .frame = frame,
    .encode = encode,
};
