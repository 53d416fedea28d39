/* A stall's record as the public reads it, shared by its public page
 * (report/site_stall.c) and its posted scorecard (report/scorecard.c): the
 * stall's inspections (db/publish.h) as core/score's events, its score on
 * a day, and what became of each correction ordered (限期整改). */
#ifndef STALLCHECK_REPORT_RECORD_H
#define STALLCHECK_REPORT_RECORD_H

#include <stddef.h>

#include "core/day.h"
#include "core/rules.h"
#include "core/score.h"
#include "core/score_events.h"
#include "db/publish.h"

struct stall_record {
    const struct pub_stall *st;
    const struct score_event *ev;           /* in time order */
    const struct pub_inspection **isp;      /* ev[k]'s inspection */
    size_t n;
    struct score_result res;  /* on as_of */
    struct score_events events;
};

/* The events as core/score_events.h reads records everywhere (the handheld's
 * lists, the district's), and the score on as_of.  Free with record_free
 * (also after an error). */
int record_build(const struct pub_stall *st, const struct rules *r, day_t as_of,
                 struct stall_record *out);
void record_free(struct stall_record *rec);

/* Whether an event failed item (a short re-weigh fails CHECK_REWEIGH), and
 * whether it found item passing. */
int record_failed(const struct score_event *e, enum checklist_item item);
int record_passed(const struct score_event *e, enum checklist_item item);

/* The correction deadline of item failed at e: the officer's, else the
 * rules' [followup] deadline_days after, else 0 (none). */
day_t record_due(const struct rules *r, const struct score_event *e, enum checklist_item item);

enum record_outcome {
    RECORD_NO_DEADLINE,       /* no correction deadline was set, none found since */
    RECORD_CORRECTED,         /* a later inspection found it passing (on *when) */
    RECORD_NOT_CORRECTED,     /* one after the deadline found it failing again (on *when) */
    RECORD_OVERDUE,           /* the deadline (*when) passed, not re-inspected yet */
    RECORD_OPEN,              /* to be corrected by *when */
};

/* What became of item failed at event k, up to as_of. */
enum record_outcome record_correction(const struct stall_record *rec, size_t k,
                                      enum checklist_item item, const struct rules *r,
                                      day_t as_of, day_t *when);
/* The outcome in words ("已整改（2026-01-12 复查）"); "" for RECORD_NO_DEADLINE. */
void record_outcome_text(enum record_outcome o, day_t when, char *buf, size_t size);

#endif
