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

/* The checklist item's title in the screen's language. */
static const char *item_title(enum checklist_item item)
{
    size_t n;
    const struct checklist_item_info *items = checklist_items(&n);
    for (size_t i = 0; i < n; i++)
        if (items[i].item == item)
            return _(items[i].title);
    return "?";
}

/* 1 when the officers drawn for today (space-separated badges) are the
 * team signed in, in either order. */
static int team_is_drawn(const struct session *ses)
{
    char drawn[sizeof ses->day.draw_officers];
    snprintf(drawn, sizeof drawn, "%s", ses->day.draw_officers);
    int n = 0, met = 0;
    for (char *save = NULL, *b = strtok_r(drawn, " ", &save); b; b = strtok_r(NULL, " ", &save)) {
        n++;
        met += strcmp(b, ses->badge) == 0 || (ses->badge2[0] && strcmp(b, ses->badge2) == 0);
    }
    return n == met && n == 1 + (ses->badge2[0] != '\0');
}

/* The draw (双随机) names its officers; another team may inspect the stall
 * (a swap, an absence): said plainly, and the record names who inspects
 * (the visit's officers are the team signed in). */
static int draw_team(int y, int foot, const struct session *ses)
{
    if (ses->visit.id[0] == '\0' || ses->visit.draw[0] == '\0' ||
        ses->day.draw_officers[0] == '\0' || team_is_drawn(ses))
        return y;
    char team[2 * VISIT_CODE_MAX + 2], line[400];
    snprintf(team, sizeof team, "%s%s%s", ses->badge, ses->badge2[0] ? "+" : "", ses->badge2);
    snprintf(line, sizeof line, _("Drawn: %s, not this team; the record names %s"),
             ses->day.draw_officers, team);
    return draw_wrap(y, foot, 1, CR_WARNING, line);
}

/* The corrections this stall is under (限期整改): what the follow-up (复查
 * fucha) checks, its deadline, and the note of the day it was found. */
static int followups(int y, int foot, const struct session *ses)
{
    const struct session_card *c = &ses->card;
    int shown = c->n_followups < SESSION_MAX_FOLLOWUPS ? c->n_followups : SESSION_MAX_FOLLOWUPS;
    for (int i = 0; i < shown && y < foot; i++) {
        const struct session_followup *f = &c->followups[i];
        char line[400];
        snprintf(line, sizeof line, "%s: %s  %s %s%s%s", _("Follow-up"), item_title(f->item),
                 _("deadline"), f->due, f->overdue ? "  " : "", f->overdue ? _("OVERDUE") : "");
        y = draw_fields(y, foot, 1, CR_WARNING, line);
        if (y >= foot)
            break;
        snprintf(line, sizeof line, "%s %s: %s", _("found"), f->opened,
                 f->note[0] ? f->note : _("no note"));
        y = draw_wrap(y, y + 2 < foot ? y + 2 : foot, 2, CR_NORMAL, line);
    }
    if (c->n_followups > shown && y < foot)
        draw_textf(y++, 1, draw_cols() - 2, CR_WARNING, _("and %d more follow-ups"),
                   c->n_followups - shown);
    return y;
}

void stall_draw(const void *state, const struct session *ses, int foot)
{
    /* One who may not inspect (a manager, an admin) reads the card: no
     * inspection of theirs to count or to name. */
    const struct stall_state *st = state;
    int reader = st != NULL && st->reader;
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
    if (y < foot && ses->visit.id[0] != '\0' && !reader) {
        char line[128];
        snprintf(line, sizeof line, _("Checklist %d/%d, re-weighs %d, failures %d"),
                 visit_answered(&ses->visit), CHECK_ITEM_COUNT, ses->visit.n_reweigh,
                 visit_failures(&ses->visit));
        draw_text(y++, 1, cols - 2, visit_failures(&ses->visit) ? CR_WARNING : CR_LABEL,
                  line, 0);
    }
    if (y < foot && !reader)
        y = draw_team(y, foot, ses);
    if (y < foot)
        y = followups(y, foot, ses);
    /* The heading only with a row under it. */
    if (y + 1 < foot && ses->card.n_history > 0) {
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
