/* Effects of an inspection: the stall card, the visit and its draft, the
 * second officer, the score preview and the commit of the whole visit
 * (db/visit.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/day.h"
#include "core/due.h"
#include "core/error.h"
#include "db/inspection.h"
#include "db/lists.h"
#include "db/officer.h"
#include "db/registry.h"
#include "db/visit.h"
#include "db/zone.h"
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
    day_t today;
    si->overdue = day_parse(ses->today, &today) == 0 && due_overdue(in->due, today);
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

/* An open follow-up as the card shows it: the note comes from the
 * inspection that found the item failing. */
static void add_followup(struct fx *fx, struct session_card *card, const struct score_followup *f,
                         day_t today)
{
    int k = card->n_followups++;
    if (k >= SESSION_MAX_FOLLOWUPS)
        return;
    struct session_followup *o = &card->followups[k];
    memset(o, 0, sizeof *o);
    o->item = f->item;
    day_format(f->opened, o->opened, sizeof o->opened);
    day_format(f->due, o->due, sizeof o->due);
    o->overdue = f->due < today;
    o->unfixed = f->unfixed;
    struct inspection *in = NULL;
    if (f->event_id != NULL && inspection_load(fx->db, f->event_id, &in) == 0) {
        const char *id = checklist_item_id(f->item);
        for (size_t i = 0; i < in->nfindings; i++)
            if (strcmp(in->findings[i].item, id) == 0)
                text_copy(o->note, sizeof o->note, in->findings[i].note);
        inspection_free(in);
    }
}

/* The stall on the card: its score and list today, by the rules loaded,
 * and the follow-ups open on it. */
static int stall_score(struct fx *fx, struct session *ses, int *score, enum score_list *list)
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
    ses->card.n_followups = 0;
    for (size_t i = 0; i < ls.res.n_followups; i++)
        add_followup(fx, &ses->card, &ls.res.followups[i], today);
    lists_stall_free(&ls);
    return 0;
}

static int load_card(struct fx *fx, struct session *ses, const char *code)
{
    struct session_card *card = &ses->card;
    struct stall st;
    int rc = registry_find_stall(fx->db, code, &st);
    if (rc < 0) {
        session_message(ses, 1, "%s: %s", _("No such stall"), code);
        return rc;
    }
    /* A manager reads their own market's stalls only (core/roles.h). */
    if ((rc = fx_allowed(fx, ses, ROLE_ACT_READ, st.market)) < 0)
        return rc;
    memset(card, 0, sizeof *card);
    text_copy(card->stall, sizeof card->stall, st.code);
    text_copy(card->name, sizeof card->name, st.name);
    text_copy(card->category, sizeof card->category, st.category);
    text_copy(card->licence, sizeof card->licence, st.operator_licence);
    struct stall_operator op;
    if (st.operator_licence[0] != '\0' &&
        registry_find_operator(fx->db, st.operator_licence, &op) == 0)
        text_copy(card->operator_name, sizeof card->operator_name, op.name);
    registry_instruments_by_stall(fx->db, st.code, add_instrument, ses);
    inspection_history(fx->db, st.code, 0, add_history, card);
    if (stall_score(fx, ses, &card->score, &card->list) < 0)
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
    struct stall st;
    int rc = registry_find_stall(fx->db, card->stall, &st);
    if (rc == 0 && (rc = fx_allowed(fx, ses, ROLE_ACT_READ, st.market)) < 0)
        card->stall[0] = '\0';
    if (rc < 0)
        return rc;
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
    text_copy(v->officer2, sizeof v->officer2, ses->badge2);
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
    int rc = load_card(fx, ses, eff->stall);
    return rc < 0 ? rc : fx_start_visit(fx, ses, eff);
}

int fx_resume_draft(struct fx *fx, struct session *ses, const struct tui_effect *eff)
{
    (void)eff;
    ses->visit = ses->draft;
    ses->draft_pending = 0;
    return load_card(fx, ses, ses->visit.stall);
}

/* ---- the summary: preview and commit ---- */

/* The summary's score: the score engine's preview of the stall's history
 * with this visit in it (db/lists.h), nothing written. */
static int preview(struct fx *fx, struct session *ses)
{
    const struct visit *v = &ses->visit;
    struct score_finding f[CHECK_ITEM_COUNT];
    size_t nf = 0;
    for (int i = 0; i < CHECK_ITEM_COUNT; i++) {
        if (v->answers[i] == ANSWER_NONE)
            continue;
        f[nf].item = (enum checklist_item)i;
        f[nf].answer = v->answers[i];
        f[nf].deadline = 0;
        if (v->deadlines[i][0] != '\0')
            day_parse(v->deadlines[i], &f[nf].deadline);
        nf++;
    }
    struct score_event ev;
    memset(&ev, 0, sizeof ev);
    ev.id = v->id;
    ev.kind = SCORE_EVENT_INSPECTION;
    ev.findings = f;
    ev.n_findings = nf;
    for (int i = 0; i < v->n_reweigh; i++) {
        if (!v->reweigh[i].captured)
            continue;
        ev.reweighs++;
        ev.reweighs_short += v->reweigh[i].verdict == REWEIGH_FAIL;
    }
    if (!fx->have_rules || zone_day_of(v->started_at, &ev.day) < 0) /* its legal day */
        return SC_ERR_ARG;
    struct lists_preview p;
    int rc = lists_preview(fx->db, &fx->rules, v->stall, &ev, &p);
    if (rc < 0)
        return rc;
    ses->summary.ready = 1;
    ses->card.score = p.score_before;
    ses->summary.new_score = p.score_after;
    ses->summary.deduction = p.deduction;
    ses->summary.new_list = p.list_after;
    return 0;
}

int fx_score_preview(struct fx *fx, struct session *ses, const struct tui_effect *eff)
{
    (void)eff;
    ses->summary.ready = 0;
    /* Only a complete checklist can be committed, so only it previews. */
    if (!visit_complete(&ses->visit))
        return 0;
    int rc = preview(fx, ses);
    if (rc < 0)
        session_message(ses, 1, "%s: %s", _("No score preview"), sc_error_message());
    return rc;
}

/* ---- committing ---- */

int fx_commit(struct fx *fx, struct session *ses, const struct tui_effect *eff)
{
    (void)eff;
    int rc = fx_allowed(fx, ses, ROLE_ACT_INSPECT, ses->visit.market);
    if (rc < 0)
        return rc;
    day_t today;
    if ((rc = day_parse(ses->today, &today)) < 0)
        return rc;
    /* One transaction (db/visit.h): the inspection, its readings, its
     * audit entry, the draft's deletion and the stall's list are all there
     * after a power cut, or none is. */
    int old_score = ses->card.score, new_score;
    enum score_list new_list;
    rc = visit_commit(fx->db, fx->have_rules ? &fx->rules : NULL, &ses->visit, today, NULL);
    if (rc < 0) {
        session_message(ses, 1, "%s: %s", _("Not saved"), sc_error_message());
        return rc;
    }
    for (int i = 0; i < ses->day.n_stalls; i++)
        if (strcmp(ses->day.stalls[i].code, ses->card.stall) == 0)
            ses->day.stalls[i].done = 1;
    if (stall_score(fx, ses, &new_score, &new_list) == 0)
        session_message(ses, 0, "%s %s: %s %d -> %d %s", _("Inspection saved"), ses->card.stall,
                        _("Score"), old_score, new_score,
                        new_list == SCORE_LIST_NONE ? "" : i18n_list(new_list));
    else
        session_message(ses, 0, "%s %s", _("Inspection saved"), ses->card.stall);
    visit_clear(&ses->visit);
    load_card(fx, ses, ses->card.stall);
    return 0;
}

void fx_leave_stall(struct session *ses)
{
    /* A visit with answers is already a draft: picked up when the stall is
     * chosen again, offered at the next start.  One without is nothing. */
    visit_clear(&ses->visit);
    ses->summary.ready = 0;
}
