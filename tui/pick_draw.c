#include "tui/pick.h"

#include <stdio.h>
#include <string.h>

#include "core/utf8.h"
#include "tui/draw.h"
#include "tui/i18n.h"
#include "tui/text.h"

void pick_draw(const void *state, const struct session *ses, int foot)
{
    const struct pick_state *s = state;
    char title[256];
    snprintf(title, sizeof title, "%s %s", _("Today:"),
             ses->day.market_name[0] ? ses->day.market_name : ses->day.market);
    draw_title(title, ses);
    int y = draw_top();
    int cols = draw_cols();
    if (ses->day.draw_seed[0] != '\0') {
        /* 双随机、一公开: the seed and the officers drawn are public. */
        char line[160];
        snprintf(line, sizeof line, "%s %s", _("Draw seed:"), ses->day.draw_seed);
        /* The whole seed, over as many rows as it needs on a narrow
         * screen, every character of it: it is what makes the draw
         * replayable. */
        const char *rest = line;
        while (*rest != '\0' && y < foot) {
            char row[160];
            utf8_fit(rest, cols - 2, row, sizeof row, 0);
            if (row[0] == '\0')
                break;
            draw_text(y++, 1, cols - 2, CR_DIM, row, 0);
            rest += strlen(row);
        }
        draw_textf(y++, 1, cols - 2, CR_DIM, "%s %s", _("Officers drawn:"), ses->day.draw_officers);
    } else if (s->reader)
        /* Not the draw: it is not told to the market in advance. */
        y = draw_wrap(y, foot, 1, CR_DIM, _("The market's stalls: 1 opens a card; 2 types a code"));
    else
        y = draw_wrap(y, foot, 1, CR_DIM, _("Not drawn yet: 3 draws; or type a code"));
    if (s->typing) {
        draw_input(foot - 1, _("Stall code"), s->code, 1, 0);
        foot--;
    }
    if (ses->day.n_stalls == 0) {
        draw_text(y + 1, 1, cols - 2, CR_NORMAL, _("No stalls listed for today."), 0);
        if (ses->demo.stall[0] != '\0' && y + 2 < foot)
            draw_textf(y + 2, 1, cols - 2, CR_WARNING, _("Try: 2, then type %s and Enter"),
                       ses->demo.stall);
        return;
    }
    int rows = foot - y;
    int first = s->sel >= rows ? s->sel - rows + 1 : 0;
    for (int i = first; i < ses->day.n_stalls && y < foot; i++, y++) {
        const struct session_stall_row *r = &ses->day.stalls[i];
        char line[192];
        snprintf(line, sizeof line, "%s %-10s %s%s", r->done ? "✓" : " ", r->code, r->name,
                 r->followup ? _(" (follow-up)") : "");
        draw_text(y, 0, cols, i == s->sel ? CR_SELECTED : CR_NORMAL, line, 1);
    }
}
