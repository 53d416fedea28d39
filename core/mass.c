#include "core/mass.h"

#include <stdio.h>
#include <string.h>

#include "core/decimal.h"
#include "core/error.h"

static const struct {
    const char *symbol;
    int64_t ug;
} units[] = {
    {"ug", MASS_UG}, {"\xc2\xb5g", MASS_UG}, {"\xce\xbcg", MASS_UG},
    {"mg", MASS_MG}, {"g", MASS_G}, {"kg", MASS_KG},
    {"t", 1000 * MASS_KG},
    /* 市制 units still used at market stalls: 1 斤 = 500 g, 1 两 = 50 g. */
    {"\xe6\x96\xa4", 500 * MASS_G}, {"jin", 500 * MASS_G},
    {"\xe4\xb8\xa4", 50 * MASS_G}, {"liang", 50 * MASS_G},
};

int64_t mass_unit(const char *symbol)
{
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strcmp(units[i].symbol, symbol) == 0)
            return units[i].ug;
    return 0;
}

int mass_parse(const char *text, int64_t default_unit, int64_t *out_ug)
{
    struct decimal d;
    const char *end;
    if (decimal_parse(text, &d, &end) < 0)
        return sc_error_set(SC_ERR_PARSE, "'%s': not a mass (try 15kg, 5g, 500mg)",
                            text ? text : "");
    while (*end == ' ')
        end++;
    char symbol[16];
    size_t n = strlen(end);
    while (n > 0 && end[n - 1] == ' ')
        n--;
    if (n >= sizeof symbol)
        return sc_error_set(SC_ERR_PARSE, "'%s': unknown unit", text);
    memcpy(symbol, end, n);
    symbol[n] = '\0';
    int64_t unit = n == 0 ? default_unit : mass_unit(symbol);
    if (unit == 0)
        return sc_error_set(SC_ERR_PARSE, n == 0 ? "'%s': a unit is needed (g, kg, mg)"
                                                 : "'%s': unknown unit", text);
    int rc = mass_from_decimal(d, unit, out_ug);
    if (rc < 0) {
        char why[64];
        snprintf(why, sizeof why, "%s", sc_error_message());
        return sc_error_set(rc, "'%s': %s", text, why);
    }
    return SC_OK;
}

int mass_from_decimal(struct decimal d, int64_t unit, int64_t *out_ug)
{
    if (unit <= 0)
        return sc_error_set(SC_ERR_ARG, "not a unit of mass");
    /* value_ug = mant × unit / 10^scale, exactly or not at all. */
    int64_t v = d.mant;
    int64_t u = unit;
    int scale = d.scale;
    while (scale > 0 && u % 10 == 0) {
        u /= 10;
        scale--;
    }
    if (scale > 0) {
        int64_t div = 1;
        for (int i = 0; i < scale; i++)
            div *= 10;
        if (v % div != 0)
            return sc_error_set(SC_ERR_RANGE, "finer than 1 microgram");
        v /= div;
    }
    if (v > INT64_MAX / u || v < -(INT64_MAX / u))
        return sc_error_set(SC_ERR_RANGE, "too large");
    *out_ug = v * u;
    return SC_OK;
}

int mass_format(int64_t ug, int64_t unit, char *buf, size_t size)
{
    int scale = 0;
    for (int64_t u = unit; u > 1; u /= 10)
        scale++;
    return decimal_format_trim(ug, scale, buf, size);
}
