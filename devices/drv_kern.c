/* KERN balances, the frame libsigrok's kern-scale driver reads (protocols.md
 * d; libsigrok src/scale/kern.c; KERN EW/EG-N manual §8.4):
 *
 *   15 bytes: P1 D1..D8 U1 U2 S1 S2 CR LF     (14 bytes: D1..D7 only)
 *   P1  sign: '+', '-' or space
 *   D   digits, '.' anywhere, leading zeros sent as spaces
 *   U   unit (" G" g, "PC" pieces, " %" ...)
 *   S1  'L', 'G', 'H' or space (tolerance mode; not used)
 *   S2  'S' stable, 'U' unstable, 'E' data error, space nothing special
 *
 * Unlike libsigrok 0.5.2 the sign is taken from P1 even when spaces stand
 * between it and the digits (the manual's own layout), and 14-byte frames are
 * not skipped in a stream. */
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "devices/driver.h"
#include "devices/drv_util.h"

#define KERN_MAX_LINE 32

static int fail(struct reading *r, const char *why)
{
    READING_SET(r, info, why);
    return -1;
}

/* U1U2 -> our unit.  KERN sends no kg in this format; libsigrok maps an
 * unknown unit to none, we keep "KG" as kg since that is what it says. */
static const struct {
    char code[3];
    const char *unit;
} units[] = {
    {" G", "g"}, {"KG", "kg"}, {"CT", "ct"}, {"OZ", "oz"}, {"LB", "lb"}, {"OT", "ozt"},
    {"DW", "dwt"}, {"GR", "gr"}, {"TL", "tael"}, {"MO", "momme"}, {"to", "tola"},
    {" %", "%"}, {"PC", "pcs"},
};

static int parse_line(void *state, const uint8_t *s, size_t n, struct reading *r)
{
    (void)state;
    if (n == 3 && (memcmp(s, "A00", 3) == 0 || memcmp(s, "E01", 3) == 0)) {
        /* The answer to O1: A00 OK, E01 refused. */
        r->kind = s[0] == 'A' ? READING_ACK : READING_REJECT;
        r->status = s[0] == 'A' ? READING_STATUS_OK : READING_STATUS_ERROR;
        snprintf(r->reply, sizeof r->reply, "%.3s", (const char *)s);
        if (s[0] == 'E')
            snprintf(r->info, sizeof r->info, "E01: command refused");
        return 0;
    }
    if (n == 2 && s[0] == 'O' && s[1] >= '0' && s[1] <= '9') {
        r->kind = READING_REQUEST;
        snprintf(r->reply, sizeof r->reply, "O%c", s[1]);
        snprintf(r->info, sizeof r->info, "command O%c", s[1]);
        return 0;
    }
    if (n == 1 && (s[0] == 'w' || s[0] == 's' || s[0] == 't')) {
        r->kind = READING_REQUEST;
        snprintf(r->reply, sizeof r->reply, "%c", s[0]);
        snprintf(r->info, sizeof r->info, "command %c", s[0]);
        return 0;
    }
    if (n != 13 && n != 12)
        return fail(r, "not a 14- or 15-byte frame");
    size_t nd = n == 13 ? 8 : 7;
    const uint8_t *u = s + 1 + nd;
    uint8_t p1 = s[0], s1 = u[2], s2 = u[3];
    /* Byte P1: sign */
    if (p1 != '+' && p1 != '-' && p1 != ' ')
        return fail(r, "bad sign byte P1");
    /* Byte S1: result type, checked as libsigrok does */
    if (s1 != 'L' && s1 != 'G' && s1 != 'H' && s1 != ' ')
        return fail(r, "bad result byte S1");
    /* Byte S2: status */
    if (s2 != 'S' && s2 != 'U' && s2 != 'E' && s2 != ' ')
        return fail(r, "bad status byte S2");
    const char *unit = NULL;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (u[0] == (uint8_t)units[i].code[0] && u[1] == (uint8_t)units[i].code[1])
            unit = units[i].unit;
    if (unit == NULL)
        return fail(r, "unknown unit");
    READING_SET(r, unit, unit);
    if (s2 == 'E') {
        /* o-Err/u-Err: the other fields are not reliable. */
        r->status = READING_STATUS_ERROR;
        snprintf(r->info, sizeof r->info, "data error (o-Err/u-Err)");
        return 0;
    }
    if (s2 == 'S' || s2 == 'U') {
        r->stable = s2 == 'S';
        r->stable_reported = true;
    }
    /* The digits with the sign from P1 in front. */
    char num[12];
    num[0] = p1 == '-' ? '-' : ' ';
    memcpy(num + 1, s + 1, nd);
    if (reading_set_text(r, num, nd + 1) < 0)
        return fail(r, "bad digits");
    return 0;
}

static enum frame_result frame(void *state, const uint8_t *buf, size_t len, bool at_end,
                               size_t *used, struct reading *out)
{
    (void)at_end;
    return drv_line_frame(state, buf, len, KERN_MAX_LINE, 2, parse_line, "kern", used, out);
}

static int command(void *state, enum driver_request req, uint8_t *buf, size_t size)
{
    (void)state;
    /* KERN's remote commands (EW/EG-N §8.3 [unconfirmed on other models]):
     * w: weight (stable), s: stable weight, t: tare; O1 is libsigrok's
     * "continuous output, stable and unstable". */
    switch (req) {
    case DRIVER_REQ_STABLE:
        return drv_put_line(buf, size, "s");
    case DRIVER_REQ_IMMEDIATE:
        return drv_put_line(buf, size, "w");
    case DRIVER_REQ_TARE:
        return drv_put_line(buf, size, "t");
    case DRIVER_REQ_CONTINUOUS:
        return drv_put_line(buf, size, "O1");
    default:
        return sc_error_set(SC_ERR_UNSUPPORTED, "kern: no such command");
    }
}

static int encode(void *state, const struct reading *r, uint8_t *buf, size_t size)
{
    (void)state;
    if (r->kind == READING_ACK)
        return drv_put_line(buf, size, "A00");
    if (r->kind == READING_REJECT)
        return drv_put_line(buf, size, "E01");
    if (r->kind != READING_VALUE)
        return sc_error_set(SC_ERR_UNSUPPORTED, "kern: cannot send a %s", reading_kind_name(r->kind));
    const char *code = NULL;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strcmp(units[i].unit, r->unit) == 0)
            code = units[i].code;
    if (code == NULL)
        return sc_error_set(SC_ERR_RANGE, "kern: no code for unit '%s'", r->unit);
    char line[24];
    if (r->status != READING_STATUS_OK || !r->has_value) {
        snprintf(line, sizeof line, " %8s%.2s E", "", code); /* o-Err / u-Err */
    } else {
        if (strlen(r->text) > 8)
            return sc_error_set(SC_ERR_RANGE, "kern: '%s' is wider than 8", r->text);
        /* P1 blank and the sign next to the digits, as libsigrok reads it
         * (its strtod stops at "-  12.5"; protocols.md d, quirk 1). */
        snprintf(line, sizeof line, " %8.8s%.2s %c", r->text, code,
                 !r->stable_reported ? ' ' : r->stable ? 'S' : 'U');
    }
    return drv_put_line(buf, size, line);
}

const struct driver driver_kern = {
    .name = "kern",
    .maker = "KERN",
    .description = "KERN EW/EG-N 14/15-byte output (libsigrok kern-ew-6200-2nm)",
    .serialcomm = "1200/8n2",
    .flags = DRIVER_COMMANDS | DRIVER_STREAMS,
    .max_frame = KERN_MAX_LINE + 2,
    .options_help = "",
    .frame = frame,
    .command = command,
    .encode = encode,
};
