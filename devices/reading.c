#include "devices/reading.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "core/mass.h"

void reading_clear(struct reading *r)
{
    memset(r, 0, sizeof *r);
    r->kind = READING_VALUE;
    r->status = READING_STATUS_OK;
}

int reading_set_text(struct reading *r, const char *text, size_t len)
{
    char buf[READING_TEXT_MAX];
    size_t n = 0, i = 0;
    int negative = 0, digits = 0, point = 0;
    /* Padding is spaces (KERN, MT-SICS) or nothing (A&D zero-pads, which we
     * keep: "00123.45" is what the scale printed).  A sign may stand apart
     * from the digits (KERN's P1: "-  12.500"); it is moved next to them. */
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
        if (c >= '0' && c <= '9')
            digits++;
        else if (c == '.' && !point)
            point = 1;
        else
            return sc_error_set(SC_ERR_PARSE, "'%.*s': unexpected '%c'", (int)len, text,
                                c >= 0x20 && c < 0x7f ? c : '?');
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
    struct decimal d;
    int rc = decimal_parse(buf, &d, NULL);
    if (rc < 0)
        return rc;
    memcpy(r->text, buf, n + 1);
    r->value = d;
    r->has_value = true;
    return SC_OK;
}

void reading_set_decimal(struct reading *r, struct decimal d)
{
    decimal_format(d, r->text, sizeof r->text);
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
    }
    return "?";
}

int reading_mass_ug(const struct reading *r, int64_t *ug)
{
    if (!r->has_value)
        return sc_error_set(SC_ERR_ARG, "the reading has no value");
    int64_t unit = mass_unit(r->unit);
    if (unit <= 0)
        return sc_error_set(SC_ERR_ARG, "'%s' is not a unit of mass", r->unit);
    return mass_from_decimal(r->value, unit, ug);
}
