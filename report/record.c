#include "report/record.h"

#include <libintl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

#define _(s) gettext(s)

int record_build(const struct pub_stall *st, const struct rules *r, day_t as_of,
                 struct stall_record *out)
{
    memset(out, 0, sizeof *out);
    out->st = st;
    size_t nf = 0;
    for (size_t i = 0; i < st->n_inspections; i++)
        nf += st->inspections[i].n_findings;
    out->n = st->n_inspections;
    out->ev = calloc(out->n ? out->n : 1, sizeof *out->ev);
    out->f = calloc(nf ? nf : 1, sizeof *out->f);
    if (out->ev == NULL || out->f == NULL)
        return sc_error_set(SC_ERR_NOMEM, "stall %s", st->code);
    size_t at = 0;
    for (size_t i = 0; i < out->n; i++) {
        const struct pub_inspection *p = &st->inspections[i];
        struct score_event *v = &out->ev[i];
        if (day_parse(p->started_at, &v->day) < 0)
            return sc_error_set(SC_ERR_INCONSISTENT, "inspection %s: started_at '%s'", p->id,
                                p->started_at ? p->started_at : "");
        v->id = p->id;
        v->kind = SCORE_EVENT_INSPECTION;
        v->findings = out->f + at;
        for (size_t k = 0; k < p->n_findings; k++) {
            const struct checklist_item_info *info = checklist_item_by_id(p->findings[k].item);
            if (info == NULL)
                continue; /* an item this build does not know: not scored */
            struct score_finding *f = &out->f[at + v->n_findings++];
            f->item = info->item;
            f->answer = checklist_answer_from_id(p->findings[k].answer);
            const char *dl = p->findings[k].deadline;
            if (dl == NULL || *dl == '\0' || day_parse(dl, &f->deadline) < 0)
                f->deadline = 0;
        }
        at += v->n_findings;
        int fair = 0;
        for (size_t k = 0; k < p->n_reweighs; k++) {
            const struct pub_reweigh *w = &p->reweighs[k];
            v->reweighs++;
            v->reweighs_short += w->verdict != NULL && strcmp(w->verdict, "fail") == 0;
            fair += w->method != NULL && strcmp(w->method, "fair") == 0;
        }
        if (v->n_findings == 0 && v->reweighs > 0 && fair == v->reweighs)
            v->kind = SCORE_EVENT_FAIRSCALE;
    }
    return score_compute(r, out->ev, out->n, as_of, &out->res);
}

void record_free(struct stall_record *rec)
{
    score_result_free(&rec->res);
    free(rec->ev);
    free(rec->f);
    memset(rec, 0, sizeof *rec);
}

int record_failed(const struct score_event *e, enum checklist_item item)
{
    if (item == CHECK_REWEIGH && e->reweighs_short > 0)
        return 1;
    for (size_t i = 0; i < e->n_findings; i++)
        if (e->findings[i].item == item && checklist_answer_failed(e->findings[i].answer))
            return 1;
    return 0;
}

int record_passed(const struct score_event *e, enum checklist_item item)
{
    if (record_failed(e, item))
        return 0;
    if (item == CHECK_REWEIGH && e->reweighs > 0)
        return 1;
    for (size_t i = 0; i < e->n_findings; i++) {
        enum checklist_answer a = e->findings[i].answer;
        if (e->findings[i].item == item &&
            (a == ANSWER_PASS || a == ANSWER_SEAL_INTACT || a == ANSWER_SEAL_NOT_SEALABLE))
            return 1;
    }
    return 0;
}

day_t record_due(const struct rules *r, const struct score_event *e, enum checklist_item item)
{
    day_t deadline = 0;
    for (size_t i = 0; i < e->n_findings; i++)
        if (e->findings[i].item == item)
            deadline = e->findings[i].deadline;
    /* As core/score sets it: the officer's deadline, else the rules'. */
    return deadline > e->day                ? deadline
           : r->followup_deadline_days > 0 ? e->day + r->followup_deadline_days
                                           : 0;
}

enum record_outcome record_correction(const struct stall_record *rec, size_t k,
                                      enum checklist_item item, const struct rules *r,
                                      day_t as_of, day_t *when)
{
    day_t due = record_due(r, &rec->ev[k], item);
    for (size_t j = k + 1; j < rec->n && rec->ev[j].day <= as_of; j++) {
        const struct score_event *v = &rec->ev[j];
        if (v->kind != SCORE_EVENT_INSPECTION)
            continue;
        if (record_passed(v, item)) {
            *when = v->day;
            return RECORD_CORRECTED;
        }
        if (record_failed(v, item) && due != 0 && v->day > due) {
            *when = v->day;
            return RECORD_NOT_CORRECTED;
        }
    }
    *when = due;
    if (due == 0)
        return RECORD_NO_DEADLINE;
    return as_of > due ? RECORD_OVERDUE : RECORD_OPEN;
}

void record_outcome_text(enum record_outcome o, day_t when, char *buf, size_t size)
{
    char day[11] = "";
    if (when != 0)
        day_format(when, day, sizeof day);
    switch (o) {
    case RECORD_CORRECTED: snprintf(buf, size, _("corrected (re-inspected %s)"), day); return;
    case RECORD_NOT_CORRECTED:
        snprintf(buf, size, _("not corrected by the deadline (re-inspected %s)"), day);
        return;
    case RECORD_OVERDUE:
        snprintf(buf, size, _("deadline %s passed, awaiting re-inspection"), day);
        return;
    case RECORD_OPEN: snprintf(buf, size, _("to be corrected by %s"), day); return;
    case RECORD_NO_DEADLINE: break;
    }
    if (size > 0)
        buf[0] = '\0';
}
