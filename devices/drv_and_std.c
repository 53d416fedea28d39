/* A&D standard data format (protocols.md b; GX-A communication manual §7-2,
 * FX-i manual §18):
 *
 *   idx  0-1  header: ST stable, US unstable, QT stable count, OL overload
 *        2    ','
 *        3-11 data: polarity sign then digits and point, zero-padded (9)
 *        12-14 unit, right-aligned with spaces ("  g", " kg", " PC")
 *        15-16 CR LF
 *
 * Replies with "AK, error code" on: <AK> 0x06 alone, or "EC,Exx" CR LF. */
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "devices/driver.h"
#include "devices/drv_util.h"

#define AND_FRAME 15   /* without CR LF */
#define AND_MAX_LINE 64

static int fail(struct reading *r, const char *why)
{
    snprintf(r->info, sizeof r->info, "%s", why);
    return -1;
}

static const char *ec_reason(char c)
{
    switch (c) {
    case '0': return "E0 communication error (parity, framing)";
    case '1': return "E1 undefined command";
    case '2': return "E2 not ready";
    case '4': return "E4 too many characters";
    case '6': return "E6 format error";
    case '7': return "E7 value out of range";
    default: return "unknown error code";
    }
}

static int parse_line(void *state, const uint8_t *s, size_t n, struct reading *r)
{
    (void)state;
    if (n == 5 && memcmp(s, "EC,E", 4) == 0 && s[4] >= '0' && s[4] <= '9') {
        r->kind = READING_REJECT;
        r->status = READING_STATUS_ERROR;
        snprintf(r->reply, sizeof r->reply, "EC");
        snprintf(r->info, sizeof r->info, "%s", ec_reason((char)s[4]));
        return 0;
    }
    static const char *const commands[] = {"Q", "S", "SI", "SIR", "C", "R", "Z", "T", "P",
                                           "ON", "OFF", "CAL", "?ID", "?SN", "?TN", "?PT"};
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (n == strlen(commands[i]) && memcmp(s, commands[i], n) == 0) {
            r->kind = READING_REQUEST; /* a host command in a two-way capture */
            snprintf(r->reply, sizeof r->reply, "%s", commands[i]);
            snprintf(r->info, sizeof r->info, "command %s", commands[i]);
            return 0;
        }
    }
    if (n != AND_FRAME)
        return fail(r, n < AND_FRAME ? "frame too short" : "frame too long");
    if (s[2] != ',')
        return fail(r, "no comma after the header");
    /* Data: sign, then 8 characters of digits and at most one point. */
    if (s[3] != '+' && s[3] != '-')
        return fail(r, "no polarity sign");
    int digits = 0, points = 0;
    for (int i = 4; i < 12; i++) {
        if (s[i] >= '0' && s[i] <= '9')
            digits++;
        else if (s[i] == '.')
            points++;
        else
            return fail(r, "bad character in the data field");
    }
    if (digits == 0 || points > 1)
        return fail(r, "bad data field");
    /* Unit: right-aligned printable text. */
    char unit[4];
    size_t un = 0;
    for (int i = 12; i < 15; i++) {
        if (s[i] == ' ') {
            if (un > 0)
                return fail(r, "space inside the unit");
            continue;
        }
        if (s[i] < 0x21 || s[i] > 0x7e)
            return fail(r, "bad character in the unit");
        unit[un++] = (char)s[i];
    }
    unit[un] = '\0';
    if (strcmp(unit, "PC") == 0)
        snprintf(r->unit, sizeof r->unit, "pcs");
    else
        snprintf(r->unit, sizeof r->unit, "%s", unit);
    char hdr[3] = {(char)s[0], (char)s[1], '\0'};
    snprintf(r->reply, sizeof r->reply, "%s", hdr);
    r->stable_reported = true;
    if (strcmp(hdr, "OL") == 0) {
        /* Out of range: the data field is not a weight (HC-i example). */
        r->status = READING_STATUS_OVERLOAD;
        r->stable = false;
        snprintf(r->info, sizeof r->info, "overload; data field %.9s", (const char *)s + 3);
        return 0;
    }
    if (strcmp(hdr, "ST") == 0 || strcmp(hdr, "QT") == 0)
        r->stable = true;
    else if (strcmp(hdr, "US") == 0)
        r->stable = false;
    else
        return fail(r, "unknown header");
    if (reading_set_text(r, (const char *)s + 3, 9) < 0)
        return fail(r, "bad data field");
    return 0;
}

static enum frame_result frame(void *state, const uint8_t *buf, size_t len, bool at_end,
                               size_t *used, struct reading *out)
{
    (void)at_end;
    if (buf[0] == 0x06) {
        /* <AK>: a control command was accepted (or completed). */
        out->kind = READING_ACK;
        snprintf(out->reply, sizeof out->reply, "AK");
        *used = 1;
        return FRAME_OK;
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

static int encode(void *state, const struct reading *r, uint8_t *buf, size_t size)
{
    (void)state;
    char line[40];
    if (r->kind == READING_ACK) {
        if (size < 1)
            return sc_error_set(SC_ERR_RANGE, "frame does not fit");
        buf[0] = 0x06;
        return 1;
    }
    if (r->kind == READING_BUSY || r->kind == READING_REJECT) {
        /* E2 not ready: what a busy scale answers */
        snprintf(line, sizeof line, "EC,%.2s",
                 r->kind == READING_BUSY ? "E2" : r->reply[0] == 'E' ? r->reply : "E1");
        return drv_put_line(buf, size, line);
    }
    if (r->kind != READING_VALUE)
        return sc_error_set(SC_ERR_UNSUPPORTED, "and-std: cannot send a %s", reading_kind_name(r->kind));
    const char *unit = strcmp(r->unit, "pcs") == 0 ? "PC" : r->unit;
    if (strlen(unit) > 3)
        return sc_error_set(SC_ERR_RANGE, "and-std: unit '%s' is wider than 3", unit);
    char data[24];
    if (r->status != READING_STATUS_OK || !r->has_value) {
        snprintf(data, sizeof data, "+9999.999"); /* as the HC-i sends with OL */
    } else {
        /* The polarity sign, then 8 zero-padded characters. */
        const char *mag = drv_magnitude(r);
        size_t m = strlen(mag);
        if (m > 8)
            return sc_error_set(SC_ERR_RANGE, "and-std: '%s' is wider than 8", mag);
        snprintf(data, sizeof data, "%c%.*s%s", r->text[0] == '-' ? '-' : '+', (int)(8 - m),
                 "00000000", mag);
    }
    const char *hdr = r->status != READING_STATUS_OK ? "OL"
                      : strcmp(unit, "PC") == 0  ? "QT"
                      : r->stable                ? "ST" : "US";
    snprintf(line, sizeof line, "%s,%s%3s", hdr, data, unit);
    return drv_put_line(buf, size, line);
}

const struct driver driver_and_std = {
    .name = "and-std",
    .maker = "A&D",
    .description = "A&D standard format: ST/US/QT/OL headers; Q, S, Z, T, SIR, C",
    .serialcomm = "2400/7e1",
    .flags = DRIVER_COMMANDS | DRIVER_STREAMS,
    .max_frame = AND_MAX_LINE + 2,
    .options_help = "",
    .frame = frame,
    .command = command,
    .encode = encode,
};
