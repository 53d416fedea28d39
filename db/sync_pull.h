/* The pull: what the district sends a handheld at each sync.
 *
 * Registry changes (markets, operators, stalls, instruments, weight sets,
 * officers with their recusals) written on the district since the last
 * pull, found by the writing transaction's id (a trigger stamps each row):
 * a pull remembers its snapshot's xmin, and every transaction older than
 * that has finished, so nothing committed late is missed.  Each comes with
 * the district key's signature (registry_sigs) and is kept only when that
 * signature is good for the key an admin trusted here (db/sync_init.h),
 * the record as applied here hashes to what was signed, and its version
 * is not older than the one held; otherwise it is rolled back alone and
 * named.  Applied with the registry's own audited writes (nothing written
 * when a row is the same).
 *
 * Then the district's lists replace the local copy (table district_lists):
 * each stall's score, list and black listing (since, until, reason) as the
 * district office last computed them (db/district.h). */
#ifndef STALLCHECK_DB_SYNC_PULL_H
#define STALLCHECK_DB_SYNC_PULL_H

#include <libpq-fe.h>
#include <stdint.h>

#include "db/db.h"

struct sync_pull_result {
    int64_t pulled;           /* local registry records changed */
    int64_t refused;          /* pulled ones refused (not as the district signed) */
    char refusal[400];        /* the first of those, named */
};

/* The registry changes of district since this handheld's last pull from
 * remote (the district's id), counted into out. */
int sync_pull_registry(struct db *db, PGconn *c, const char *remote, const char *district,
                       struct sync_pull_result *out);

/* The district's lists, for the markets this handheld knows; *pulled
 * counts the rows stored. */
int sync_pull_lists(struct db *db, PGconn *c, int64_t *pulled);

#endif
