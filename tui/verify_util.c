#include <stdio.h>
#include <string.h>

#include "core/day.h"
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

/* A general-check item (core/procedure.c's codes) in the screen's language. */
const char *verify_item_label(const char *code)
{
    static const struct {
        const char *code, *label;
    } items[] = {
        {"appearance", N_("Appearance: undamaged, display complete and legible")},
        {"markings", N_("Markings: maker, model, serial, class, Max, Min, e, approval mark")},
        {"security", N_("Security: seals intact, adjustment not accessible")},
        {"no-cheating", N_("No cheating function (hidden keys, codes, remote control)")},
        {"type-approval", N_("Agrees with its type-approval certificate")},
        {"identity", N_("Identity marks: production, repair and verification codes, seal")},
        {"software", N_("Software identification: type what the display shows")},
        {"self-lock", N_("Self-lock: locks when opened or its parameters are changed")},
    };
    for (size_t i = 0; i < sizeof items / sizeof items[0]; i++)
        if (strcmp(items[i].code, code) == 0)
            return _(items[i].label);
    return code;
}

/* What the verdict rests on, in the screen's language: the first failing
 * step with what was found, or how far the run has come, or the regulation
 * passed and the weight set used (core/procedure.c writes the same in
 * English as the verdict's reason, for logs and the record). */
void verify_verdict_words(const struct verify_data *v, char *buf, size_t size)
{
    const struct proc_verdict *vd = &v->verdict;
    const char *code = vd->regulation != NULL ? vd->regulation->code : "";
    if (vd->outcome == PROC_FAIL && v->has_failed) {
        const struct proc_result *r = &v->failed;
        const struct proc_step *st = &v->failed_step;
        char found[320];
        if (r->test == PROC_GENERAL) {
            snprintf(found, sizeof found, "%s", verify_item_label(st->item));
        } else if (r->test == PROC_LEVELLING || r->test == PROC_PRELOAD) {
            verify_result_words(r, found, sizeof found);
        } else if (r->test == PROC_PRICE) {
            char shown[48], want[48];
            snprintf(shown, sizeof shown, "%lld.%02lld", (long long)(r->amount_fen / 100),
                     (long long)(r->amount_fen % 100));
            snprintf(want, sizeof want, "%lld.%02lld", (long long)(r->expected_fen / 100),
                     (long long)(r->expected_fen % 100));
            snprintf(found, sizeof found, _("%s yuan shown, %s yuan due"), shown, want);
        } else {
            char load[48], err[48], lim[48];
            verify_mass(st->load_ug, load, sizeof load);
            verify_signed(r->corrected_ug, err, sizeof err);
            verify_mass(r->limit_ug, lim, sizeof lim);
            int64_t abs_err = r->corrected_ug < 0 ? -r->corrected_ug : r->corrected_ug;
            if (r->test == PROC_REPEATABILITY && abs_err <= r->limit_ug)
                /* R76-1 3.6.1: each within the MPE, the series spread wider. */
                snprintf(found, sizeof found, _("at %s the series' results differ by more than %s"),
                         load, lim);
            else if (r->test == PROC_DISCRIMINATION)
                snprintf(found, sizeof found, _("at %s the indication rose %s, less than %s"),
                         load, err, lim);
            else
                snprintf(found, sizeof found, _("at %s the error %s is beyond +-%s"), load, err,
                         lim);
        }
        int n = snprintf(buf, size, _("Fails the %s test: %s"), verify_test_label(r->test), found);
        if (vd->failures > 1 && n >= 0 && (size_t)n < size)
            n += snprintf(buf + n, size - (size_t)n,
                          ngettext(" (and %d more failed step)", " (and %d more failed steps)",
                                   (unsigned long)(vd->failures - 1)),
                          vd->failures - 1);
        if (vd->done < vd->total && n >= 0 && (size_t)n < size)
            n += snprintf(buf + n, size - (size_t)n, "%s", _("; not every step was done"));
        if (n >= 0 && (size_t)n < size)
            snprintf(buf + n, size - (size_t)n, _("; weight set %s"), vd->reference_id);
        return;
    }
    if (vd->outcome == PROC_PASS) {
        char until[16];
        day_format(vd->reference_valid_until, until, sizeof until);
        snprintf(buf, size, _("Passes %s: all %d steps within their limits; weight set %s, valid until %s"),
                 code, vd->total, vd->reference_id, until);
        return;
    }
    snprintf(buf, size, _("%d of %d readings taken; weight set %s"), vd->done, vd->total,
             vd->reference_id);
}
