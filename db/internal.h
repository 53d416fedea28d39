/* For db/ sources only: SQLite handles, the prepared-statement cache and the
 * error helper.  Nothing outside db/ includes this (no SQL outside db/). */
#ifndef STALLCHECK_DB_INTERNAL_H
#define STALLCHECK_DB_INTERNAL_H

#include <libintl.h>
#include <sqlite3.h>

#include "db/db.h"

/* An error a person meets on the screen (the TUI shows db errors on its
 * status line): its text in the screen's language.  Wrapped where the
 * format is built, so -Wformat still checks the arguments. */
#define _(s) gettext(s)

sqlite3 *db_sqlite(struct db *db);

/* A cached prepared statement for sql, reset with its bindings cleared.
 * The cache is keyed by the text, so pass the same literal each time.  Call
 * db_done() after the last step so a read does not hold its snapshot.
 * NULL on a bad statement, with the reason in sc_error_message(). */
sqlite3_stmt *db_stmt(struct db *db, const char *sql);
void db_done(sqlite3_stmt *stmt);

/* Records SQLite's last error as "what: message" and returns the SC_ERR_*
 * code that fits (constraint -> SC_ERR_EXISTS or SC_ERR_INCONSISTENT, busy ->
 * SC_ERR_LOCKED, else SC_ERR_DB). */
int db_fail(struct db *db, const char *what);

/* Steps st to its end, copying every row out with read into a growing
 * array of size-byte elements (*out, *n: free *out).  The statement is done
 * when this returns, so a caller may use the database while it walks the
 * rows.  what names the rows in an error. */
int db_rows(struct db *db, sqlite3_stmt *st, size_t size, int (*read)(sqlite3_stmt *st, void *row),
            void **out, size_t *n, const char *what);

/* The one text column sql (with ?1 = key) selects into out: 1 when a row
 * was found, 0 when none, else the SC_ERR_* of db_fail(what). */
int db_text_of(struct db *db, const char *sql, const char *key, char *out, size_t size,
               const char *what);

/* Rolls back the innermost level after a failure rc, and returns rc with
 * the failure's message (not the rollback's). */
int db_rollback_keep(struct db *db, int rc);

/* Runs SQL without results (several statements allowed). */
int db_exec(struct db *db, const char *sql);

/* Binding helpers: text NULL binds SQL NULL; "" binds "" (empty text). */
int db_bind_text(sqlite3_stmt *st, int i, const char *text);
/* Without a copy: text must stay unchanged until the statement has been
 * stepped (hot paths binding a caller's struct). */
int db_bind_static(sqlite3_stmt *st, int i, const char *text);
/* Binds NULL when text is NULL or "". */
int db_bind_text_or_null(sqlite3_stmt *st, int i, const char *text);
/* Copies column i (NULL -> "") into buf, truncating to size. */
void db_col_text(sqlite3_stmt *st, int i, char *buf, size_t size);

/* Steps a statement that returns no row; resets it.  0 or SC_ERR_*. */
int db_step_done(struct db *db, sqlite3_stmt *st, const char *what);

/* Whether db_bulk is on: trusted generators skip re-reading what they
 * just wrote (the officer and draft checks of inspection_commit). */
int db_is_bulk(struct db *db);

/* The audit chain's last entry, remembered within one transaction so an
 * append need not look it up; valid = 0 when unknown (reset at every
 * outermost begin and at every rollback). */
struct db_audit_tail {
    int valid;
    int64_t seq;
    char hash[65];
};
struct db_audit_tail *db_audit_tail(struct db *db);

/* The device's signing key once loaded from the key store (db/device.c);
 * zeroed on close and when the device id changes. */
struct db_signer {
    int loaded;
    char device[DB_UUID_LEN];
    unsigned char sk[64];      /* crypto_sign_SECRETKEYBYTES */
    char pk[65];               /* the public key, hex */
};
struct db_signer *db_signer(struct db *db);

/* One reading into measurements, under its inspection or its verification
 * (parent_col "inspection" or "calibration", the column naming parent): the
 * one column list both write.  instrument "" or NULL is stored NULL, an
 * empty taken_at as now, raw NULL as NULL (an empty raw as empty bytes).
 * Strings are bound without a copy.  In the caller's transaction. */
struct measurement;
int db_measurement_put(struct db *db, const char *parent_col, const char *parent,
                       const char *instrument, const struct measurement *m, const char *now);

/* SC_ERR_EXISTS, naming it, when the verification or calibration whose
 * status status_sql reads by id is committed (its rows are final); 0 when
 * it is a draft or not stored yet; else SC_ERR_*. */
int db_still_draft(struct db *db, const char *status_sql, const char *id);
/* Before its draft is saved: an id and a start time where it has none yet
 * (id of DB_UUID_LEN), then db_still_draft. */
int db_draft_start(struct db *db, const char *status_sql, char *id, char *started_at,
                   size_t size);
/* Before a draft is deleted or ended without results: SC_ERR_NOTFOUND when
 * there is no record id, SC_ERR_EXISTS when it is committed (it stays);
 * 0 for a draft. */
int db_draft_only(struct db *db, const char *status_sql, const char *id);

/* The path the database was opened with. */
const char *db_path(struct db *db);

/* Opens the database migrating only up to version max (tests of upgrades
 * from each earlier version). */
int db_open_version(const char *path, int max, struct db **out);

/* The migrations: version n's SQL is db_migrations[n - 1], a NULL-ended
 * list of SQL chunks (C limits a literal's length) run in order. */
extern const char *const *const db_migrations[];
extern const int db_migration_count;

#endif
