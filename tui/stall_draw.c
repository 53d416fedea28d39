#include "tui/stall.h"

#include <stdio.h>
#include <string.h>

#include "tui/draw.h"
#include "tui/i18n.h"
#include "tui/when.h"

static const char *kind_label(const char *kind)
{
    if (strcmp(kind, "price-computing") == 0)
        return _("price scale");
    if (strcmp(kind, "platform") == 0)
        return _("platform scale");
    if (strcmp(kind, "fair") == 0)
        return _("fair scale");
    if (strcmp(kind, "reference") == 0)
        return _("reference scale");
    return kind;
}

void stall_draw(const void *state, const struct session *ses, int foot)
{
    (void)state;
    char title[256];
    snprintf(title, sizeof title, "%s %s", ses->card.stall, ses->card.name);
    draw_title(title, ses);
    int y = draw_top();
    int cols = draw_cols();
    draw_field(y++, _("Operator"), ses->card.operator_name[0] ? ses->card.operator_name : "-", CR_NORMAL);
    draw_field(y++, _("Licence"), ses->card.licence[0] ? ses->card.licence : "-", CR_NORMAL);
    char score[64];
    enum tui_role role = CR_NORMAL;
    const char *list = "";
    if (ses->card.list == SCORE_LIST_RED) {
        list = _("red list");
        role = CR_RED_LIST;
    } else if (ses->card.list == SCORE_LIST_BLACK) {
        list = _("black list");
        role = CR_BLACK_LIST;
    }
    if (ses->card.score >= 0)
        snprintf(score, sizeof score, "%d %s", ses->card.score, list);
    else
        snprintf(score, sizeof score, "%s", _("not scored yet"));
    draw_field(y++, _("Score"), score, role);
    for (int i = 0; i < ses->card.n_instruments && y < foot; i++) {
        const struct session_instrument *in = &ses->card.instruments[i];
        char line[160];
        snprintf(line, sizeof line, "%s %s %s %s", in->code, kind_label(in->kind),
                 in->overdue ? _("OVERDUE") : _("due"), in->due[0] ? in->due : "?");
        draw_text(y++, 1, cols - 2, in->overdue ? CR_OUT_OF_TOLERANCE : CR_NORMAL, line, 0);
    }
    if (y < foot && ses->visit.id[0] != '\0') {
        char line[128];
        snprintf(line, sizeof line, _("Checklist %d/%d, re-weighs %d, failures %d"),
                 visit_answered(&ses->visit), CHECK_ITEM_COUNT, ses->visit.n_reweigh,
                 visit_failures(&ses->visit));
        draw_text(y++, 1, cols - 2, visit_failures(&ses->visit) ? CR_WARNING : CR_LABEL,
                  line, 0);
    }
    if (y < foot && ses->card.n_history > 0) {
        draw_text(y++, 1, cols - 2, CR_LABEL, _("Last inspections:"), 0);
        for (int i = 0; i < ses->card.n_history && y < foot; i++) {
            const struct session_history_row *h = &ses->card.history[i];
            char line[128];
            char findings[48];
            if (h->failures > 0)
                snprintf(findings, sizeof findings, "%s %d", _("findings"), h->failures);
            else
                snprintf(findings, sizeof findings, "%s", _("no findings"));
            char when[24];
            when_local(h->date, 1, when, sizeof when); /* the local day */
            snprintf(line, sizeof line, "%.10s %s %s", when, h->officer, findings);
            draw_text(y++, 2, cols - 3, h->failures ? CR_WARNING : CR_NORMAL, line, 0);
        }
    }
}
