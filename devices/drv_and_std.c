/* A&D standard data format (GX-A communication manual §7-2; FX-i manual
 * §18; GC manual §16.2; GH manual §10.6):
 *
 *   idx  0-1  header: ST stable, US unstable, QT stable count, OL out of range
 *        2    ','
 *        3-11 data: polarity sign then digits and point, zero-padded (9)
 *        12-14 unit, right-aligned with spaces ("  g", " kg", " PC")
 *        15-16 CR LF
 *
 * Beside the plain line:
 *   - out of range, OL: "OL,+9999999E+19" (overload, positive error) and
 *     "OL,-9999999E+19" (negative error) with no unit in the standard format
 *     (GH manual §10.6, data format examples); indicators print their
 *     display's digits instead ("OL,+9999.999 kg", HC-i manual; GC §16.2)
 *   - CSV format (5if type 5): a comma between data and unit, the unit sent
 *     even when overloaded: "ST,+0001.278,  g" (FX-700CT, HR-A specifications)
 *   - a comparison header after the first (GC §16.2): LO, OK, HI or --:
 *     "ST,OK,+0001.234 kg"
 *   - replies to the queries (HR-A manual §17-1, FX-i §18.1): ?PT the tare
 *     "PT,+000.0000  g", ?SN "SN,6A7609446", ?TN "TN,   HR-100A", ?ID "ID,..."
 *   - with "AK, error code" on (erCd 1): <AK> 0x06 alone, or "EC,Exx": two
 *     digits (HR-A manual §19-2, FX-i §18.2: E00 ... E21); one digit also read
 *   - the indicators' form (AD-4404 manual §9.2.6 "A&D Data Format", as the
 *     AD-4325 sends it): a second header GS gross, NT net or TR tare, then
 *     the sign and 7 characters and a 2-character unit (kg, g or t, the
 *     tonne): "ST,NT,+0012.34kg"; out of range the header is LO (or OL) and
 *     the digits are spaces.  KERN's indicators send the same headers with
 *     9 characters of data and a 4-character unit ("ST,GS,+0123.456  kg",
 *     KXS-TM manual §14.1): the data and the unit are read by their
 *     characters, not their widths.
 * A bare "t" in the balances' 3-character unit is the tola (EK-i and EJ
 * manuals, unit list: "t: tola"), not the tonne of the indicators. */
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "devices/driver.h"
#include "devices/drv_util.h"

#define AND_MAX_LINE 64

static int fail(struct reading *r, const char *why)
{
    READING_SET(r, info, why);
    return -1;
}

/* EC,Exx: the error codes of FX-i §18.2 and HR-A §19-2. */
static const char *ec_reason(unsigned code)
{
    switch (code) {
    case 0: return "communication error (parity, framing)";
    case 1: return "undefined command";
    case 2: return "not ready";
    case 3: return "timeout";
    case 4: return "excess characters";
    case 6: return "format error";
    case 7: return "value out of range (parameter setting error)";
    case 11: return "stability error";
    case 20: return "calibration weight error: too heavy";
    case 21: return "calibration weight error: too light";
    default: return "unknown error code";
    }
}

static int hdr_is(const uint8_t *s, const char *h)
{
    return s[0] == (uint8_t)h[0] && s[1] == (uint8_t)h[1];
}

/* Host commands, seen when a capture holds both ways. */
static int parse_command(const uint8_t *s, size_t n, struct reading *r)
{
    static const char *const commands[] = {"Q", "S", "SI", "SIR", "C", "R", "Z", "T", "P",
                                           "ON", "OFF", "CAL", "?ID", "?SN", "?TN", "?PT"};
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (n == strlen(commands[i]) && memcmp(s, commands[i], n) == 0) {
            r->kind = READING_REQUEST;
            READING_SET(r, reply, commands[i]);
            memcpy(r->info, "command ", 8);
            reading_copy(r->info + 8, sizeof r->info - 8, commands[i]);
            return 0;
        }
    }
    return -1;
}

/* The 3-character unit at u (right-aligned), into r->unit. */
static int parse_unit(const uint8_t *u, struct reading *r)
{
    size_t un = 0;
    for (int i = 0; i < 3; i++) {
        if (u[i] == ' ') {
            if (un > 0)
                return fail(r, "space inside the unit");
            continue;
        }
        if (u[i] < 0x21 || u[i] > 0x7e)
            return fail(r, "bad character in the unit");
        r->unit[un++] = (char)u[i];
    }
    r->unit[un] = '\0';
    if (un == 2 && r->unit[0] == 'P' && r->unit[1] == 'C')
        memcpy(r->unit, "pcs", 4);
    else if (un == 1 && r->unit[0] == 't')
        memcpy(r->unit, "tola", 5);
    return 0;
}

/* The indicators' line after "H1,H2,": the sign, the data (digits, one
 * point, spaces where the display is blank), then the unit. */
static int parse_indicator(const uint8_t *s, size_t n, struct reading *r)
{
    const uint8_t *d = s + 6;
    size_t rest = n - 6, i = 1, digits = 0;
    if (rest == 0 || (d[0] != '+' && d[0] != '-' && d[0] != ' '))
        return fail(r, "no polarity sign");
    while (i < rest && ((unsigned)d[i] - '0' <= 9 || d[i] == '.' || d[i] == ' '))
        digits += (unsigned)d[i++] - '0' <= 9;
    size_t data_end = i;
    while (data_end > 1 && d[data_end - 1] == ' ')
        data_end--;
    size_t un = rest - i;
    if (un >= sizeof r->unit)
        return fail(r, "unit too long");
    for (size_t k = i; k < rest; k++)
        if (d[k] < 0x21 || d[k] > 0x7e)
            return fail(r, "bad character in the unit");
    memcpy(r->unit, d + i, un);
    r->unit[un] = '\0';
    if (strcmp(r->unit, "PC") == 0 || strcmp(r->unit, "PCS") == 0 || strcmp(r->unit, "pcs") == 0)
        memcpy(r->unit, "pcs", 4);
    else if (strcmp(r->unit, "KG") == 0)
        memcpy(r->unit, "kg", 3);
    if (hdr_is(s + 3, "NT"))
        r->net = true;
    else if (hdr_is(s + 3, "TR"))
        r->kind = READING_TARE;
    r->stable_reported = r->kind == READING_VALUE;
    if (hdr_is(s, "OL") || hdr_is(s, "LO")) {
        /* Out of range: no weight; the sign tells over from under. */
        r->status = d[0] == '-' ? READING_STATUS_UNDERLOAD : READING_STATUS_OVERLOAD;
        r->stable = false;
        drv_printable(r->info, sizeof r->info, s, 6 + data_end);
        return 0;
    }
    if (hdr_is(s, "ST"))
        r->stable = true;
    else if (!hdr_is(s, "US"))
        return fail(r, "unknown header");
    if (digits > 0 && reading_set_text(r, (const char *)d, data_end) == 0)
        return 0;
    if (!reading_unit_unlawful(r->unit))
        return fail(r, "bad data field");
    /* KERN's tael display "1.23.456" (liang, qian, fen): no decimal, and
     * refused for its unit as any tael is. */
    r->status = READING_STATUS_ERROR;
    r->stable = false;
    snprintf(r->info, sizeof r->info, "%.6s: not a legal unit of mass in China; set the scale to g or kg",
             r->unit);
    return 0;
}

/* Sign, then 8 characters of digits with at most one point. */
static int check_data(const uint8_t *d, struct reading *r)
{
    if (d[0] != '+' && d[0] != '-')
        return fail(r, "no polarity sign");
    int digits = 0, points = 0;
    for (int i = 1; i < 9; i++) {
        if ((unsigned)d[i] - '0' <= 9)
            digits++;
        else if (d[i] == '.')
            points++;
        else
            return fail(r, "bad character in the data field");
    }
    if (digits == 0 || points > 1)
        return fail(r, "bad data field");
    return 0;
}

/* Text after "XX," as info: "serial number 6A7609446". */
static void set_info_text(struct reading *r, const char *what, const uint8_t *t, size_t n)
{
    while (n > 0 && *t == ' ') {
        t++;
        n--;
    }
    while (n > 0 && t[n - 1] == ' ')
        n--;
    size_t w = strlen(what);
    if (n > sizeof r->info - w - 2)
        n = sizeof r->info - w - 2;
    memcpy(r->info, what, w);
    r->info[w] = ' ';
    for (size_t i = 0; i < n; i++)
        r->info[w + 1 + i] = t[i] >= 0x20 && t[i] < 0x7f ? (char)t[i] : '.';
    r->info[w + 1 + n] = '\0';
}

static int parse_line(void *state, const uint8_t *s, size_t n, struct reading *r)
{
    (void)state;
    if (n < 3 || s[2] != ',')
        return parse_command(s, n, r) == 0 ? 0 : fail(r, n < 15 ? "frame too short" : "no comma after the header");
    r->reply[0] = (char)s[0];
    r->reply[1] = (char)s[1];
    r->reply[2] = '\0';
    if (hdr_is(s, "EC")) {
        /* EC,Ex or EC,Exx */
        if ((n == 5 || n == 6) && s[3] == 'E' && (unsigned)s[4] - '0' <= 9 &&
            (n == 5 || (unsigned)s[5] - '0' <= 9)) {
            unsigned code = n == 5 ? (unsigned)(s[4] - '0') : (unsigned)(s[4] - '0') * 10 + (unsigned)(s[5] - '0');
            r->kind = READING_REJECT;
            r->status = READING_STATUS_ERROR;
            char id[4] = {'E', (char)s[4], n == 6 ? (char)s[5] : '\0', '\0'};
            size_t w = strlen(id);
            memcpy(r->info, id, w);
            r->info[w] = ' ';
            reading_copy(r->info + w + 1, sizeof r->info - w - 1, ec_reason(code));
            return 0;
        }
        return fail(r, "error reply not EC,Exx");
    }
    if (hdr_is(s, "SN") || hdr_is(s, "TN") || hdr_is(s, "ID")) {
        r->kind = READING_INFO;
        set_info_text(r, s[0] == 'S' ? "serial number" : s[0] == 'T' ? "model" : "ID number", s + 3, n - 3);
        return 0;
    }
    if (n >= 8 && s[5] == ',' &&
        (hdr_is(s + 3, "GS") || hdr_is(s + 3, "NT") || hdr_is(s + 3, "TR")))
        return parse_indicator(s, n, r);
    size_t off = 3;
    char cmp[3] = "";
    /* GC's comparison header: LO, OK, HI or -- and a comma. */
    if (n >= 18 && s[5] == ',' && (hdr_is(s + 3, "LO") || hdr_is(s + 3, "OK") ||
                                   hdr_is(s + 3, "HI") || hdr_is(s + 3, "--"))) {
        cmp[0] = (char)s[3];
        cmp[1] = (char)s[4];
        off = 6;
    }
    size_t rest = n - off;
    if (hdr_is(s, "OL")) {
        /* Out of range: the data field is no weight.  The sign tells the
         * positive (overload) from the negative error (GH §10.6). */
        if (rest == 0 || (s[off] != '+' && s[off] != '-'))
            return fail(r, "no polarity sign");
        r->status = s[off] == '-' ? READING_STATUS_UNDERLOAD : READING_STATUS_OVERLOAD;
        r->stable_reported = true;
        r->stable = false;
        /* The data: "+9999999E+19" (12) in the balances' standard and CSV
         * formats, the display's 9 characters on indicators; then maybe a
         * unit, after a comma in CSV. */
        size_t data = rest >= 12 && memcmp(s + off + 1, "9999999E+19", 11) == 0 ? 12 : 9;
        if (data > rest)
            data = rest;
        if (rest == data + 3)
            parse_unit(s + off + data, r);
        else if (rest == data + 4 && s[off + data] == ',')
            parse_unit(s + off + data + 1, r);
        size_t show = off + data < sizeof r->info ? off + data : sizeof r->info - 1;
        for (size_t i = 0; i < show; i++)
            r->info[i] = s[i] >= 0x20 && s[i] < 0x7f ? (char)s[i] : '.';
        r->info[show] = '\0';
        return 0;
    }
    /* Data: 9 characters, then the unit (3), or CSV ", unit". */
    const uint8_t *u;
    if (rest == 12)
        u = s + off + 9;
    else if (rest == 13 && s[off + 9] == ',')
        u = s + off + 10;
    else
        return fail(r, rest < 12 ? "frame too short" : "frame too long");
    if (check_data(s + off, r) < 0 || parse_unit(u, r) < 0)
        return -1;
    if (hdr_is(s, "ST") || hdr_is(s, "QT")) {
        r->stable = true;
    } else if (hdr_is(s, "US")) {
        r->stable = false;
    } else if (hdr_is(s, "PT")) {
        r->kind = READING_TARE; /* the reply to ?PT: the tare in use */
    } else {
        return fail(r, "unknown header");
    }
    r->stable_reported = r->kind == READING_VALUE;
    if (reading_set_text(r, (const char *)s + off, 9) < 0)
        return fail(r, "bad data field");
    if (cmp[0]) {
        memcpy(r->info, "comparison ", 11);
        memcpy(r->info + 11, cmp, 3);
    }
    return 0;
}

static enum frame_result frame(void *state, const uint8_t *buf, size_t len, bool at_end,
                               size_t *used, struct reading *out)
{
    if (buf[0] == 0x06) {
        /* <AK>: a control command was accepted (or completed). */
        out->kind = READING_ACK;
        memcpy(out->reply, "AK", 3);
        *used = 1;
        return FRAME_OK;
    }
    /* A line ended by CR alone (the indicators' terminator "CR or CR + LF",
     * AD-4404 §9.2.6): the byte after the CR tells; at the end of the
     * bytes, wait for it. */
    size_t scan = len < AND_MAX_LINE + 2 ? len : AND_MAX_LINE + 2;
    size_t c = 0;
    while (c < scan && buf[c] != '\r' && buf[c] != '\n')
        c++;
    if (c > 0 && c < scan && buf[c] == '\r') {
        if (c + 1 == len && !at_end)
            return FRAME_NEED_MORE;
        if (c + 1 == len || buf[c + 1] != '\n') {
            *used = c + 1;
            if (parse_line(state, buf, c, out) < 0) {
                char why[READING_INFO_MAX], txt[64];
                memcpy(why, out->info, sizeof why);
                reading_clear(out);
                drv_printable(txt, sizeof txt, buf, c);
                reading_set_bad(out, "and-std: '%s': %s", txt, why[0] ? why : "not a frame");
            }
            return FRAME_OK;
        }
    }
    return drv_line_frame(state, buf, len, AND_MAX_LINE, 5, parse_line, "and-std", used, out);
}

static int command(void *state, enum driver_request req, uint8_t *buf, size_t size)
{
    (void)state;
    static const char *const cmds[DRIVER_REQ_COUNT] = {
        [DRIVER_REQ_STABLE] = "S",   [DRIVER_REQ_IMMEDIATE] = "Q",
        [DRIVER_REQ_ZERO] = "Z",     [DRIVER_REQ_TARE] = "T",
        [DRIVER_REQ_IDENTIFY] = "?TN", [DRIVER_REQ_SERIAL] = "?SN",
        [DRIVER_REQ_CONTINUOUS] = "SIR", [DRIVER_REQ_STOP] = "C",
    };
    if ((unsigned)req >= DRIVER_REQ_COUNT || cmds[req] == NULL)
        return sc_error_set(SC_ERR_UNSUPPORTED, "and-std: no such command");
    return drv_put_line(buf, size, cmds[req]);
}

/* The data field: the polarity sign, then 8 zero-padded characters. */
static int put_data(const struct reading *r, char *data, size_t size)
{
    const char *mag = drv_magnitude(r);
    size_t m = strlen(mag);
    if (m > 8)
        return sc_error_set(SC_ERR_RANGE, "and-std: '%s' is wider than 8", mag);
    snprintf(data, size, "%c%.*s%s", r->text[0] == '-' ? '-' : '+', (int)(8 - m), "00000000", mag);
    return SC_OK;
}

static int encode(void *state, const struct reading *r, uint8_t *buf, size_t size)
{
    (void)state;
    char line[READING_INFO_MAX + 16], data[24];
    const char *unit = strcmp(r->unit, "pcs") == 0 ? "PC" : r->unit;
    if (strlen(unit) > 3)
        return sc_error_set(SC_ERR_RANGE, "and-std: unit '%s' is wider than 3", unit);
    switch (r->kind) {
    case READING_ACK:
        if (size < 1)
            return sc_error_set(SC_ERR_RANGE, "frame does not fit");
        buf[0] = 0x06;
        return 1;
    case READING_BUSY:
        return drv_put_line(buf, size, "EC,E02"); /* not ready (FX-i §18.2) */
    case READING_REJECT:
        /* reply "E11" (or "E1"): that code, else E01 undefined command */
        snprintf(line, sizeof line, "EC,%.3s", r->reply[0] == 'E' ? r->reply : "E01");
        return drv_put_line(buf, size, line);
    case READING_INFO:
        /* replies to ?SN, ?TN, ?ID (HR-A §17-1): the model right-aligned */
        if (strcmp(r->reply, "TN") == 0)
            snprintf(line, sizeof line, "TN,%10s", r->info);
        else
            snprintf(line, sizeof line, "%.2s,%s", r->reply[0] ? r->reply : "ID", r->info);
        return drv_put_line(buf, size, line);
    case READING_TARE:
        /* the reply to ?PT: the tare in use, as a data line */
        if (!r->has_value || put_data(r, data, sizeof data) < 0)
            return sc_error_set(SC_ERR_RANGE, "and-std: a tare reply needs a value of 8 characters");
        snprintf(line, sizeof line, "PT,%s%3s", data, unit);
        return drv_put_line(buf, size, line);
    case READING_VALUE:
        break;
    default:
        return sc_error_set(SC_ERR_UNSUPPORTED, "and-std: cannot send a %s", reading_kind_name(r->kind));
    }
    if (r->status == READING_STATUS_OVERLOAD || r->status == READING_STATUS_UNDERLOAD) {
        /* The standard format's out-of-range lines (GH §10.6). */
        snprintf(line, sizeof line, "OL,%c9999999E+19",
                 r->status == READING_STATUS_OVERLOAD ? '+' : '-');
        return drv_put_line(buf, size, line);
    }
    if (!r->has_value)
        return sc_error_set(SC_ERR_ARG, "and-std: a value line needs a value");
    if (put_data(r, data, sizeof data) < 0)
        return sc_error_code();
    const char *hdr = strcmp(unit, "PC") == 0 ? "QT" : r->stable ? "ST" : "US";
    snprintf(line, sizeof line, "%s,%s%3s", hdr, data, unit);
    return drv_put_line(buf, size, line);
}

const struct driver driver_and_std = {
    .name = "and-std",
    .maker = "A&D",
    .description = "A&D standard format: ST/US/QT/OL/PT/SN/TN lines, EC,Exx errors; Q, S, Z, T, "
                   "SIR, C, ?SN, ?TN",
    .serialcomm = "2400/7e1",
    .flags = DRIVER_COMMANDS | DRIVER_STREAMS | DRIVER_7BIT,
    .max_frame = AND_MAX_LINE + 2,
    .options_help = "",
    .frame = frame,
    .command = command,
    .encode = encode,
};
