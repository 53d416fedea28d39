/* Opening, migrating and transactions; the statement cache. */
#include "db/internal.h"
#include "db/zone.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/error.h"

#define DB_MAX_DEPTH 32
#define DB_CACHE_SLOTS 256

struct db_cached {
    const char *key;  /* the caller's literal, compared by address first */
    char *sql;
    sqlite3_stmt *stmt;
};

struct db {
    sqlite3 *sql;
    int depth;
    struct {
        const char *file;
        int line;
    } began[DB_MAX_DEPTH];
    struct db_cached cache[DB_CACHE_SLOTS];
    int ncached;
    char device[DB_UUID_LEN];
    /* The device's record-id tag (a SHA-256) and the id it was made for:
     * made once, not for each of a generator's million ids. */
    char tag[13], tag_of[DB_UUID_LEN];
    int flat;    /* bulk mode: inner levels are counters, not savepoints */
    int doomed;  /* an inner level rolled back in flat mode */
    struct db_audit_tail tail;
    struct db_signer signer;
    char *path;
};

struct db_signer *db_signer(struct db *db)
{
    return &db->signer;
}

const char *db_path(struct db *db)
{
    return db->path;
}

int db_is_bulk(struct db *db)
{
    return db->flat;
}

struct db_audit_tail *db_audit_tail(struct db *db)
{
    return &db->tail;
}

sqlite3 *db_sqlite(struct db *db)
{
    return db->sql;
}

int db_fail(struct db *db, const char *what)
{
    int rc = db && db->sql ? sqlite3_extended_errcode(db->sql) : SQLITE_ERROR;
    const char *msg = db && db->sql ? sqlite3_errmsg(db->sql) : sqlite3_errstr(rc);
    int code = SC_ERR_DB;
    switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
        code = (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
                   ? SC_ERR_EXISTS
                   : SC_ERR_INCONSISTENT;
        break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        code = SC_ERR_LOCKED;
        break;
    case SQLITE_NOMEM:
        code = SC_ERR_NOMEM;
        break;
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_READONLY:
        code = SC_ERR_IO;
        break;
    default:
        break;
    }
    return sc_error_set(code, "%s: %s", what, msg);
}

int db_exec(struct db *db, const char *sql)
{
    if (sqlite3_exec(db->sql, sql, NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(db, "database");
    return 0;
}

sqlite3_stmt *db_stmt(struct db *db, const char *sql)
{
    /* By address first (the callers pass literals), then by text. */
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < db->ncached; i++) {
            struct db_cached *c = &db->cache[i];
            if (pass == 0 ? c->key == sql : strcmp(c->sql, sql) == 0) {
                sqlite3_reset(c->stmt);
                sqlite3_clear_bindings(c->stmt);
                return c->stmt;
            }
        }
    }
    sqlite3_stmt *st = NULL;
    unsigned flags = db->ncached < DB_CACHE_SLOTS ? SQLITE_PREPARE_PERSISTENT : 0;
    if (sqlite3_prepare_v3(db->sql, sql, -1, flags, &st, NULL) != SQLITE_OK) {
        db_fail(db, "prepare");
        return NULL;
    }
    if (db->ncached < DB_CACHE_SLOTS) {
        char *copy = strdup(sql);
        if (copy == NULL) {
            sqlite3_finalize(st);
            sc_error_set(SC_ERR_NOMEM, NULL);
            return NULL;
        }
        db->cache[db->ncached++] = (struct db_cached){sql, copy, st};
        return st;
    }
    /* A full cache is a bug in the caller (SQL built at run time). */
    sqlite3_finalize(st);
    sc_error_set(SC_ERR_DB, "statement cache full");
    return NULL;
}

void db_done(sqlite3_stmt *stmt)
{
    if (stmt != NULL)
        sqlite3_reset(stmt);
}

int db_rows(struct db *db, sqlite3_stmt *st, size_t size, int (*read)(sqlite3_stmt *st, void *row),
            void **out, size_t *n, const char *what)
{
    *out = NULL;
    *n = 0;
    char *rows = NULL;
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            char *nr = realloc(rows, cap * size);
            if (nr == NULL) {
                free(rows);
                db_done(st);
                return SC_ERR_NOMEM;
            }
            rows = nr;
        }
        read(st, rows + (*n)++ * size);
    }
    db_done(st);
    if (rc != SQLITE_DONE) {
        free(rows);
        *n = 0;
        return db_fail(db, what);
    }
    *out = rows;
    return SC_OK;
}

int db_text_of(struct db *db, const char *sql, const char *key, char *out, size_t size,
               const char *what)
{
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, key);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        db_col_text(st, 0, out, size);
    db_done(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : db_fail(db, what);
}

int db_bind_text(sqlite3_stmt *st, int i, const char *text)
{
    if (text == NULL)
        return sqlite3_bind_null(st, i);
    return sqlite3_bind_text(st, i, text, -1, SQLITE_TRANSIENT);
}

int db_bind_static(sqlite3_stmt *st, int i, const char *text)
{
    if (text == NULL)
        return sqlite3_bind_null(st, i);
    return sqlite3_bind_text(st, i, text, -1, SQLITE_STATIC);
}

int db_bind_text_or_null(sqlite3_stmt *st, int i, const char *text)
{
    if (text == NULL || text[0] == '\0')
        return sqlite3_bind_null(st, i);
    return sqlite3_bind_text(st, i, text, -1, SQLITE_TRANSIENT);
}

void db_col_text(sqlite3_stmt *st, int i, char *buf, size_t size)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    snprintf(buf, size, "%s", t ? (const char *)t : "");
}

int db_step_done(struct db *db, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    int ret = (rc == SQLITE_DONE || rc == SQLITE_ROW) ? 0 : db_fail(db, what);
    sqlite3_reset(st);
    return ret;
}

int db_schema_latest(void)
{
    return db_migration_count;
}

int db_schema_version(struct db *db)
{
    sqlite3_stmt *st = db_stmt(db, "PRAGMA user_version");
    if (st == NULL)
        return SC_ERR_DB;
    int v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : SC_ERR_DB;
    db_done(st);
    return v;
}

int db_depth(const struct db *db)
{
    return db->depth;
}

int db_begin_at(struct db *db, const char *file, int line)
{
    if (db->depth >= DB_MAX_DEPTH)
        return sc_error_set(SC_ERR_RANGE, "transactions nested too deep (%s:%d)", file, line);
    char sql[48];
    if (db->depth == 0)
        snprintf(sql, sizeof sql, "BEGIN IMMEDIATE");
    else
        snprintf(sql, sizeof sql, "SAVEPOINT sc%d", db->depth);
    if (db->depth == 0) {
        db->doomed = 0;
        db->tail.valid = 0; /* another connection may have appended */
        db->signer.loaded = 0; /* or recorded the key: look again */
    }
    /* A savepoint copies every page it changes to a sub-journal: too slow
     * for a generator writing a million inspections in one transaction. */
    if ((db->depth == 0 || !db->flat) &&
        sqlite3_exec(db->sql, sql, NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(db, "begin");
    db->began[db->depth].file = file;
    db->began[db->depth].line = line;
    db->depth++;
    return 0;
}

int db_commit(struct db *db)
{
    if (db->depth == 0)
        return sc_error_set(SC_ERR_ARG, "commit without a transaction");
    if (db->depth > 1 && db->flat) {
        db->depth--;
        return 0;
    }
    if (db->depth == 1 && db->doomed) {
        db_rollback(db);
        return sc_error_set(SC_ERR_DB, "commit: a part of the transaction failed; "
                                       "all of it was rolled back");
    }
    char sql[48];
    if (db->depth == 1)
        snprintf(sql, sizeof sql, "COMMIT");
    else
        snprintf(sql, sizeof sql, "RELEASE sc%d", db->depth - 1);
    if (sqlite3_exec(db->sql, sql, NULL, NULL, NULL) != SQLITE_OK) {
        int rc = db_fail(db, "commit");
        /* A failed COMMIT leaves the transaction open: undo it so the
         * caller's error path is the only path. */
        return db_rollback_keep(db, rc);
    }
    db->depth--;
    return 0;
}

int db_rollback(struct db *db)
{
    db->tail.valid = 0;
    db->signer.loaded = 0;
    if (db->depth == 0)
        return sc_error_set(SC_ERR_ARG, "rollback without a transaction");
    if (db->depth > 1 && db->flat) {
        db->doomed = 1;
        db->depth--;
        return 0;
    }
    char sql[64];
    if (db->depth == 1)
        snprintf(sql, sizeof sql, "ROLLBACK");
    else
        snprintf(sql, sizeof sql, "ROLLBACK TO sc%d; RELEASE sc%d", db->depth - 1,
                 db->depth - 1);
    db->depth--;
    /* ROLLBACK fails only when SQLite already rolled back (after an I/O
     * error, say): the transaction is gone either way. */
    sqlite3_exec(db->sql, sql, NULL, NULL, NULL);
    return 0;
}

int db_rollback_keep(struct db *db, int rc)
{
    char why[512];
    snprintf(why, sizeof why, "%s", sc_error_message());
    db_rollback(db);
    return sc_error_set(rc, "%s", why);
}

static void (*uuid_fill)(void *ctx, unsigned char *buf, size_t n);
static void *uuid_ctx;
static char fixed_clock[24];

void db_uuid_source(void (*fill)(void *ctx, unsigned char *buf, size_t n), void *ctx)
{
    uuid_fill = fill;
    uuid_ctx = ctx;
}

void db_clock_set(const char *now)
{
    snprintf(fixed_clock, sizeof fixed_clock, "%s", now ? now : "");
}

int db_set_device_id(struct db *db, const char *id)
{
    int rc = db_setting_set(db, "device_id", id);
    if (rc == 0) {
        snprintf(db->device, sizeof db->device, "%s", id);
        sodium_memzero(&db->signer, sizeof db->signer); /* another device, another key */
    }
    return rc;
}

static void uuid_format(unsigned char b[16], char out[DB_UUID_LEN]);

void db_uuid_new(char out[DB_UUID_LEN])
{
    unsigned char b[16];
    if (uuid_fill)
        uuid_fill(uuid_ctx, b, sizeof b);
    else
        randombytes_buf(b, sizeof b);
    uuid_format(b, out);
}

void db_uuid_random(char out[DB_UUID_LEN])
{
    unsigned char b[16];
    randombytes_buf(b, sizeof b);
    uuid_format(b, out);
}

void db_device_tag(const char *device, char out[13])
{
    static const char domain[] = "stallcheck record id\n";
    crypto_hash_sha256_state st;
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)domain, sizeof domain - 1);
    crypto_hash_sha256_update(&st, (const unsigned char *)device, strlen(device));
    crypto_hash_sha256_final(&st, h);
    sodium_bin2hex(out, 13, h, 6);
}

void db_record_id(struct db *db, char out[DB_UUID_LEN])
{
    db_uuid_new(out);
    if (db->tag[0] == '\0' || strcmp(db->tag_of, db->device) != 0) {
        db_device_tag(db->device, db->tag);
        memcpy(db->tag_of, db->device, sizeof db->tag_of);
    }
    /* xxxxxxxx-xxxx-8xxx-Vxxx-xxxxxxxxxxxx: the tag, then version 8. */
    memcpy(out, db->tag, 8);
    memcpy(out + 9, db->tag + 8, 4);
    out[14] = '8';
}

int db_record_id_owner(const char *id, size_t len, const char *device)
{
    static const char form[] = "xxxxxxxx-xxxx-Mxxx-Vxxx-xxxxxxxxxxxx";
    if (len != DB_UUID_LEN - 1)
        return -1;
    for (size_t i = 0; i < len; i++) {
        char c = id[i];
        int hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
        if (form[i] == '-' ? c != '-' : !hex)
            return -1;
    }
    if (!strchr("89ab", id[19]))
        return -1; /* RFC 9562 variant 10xx */
    if (id[14] == '4')
        return 0;
    if (id[14] != '8')
        return -1;
    char tag[13];
    db_device_tag(device, tag);
    return memcmp(id, tag, 8) == 0 && memcmp(id + 9, tag + 8, 4) == 0 ? 1 : -1;
}

static void uuid_format(unsigned char b[16], char out[DB_UUID_LEN])
{
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40); /* version 4 (RFC 4122 4.4) */
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80); /* variant 10x */
    /* 8-4-4-4-12 lower-case hex, as "%02x" would print it: by table, since
     * a generator makes millions of ids and snprintf was a visible cost. */
    static const char hex[] = "0123456789abcdef";
    char *p = out;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            *p++ = '-';
        *p++ = hex[b[i] >> 4];
        *p++ = hex[b[i] & 15];
    }
    *p = '\0';
}

const char *db_device_id(struct db *db)
{
    return db->device;
}

/* A generator's fixed clock (db_clock_set), as a time or a date. */
static int fixed_now(char *buf, size_t size, size_t len)
{
    if (strlen(fixed_clock) < 10)
        return 0;
    if (len == 10)
        snprintf(buf, size, "%.10s", fixed_clock);
    else if (strlen(fixed_clock) == 10)
        snprintf(buf, size, "%.10sT00:00:00Z", fixed_clock);
    else
        snprintf(buf, size, "%s", fixed_clock);
    return 1;
}

void db_now(char *buf, size_t size)
{
    if (fixed_now(buf, size, 20))
        return;
    time_t t = sc_clock_now();
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Today is a legal date: the bureau's local date of now (db/zone.h). */
void db_today(char *buf, size_t size)
{
    /* The moment from db_now (sc_clock_now, or a generator's fixed clock),
     * as the bureau's calendar date. */
    char now[32];
    db_now(now, sizeof now);
    if (zone_date_of(now, buf, size) < 0)
        snprintf(buf, size, "%.10s", now);
}

int db_zone_load(struct db *db)
{
    char v[64];
    if (db_setting_get(db, ZONE_SETTING, v, sizeof v) < 0)
        v[0] = '\0';
    return zone_use(v);
}

int db_setting_get(struct db *db, const char *key, char *buf, size_t size)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT value FROM settings WHERE key = ?1");
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, key);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        db_col_text(st, 0, buf, size);
        db_done(st);
        return 0;
    }
    db_done(st);
    if (rc != SQLITE_DONE)
        return db_fail(db, "settings");
    return sc_error_set(SC_ERR_NOTFOUND, "setting %s is not set", key);
}

int db_setting_set(struct db *db, const char *key, const char *value)
{
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO settings (key, value) VALUES (?1, ?2) "
                                   "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, key);
    db_bind_text(st, 2, value);
    return db_step_done(db, st, "settings");
}

int db_bulk(struct db *db, int on)
{
    if (db->depth > 0)
        return sc_error_set(SC_ERR_ARG, "db_bulk inside a transaction");
    db->flat = on;
    /* The rollback journal in memory instead of WAL: a generator's pages
     * are new, so there is almost nothing to journal, and each page is
     * written once instead of to the WAL and again at the checkpoint. */
    /* CHECK constraints off as well: SQLite 3.40 evaluates each "x IN
     * ('a', 'b', ...)" CHECK through a temporary b-tree built per statement
     * run, a sixth of a generator's time.  The generator's values pass the
     * same checks in C first (inspection_commit's validate), and
     * test_demo_data runs PRAGMA integrity_check, which re-checks every
     * CHECK constraint, on what it made. */
    return db_exec(db, on ? "PRAGMA journal_mode = MEMORY; PRAGMA cache_size = -1048576; "
                            "PRAGMA synchronous = OFF; PRAGMA temp_store = MEMORY; "
                            "PRAGMA foreign_keys = OFF; PRAGMA ignore_check_constraints = ON"
                          : "PRAGMA journal_mode = WAL; PRAGMA cache_size = -2000; "
                            "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; "
                            "PRAGMA ignore_check_constraints = OFF");
}

static int migrate(struct db *db, int max)
{
    int have = db_schema_version(db);
    if (have < 0)
        return have;
    if (have > db_migration_count)
        return sc_error_set(SC_ERR_UNSUPPORTED,
                            "the database is at schema version %d; this stallcheck knows "
                            "up to %d: use a newer stallcheck",
                            have, db_migration_count);
    for (int v = have + 1; v <= max && v <= db_migration_count; v++) {
        int rc = db_begin(db);
        if (rc < 0)
            return rc;
        char pragma[48];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v);
        int bad = 0;
        for (const char *const *chunk = db_migrations[v - 1]; *chunk && !bad; chunk++)
            bad = sqlite3_exec(db->sql, *chunk, NULL, NULL, NULL) != SQLITE_OK;
        if (bad || sqlite3_exec(db->sql, pragma, NULL, NULL, NULL) != SQLITE_OK) {
            char what[48];
            snprintf(what, sizeof what, "migration %d", v);
            rc = db_fail(db, what);
            char keep[512];
            snprintf(keep, sizeof keep, "%s", sc_error_message());
            db_rollback(db);
            return sc_error_set(rc, "%s", keep);
        }
        if ((rc = db_commit(db)) < 0)
            return rc;
    }
    return 0;
}

/* The device id is made once, when the settings table first exists. */
static int load_device_id(struct db *db)
{
    if (db_schema_version(db) < 1)
        return 0;
    if (db_setting_get(db, "device_id", db->device, sizeof db->device) == 0)
        return 0;
    db_uuid_new(db->device);
    return db_setting_set(db, "device_id", db->device);
}

int db_open_version(const char *path, int max, struct db **out)
{
    *out = NULL;
    if (sodium_init() < 0)
        return sc_error_set(SC_ERR, "libsodium failed to initialise");
    /* Create the file ourselves so it is 0600 whatever the umask: it holds
     * PIN hashes.  SQLite gives the -wal and -shm files the same mode. */
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return sc_error_set(SC_ERR_IO, "%s: %s", path, strerror(errno));
    close(fd);
    struct db *db = calloc(1, sizeof *db);
    if (db == NULL || (db->path = strdup(path)) == NULL) {
        free(db);
        return sc_error_set(SC_ERR_NOMEM, NULL);
    }
    int rc;
    if (sqlite3_open_v2(path, &db->sql, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
        rc = sc_error_set(SC_ERR_IO, "%s: %s", path,
                          db->sql ? sqlite3_errmsg(db->sql) : "cannot open");
        goto fail;
    }
    sqlite3_busy_timeout(db->sql, 5000);
    sqlite3_extended_result_codes(db->sql, 1);
    /* WAL: readers never block the writer; synchronous=FULL: a COMMIT is on
     * disk before it returns (an inspection survives a dead battery). */
    if (sqlite3_exec(db->sql,
                     "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; "
                     "PRAGMA synchronous = FULL; PRAGMA trusted_schema = OFF",
                     NULL, NULL, NULL) != SQLITE_OK) {
        rc = db_fail(db, path);
        goto fail;
    }
    if ((rc = migrate(db, max)) < 0 || (rc = load_device_id(db)) < 0) {
        char keep[512];
        snprintf(keep, sizeof keep, "%s: %s", path, sc_error_message());
        sc_error_set(rc, "%s", keep);
        goto fail;
    }
    db_zone_load(db); /* legal dates: an unknown zone is refused where dates are written */
    *out = db;
    return 0;
fail:
    db_close(db);
    return rc;
}

int db_open(const char *path, struct db **out)
{
    return db_open_version(path, db_migration_count, out);
}

int db_close(struct db *db)
{
    if (db == NULL)
        return 0;
    int rc = 0;
    if (db->depth > 0) {
        rc = sc_error_set(SC_ERR_ARG, "transaction begun at %s:%d was never committed; "
                                      "rolled back",
                          db->began[0].file, db->began[0].line);
        while (db->depth > 0)
            db_rollback(db);
    }
    for (int i = 0; i < db->ncached; i++) {
        sqlite3_finalize(db->cache[i].stmt);
        free(db->cache[i].sql);
    }
    sqlite3_close(db->sql);
    sodium_memzero(&db->signer, sizeof db->signer);
    free(db->path);
    free(db);
    return rc;
}
