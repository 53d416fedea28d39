#include "report/words.h"

#include <libintl.h>
#include <stdio.h>
#include <string.h>

#include "core/mass.h"

#define _(s) gettext(s)
#define N_(s) (s)

const char *words_item(enum checklist_item item)
{
    if ((unsigned)item >= CHECK_ITEM_COUNT)
        return "";
    return _(checklist_items(NULL)[item].title);
}

const char *words_violation(enum checklist_item item, enum checklist_answer answer)
{
    /* TRANSLATORS: what a stall holder reads on the black list and on the
     * public page when a checklist item failed; plain words, not rule ids. */
    static const char *const words[CHECK_ITEM_COUNT] = {
        [CHECK_LICENCE_SHOWN] = N_("Business licence not displayed"),
        [CHECK_PRICE_TAGS] = N_("Prices not marked"),
        [CHECK_VERIFICATION_MARK] = N_("Scale without a verification mark"),
        [CHECK_VERIFICATION_DUE] = N_("Using a scale not verified or past its verification date"),
        [CHECK_SEAL] = N_("Scale seal broken or missing"),
        [CHECK_FAIR_SCALE] = N_("No working fair scale"),
        [CHECK_CHEATING_DEVICE] = N_("Cheating device on the scale"),
        [CHECK_REWEIGH] = N_("Short weight"),
    };
    if ((unsigned)item >= CHECK_ITEM_COUNT)
        return "";
    if (item == CHECK_SEAL && answer == ANSWER_SEAL_BROKEN)
        return _("Scale seal broken");
    if (item == CHECK_SEAL && answer == ANSWER_SEAL_MISSING)
        return _("Scale seal missing");
    return _(words[item]);
}

void words_black_reason(const struct rules *r, const struct score_result *res, char *buf,
                        size_t size)
{
    const char *what = (unsigned)res->black_item < CHECK_ITEM_COUNT
                           ? words_violation(res->black_item, ANSWER_FAIL)
                           : "";
    switch (res->black_reason) {
    case SCORE_BLACK_ITEM:
        snprintf(buf, size, "%s", what);
        return;
    case SCORE_BLACK_FOLLOWUP:
        /* TRANSLATORS: %s is the violation that was not corrected. */
        snprintf(buf, size, _("Not corrected by the deadline: %s"), what);
        return;
    case SCORE_BLACK_BELOW:
        /* TRANSLATORS: %d is the black line of the integrity score (60). */
        snprintf(buf, size, _("Integrity score below %d"), r->black_below);
        return;
    case SCORE_BLACK_FAIRSCALE:
        /* TRANSLATORS: %d is how many complaints found short weight. */
        snprintf(buf, size, _("Short weight found %d times at the fair scale"),
                 r->fairscale_black_after);
        return;
    case SCORE_BLACK_NONE:
        break;
    }
    if (size > 0)
        buf[0] = '\0';
}

enum words_result words_result_of(const struct rules *r, const struct score_event *e)
{
    int failed = 0, serious = 0;
    for (size_t i = 0; i < e->n_findings; i++) {
        const struct score_finding *f = &e->findings[i];
        if ((unsigned)f->item < CHECK_ITEM_COUNT && checklist_answer_failed(f->answer)) {
            failed = 1;
            serious |= rules_item_black(r, f->item) != 0;
        }
    }
    if (e->reweighs_short > 0) {
        failed = 1;
        serious |= rules_item_black(r, CHECK_REWEIGH) != 0;
    }
    /* A failure the rules put on the black list (a cheating device, a
     * broken seal, short weight...) is a violation handled as a case:
     * "further handling"; any other was ordered corrected on the spot. */
    return !failed ? WORDS_RESULT_CLEAN : serious ? WORDS_RESULT_PENDING : WORDS_RESULT_CORRECTED;
}

const char *words_result(enum words_result w)
{
    switch (w) {
    case WORDS_RESULT_CLEAN: return _("No problem found");
    case WORDS_RESULT_CORRECTED: return _("Problem found, correction ordered");
    case WORDS_RESULT_PENDING: return _("Problem found, further handling pending");
    }
    return "";
}

const char *words_list(enum score_list list)
{
    return list == SCORE_LIST_RED ? _("Red list") : list == SCORE_LIST_BLACK ? _("Black list") : "";
}

const char *words_grade(enum score_grade grade)
{
    switch (grade) {
    case SCORE_GRADE_RED: return _("Red star");
    case SCORE_GRADE_GREEN: return _("Green star");
    case SCORE_GRADE_YELLOW: return _("Yellow star");
    case SCORE_GRADE_BLACK: return _("Black star");
    case SCORE_GRADE_COUNT: break;
    }
    return "";
}

const char *words_reweigh_verdict(const char *verdict)
{
    if (verdict == NULL)
        return "";
    if (strcmp(verdict, "pass") == 0)
        return _("Within the allowed deviation");
    if (strcmp(verdict, "fail") == 0)
        return _("Short beyond the allowed deviation");
    if (strcmp(verdict, "outside") == 0)
        return _("Outside the tolerance table");
    return verdict;
}

const char *words_instrument_kind(const char *kind)
{
    static const struct {
        const char *kind, *words;
    } kinds[] = {
        {"price-computing", N_("Price-computing scale")},
        {"platform", N_("Platform scale")},
        {"fair", N_("Fair scale")},
        {"reference", N_("Reference scale")},
        {"meter", N_("Meter")},
    };
    for (size_t i = 0; kind != NULL && i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(kinds[i].kind, kind) == 0)
            return _(kinds[i].words);
    return kind ? kind : "";
}

void words_mass(int64_t ug, char *buf, size_t size)
{
    char n[40];
    int64_t a = ug < 0 ? -ug : ug;
    int kg = a >= MASS_KG;
    mass_format(ug, kg ? MASS_KG : MASS_G, n, sizeof n);
    snprintf(buf, size, "%s %s", n, kg ? "kg" : "g");
}

void words_reweigh_short(const char *goods, int64_t declared_ug, int64_t measured_ug,
                         int64_t shortfall_ug, int64_t allowed_ug, char *buf, size_t size)
{
    char d[64], m[64], s[64], a[64];
    words_mass(declared_ug, d, sizeof d);
    words_mass(measured_ug, m, sizeof m);
    words_mass(shortfall_ug, s, sizeof s);
    const char *what = goods != NULL && goods[0] != '\0' ? goods : _("goods");
    if (allowed_ug >= 0) {
        words_mass(allowed_ug, a, sizeof a);
        /* TRANSLATORS: a re-weigh found short: the goods, the mass charged,
         * the mass re-weighed, the shortfall and the shortfall allowed. */
        snprintf(buf, size, _("%s: charged %s, re-weighed %s, short %s (allowed %s)"), what, d, m,
                 s, a);
    } else {
        /* TRANSLATORS: the same, for goods outside the retail table. */
        snprintf(buf, size, _("%s: charged %s, re-weighed %s, short %s"), what, d, m, s);
    }
}
