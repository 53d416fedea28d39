/* Effects of the managers' screen: the market's red/black list (红黑榜),
 * by the rules loaded at open. */
#include <stdio.h>
#include <string.h>

#include "core/day.h"
#include "core/error.h"
#include "db/lists.h"
#include "tui/fx_area.h"
#include "tui/i18n.h"
#include "tui/text.h"

static int add_list_row(const struct lists_row *row, void *arg)
{
    struct session_lists *lists = arg;
    if (row->list == SCORE_LIST_RED)
        lists->red++;
    else if (row->list == SCORE_LIST_BLACK)
        lists->black++;
    if (lists->n >= SESSION_MAX_LISTS)
        return 0; /* counted, not shown */
    struct session_list_row *r = &lists->rows[lists->n++];
    memset(r, 0, sizeof *r);
    text_copy(r->code, sizeof r->code, row->stall);
    text_copy(r->name, sizeof r->name, row->name);
    r->score = row->score;
    r->list = row->list;
    r->grade = row->grade;
    if (row->list == SCORE_LIST_BLACK) {
        char since[11];
        day_format(row->since, since, sizeof since);
        snprintf(r->reason, sizeof r->reason, "%s %s", since,
                 _(score_black_reason_text(row->black_reason)));
    }
    r->followups = row->followups;
    return 0;
}

int fx_load_lists(struct fx *fx, struct session *ses, const struct tui_effect *eff)
{
    struct session_lists *lists = &ses->lists;
    lists->n = lists->red = lists->black = 0;
    if (!fx->have_rules)
        return SC_ERR_NOTFOUND;
    day_t today;
    int rc = day_parse(ses->today, &today);
    const char *market = eff->lists.market[0] != '\0' ? eff->lists.market : NULL;
    /* A manager: their own market, never another's (core/roles.h). */
    if (fx->role == ROLES_MANAGER && market == NULL)
        market = fx->own_market;
    int allowed = fx_allowed(fx, ses, eff->lists.recompute ? ROLE_ACT_LISTS : ROLE_ACT_READ, market);
    if (allowed < 0)
        return allowed;
    /* Recompute: every stall's status stored first (db/lists.h). */
    if (rc == 0 && eff->lists.recompute)
        rc = lists_recompute(fx->db, &fx->rules, market, today) < 0 ? -1 : 0;
    if (rc == 0)
        rc = lists_each(fx->db, &fx->rules, market, today, today, add_list_row, lists);
    if (rc >= 0)
        session_message(ses, 0, "%s", eff->lists.recompute ? _("Lists recomputed") : "");
    return rc < 0 ? rc : 0;
}
