/* Effects of an inspection: the stall card, the visit and its draft, the
 * second officer (the summary's preview and commit: tui/fx_commit.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/day.h"
#include "core/error.h"
#include "db/draft.h"
#include "db/inspection.h"
#include "db/lists.h"
#include "db/officer.h"
#include "db/registry.h"
#include "tui/fx_area.h"
#include "tui/i18n.h"
#include "tui/text.h"

/* ---- the stall card ---- */

static int add_instrument(const struct instrument *in, void *arg)
{
    struct session *ses = arg;
    struct session_card *card = &ses->card;
    if (!in->active || card->n_instruments >= SESSION_MAX_INSTRUMENTS)
        return 0;
    struct session_instrument *si = &card->instruments[card->n_instruments++];
    text_copy(si->code, sizeof si->code, in->code);
    text_copy(si->kind, sizeof si->kind, in->kind);
    text_copy(si->cls, sizeof si->cls, in->cls);
    text_copy(si->due, sizeof si->due, in->due);
    /* Due dates are "YYYY-MM-DD": text order is date order. */
    si->overdue = in->due[0] != '\0' && strcmp(in->due, ses->today) < 0;
    si->max_ug = in->max_ug;
    si->min_ug = in->min_ug;
    si->e_ug = in->e_ug;
    si->d_ug = in->d_ug;
    return 0;
}

/* The stall's own scale: the first active instrument on a cable. */
static int find_stall_conn(const struct instrument *in, void *arg)
{
    char *conn = arg;
    if (in->active && in->conn[0] != '\0' && conn[0] == '\0' && strcmp(in->kind, "meter") != 0)
        text_copy(conn, 256, in->conn);
    return 0;
}

static int add_history(const struct inspection_summary *s, void *arg)
{
    struct session_card *card = arg;
    if (card->n_history >= SESSION_MAX_HISTORY)
        return 1;
    struct session_history_row *h = &card->history[card->n_history++];
    memset(h, 0, sizeof *h);
    text_copy(h->date, sizeof h->date, s->started_at);
    text_copy(h->stall, sizeof h->stall, card->stall);
    text_copy(h->officer, sizeof h->officer, s->officer1);
    h->failures = s->nfailed;
    h->reweigh_fail = s->nreweighs_failed;
    return 0;
}

int fx_stall_score(struct fx *fx, const struct session *ses, int *score, enum score_list *list)
{
    day_t today;
    if (!fx->have_rules || day_parse(ses->today, &today) < 0)
        return SC_ERR_NOTFOUND;
    struct lists_stall ls;
    int rc = lists_stall_score(fx->db, &fx->rules, ses->card.stall, today, &ls);
    if (rc < 0)
        return rc;
    *score = ls.res.score;
    *list = ls.res.list;
    lists_stall_free(&ls);
    return 0;
}

int fx_load_card(struct fx *fx, struct session *ses, const char *code)
{
    struct session_card *card = &ses->card;
    struct stall st;
    int rc = registry_find_stall(fx->db, code, &st);
    if (rc < 0) {
        session_message(ses, 1, "%s: %s", _("No such stall"), code);
        return rc;
    }
    memset(card, 0, sizeof *card);
    text_copy(card->stall, sizeof card->stall, st.code);
    text_copy(card->name, sizeof card->name, st.name);
    text_copy(card->licence, sizeof card->licence, st.operator_licence);
    struct stall_operator op;
    if (st.operator_licence[0] != '\0' &&
        registry_find_operator(fx->db, st.operator_licence, &op) == 0)
        text_copy(card->operator_name, sizeof card->operator_name, op.name);
    registry_instruments_by_stall(fx->db, st.code, add_instrument, ses);
    inspection_history(fx->db, st.code, 0, add_history, card);
    if (fx_stall_score(fx, ses, &card->score, &card->list) < 0)
        card->score = -1;
    /* The stall's own scale, when the registry knows its cable and no
     * scale was given on the command line. */
    char conn[256] = "";
    registry_instruments_by_stall(fx->db, st.code, find_stall_conn, conn);
    if (conn[0] != '\0')
        scales_use(fx->scales, ses, SCALE_STALL, conn);
    return 0;
}

int fx_load_history(struct fx *fx, struct session *ses, const struct tui_effect *eff)
{
    struct session_card *card = &ses->card;
    card->n_history = 0;
    if (eff->stall[0] != '\0')
        text_copy(card->stall, sizeof card->stall, eff->stall);
    if (card->stall[0] == '\0')
        return 0;
    return inspection_history(fx->db, card->stall, 0, add_history, card);
}

/* ---- the visit and its draft ---- */

int fx_start_visit(struct fx *fx, struct session *ses, const struct tui_effect *eff)
{
    (void)eff;
    struct visit *v = &ses->visit;
    if (v->id[0] != '\0' && strcmp(v->stall, ses->card.stall) == 0)
        return 0;
    /* An unfinished inspection of this stall by this officer is picked up. */
    if (fx_latest_draft(fx, ses->badge, ses->card.stall, v) == 0) {
        session_message(ses, 0, "%s", _("Unfinished inspection resumed"));
        return 0;
    }
    visit_clear(v);
    db_record_id(fx->db, v->id);
    text_copy(v->stall, sizeof v->stall, ses->card.stall);
    text_copy(v->officer1, sizeof v->officer1, ses->badge);
    db_now(v->started_at, sizeof v->started_at);
    struct stall st;
    if (registry_find_stall(fx->db, ses->card.stall, &st) == 0)
        text_copy(v->market, sizeof v->market, st.market);
    for (int i = 0; i < ses->day.n_stalls && fx->draw_id[0] != '\0'; i++)
        if (strcmp(ses->day.stalls[i].code, ses->card.stall) == 0)
            text_copy(v->draw, sizeof v->draw, fx->draw_id);
    return 0;
}

int fx_load_stall(struct fx *fx, struct session *ses, const struct tui_effect *eff)
{
    int rc = fx_load_card(fx, ses, eff->stall);
    return rc < 0 ? rc : fx_start_visit(fx, ses, eff);
}

int fx_save_draft(struct fx *fx, struct session *ses, const struct tui_effect *eff)
{
    (void)eff;
    if (ses->visit.id[0] == '\0')
        return 0;
    char body[8192];
    int rc = visit_encode(&ses->visit, body, sizeof body);
    if (rc >= 0)
        rc = draft_save(fx->db, ses->visit.id, ses->visit.officer1, ses->visit.stall, body);
    if (rc < 0)
        session_message(ses, 1, "%s: %s", _("Draft not saved"), sc_error_message());
    return rc < 0 ? rc : 0;
}

int fx_resume_draft(struct fx *fx, struct session *ses, const struct tui_effect *eff)
{
    (void)eff;
    ses->visit = ses->draft;
    ses->draft_pending = 0;
    return fx_load_card(fx, ses, ses->visit.stall);
}

int fx_officer2(struct fx *fx, struct session *ses, const struct tui_effect *eff)
{
    const char *badge = eff->who.badge;
    if (strcmp(badge, ses->visit.officer1) == 0)
        return sc_error_set(SC_ERR_EXISTS, "the same officer");
    int rc = officer_check_pin(fx->db, badge, eff->who.pin);
    if (rc < 0)
        return rc;
    /* The second officer must be one who may inspect, too. */
    struct officer o2;
    if (officer_find(fx->db, badge, &o2) < 0 ||
        roles_check(roles_from_id(officer_role_id(o2.role)), NULL, ROLE_ACT_INSPECT,
                    ses->visit.market) < 0)
        return sc_error_set(SC_ERR_DENIED, "%s may not inspect", badge);
    text_copy(ses->visit.officer2, sizeof ses->visit.officer2, badge);
    return fx_save_draft(fx, ses, eff);
}

void fx_leave_stall(struct session *ses)
{
    /* A visit with answers is already a draft: picked up when the stall is
     * chosen again, offered at the next start.  One without is nothing. */
    visit_clear(&ses->visit);
    ses->summary.ready = 0;
}
