#include "devices/reading.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "core/mass.h"

void reading_clear(struct reading *r)
{
    /* The fields before the strings; the strings empty (their first byte);
     * raw_len = 0 makes raw empty.  A parser clears a reading per frame. */
    memset(r, 0, offsetof(struct reading, text));
    r->text[0] = r->unit[0] = r->reply[0] = r->info[0] = '\0';
    r->raw_len = 0;
    r->kind = READING_VALUE;
    r->status = READING_STATUS_OK;
}

void reading_copy(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);
    if (n >= size)
        n = size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

int reading_set_text(struct reading *r, const char *text, size_t len)
{
    char buf[READING_TEXT_MAX];
    size_t n = 0, i = 0;
    int negative = 0, digits = 0, point = 0, scale = 0;
    uint64_t mant = 0;
    /* Padding is spaces (KERN, MT-SICS) or nothing (A&D zero-pads, which we
     * keep: "00123.45" is what the scale printed).  A sign may stand apart
     * from the digits (KERN's P1: "-  12.500"); it is moved next to them.
     * The exact value is made in the same pass (every frame goes through
     * here: no second parse). */
    while (i < len && text[i] == ' ')
        i++;
    if (i < len && (text[i] == '+' || text[i] == '-')) {
        negative = text[i] == '-';
        i++;
        while (i < len && text[i] == ' ')
            i++;
    }
    if (negative)
        buf[n++] = '-';
    for (; i < len && text[i] != ' '; i++) {
        char c = text[i];
        unsigned dgt = (unsigned)c - '0';
        if (dgt <= 9) {
            if (++digits > 18)
                return sc_error_set(SC_ERR_RANGE, "'%.*s': too many digits", (int)len, text);
            mant = mant * 10 + dgt;
            scale += point;
        } else if (c == '.' && !point) {
            point = 1;
        } else {
            return sc_error_set(SC_ERR_PARSE, "'%.*s': unexpected '%c'", (int)len, text,
                                c >= 0x20 && c < 0x7f ? c : '?');
        }
        if (n + 1 >= sizeof buf)
            return sc_error_set(SC_ERR_RANGE, "'%.*s': too long", (int)len, text);
        buf[n++] = c;
    }
    for (; i < len; i++)
        if (text[i] != ' ')
            return sc_error_set(SC_ERR_PARSE, "'%.*s': text after the number", (int)len, text);
    if (digits == 0)
        return sc_error_set(SC_ERR_PARSE, "'%.*s': no digits", (int)len, text);
    buf[n] = '\0';
    memcpy(r->text, buf, n + 1);
    r->value.mant = negative ? -(int64_t)mant : (int64_t)mant;
    r->value.scale = scale;
    r->has_value = true;
    return SC_OK;
}

void reading_set_decimal(struct reading *r, struct decimal d)
{
    /* The digits by hand (not snprintf): binary meters put every value
     * through here, and captures are decoded again in bulk. */
    char tmp[24];
    uint64_t mag = d.mant < 0 ? (uint64_t)0 - (uint64_t)d.mant : (uint64_t)d.mant;
    int n = 0, scale = d.scale < 0 ? 0 : d.scale > 18 ? 18 : d.scale;
    if (mag <= UINT32_MAX) {
        /* the usual size: 32-bit division, two digits a step */
        static const char pairs[] = "00010203040506070809101112131415161718192021222324"
                                    "25262728293031323334353637383940414243444546474849"
                                    "50515253545556575859606162636465666768697071727374"
                                    "75767778798081828384858687888990919293949596979899";
        uint32_t m = (uint32_t)mag;
        while (m >= 100) {
            const char *pr = pairs + 2 * (m % 100);
            tmp[n++] = pr[1];
            tmp[n++] = pr[0];
            m /= 100;
        }
        do {
            tmp[n++] = (char)('0' + m % 10);
            m /= 10;
        } while (m > 0);
        while (n <= scale)
            tmp[n++] = '0';
    } else {
        do {
            tmp[n++] = (char)('0' + mag % 10);
            mag /= 10;
        } while (mag > 0 || n <= scale);
    }
    size_t w = 0;
    if (d.mant < 0)
        r->text[w++] = '-';
    while (n > 0) {
        if (n == scale)
            r->text[w++] = '.';
        r->text[w++] = tmp[--n];
    }
    r->text[w] = '\0';
    r->value = d;
    r->has_value = true;
}

void reading_set_bad(struct reading *r, const char *fmt, ...)
{
    r->kind = READING_BAD;
    r->status = READING_STATUS_ERROR;
    r->has_value = false;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->info, sizeof r->info, fmt, ap);
    va_end(ap);
}

void reading_set_raw(struct reading *r, const uint8_t *bytes, size_t len)
{
    r->raw_len = len;
    memcpy(r->raw, bytes, len < READING_RAW_MAX ? len : READING_RAW_MAX);
}

const char *reading_kind_name(enum reading_kind kind)
{
    switch (kind) {
    case READING_VALUE: return "value";
    case READING_TARE: return "tare";
    case READING_ACK: return "ack";
    case READING_BUSY: return "busy";
    case READING_INFO: return "info";
    case READING_REJECT: return "reject";
    case READING_REQUEST: return "request";
    case READING_BAD: return "bad";
    }
    return "?";
}

const char *reading_status_name(enum reading_status status)
{
    switch (status) {
    case READING_STATUS_OK: return "ok";
    case READING_STATUS_OVERLOAD: return "overload";
    case READING_STATUS_UNDERLOAD: return "underload";
    case READING_STATUS_ERROR: return "error";
    case READING_STATUS_ABSENT: return "absent";
    }
    return "?";
}

/* Appends text at *n within size, always terminated. */
static void put(char *buf, size_t size, size_t *n, const char *text)
{
    while (*text && *n + 1 < size)
        buf[(*n)++] = *text++;
    buf[*n] = '\0';
}

size_t reading_format(const struct reading *r, char *buf, size_t size)
{
    size_t n = 0;
    if (size == 0)
        return 0;
    buf[0] = '\0';
    if ((r->kind == READING_VALUE || r->kind == READING_TARE) && !r->has_value &&
        r->status != READING_STATUS_OK) {
        /* Overload, underload, an absent item, a data error: the state is
         * the reading; no stability (a display out of range is not at rest). */
        if (r->kind == READING_TARE)
            put(buf, size, &n, "tare ");
        put(buf, size, &n, reading_status_name(r->status));
        if (r->info[0]) {
            put(buf, size, &n, ": ");
            put(buf, size, &n, r->info);
        }
        return n;
    }
    if (r->kind == READING_VALUE || r->kind == READING_TARE) {
        if (r->kind == READING_TARE)
            put(buf, size, &n, "tare ");
        if (r->has_value) {
            put(buf, size, &n, r->text);
            if (r->unit[0]) {
                put(buf, size, &n, " ");
                put(buf, size, &n, r->unit);
            }
        } else {
            put(buf, size, &n, "no value");
        }
        if (r->has_value && r->net)
            put(buf, size, &n, " net");
        if (r->stable_reported)
            put(buf, size, &n, r->stable ? " stable" : " unstable");
        if (r->has_tare) {
            char t[32];
            decimal_format(r->tare, t, sizeof t);
            put(buf, size, &n, " (tare ");
            put(buf, size, &n, t);
            put(buf, size, &n, ")");
        }
        /* A block's items say which they are (phase A, B, C ...). */
        if (r->parts > 0 && r->info[0]) {
            put(buf, size, &n, ": ");
            put(buf, size, &n, r->info);
        }
        return n;
    }
    put(buf, size, &n, reading_kind_name(r->kind));
    if (r->reply[0]) {
        put(buf, size, &n, " ");
        put(buf, size, &n, r->reply);
    }
    if (r->info[0]) {
        put(buf, size, &n, ": ");
        put(buf, size, &n, r->info);
    }
    return n;
}

/* Units of mass the scales' manuals list beside g and kg (A&D GX-A §7-2 and
 * EK-i §9-2 unit tables; KERN EW/EG-N §8.4.4; MT-SICS units; Sartorius
 * unit symbol tables: tlc, tlh, tls, tlt the Chinese, Hong Kong,
 * Singapore and Taiwan taels, tol the tola, bat the baht; OHAUS: tical),
 * in the spellings our drivers hand on, lower case. */
static const char *const unlawful_units[] = {
    "lb", "lbs", "oz", "ozt", "ct", "dwt", "gr", "gn", "mom", "momme", "tl", "tl.g", "tael", "tola",
    "tlc", "tlh", "tls", "tlt", "tol", "tical", "bat",
};

int reading_unit_unlawful(const char *unit)
{
    /* Every frame asks: g and kg, nearly all of them, are let through
     * without the table (none of its units has one letter or starts
     * with k). */
    if (unit[0] == '\0' || unit[1] == '\0' || unit[0] == 'k' || unit[0] == 'K')
        return 0;
    char low[READING_UNIT_MAX];
    size_t n = 0;
    for (; unit[n] && n + 1 < sizeof low; n++)
        low[n] = (char)(unit[n] >= 'A' && unit[n] <= 'Z' ? unit[n] + 32 : unit[n]);
    low[n] = '\0';
    for (size_t i = 0; i < sizeof unlawful_units / sizeof unlawful_units[0]; i++)
        if (strcmp(low, unlawful_units[i]) == 0)
            return 1;
    return 0;
}

int reading_refuse_unlawful_unit(struct reading *r)
{
    if (!r->has_value || r->unit[0] == '\0' || !reading_unit_unlawful(r->unit))
        return 0;
    char text[READING_TEXT_MAX];
    memcpy(text, r->text, sizeof text);
    snprintf(r->info, sizeof r->info,
             "%.16s %.6s: %.6s is not a legal unit of mass in China; set the scale to g or kg", text,
             r->unit, r->unit);
    r->status = READING_STATUS_ERROR;
    r->has_value = false;
    r->has_tare = false;
    r->stable = false;
    r->text[0] = '\0';
    return 1;
}

int reading_mass_ug(const struct reading *r, int64_t *ug)
{
    if (!r->has_value)
        return sc_error_set(SC_ERR_ARG, "the reading has no value");
    int64_t unit = mass_unit(r->unit);
    if (unit <= 0 && reading_unit_unlawful(r->unit))
        return sc_error_set(SC_ERR_ARG, "%s is not a legal unit of mass in China; set the scale "
                                        "to g or kg", r->unit);
    if (unit <= 0)
        return sc_error_set(SC_ERR_ARG, "'%s' is not a unit of mass", r->unit);
    return mass_from_decimal(r->value, unit, ug);
}
