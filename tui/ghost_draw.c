#include "tui/ghost_screen.h"

#include <stdio.h>

#include "core/mass.h"
#include "tui/draw.h"
#include "tui/i18n.h"
#include "tui/scale_screen.h"

void ghost_draw(const void *state, const struct session *ses, int foot)
{
    const struct ghost_state *s = state;
    const struct visit_ghost_check *g = &ses->visit.ghost;
    draw_title(_("Cheating-scale check"), ses);
    int y = draw_top(), cols = draw_cols();
    /* The step: what to do now, in one line. */
    char step[256];
    if (!s->ready) {
        snprintf(step, sizeof step, "%s", s->problem != NULL ? _(s->problem) : "");
    } else if (s->judged) {
        snprintf(step, sizeof step, "%s", s->verdict.outcome == GHOST_SUSPECT
                                              ? _("SUSPECT: a cheating scale")
                                              : _("CLEAR: no sign of cheating"));
    } else if (g->vendor_turn) {
        snprintf(step, sizeof step, "%s",
                 _("Let the vendor use the scale as usual, then 1"));
    } else {
        int round, load;
        enum ghost_phase phase;
        visit_ghost_position(g, &round, &phase, &load);
        char mass[24];
        mass_format(g->loads_ug[load], MASS_G, mass, sizeof mass);
        snprintf(step, sizeof step, _("Round %d %s: put %s g on both, then 1"), round,
                 phase == GHOST_BEFORE ? _("before") : _("after"), mass);
    }
    /* The step in full, over as many rows as it takes. */
    y = draw_wrap(y, foot, 1, s->judged && s->verdict.outcome == GHOST_SUSPECT
                                   ? CR_OUT_OF_TOLERANCE
                                   : s->judged ? CR_WITHIN_TOLERANCE : CR_WARNING,
                  step);
    /* The verdict's reason under it, whole: once judged, the live
     * readings below give up their rows first. */
    if (y < foot && s->judged) {
        char why[640];
        ghost_verdict_words(&s->verdict, why, sizeof why);
        y = draw_wrap(y, foot, 1, CR_NORMAL, why);
    }
    if (y + 2 <= foot)
        y += scale_draw_panel(&ses->scales[SCALE_STALL], y, 3, _("Stall's scale"));
    if (y + 2 <= foot)
        y += scale_draw_panel(&ses->scales[SCALE_REFERENCE], y, 3, _("Reference scale"));
    const struct tui_reading *a = &ses->scales[SCALE_STALL].last;
    const struct tui_reading *b = &ses->scales[SCALE_REFERENCE].last;
    if (y < foot && ses->scales[SCALE_STALL].online && ses->scales[SCALE_REFERENCE].online &&
        a->has_value && b->has_value && a->seq && b->seq) {
        char diff[24];
        mass_format(a->ug - b->ug, MASS_G, diff, sizeof diff);
        draw_textf(y++, 1, cols - 2, a->ug > b->ug ? CR_WARNING : CR_NORMAL, "%s %s g",
                   _("stall - reference:"), diff);
    }
    if (y < foot && s->ready)
        draw_textf(y++, 1, cols - 2, CR_DIM, _("Recorded %d of %d"), g->n_obs,
                   g->nloads * 2 * GHOST_MIN_ROUNDS);
}
