#include "db/visit.h"

#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "core/utf8.h"
#include "db/draft.h"
#include "db/internal.h"
#include "db/lists.h"

static void build_findings(const struct visit *v, struct visit_record *rec)
{
    size_t n;
    const struct checklist_item_info *items = checklist_items(&n);
    rec->in.findings = rec->findings;
    for (size_t i = 0; i < n && i < CHECK_ITEM_COUNT; i++) {
        if (v->answers[i] == ANSWER_NONE)
            continue;
        struct finding *f = &rec->findings[rec->in.nfindings++];
        memset(f, 0, sizeof *f);
        utf8_copy(f->item, sizeof f->item, items[i].id);
        utf8_copy(f->answer, sizeof f->answer, checklist_answer_id(v->answers[i]));
        utf8_copy(f->note, sizeof f->note, v->notes[i]);
        utf8_copy(f->deadline, sizeof f->deadline, v->deadlines[i]);
    }
}

/* The reading behind a re-weigh, as evidence: the frame as read. */
static void build_measurement(const struct visit_reweigh *w, struct measurement *m)
{
    const struct visit_reading *r = &w->reading;
    memset(m, 0, sizeof *m);
    db_uuid_new(m->id);
    utf8_copy(m->instrument, sizeof m->instrument, r->instrument);
    utf8_copy(m->taken_at, sizeof m->taken_at, r->taken_at);
    utf8_copy(m->driver, sizeof m->driver, r->driver);
    m->raw = r->raw_len > 0 ? r->raw : NULL;
    m->raw_len = r->raw_len;
    utf8_copy(m->value, sizeof m->value, r->value);
    utf8_copy(m->unit, sizeof m->unit, r->unit);
    m->has_value_ug = 1;
    m->value_ug = w->measured_ug;
    m->stable = r->stable != 0;
}

static int build_reweighs(const struct visit *v, struct visit_record *rec)
{
    rec->in.reweighs = rec->reweighs;
    rec->in.measurements = rec->measurements;
    for (int i = 0; i < v->n_reweigh && i < VISIT_MAX_REWEIGH; i++) {
        const struct visit_reweigh *w = &v->reweigh[i];
        if (!w->captured)
            continue; /* typed in, never judged: not a re-weigh yet */
        const struct reweigh_category_info *cat = reweigh_category_info(w->category);
        if (cat == NULL)
            return sc_error_set(SC_ERR_ARG, _("re-weigh %d: no category"), i + 1);
        struct reweigh *r = &rec->reweighs[rec->in.nreweighs++];
        memset(r, 0, sizeof *r);
        utf8_copy(r->goods, sizeof r->goods, w->goods);
        utf8_copy(r->category, sizeof r->category, cat->id);
        r->declared_ug = w->declared_ug;
        r->measured_ug = w->measured_ug;
        r->unit_price_fen = w->unit_price_fen;
        r->has_allowed = w->verdict != REWEIGH_OUTSIDE;
        r->allowed_ug = r->has_allowed ? w->allowed_ug : 0;
        r->shortfall_ug = w->shortfall_ug;
        r->money_short_fen = w->money_short_fen;
        r->verdict = w->verdict;
        r->method = w->method;
        utf8_copy(r->reference_instrument, sizeof r->reference_instrument, w->reference);
        if (w->has_reading) {
            struct measurement *m = &rec->measurements[rec->in.nmeasurements++];
            build_measurement(w, m);
            utf8_copy(r->measurement, sizeof r->measurement, m->id);
        }
    }
    return 0;
}

int visit_record_build(const struct visit *v, struct visit_record *rec)
{
    /* Only what is used is cleared: a generator builds a million of these. */
    memset(&rec->in, 0, sizeof rec->in);
    if (v->stall[0] == '\0')
        return sc_error_set(SC_ERR_ARG, _("visit: no stall"));
    if (v->officer1[0] == '\0')
        return sc_error_set(SC_ERR_ARG, _("visit: no officer"));
    struct inspection *in = &rec->in;
    utf8_copy(in->id, sizeof in->id, v->id);
    utf8_copy(in->stall, sizeof in->stall, v->stall);
    utf8_copy(in->market, sizeof in->market, v->market);
    utf8_copy(in->officer1, sizeof in->officer1, v->officer1);
    utf8_copy(in->officer2, sizeof in->officer2, v->officer2);
    utf8_copy(in->draw, sizeof in->draw, v->draw);
    utf8_copy(in->started_at, sizeof in->started_at, v->started_at);
    utf8_copy(in->ended_at, sizeof in->ended_at, v->ended_at);
    utf8_copy(in->place, sizeof in->place, v->place);
    utf8_copy(in->note, sizeof in->note, v->note);
    build_findings(v, rec);
    return build_reweighs(v, rec);
}

static void committed(const struct visit_record *rec, int list_changed,
                      struct visit_committed *out)
{
    if (out == NULL)
        return;
    memset(out, 0, sizeof *out);
    utf8_copy(out->id, sizeof out->id, rec->in.id);
    out->list_changed = list_changed;
}

int visit_commit(struct db *db, const struct rules *rules, const struct visit *v, day_t today,
                 struct visit_committed *out)
{
    static _Thread_local struct visit_record rec;
    int rc = visit_record_build(v, &rec);
    if (rc < 0)
        return rc;
    if ((rc = db_begin(db)) < 0)
        return rc;
    if ((rc = inspection_commit(db, &rec.in)) < 0 || (rc = draft_delete(db, rec.in.id)) < 0)
        return db_rollback_keep(db, rc);
    int changed = 0;
    if (rules != NULL && (changed = lists_update_stall(db, rules, rec.in.stall, today)) < 0)
        return db_rollback_keep(db, changed);
    if ((rc = db_commit(db)) < 0)
        return rc;
    committed(&rec, changed, out);
    return 0;
}

int visit_commit_bulk(struct db *db, const struct visit *v, struct visit_committed *out)
{
    static _Thread_local struct visit_record rec;
    int rc = visit_record_build(v, &rec);
    if (rc == 0)
        rc = inspection_commit(db, &rec.in);
    if (rc == 0)
        committed(&rec, 0, out);
    return rc;
}
