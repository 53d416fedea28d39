/* Sync with the district database (PostgreSQL, libpq).  The handheld's
 * side: db/enrol.h and db/ingest.h are the district's.
 *
 * Push: the handheld's audit log is the queue.  Every audit entry after the
 * remote's pushed_seq (table sync_remotes) that this device wrote goes up
 * in batches into the district's inbox, as bytes: the entry's text, its
 * hash and signature, and for an inspection, calibration, draw or device
 * key the record's canonical text (db/audit.h).  Drafts are never pushed: a
 * draft becomes a record (and gets its audit entry) when it is committed.
 * Each batch is one PostgreSQL transaction of INSERT ... ON CONFLICT DO
 * NOTHING into the inbox, one per row in libpq's pipeline mode (all sent
 * before any answer is read), so a batch sent twice
 * changes nothing; pushed_seq moves only after the server has committed.  A
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
 * Pull: registry changes (markets, operators, stalls, instruments, weight
 * sets, officers with their recusals) written on the district since the last
 * pull, found by the writing transaction's id (a trigger stamps each row):
 * a pull remembers its snapshot's xmin, and every transaction older than
 * that has finished, so nothing committed late is missed.  Each comes with
 * the district key's signature (registry_sigs) and is kept only when that
 * signature is good for the key an admin trusted here (sync_trust_district),
 * the record as applied here hashes to what was signed, and its version is
 * not older than the one held; otherwise it is rolled back alone and named.
 * Applied with the registry's own audited writes (nothing written when a
 * row is the same).  Then the district's lists replace the local copy
 * (table district_lists): each stall's score, list and black listing
 * (since, until, reason) as the district office last computed them from
 * every handheld's records, with the same engine and its rules
 * (db/district.h, `stallcheck district lists`). */
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

struct sync_init_result {
    char district[40];
    char district_key[65];    /* the district's public key (hex) */
    int key_elsewhere;        /* the district's key is on another machine */
    int enrolled;             /* this handheld was enrolled now */
    char role[40], password[40]; /* its PostgreSQL role (when enrolled now) */
};

/* Creates the district schema, roles and row-level security on the server
 * at url (idempotent: an existing schema is kept, the list rules are set
 * again from rules).  The first time it also makes the district's signing
 * key in this machine's key store (this is then the office's machine),
 * enrols this handheld with the registry right (actor: who did it) and
 * trusts the district's key here. */
int sync_init(struct db *db, const char *url, const struct rules *rules, const char *actor,
              struct sync_init_result *out);

/* Trusts the district's public key here (an admin's act, audited), after
 * checking it is the key the district database at url shows: registry
 * changes pulled from then on must be signed by it. */
int sync_trust_district(struct db *db, const char *url, const char *key, const char *actor,
                        char district[40]);

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

/* The district's copy of this database's entries against the local ones,
 * each by its own device id and seq, every field as bytes: the number of
 * entries compared (>= 0), or SC_ERR_INCONSISTENT naming the first entry
 * that differs or that the district holds and this database lacks. */
int sync_compare_chain(struct db *db, const char *url);

#endif
