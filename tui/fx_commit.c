/* Effects of the summary: the score engine's preview of the visit, and the
 * commit of the whole visit in one transaction. */
#include <stdio.h>
#include <string.h>

#include "core/day.h"
#include "core/error.h"
#include "db/draft.h"
#include "db/inspection.h"
#include "db/lists.h"
#include "tui/fx_area.h"
#include "tui/i18n.h"
#include "tui/text.h"

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
        ev.reweighs_short += v->reweigh[i].verdict == VERDICT_FAIL;
    }
    if (!fx->have_rules || day_parse(v->started_at, &ev.day) < 0)
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

static size_t hex_decode(const char *hex, unsigned char *out, size_t size)
{
    size_t n = 0;
    while (hex[0] != '\0' && hex[1] != '\0' && n < size) {
        unsigned v;
        if (sscanf(hex, "%2x", &v) != 1)
            break;
        out[n++] = (unsigned char)v;
        hex += 2;
    }
    return n;
}

/* The reading behind a re-weigh's verdict, with the frame as read. */
static void reweigh_measurement(struct fx *fx, const struct visit_reweigh *w,
                                struct measurement *m, unsigned char raw[48])
{
    memset(m, 0, sizeof *m);
    db_record_id(fx->db, m->id);
    db_now(m->taken_at, sizeof m->taken_at);
    const char *sp = strchr(w->raw, ' ');
    size_t vl = sp != NULL ? (size_t)(sp - w->raw) : strlen(w->raw);
    snprintf(m->value, sizeof m->value, "%.*s", (int)vl, w->raw);
    text_copy(m->unit, sizeof m->unit, sp != NULL ? sp + 1 : "");
    text_copy(m->driver, sizeof m->driver, scales_driver(fx->scales, SCALE_REFERENCE));
    m->has_value_ug = 1;
    m->value_ug = w->measured_ug;
    m->stable = 1;
    size_t rl = hex_decode(w->frame, raw, 48);
    m->raw = rl > 0 ? raw : NULL;
    m->raw_len = rl;
}

/* The visit as db/inspection.h's struct; arrays are the caller's. */
static void build_inspection(struct fx *fx, const struct visit *v, struct inspection *in,
                             struct finding *f, struct reweigh *rw, struct measurement *ms,
                             unsigned char raw[][48])
{
    memset(in, 0, sizeof *in);
    text_copy(in->id, sizeof in->id, v->id);
    text_copy(in->stall, sizeof in->stall, v->stall);
    text_copy(in->market, sizeof in->market, v->market);
    text_copy(in->officer1, sizeof in->officer1, v->officer1);
    text_copy(in->officer2, sizeof in->officer2, v->officer2);
    text_copy(in->draw, sizeof in->draw, v->draw);
    text_copy(in->started_at, sizeof in->started_at, v->started_at);
    size_t n;
    const struct checklist_item_info *items = checklist_items(&n);
    in->findings = f;
    for (size_t i = 0; i < n; i++) {
        if (v->answers[i] == ANSWER_NONE)
            continue;
        struct finding *x = &f[in->nfindings++];
        memset(x, 0, sizeof *x);
        text_copy(x->item, sizeof x->item, items[i].id);
        text_copy(x->answer, sizeof x->answer, checklist_answer_id(v->answers[i]));
        text_copy(x->note, sizeof x->note, v->notes[i]);
        text_copy(x->deadline, sizeof x->deadline, v->deadlines[i]);
    }
    in->reweighs = rw;
    in->measurements = ms;
    for (int i = 0; i < v->n_reweigh; i++) {
        const struct visit_reweigh *w = &v->reweigh[i];
        if (!w->captured)
            continue;
        struct reweigh *r = &rw[in->nreweighs++];
        memset(r, 0, sizeof *r);
        text_copy(r->category, sizeof r->category, w->category);
        r->declared_ug = w->declared_ug;
        r->measured_ug = w->measured_ug;
        r->unit_price_fen = w->unit_price_fen;
        r->has_allowed = w->verdict != VERDICT_OUTSIDE;
        r->allowed_ug = w->allowed_ug;
        r->shortfall_ug = w->shortfall_ug;
        r->money_short_fen = w->money_short_fen;
        r->verdict = w->verdict == VERDICT_FAIL ? REWEIGH_FAIL : w->verdict == VERDICT_PASS ? REWEIGH_PASS : REWEIGH_OUTSIDE;
        r->method = REWEIGH_AT_REFERENCE;
        if (w->raw[0] != '\0') {
            struct measurement *m = &ms[in->nmeasurements++];
            reweigh_measurement(fx, w, m, raw[i]);
            text_copy(r->measurement, sizeof r->measurement, m->id);
        }
    }
}

/* One transaction: the inspection, its audit entry and the draft's
 * deletion are all there after a power cut, or none is. */
static int store(struct fx *fx, struct session *ses)
{
    struct inspection in;
    struct finding f[CHECK_ITEM_COUNT];
    struct reweigh rw[VISIT_MAX_REWEIGH];
    struct measurement ms[VISIT_MAX_REWEIGH];
    unsigned char raw[VISIT_MAX_REWEIGH][48];
    build_inspection(fx, &ses->visit, &in, f, rw, ms, raw);
    int rc = db_begin(fx->db);
    if (rc < 0)
        return rc;
    if ((rc = inspection_commit(fx->db, &in)) < 0 ||
        (rc = draft_delete(fx->db, ses->visit.id)) < 0) {
        char why[160];
        text_copy(why, sizeof why, sc_error_message());
        db_rollback(fx->db);
        session_message(ses, 1, "%s: %s", _("Not saved"), why);
        return rc;
    }
    if ((rc = db_commit(fx->db)) < 0) {
        session_message(ses, 1, "%s: %s", _("Not saved"), sc_error_message());
        return rc;
    }
    /* The stored list follows (lists.h: after the commit, outside it). */
    lists_after_commit(fx->db, ses->visit.stall);
    return 0;
}

int fx_commit(struct fx *fx, struct session *ses, const struct tui_effect *eff)
{
    (void)eff;
    int rc = fx_allowed(fx, ses, ROLE_ACT_INSPECT, ses->visit.market);
    if (rc < 0 || (rc = store(fx, ses)) < 0)
        return rc;
    int old_score = ses->card.score, new_score;
    enum score_list new_list;
    for (int i = 0; i < ses->day.n_stalls; i++)
        if (strcmp(ses->day.stalls[i].code, ses->card.stall) == 0)
            ses->day.stalls[i].done = 1;
    if (fx_stall_score(fx, ses, &new_score, &new_list) == 0)
        session_message(ses, 0, "%s %s: %s %d -> %d %s", _("Inspection saved"), ses->card.stall,
                        _("Score"), old_score, new_score,
                        new_list == SCORE_LIST_NONE ? "" : score_list_name(new_list));
    else
        session_message(ses, 0, "%s %s", _("Inspection saved"), ses->card.stall);
    visit_clear(&ses->visit);
    fx_load_card(fx, ses, ses->card.stall);
    return 0;
}
