#include "report/record.h"

#include <libintl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/score_events.h"
#include "db/lists.h"

#define _(s) gettext(s)

int record_build(const struct pub_stall *st, const struct rules *r, day_t as_of,
                 struct stall_record *out)
{
    memset(out, 0, sizeof *out);
    out->st = st;
    score_events_init(&out->events);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < st->n_inspections; i++) {
        const struct pub_inspection *p = &st->inspections[i];
        int shorts = 0, fair = 0;
        for (size_t k = 0; k < p->n_reweighs; k++) {
            const struct pub_reweigh *w = &p->reweighs[k];
            shorts += w->verdict != NULL && strcmp(w->verdict, "fail") == 0;
            fair += w->method != NULL && strcmp(w->method, "fair") == 0;
        }
        rc = lists_event_add(&out->events, p->id, p->started_at, (int)p->n_reweighs, shorts,
                             fair);
        for (size_t k = 0; rc == 0 && k < p->n_findings; k++)
            rc = score_events_finding(&out->events, p->findings[k].item, p->findings[k].answer,
                                      p->findings[k].deadline);
    }
    if (rc < 0)
        return rc;
    out->ev = score_events_finish(&out->events);
    out->n = out->events.n;
    /* Each event's inspection, by id (finish may have put them in order). */
    out->isp = calloc(out->n ? out->n : 1, sizeof *out->isp);
    if (out->isp == NULL)
        return sc_error_set(SC_ERR_NOMEM, "stall %s", st->code);
    for (size_t k = 0; k < out->n; k++) {
        size_t i = k < st->n_inspections && strcmp(st->inspections[k].id, out->ev[k].id) == 0
                       ? k
                       : 0;
        while (i < st->n_inspections && strcmp(st->inspections[i].id, out->ev[k].id) != 0)
            i++;
        if (i == st->n_inspections)
            return sc_error_set(SC_ERR_INCONSISTENT, "stall %s: inspection %s", st->code,
                                out->ev[k].id);
        out->isp[k] = &st->inspections[i];
    }
    return score_compute(r, out->ev, out->n, as_of, &out->res);
}

void record_free(struct stall_record *rec)
{
    score_result_free(&rec->res);
    score_events_free(&rec->events);
    free(rec->isp);
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
