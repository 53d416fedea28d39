#include "tui/misc_screens.h"

#include <stdio.h>

#include "tui/draw.h"
#include "tui/i18n.h"
#include "tui/when.h"

void resume_draw(const void *state, const struct session *ses, int foot)
{
    (void)state;
    draw_title(_("Unfinished inspection"), ses);
    int y = draw_top() + 1, cols = draw_cols();
    const struct visit *v = &ses->draft;
    draw_text(y++, 1, cols - 2, CR_WARNING, _("An inspection was not confirmed:"), 0);
    draw_field(y++, _("Stall"), v->stall, CR_NORMAL);
    char started[24];
    when_local(v->started_at, 1, started, sizeof started);
    draw_field(y++, _("Started"), started, CR_NORMAL);
    if (y < foot)
        draw_textf(y++, 1, cols - 2, CR_NORMAL, _("Checklist %d/%d, re-weighs %d"),
                   visit_answered(v), CHECK_ITEM_COUNT, v->n_reweigh);
}

void history_draw(const void *state, const struct session *ses, int foot)
{
    const struct history_state *s = state;
    /* Whose history: the stall's code in the title. */
    char title[96];
    snprintf(title, sizeof title, "%s %s", _("History"), ses->card.stall);
    draw_title(title, ses);
    int y = draw_top(), cols = draw_cols();
    if (ses->card.n_history == 0)
        draw_text(y + 1, 1, cols - 2, CR_NORMAL, _("No inspections yet."), 0);
    int rows = foot - y;
    int first = s->sel >= rows ? s->sel - rows + 1 : 0;
    for (int i = first; i < ses->card.n_history && y < foot; i++, y++) {
        const struct session_history_row *h = &ses->card.history[i];
        char line[192];
        char when[24];
        when_local(h->date, 1, when, sizeof when);
        snprintf(line, sizeof line, "%.10s %-8s %s %s %d", when, h->stall, h->officer,
                 _("findings"), h->failures);
        draw_text(y, 0, cols,
                  i == s->sel ? CR_SELECTED : h->failures ? CR_WARNING : CR_NORMAL, line, 1);
    }
}

void help_draw(const void *state, const struct session *ses, int foot)
{
    const struct help_state *s = state;
    draw_title(_("Help: keys"), ses);
    draw_help(s->scroll, foot);
}
