/* Each stall's line as stored (stall_status: score, list, black listing,
 * the rules it was computed under) and its history (one row per change of
 * list), written only where the line changed: what is stored is compared
 * by a hash of everything but the day it was computed.  A recompute writes
 * 100,000s of lines, so they go in batches of several rows per INSERT. */
#ifndef STALLCHECK_DB_LISTS_STORE_H
#define STALLCHECK_DB_LISTS_STORE_H

#include <stdint.h>

#include "core/score.h"
#include "db/db.h"
#include "db/internal.h"

/* A stall's line as stored, as far as a write needs it. */
struct old_status {
    enum score_list list;
    int have;                  /* 0: nothing stored */
    uint64_t hash;
};

/* Every stored line, columns as lists_old_from_row reads them (the stall's
 * code first). */
extern const char LISTS_SQL_STATUS_OLD[];

/* The stored line of the row st is on (a row of LISTS_SQL_STATUS_OLD). */
void lists_old_from_row(sqlite3_stmt *st, struct old_status *o);
/* The stored line of one stall (have = 0 when none). */
int lists_old_status_one(struct db *db, const char *stall, struct old_status *o);

struct lists_store;

/* A writer of lines computed under the rules rules_id at now (both kept
 * by the caller until the writer is freed). */
struct lists_store *lists_store_new(struct db *db, const char *rules_id, const char *now);
void lists_store_free(struct lists_store *w);

/* Stores res for stall unless the stored line (old) is the same: 1 when
 * its list changed (a history row too), 0, or SC_ERR_*.  Buffered: flushed
 * when a batch is full and by lists_store_flush. */
int lists_store_status(struct lists_store *w, const char *stall, const struct score_result *res,
                       const char *last_inspection, const struct old_status *old);
int lists_store_flush(struct lists_store *w);

#endif
