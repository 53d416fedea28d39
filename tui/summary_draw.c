#include "tui/summary.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/mass.h"
#include "tui/draw.h"
#include "tui/i18n.h"

/* "1002 王芳" when the badge is one of the team's, else the badge. */
static const char *officer_named(const struct session *ses, const char *badge)
{
    if (badge[0] != '\0' && strcmp(badge, ses->badge) == 0 && ses->officer_name[0])
        return ses->officer_name;
    if (badge[0] != '\0' && strcmp(badge, ses->badge2) == 0 && ses->officer2_name[0])
        return ses->officer2_name;
    return badge;
}

void summary_draw(const void *state, const struct session *ses, int foot)
{
    const struct summary_state *s = state;
    char title[256];
    snprintf(title, sizeof title, "%s %s", ses->card.stall, _("Summary"));
    draw_title(title, ses);
    int cols = draw_cols();
    const struct visit *v = &ses->visit;
    /* Lines are built first, then shown from the scroll position. */
    struct {
        char text[192];
        enum tui_role role;
    } lines[40];
    int n = 0;
#define LINE(r, ...) \
    do { \
        if (n < 40) { \
            snprintf(lines[n].text, sizeof lines[n].text, __VA_ARGS__); \
            lines[n++].role = (r); \
        } \
    } while (0)
    LINE(CR_NORMAL, "%s %d/%d", _("Answered"), visit_answered(v), CHECK_ITEM_COUNT);
    size_t ni;
    const struct checklist_item_info *items = checklist_items(&ni);
    int failures = 0;
    for (size_t i = 0; i < ni; i++) {
        if (!checklist_answer_failed(v->answers[i]))
            continue;
        failures++;
        LINE(CR_OUT_OF_TOLERANCE, "✗ %s%s%s", _(items[i].title),
             v->deadlines[i][0] ? " -> " : "", v->deadlines[i]);
        if (v->notes[i][0])
            LINE(CR_DIM, "  %s", v->notes[i]);
    }
    if (failures == 0)
        LINE(CR_WITHIN_TOLERANCE, "%s", _("No findings"));
    for (int r = 0; r < v->n_reweigh; r++) {
        const struct visit_reweigh *w = &v->reweigh[r];
        if (!w->captured)
            continue;
        char dec[24], meas[24], sh[24];
        mass_format(w->declared_ug, MASS_G, dec, sizeof dec);
        mass_format(w->measured_ug, MASS_G, meas, sizeof meas);
        mass_format(w->shortfall_ug, MASS_G, sh, sizeof sh);
        LINE(w->verdict == REWEIGH_FAIL ? CR_OUT_OF_TOLERANCE : CR_WITHIN_TOLERANCE,
             "%s %s g / %s g: %s", _("Re-weigh"), dec, meas,
             w->verdict == REWEIGH_FAIL      ? _("SHORT")
             : w->verdict == REWEIGH_OUTSIDE ? _("outside the table")
                                             : _("within tolerance"));
        if (w->verdict == REWEIGH_FAIL)
            LINE(CR_OUT_OF_TOLERANCE, "  %s %s g, ¥%" PRId64 ".%02" PRId64, _("short by"), sh,
                 w->money_short_fen / 100, w->money_short_fen % 100);
    }
    if (ses->summary.ready && ses->summary.new_score >= 0)
        LINE(ses->summary.deduction > 0 ? CR_WARNING : CR_NORMAL, "%s %d -> %d (-%d) %s",
             _("Score"), ses->card.score, ses->summary.new_score, ses->summary.deduction,
             ses->summary.new_list != SCORE_LIST_NONE ? i18n_list(ses->summary.new_list) : "");
    else
        LINE(CR_DIM, "%s", _("Score: computed when confirmed"));
    LINE(CR_NORMAL, "%s %s", _("Officer"), officer_named(ses, v->officer1));
    if (v->officer2[0])
        LINE(CR_NORMAL, "%s %s", _("2nd officer"), officer_named(ses, v->officer2));
    else if (failures > 0)
        LINE(CR_WARNING, "%s", _("Enforcement needs a 2nd officer: 5"));
    if (!visit_complete(v))
        LINE(CR_WARNING, "%s", _("Checklist not finished"));
#undef LINE
    int y = draw_top();
    int first = s->scroll < n ? s->scroll : (n > 0 ? n - 1 : 0);
    for (int i = first; i < n && y < foot; i++, y++)
        draw_text(y, 1, cols - 2, lines[i].role, lines[i].text, 0);
}
