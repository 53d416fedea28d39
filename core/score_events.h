/* A stall's score events (core/score.h) built from its stored records, the
 * same way wherever they are stored: the handheld's SQLite (db/lists.c) and
 * the district's PostgreSQL (db/district.c) hand their rows here, so both
 * read a record the same way and the district's lists equal the handheld's.
 *
 * What a record means for the score:
 *  - a committed inspection is an inspection event on the legal day of its
 *    started_at (the bureau's local date, which core cannot know: the
 *    reader gives it, db/lists.h lists_event_add); its findings are the checklist answers by item id
 *    (core/checklist.h; an item this build does not know is not scored),
 *    with the officer's correction deadline (限期整改) when set;
 *  - one with no findings whose re-weighs were all made at the market's
 *    fair scale (method "fair") is a fair-scale check (公平秤: a customer's
 *    complaint), short when any of them failed;
 *  - events of one day keep the order of their started_at, then of their id
 *    (whatever order the rows came in). */
#ifndef STALLCHECK_CORE_SCORE_EVENTS_H
#define STALLCHECK_CORE_SCORE_EVENTS_H

#include <stddef.h>

#include "core/checklist.h"
#include "core/day.h"
#include "core/score.h"

#define SCORE_EVENTS_ID 40      /* a UUID's text and its NUL, with room */
/* An ISO 8601 time as stored, "2026-11-25T08:00:00Z" (longer forms are
 * cut here: the order of one day's events looks at this much). */
#define SCORE_EVENTS_STARTED 26

struct score_events {
    struct score_event *ev;
    size_t n, cap;
    struct score_finding *f;
    size_t nf, capf;
    size_t *fstart;           /* per event: its first finding */
    int *nfair;               /* per event: re-weighs made at the fair scale */
    char (*ids)[SCORE_EVENTS_ID];
    char (*started)[SCORE_EVENTS_STARTED];
};

/* An empty set ({0} is one too). */
void score_events_init(struct score_events *b);
/* Empties it, keeping its memory. */
void score_events_clear(struct score_events *b);
void score_events_free(struct score_events *b);

/* Adds an inspection: its id and started_at (copied), the legal day it
 * counts on, its re-weighs, how many were short beyond the allowed
 * deviation, how many at the fair scale.  Its findings follow.
 * SC_ERR_NOMEM. */
int score_events_add_day(struct score_events *b, const char *id, const char *started_at,
                         day_t day, int reweighs, int shorts, int fair);
/* A finding of the last inspection added, as stored: item id, answer id,
 * deadline "YYYY-MM-DD" or NULL / "" (a deadline that is not a date counts
 * as none).  An unknown item or answer is skipped (0).  SC_ERR_NOMEM. */
int score_events_finding(struct score_events *b, const char *item, const char *answer,
                         const char *deadline);
/* The same, already decoded (deadline 0: none). */
int score_events_finding_decoded(struct score_events *b, enum checklist_item item,
                                 enum checklist_answer answer, day_t deadline);

/* Makes the events ready for score_compute: points them at their findings
 * and ids, tells fair-scale checks from inspections, puts them in order.
 * Valid until the next add.  Returns b->ev (b->n events). */
const struct score_event *score_events_finish(struct score_events *b);

/* Room for one more event after finish (for a preview): the events are
 * finished again if their storage moved.  SC_ERR_NOMEM. */
int score_events_reserve(struct score_events *b);

/* The id of the last event on or before as_of (after finish), or NULL. */
const char *score_events_last(const struct score_events *b, day_t as_of);

#endif
