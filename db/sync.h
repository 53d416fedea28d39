/* Sync with the district database (PostgreSQL, libpq).  The handheld's
 * side: db/enrol.h and db/ingest.h are the district's.
 *
 * Push: the handheld's audit log is the queue.  Every audit entry after the
 * remote's pushed_seq (table sync_remotes) that this device wrote goes up
 * in batches into the district's inbox, as bytes: the entry's text, its
 * hash and signature, and for an inspection, calibration, draw or device
 * key the record's canonical text (db/audit.h).  Drafts are never pushed: a
 * draft becomes a record (and gets its audit entry) when it is committed.
 * Each batch is one PostgreSQL transaction of one INSERT ... ON CONFLICT
 * DO NOTHING of its rows into the inbox, in libpq's pipeline mode (all sent
 * before any answer is read), so a batch sent twice changes nothing;
 * pushed_seq moves only after the server has committed.  A
 * cut anywhere (server killed, client killed, network gone) leaves either
 * the old pushed_seq, and the batch is sent again and ignored where it
 * already is, or the new one.  A batch holding an entry the district
 * already holds with another hash is refused at once (this database was
 * altered or restored after it pushed).
 *
 * The district takes nothing on trust: the office's stallcheck district
 * ingest checks every row (signature, hashes, whose ids) before it stores
 * it (db/ingest.h).  What it refused comes back at the next sync (table
 * sync_refusals): a refused record stops only itself.  With --push-registry
 * an admin's handheld also sends the registry records it wrote; the
 * district takes them only from a device enrolled with the registry right.
 *
 * Pull: the registry changes the district signed, then the district's
 * lists (db/sync_pull.h).
 *
 * The files: this one runs a sync and keeps the handheld's marks
 * (pushed_seq, refusals heard); db/sync_batch.h reads a batch,
 * db/sync_send.h sends it, db/sync_pull.h pulls; db/sync_init.h sets the
 * district up and trusts its key, db/sync_compare.h compares the chains.
 * Those two are included below for the callers of this header. */
#ifndef STALLCHECK_DB_SYNC_H
#define STALLCHECK_DB_SYNC_H

#include <stdint.h>

#include "db/db.h"
#include "db/sync_compare.h"
#include "db/sync_init.h"

#define SYNC_BATCH_DEFAULT 500

struct sync_options {
    int batch;           /* audit entries per batch; 0: SYNC_BATCH_DEFAULT */
    int push_registry;   /* also push this handheld's whole registry (admin) */
    int no_pull;         /* push only */
};

struct sync_stats {
    char district[40];   /* the district database's id */
    int64_t entries;     /* audit entries of this device sent */
    int64_t batches;
    /* Entries sent by kind: verifications (检定, kind "calibration"),
     * calibrations (校准, kind "nawi_calibration"). */
    int64_t inspections_sent, verifications_sent, calibrations_sent, draws_sent;
    int64_t registry_pushed;  /* registry records sent (--push-registry) */
    int64_t registry_pulled;  /* local registry records changed by the pull */
    int64_t registry_refused; /* pulled ones refused (not as the district signed) */
    char registry_refusal[400]; /* the first of those, named */
    int64_t lists_pulled;
    int64_t pushed_seq;       /* where the push stands now */
    int64_t held_entries;     /* this device's entries the district holds */
    int64_t held_seq;         /* the last of them */
    int64_t refusals_new;     /* refusals heard this time (sync_refusals_each) */
    int64_t refusals_after;   /* they have ids above this */
};

/* A refusal the district sent back: ours = the entry is this database's
 * (else a row pushed under its id that was not). */
struct sync_refusal {
    int64_t id, seq;
    char device[40], kind[24], record[80], reason[400], hint[300], at[24];
    int ours;
};

/* The refusals heard from remote (a district id) with ids above after. */
int sync_refusals_each(struct db *db, const char *remote, int64_t after,
                       int (*fn)(const struct sync_refusal *, void *), void *arg);

/* One sync: push, then pull.  SC_ERR_IO when the server cannot be reached
 * or goes away (what was committed stays committed; sync again),
 * SC_ERR_INCONSISTENT when the district holds another version of this
 * device's audit entries. */
int sync_run(struct db *db, const char *url, const struct sync_options *opt,
             struct sync_stats *stats);

#endif
