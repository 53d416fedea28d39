/* The district's lists (红黑榜): every stall's score and list computed on
 * the district database (PostgreSQL) by the same engine and the same
 * reading of the records as on a handheld (core/score.h,
 * core/score_events.h), under the district's rules, and stored in
 * district_status, which handhelds pull (db/sync.h).
 *
 * What is recomputed: stalls with records new since the last run (an insert
 * into inspections marks its stalls in district_dirty, whoever inserts:
 * sync's push or the office's ingest), stalls whose stored line lapsed (a
 * deduction or an inspection left a window: score_result's valid_until),
 * stalls with no line yet or a line made under other rules or for another
 * market; with full, every stall.  A run is one transaction under an
 * advisory lock: two runs take turns, a sync running meanwhile is never
 * waited for, and what it commits after the run began is marked and taken
 * by the next run.
 *
 * The district's rules: the text of the rules file set with sync --init
 * (district_info "rules", in rules_format's form), parsed the way a
 * handheld parses its own file (db/rules_file.h); its zone, that of the
 * handheld that ran sync --init (district_info "timezone"). */
#ifndef STALLCHECK_DB_DISTRICT_H
#define STALLCHECK_DB_DISTRICT_H

#include <stdint.h>

#include "core/day.h"
#include "core/rules.h"

struct district_lists_stats {
    day_t as_of;
    char rules_id[17];
    int64_t dirty;        /* stalls marked by new records */
    int64_t lapsed;       /* stalls whose line lapsed, was missing or under other rules */
    int64_t recomputed;   /* stalls computed and stored */
    int64_t removed;      /* lines of stalls no longer listed (inactive, gone) */
    int64_t counts[3];    /* of the district, per enum score_list, after the run */
};

/* Recomputes what needs it (all with full) on day today.  SC_ERR_IO when
 * the server cannot be reached, SC_ERR_NOTFOUND without the district
 * schema, SC_ERR_PARSE when the stored rules do not parse. */
int district_lists_run(const char *url, day_t today, int full, struct district_lists_stats *out);

/* Uses the bureau's zone the district stored at sync --init (db/zone.h),
 * so its "today" and its inspections' days are the handhelds' legal days;
 * the default zone when none is stored.  SC_ERR_ARG for a zone this
 * machine does not know. */
int district_zone_use(const char *url);

/* The district's rules as stored (out filled), for the office to see. */
int district_rules_get(const char *url, struct rules *out);

#endif
