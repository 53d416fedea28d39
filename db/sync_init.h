/* Setting the district up for sync (sync --init) and the district's key
 * trusted on a handheld.
 *
 * --init creates the district's PostgreSQL schema (the tables pushed
 * records land in, the registry stamped for pulls), its roles and
 * row-level security, and on the first run the district's signing key
 * and the enrolment of this handheld with the registry right.  A
 * handheld keeps registry changes it pulls only when the key an admin
 * trusted here (district_keys) signed them (db/sync_pull.h). */
#ifndef STALLCHECK_DB_SYNC_INIT_H
#define STALLCHECK_DB_SYNC_INIT_H

#include "core/rules.h"
#include "db/db.h"
#include "db/device.h"

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

/* The district key trusted here for district, into pk: 1, or 0 when none. */
int sync_trusted_key(struct db *db, const char *district, char pk[DEVICE_KEY_HEX]);

#endif
