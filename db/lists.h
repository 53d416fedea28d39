/* Integrity scores and the red/black list (红黑榜) from the database: each
 * stall's committed inspections (findings, re-weighs) read as score events
 * (core/score_events.h, the same reading the district makes of the same
 * records) and fed to core/score.h.
 *
 * stall_status keeps every stall's current line of the list: score, list,
 * the black listing's since / until / reason (NULL, "" otherwise),
 * inspections in the window, open follow-ups, the day it was computed for
 * and the first day it may change with no new record (score_result's
 * valid_until).  Committing an inspection calls lists_update_stall for that
 * stall only (incremental); lists_recompute redoes a market or the district
 * in one ordered pass; today's list is read from it (lists_each).
 * list_entries keeps the history: one row each time a stall's list
 * changes. */
#ifndef STALLCHECK_DB_LISTS_H
#define STALLCHECK_DB_LISTS_H

#include <stddef.h>
#include <stdint.h>

#include "core/day.h"
#include "core/market.h"
#include "core/rules.h"
#include "core/score.h"
#include "core/score_events.h"
#include "db/db.h"
#include "db/registry.h"

/* Adds an inspection to b on the legal day of its started_at (db/zone.h:
 * the bureau's local date, the same on the handheld and the district);
 * SC_ERR_INCONSISTENT naming it when started_at is not a UTC time. */
int lists_event_add(struct score_events *b, const char *id, const char *started_at,
                    int reweighs, int shorts, int fair);

/* The rules to compute with: the file at path when given (one command's
 * what-if), else the rules in force (db/rules_file.h: adopted and audited,
 * else the built-in defaults, equal to data/rules.ini).  0 or SC_ERR_*
 * ("FILE:LINE: why"). */
int lists_rules(struct db *db, const char *path, struct rules *out);

/* After an inspection (or fair-scale check) of stall is committed: the
 * rules in force (lists_rules with no path), today (db_today), then
 * lists_update_stall.  The single call for the inspection and fair-scale
 * code paths.  Returns as lists_update_stall. */
int lists_after_commit(struct db *db, const char *stall);

/* A short fingerprint of a rule set (FNV-1a of its INI text), stored with
 * each stall_status row so stale rows are seen. */
void lists_rules_id(const struct rules *r, char out[17]);

/* Recomputes one stall on day today and stores it: the single call to make
 * after committing an inspection (inside or outside its transaction).
 * Returns 1 when the stall's list changed, 0 when not, or SC_ERR_*. */
int lists_update_stall(struct db *db, const struct rules *r, const char *stall, day_t today);

/* Recomputes every stall of market (NULL: the district) and stores it, in
 * one transaction.  Returns the number of stalls or SC_ERR_*. */
int64_t lists_recompute(struct db *db, const struct rules *r, const char *market, day_t today);
/* The same, with the stalls per enum score_list in counts. */
int64_t lists_recompute_counts(struct db *db, const struct rules *r, const char *market,
                               day_t today, int counts[3]);

/* What an inspection not yet committed would do to the stall's score (the
 * TUI's summary before confirming): the stall's history plus `visit` (its
 * id and day set by the caller), on day visit->day.  before/after may be
 * NULL; after's deductions are freed here (only its numbers are kept). */
struct lists_preview {
    int score_before, score_after;
    enum score_list list_before, list_after;
    int deduction;            /* score_before - score_after */
};
int lists_preview(struct db *db, const struct rules *r, const char *stall,
                  const struct score_event *visit, struct lists_preview *out);

/* One stall's line of the list. */
struct lists_row {
    char stall[REG_CODE];
    char market[REG_CODE];
    char name[REG_NAME];
    int score;
    enum score_list list;
    enum score_grade grade;
    enum score_black_reason black_reason;
    day_t since, until;       /* the black listing, when black */
    int inspections;          /* in the score window */
    int followups;            /* open follow-ups */
};

/* The list on day as_of for market (NULL: the district), stalls in code
 * order.  Today's (as_of == today) under the rules in force (lists_rules
 * with no path) is read from stall_status, after the
 * lines that lapsed (made with other rules, on a later day, or past their
 * valid_until) or are missing are computed and stored again (one by one, or
 * all in one pass when many are); another day's is computed from the
 * history, nothing stored, as is a list under other rules.  A database that
 * cannot be written is read the long way too.  fn returning non-zero stops the walk. */
int lists_each(struct db *db, const struct rules *r, const char *market, day_t as_of,
               day_t today, int (*fn)(const struct lists_row *, void *), void *arg);

/* One stall's score with its explanation.  The result's strings (event
 * ids) live in the struct's own storage; free with lists_stall_free. */
struct lists_stall {
    struct stall stall;
    struct market market;
    struct score_result res;
    struct lists_priv *priv;
};
int lists_stall_score(struct db *db, const struct rules *r, const char *stall, day_t as_of,
                      struct lists_stall *out);
void lists_stall_free(struct lists_stall *s);

/* Follow-ups (限期整改) open on day today. */
enum lists_followup_status {
    LISTS_FOLLOWUP_PENDING,   /* the deadline is still ahead */
    LISTS_FOLLOWUP_DUE,       /* the deadline is today */
    LISTS_FOLLOWUP_OVERDUE,   /* past the deadline, not re-inspected */
};
struct lists_followup {
    char stall[REG_CODE];
    char market[REG_CODE];
    char name[REG_NAME];
    enum checklist_item item;
    char inspection[DB_UUID_LEN];   /* where it was found first */
    day_t opened, due;
    int unfixed;                    /* re-inspections that found it not fixed */
    enum lists_followup_status status;
};
const char *lists_followup_status_name(enum lists_followup_status s);
/* Every open follow-up of market (NULL: all), by due date then stall;
 * with all == 0 only those due or overdue. */
int lists_followups(struct db *db, const struct rules *r, const char *market, day_t today,
                    int all, int (*fn)(const struct lists_followup *, void *), void *arg);

/* A market's figures (counted here) and standing (core/market.h). */
struct lists_market {
    char code[REG_CODE];
    char name[REG_NAME];
    struct market_figures fig;
    int rank;                 /* 1 = best in the district */
    enum market_status status; /* [market] rectify_percent / suspend_percent */
};
/* Every market's figures on as_of, ranked (market_cmp, then by code).
 * *out is malloc'd; free() it. */
int lists_markets(struct db *db, const struct rules *r, day_t as_of, day_t today,
                  struct lists_market **out, size_t *n);

/* Per mille of num/den, rounded half up; 0 when den is 0 (for display). */
int lists_permille(int num, int den);

#endif
