/* The handheld's database: one SQLite file, its schema applied by versioned
 * migrations on open (PRAGMA user_version), WAL, foreign keys on,
 * synchronous=FULL so a committed inspection survives a dead battery.
 *
 * The struct is opaque; SQL lives only in db/ (db/internal.h gives the other
 * db/ sources files the prepared-statement cache).  Errors come back as negative
 * SC_ERR_* codes with SQLite's own message in sc_error_message(); nothing
 * here prints.
 *
 * Keys: records a handheld creates (inspections, findings' parents,
 * measurements, re-weighs, calibrations, draws, audit entries) have a random
 * UUID primary key (RFC 4122 version 4, lower-case text), so handhelds merge
 * into the district database without clashes.  Registry records imported
 * from the district keep their natural keys: market code, stall code,
 * operator licence (USCC), instrument code, weight-set code, officer badge.
 *
 * Times are UTC text "YYYY-MM-DDTHH:MM:SSZ"; dates are "YYYY-MM-DD" (both sort
 * as text).  Masses are int64 µg, money int64 分 (fen). */
#ifndef STALLCHECK_DB_DB_H
#define STALLCHECK_DB_DB_H

#include <stddef.h>
#include <stdint.h>

struct db;

/* The schema version this build migrates to (the highest migration). */
int db_schema_latest(void);

/* Opens (creating it with mode 0600 when missing) the database at path and
 * applies every pending migration, each in its own transaction.  A database
 * newer than this build is refused (SC_ERR_UNSUPPORTED). */
int db_open(const char *path, struct db **out);

/* Closes; a transaction still open is rolled back and reported as an error
 * naming where it began (SC_ERR_ARG).  db may be NULL. */
int db_close(struct db *db);

/* The schema version of an open database (PRAGMA user_version). */
int db_schema_version(struct db *db);

/* Transactions nest: the outermost db_begin is BEGIN IMMEDIATE (so a writer
 * waits at the start, not halfway), inner ones are savepoints.  Each begin
 * remembers its file and line so a forgotten commit names its origin.
 * db_rollback undoes only the innermost level. */
#define db_begin(db) db_begin_at((db), __FILE__, __LINE__)
int db_begin_at(struct db *db, const char *file, int line);
int db_commit(struct db *db);
int db_rollback(struct db *db);
/* Nesting depth: 0 outside any transaction. */
int db_depth(const struct db *db);

/* A fresh random UUID v4 (libsodium's randombytes) as 36 chars + NUL. */
#define DB_UUID_LEN 37
void db_uuid_new(char out[DB_UUID_LEN]);
/* The same from the system's RNG always, whatever db_uuid_source set: for
 * identities that must never repeat (a device id). */
void db_uuid_random(char out[DB_UUID_LEN]);

/* A record's id (inspection, measurement, re-weigh, calibration, draw): a
 * UUID of version 8 (RFC 9562) whose first 48 bits are the tag of the
 * device that made it, the rest random (db_uuid_source's when a generator
 * set one).  So the district can tell whose an id is: a handheld cannot
 * claim another's record by pushing its id first. */
void db_record_id(struct db *db, char out[DB_UUID_LEN]);
/* A device's tag: the first 12 hex digits of SHA-256("stallcheck record
 * id\n" + device id). */
void db_device_tag(const char *device, char out[13]);
/* Whose id is it: 1 device's (version 8 with its tag), 0 an untagged
 * version-4 id (made before ids had tags: anyone's), -1 another device's or
 * not a record id at all. */
int db_record_id_owner(const char *id, size_t len, const char *device);

/* Generators (demo-data) make reproducible databases: a source of UUID
 * bytes instead of the system RNG (NULL restores it), a fixed clock for
 * db_now/db_today (NULL restores the real one), and a chosen device id.
 * Process-wide; never used for real records. */
void db_uuid_source(void (*fill)(void *ctx, unsigned char *buf, size_t n), void *ctx);
void db_clock_set(const char *now);
int db_set_device_id(struct db *db, const char *id);

/* This database's device id (a UUID made when the file was created); stored
 * in inspections and the audit log so the district knows the handheld. */
const char *db_device_id(struct db *db);

/* The current UTC time as "YYYY-MM-DDTHH:MM:SSZ" (size >= 21), and today as
 * "YYYY-MM-DD" (size >= 11), from core/clock.h (or a generator's
 * db_clock_set).  Nothing in the environment moves them. */
void db_now(char *buf, size_t size);
void db_today(char *buf, size_t size);

/* A key/value setting kept in the database (rules file path, last sync, ...).
 * db_setting_get copies into buf; SC_ERR_NOTFOUND when unset. */
int db_setting_get(struct db *db, const char *key, char *buf, size_t size);
int db_setting_set(struct db *db, const char *key, const char *value);
/* Puts the bureau's time zone, the setting "timezone", in use for legal
 * dates (db/zone.h zone_use); db_open calls it. */
int db_zone_load(struct db *db);

/* Bulk mode for generators (demo-data): a large page cache,
 * synchronous=OFF, and nested transactions without savepoints (an inner
 * rollback dooms the whole outer transaction) until db_bulk(db, 0).  Never
 * used for real records. */
int db_bulk(struct db *db, int on);

#endif
