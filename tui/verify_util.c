#include <stdio.h>
#include <string.h>

#include "core/mass.h"
#include "tui/i18n.h"
#include "tui/verify.h"

void verify_mass(int64_t ug, char *buf, size_t size)
{
    char num[40];
    int neg = ug < 0;
    mass_format(neg ? -ug : ug, MASS_G, num, sizeof num);
    snprintf(buf, size, "%s%s g", neg ? "-" : "", num);
}

void verify_signed(int64_t ug, char *buf, size_t size)
{
    char num[40];
    mass_format(ug < 0 ? -ug : ug, MASS_G, num, sizeof num);
    snprintf(buf, size, "%s%s g", ug > 0 ? "+" : ug < 0 ? "-" : "", num);
}

void verify_bar(int64_t error_ug, int64_t limit_ug, int width, char *buf, size_t size)
{
    if (size == 0)
        return;
    if (width < 5)
        width = 5;
    if ((size_t)width >= size)
        width = (int)size - 1;
    /* [-----|-----]: the brackets are the MPE's ends, '|' zero. */
    int inner = width - 2, mid = inner / 2;
    buf[0] = '[';
    for (int i = 0; i < inner; i++)
        buf[1 + i] = '-';
    buf[width - 1] = ']';
    buf[width] = '\0';
    buf[1 + mid] = '|';
    if (limit_ug <= 0 || width < 5)
        return;
    if (error_ug > limit_ug) {
        buf[width - 1] = '>';
        return;
    }
    if (error_ug < -limit_ug) {
        buf[0] = '<';
        return;
    }
    /* Exact integer placement: the mark's offset from the middle, rounded
     * to the nearest column. */
    int64_t half = mid;
    int64_t num = error_ug * half;
    int64_t off = num >= 0 ? (num + limit_ug / 2) / limit_ug : -((-num + limit_ug / 2) / limit_ug);
    int pos = mid + (int)off;
    if (pos < 0)
        pos = 0;
    if (pos > inner - 1)
        pos = inner - 1;
    buf[1 + pos] = '*';
}

const char *verify_test_label(enum proc_test t)
{
    switch (t) {
    case PROC_ZERO: return _("zero");
    case PROC_WEIGHING: return _("weighing");
    case PROC_ECCENTRICITY: return _("eccentricity");
    case PROC_REPEATABILITY: return _("repeatability");
    case PROC_TARE: return _("tare");
    case PROC_DISCRIMINATION: return _("discrimination");
    case PROC_GENERAL: return _("general");
    case PROC_LEVELLING: return _("levelling");
    case PROC_PRELOAD: return _("pre-load");
    case PROC_PRICE: return _("price");
    default: return "?";
    }
}

void verify_result_words(const struct proc_result *r, char *buf, size_t size)
{
    const char *verdict = !r->judged ? _("(recorded)") : r->pass ? _("PASS") : _("FAIL");
    /* What the verifier typed (a display's software id, a note) with it. */
    if (r->text[0] != '\0')
        snprintf(buf, size, "%s %s [%s]", verify_test_label(r->test), verdict, r->text);
    else
        snprintf(buf, size, "%s %s", verify_test_label(r->test), verdict);
}
