/* Sync with the district database (PostgreSQL, libpq).  This file and
 * db/sync.c are the only place with SQL for PostgreSQL.
 *
 * Push: the handheld's audit log is the queue.  Every audit entry after the
 * remote's pushed_seq (table sync_remotes) goes up in batches; with each
 * entry of kind inspection, calibration or draw goes its record (rows of
 * inspections, findings, measurements, reweighs; calibrations,
 * calibration_steps, measurements; draws, draw_stalls, draw_officers).
 * Drafts are never pushed: a draft becomes a record (and gets its audit
 * entry) when it is committed.  Each batch is one PostgreSQL transaction of
 * INSERT ... ON CONFLICT DO NOTHING keyed by UUID (audit entries by device
 * and seq), so a batch sent twice changes nothing; pushed_seq moves only
 * after the server has committed.  A cut anywhere (server killed, client
 * killed, network gone) leaves either the old pushed_seq, and the batch is
 * sent again and ignored where it already is, or the new one.
 *
 * The district keeps each device's audit entries: a batch whose entry the
 * district already holds with another hash is refused (this database was
 * altered or restored after it pushed).
 *
 * Pull: registry changes (markets, operators, stalls, instruments, weight
 * sets, officers with their recusals) written on the district since the last
 * pull, found by the writing transaction's id (a trigger stamps each row):
 * a pull remembers its snapshot's xmin, and every transaction older than
 * that has finished, so nothing committed late is missed.  Applied locally
 * with the registry's own audited writes (nothing written when a row is the
 * same).  Then the district's lists replace the local copy (table
 * district_lists): each stall's score, list and black listing (since,
 * until, reason) as the district office last computed them from every
 * handheld's records, with the same engine and its rules (db/district.h,
 * `stallcheck district lists`). */
#ifndef STALLCHECK_DB_SYNC_H
#define STALLCHECK_DB_SYNC_H

#include <stdint.h>

#include "core/rules.h"
#include "db/db.h"

#define SYNC_BATCH_DEFAULT 500

struct sync_options {
    int batch;           /* audit entries per batch; 0: SYNC_BATCH_DEFAULT */
    int push_registry;   /* also push this handheld's whole registry (admin) */
    int no_pull;         /* push only */
};

struct sync_stats {
    char district[40];   /* the district database's id */
    int64_t entries;     /* audit entries sent */
    int64_t batches;
    int64_t inspections_sent, inspections_new;
    int64_t calibrations_sent, calibrations_new;
    int64_t draws_sent, draws_new;
    int64_t registry_pushed;  /* registry rows written on the district */
    int64_t registry_pulled;  /* local registry records changed by the pull */
    int64_t lists_pulled;
    int64_t pushed_seq;       /* where the push stands now */
};

/* Creates the district schema on the server at url (idempotent: an existing
 * schema is kept, the list rules are set again from rules). */
int sync_init(const char *url, const struct rules *rules);

/* One sync: push, then pull.  SC_ERR_IO when the server cannot be reached
 * or goes away (what was committed stays committed; sync again),
 * SC_ERR_INCONSISTENT when the district holds another version of this
 * device's audit entries. */
int sync_run(struct db *db, const char *url, const struct sync_options *opt,
             struct sync_stats *stats);

/* The district's copy of this device's chain against the local one: the
 * number of entries compared (>= 0), or SC_ERR_INCONSISTENT naming the
 * first entry that differs. */
int sync_compare_chain(struct db *db, const char *url);

#endif
