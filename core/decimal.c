#include "core/decimal.h"

#include <stdio.h>
#include <string.h>

#include "core/error.h"

static int mul10_add(int64_t *v, int digit)
{
    if (*v > (INT64_MAX - digit) / 10)
        return -1;
    *v = *v * 10 + digit;
    return 0;
}

int decimal_parse(const char *text, struct decimal *out, const char **end)
{
    const char *p = text;
    if (text == NULL)
        return sc_error_set(SC_ERR_ARG, "no number given");
    while (*p == ' ')
        p++;
    int negative = 0;
    if (*p == '+' || *p == '-') {
        negative = *p == '-';
        p++;
    }
    int64_t mant = 0;
    int scale = 0, digits = 0, seen_point = 0;
    for (;; p++) {
        if (*p >= '0' && *p <= '9') {
            if (mul10_add(&mant, *p - '0') < 0)
                return sc_error_set(SC_ERR_RANGE, "'%s': too many digits", text);
            digits++;
            if (seen_point && ++scale > DECIMAL_MAX_SCALE)
                return sc_error_set(SC_ERR_RANGE, "'%s': too many decimals", text);
        } else if (*p == '.' && !seen_point) {
            seen_point = 1;
        } else {
            break;
        }
    }
    if (digits == 0)
        return sc_error_set(SC_ERR_PARSE, "'%s': not a number", text);
    if (end != NULL) {
        *end = p;
    } else {
        while (*p == ' ')
            p++;
        if (*p != '\0')
            return sc_error_set(SC_ERR_PARSE, "'%s': unexpected '%c'", text, *p);
    }
    out->mant = negative ? -mant : mant;
    out->scale = scale;
    return SC_OK;
}

int decimal_rescale(struct decimal d, int scale, int64_t *out)
{
    int64_t v = d.mant;
    if (scale < 0 || scale > DECIMAL_MAX_SCALE)
        return sc_error_set(SC_ERR_RANGE, "scale %d out of range", scale);
    for (int s = d.scale; s < scale; s++) {
        if (v > INT64_MAX / 10 || v < INT64_MIN / 10)
            return sc_error_set(SC_ERR_RANGE, "value too large");
        v *= 10;
    }
    for (int s = d.scale; s > scale; s--) {
        if (v % 10 != 0)
            return sc_error_set(SC_ERR_RANGE, "value has more decimals than %d", scale);
        v /= 10;
    }
    *out = v;
    return SC_OK;
}

static int format_fixed(int64_t v, int scale, int trim, char *buf, size_t size)
{
    char digits[32];
    /* Work on the magnitude as unsigned so INT64_MIN prints too. */
    uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    int n = snprintf(digits, sizeof digits, "%0*llu", scale + 1, (unsigned long long)mag);
    int int_len = n - scale;
    int frac_len = scale;
    if (trim)
        while (frac_len > 0 && digits[int_len + frac_len - 1] == '0')
            frac_len--;
    int w = snprintf(buf, size, "%s%.*s%s%.*s", v < 0 ? "-" : "", int_len, digits,
                     frac_len > 0 ? "." : "", frac_len, digits + int_len);
    if (w < 0 || (size_t)w >= size)
        return sc_error_set(SC_ERR_RANGE, "buffer too small");
    return w;
}

int decimal_format(struct decimal d, char *buf, size_t size)
{
    return format_fixed(d.mant, d.scale, 0, buf, size);
}

int decimal_format_trim(int64_t v, int scale, char *buf, size_t size)
{
    return format_fixed(v, scale, 1, buf, size);
}

int decimal_cmp(struct decimal a, struct decimal b)
{
    int scale = a.scale > b.scale ? a.scale : b.scale;
    int64_t x, y;
    /* Rescaling up only fails on overflow; fall back to comparing signs. */
    if (decimal_rescale(a, scale, &x) < 0 || decimal_rescale(b, scale, &y) < 0)
        return (a.mant > b.mant) - (a.mant < b.mant);
    return (x > y) - (x < y);
}
