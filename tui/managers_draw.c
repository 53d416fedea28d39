#include "tui/managers.h"

#include <stdio.h>
#include <string.h>

#include "tui/draw.h"
#include "tui/i18n.h"

static enum tui_role row_role(const struct session_list_row *r)
{
    if (r->list == SCORE_LIST_RED)
        return CR_RED_LIST;
    if (r->list == SCORE_LIST_BLACK)
        return CR_BLACK_LIST;
    return CR_NORMAL;
}

static const char *list_mark(const struct session_list_row *r)
{
    /* Two columns each, so marked and unmarked rows line up. */
    if (r->list == SCORE_LIST_RED)
        return "红";
    if (r->list == SCORE_LIST_BLACK)
        return "黑";
    return "  ";
}

void managers_draw(const void *state, const struct session *ses, int foot)
{
    const struct managers_state *s = state;
    char title[128];
    snprintf(title, sizeof title, "%s %s", _("Red/black list"),
             ses->day.market[0] ? ses->day.market : _("district"));
    draw_title(title, ses);
    int y = draw_top(), cols = draw_cols();
    /* What is shown and the counts, wrapped on a narrow screen. */
    char head[200];
    snprintf(head, sizeof head, _("%s; of %d: red %d, black %d"),
             _(managers_filter_label(s->filter)), ses->lists.n, ses->lists.red, ses->lists.black);
    y = draw_wrap(y, foot, 0, CR_LABEL, head);
    if (s->loading) {
        draw_text(y + 1, 1, cols - 2, CR_DIM, _("Loading..."), 0);
        return;
    }
    int n = managers_count(s, ses);
    if (n == 0) {
        draw_text(y + 1, 1, cols - 2, CR_NORMAL, _("No stalls here."), 0);
        return;
    }
    /* The list, then two rows for the selected stall's reason. */
    int rows = foot - y - 2;
    if (rows < 1)
        rows = 1;
    int first = s->sel >= rows ? s->sel - rows + 1 : 0;
    for (int k = first; k < n && y < foot - 2; k++, y++) {
        int i = managers_row(s, ses, k);
        const struct session_list_row *r = &ses->lists.rows[i];
        char line[256];
        snprintf(line, sizeof line, "%s %3d %-10s %s", list_mark(r), r->score, r->code, r->name);
        draw_text(y, 0, cols, k == s->sel ? CR_SELECTED : row_role(r), line, 1);
    }
    int i = managers_row(s, ses, s->sel);
    if (i >= 0 && foot - 2 > draw_top()) {
        const struct session_list_row *r = &ses->lists.rows[i];
        y = foot - 2;
        if (r->reason[0] != '\0')
            draw_textf(y, 0, cols, CR_WARNING, "%s %s %s", r->code, _("black since"), r->reason);
        else
            /* The star grade is not the list: a red star off the red
             * list says both. */
            draw_textf(y, 0, cols, CR_DIM, "%s: %s, %s", r->code, i18n_grade(r->grade),
                       i18n_list(r->list));
        if (r->followups > 0)
            draw_textf(y + 1, 0, cols, CR_WARNING, "%s: %d", _("Open follow-ups"), r->followups);
    }
}
