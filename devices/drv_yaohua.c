/* Shanghai Yaohua (上海耀华) XK3190-A23 indicators, continuous output format 1
 * (连续通讯格式1; XK3190-A23 manual ch. 6 "通讯功能", §4), the format many
 * Chinese platform and truck-scale indicators also send:
 *
 *   byte 1     STX 02H                       (开始)
 *   byte 2     '+' or '-'                    (符号位)
 *   byte 3-8   the displayed weight, 6 digits, most significant first
 *   byte 9     decimals, counted from the right, '0'..'4'
 *   byte 10-11 the XOR of bytes 2..9, high then low nibble, each as an
 *              ASCII hex character (0-9: +30H, A-F: +37H)
 *   byte 12    ETX 03H                       (结束)
 *
 * 1 start bit, 8 data bits, 1 stop bit, no parity; 600-9600 baud set on
 * the indicator (bAUd 0-4).  The frame has no unit and no stability flag:
 * the unit is an option (kg by default, as the indicators are set), and
 * stability comes from the window rule (stability.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "devices/driver.h"
#include "devices/drv_util.h"

#define STX 0x02
#define ETX 0x03
#define YH_FRAME 12

struct yh_state {
    char unit[8];
};

static int state_new(void **state, const struct driver_opt *opts, size_t n)
{
    struct yh_state *st = calloc(1, sizeof *st);
    if (st == NULL)
        return sc_error_set(SC_ERR_NOMEM, "out of memory");
    memcpy(st->unit, "kg", 3);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(opts[i].key, "unit") == 0 && (strcmp(opts[i].value, "kg") == 0 ||
                                                 strcmp(opts[i].value, "g") == 0 ||
                                                 strcmp(opts[i].value, "t") == 0)) {
            snprintf(st->unit, sizeof st->unit, "%s", opts[i].value);
        } else {
            int rc = strcmp(opts[i].key, "unit") == 0
                         ? sc_error_set(SC_ERR_ARG, "yaohua: unit=%s: want kg, g or t", opts[i].value)
                         : sc_error_set(SC_ERR_ARG, "yaohua: unknown option '%s'", opts[i].key);
            free(st);
            return rc;
        }
    }
    *state = st;
    return SC_OK;
}

static void state_free(void *state)
{
    free(state);
}

static int hex_value(uint8_t c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static enum frame_result frame(void *state, const uint8_t *buf, size_t len, bool at_end,
                               size_t *used, struct reading *out)
{
    struct yh_state *st = state;
    (void)at_end;
    if (buf[0] != STX) {
        const uint8_t *next = memchr(buf, STX, len);
        *used = next ? (size_t)(next - buf) : len;
        return FRAME_INVALID;
    }
    if (len < YH_FRAME)
        return FRAME_NEED_MORE;
    if (buf[11] != ETX || (buf[1] != '+' && buf[1] != '-')) {
        *used = 1;
        return FRAME_INVALID;
    }
    *used = YH_FRAME;
    uint8_t x = 0;
    for (int i = 1; i <= 8; i++)
        x ^= buf[i];
    int hi = hex_value(buf[9]), lo = hex_value(buf[10]);
    if (hi < 0 || lo < 0 || (uint8_t)(hi << 4 | lo) != x) {
        reading_set_bad(out, "yaohua: check %c%c, want %X%X", buf[9] >= 0x20 && buf[9] < 0x7f ? buf[9] : '.',
                        buf[10] >= 0x20 && buf[10] < 0x7f ? buf[10] : '.', x >> 4, x & 15);
        return FRAME_OK;
    }
    int64_t v = 0;
    for (int i = 2; i <= 7; i++) {
        unsigned c = (unsigned)buf[i] - '0';
        if (c > 9) {
            reading_set_bad(out, "yaohua: the weight '%.6s' is not six digits", (const char *)buf + 2);
            return FRAME_OK;
        }
        v = v * 10 + c;
    }
    unsigned dp = (unsigned)buf[8] - '0';
    if (dp > 4) {
        reading_set_bad(out, "yaohua: decimals '%c' is not 0-4", buf[8] >= 0x20 && buf[8] < 0x7f ? buf[8] : '.');
        return FRAME_OK;
    }
    reading_set_decimal(out, (struct decimal){buf[1] == '-' ? -v : v, (int)dp});
    READING_SET(out, unit, st->unit);
    return FRAME_OK;
}

static int encode(void *state, const struct reading *r, uint8_t *buf, size_t size)
{
    (void)state;
    if (r->kind != READING_VALUE)
        return sc_error_set(SC_ERR_UNSUPPORTED, "yaohua: streams weights only");
    struct decimal d = r->has_value ? r->value : (struct decimal){0, 0};
    if (r->status != READING_STATUS_OK) {
        /* The format has no overload: the indicator's display, all nines. */
        d = (struct decimal){r->status == READING_STATUS_UNDERLOAD ? -999999 : 999999, d.scale};
    }
    int64_t mag = d.mant < 0 ? -d.mant : d.mant;
    if (d.scale > 4 || mag > 999999)
        return sc_error_set(SC_ERR_RANGE, "yaohua: at most 6 digits and 4 decimals");
    if (size < YH_FRAME)
        return sc_error_set(SC_ERR_RANGE, "frame does not fit");
    char body[32];
    snprintf(body, sizeof body, "%c%06lld%d", d.mant < 0 ? '-' : '+', (long long)mag, d.scale);
    uint8_t x = 0;
    for (int i = 0; i < 8; i++)
        x ^= (uint8_t)body[i];
    static const char hex[] = "0123456789ABCDEF";
    buf[0] = STX;
    memcpy(buf + 1, body, 8);
    buf[9] = (uint8_t)hex[x >> 4];
    buf[10] = (uint8_t)hex[x & 15];
    buf[11] = ETX;
    return YH_FRAME;
}

const struct driver driver_yaohua = {
    .name = "yaohua",
    .maker = "Shanghai Yaohua (耀华) and indicators sending its format",
    .description = "XK3190-A23 continuous format 1: STX, sign, 6 digits, decimals, XOR check, ETX",
    .serialcomm = "1200/8n1",
    .flags = DRIVER_STREAMS,
    .max_frame = YH_FRAME,
    .options_help = "unit=kg|g|t (the frame has none; default kg)",
    .state_new = state_new,
    .state_free = state_free,
    .frame = frame,
    .encode = encode,
};
