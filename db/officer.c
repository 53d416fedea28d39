/* The officer aggregate: PIN hashes, sign-in lockout, recusals. */
#include "db/officer.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/error.h"
#include "core/termsafe.h"
#include "db/audit.h"
#include "db/internal.h"

_Static_assert(OFFICER_HASH_LEN >= crypto_pwhash_STRBYTES, "PIN hash buffer too small");

static const char *const role_ids[] = {"officer", "metrology", "manager", "admin"};

const char *officer_role_id(enum officer_role role)
{
    return (unsigned)role < 4 ? role_ids[role] : "officer";
}

int officer_role_parse(const char *text, enum officer_role *out)
{
    for (int i = 0; i < 4; i++) {
        if (strcmp(text, role_ids[i]) == 0) {
            *out = (enum officer_role)i;
            return 0;
        }
    }
    return sc_error_set(SC_ERR_PARSE, "unknown role '%s' (officer, metrology, manager, admin)",
                        text);
}

int officer_pin_valid(const char *pin)
{
    size_t n = strlen(pin);
    if (n < OFFICER_PIN_MIN || n > OFFICER_PIN_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (pin[i] < '0' || pin[i] > '9')
            return 0;
    return 1;
}

int officer_hash_pin(const char *pin, char out[OFFICER_HASH_LEN])
{
    if (!officer_pin_valid(pin))
        return sc_error_set(SC_ERR_ARG, "a PIN is %d to %d digits", OFFICER_PIN_MIN,
                            OFFICER_PIN_MAX);
    if (sodium_init() < 0)
        return sc_error_set(SC_ERR, "libsodium failed to initialise");
    if (crypto_pwhash_str_alg(out, pin, strlen(pin), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        return sc_error_set(SC_ERR_NOMEM, "hashing the PIN ran out of memory");
    return 0;
}

int officer_hash_pin_salted(const char *pin, const unsigned char salt[16],
                            char out[OFFICER_HASH_LEN])
{
    _Static_assert(crypto_pwhash_SALTBYTES == 16, "Argon2 salt is 16 bytes");
    if (!officer_pin_valid(pin))
        return sc_error_set(SC_ERR_ARG, "a PIN is %d to %d digits", OFFICER_PIN_MIN,
                            OFFICER_PIN_MAX);
    if (sodium_init() < 0)
        return sc_error_set(SC_ERR, "libsodium failed to initialise");
    unsigned char hash[32]; /* libsodium's crypto_pwhash_str writes a 32-byte hash */
    unsigned long long ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
    size_t mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
    if (crypto_pwhash(hash, sizeof hash, pin, strlen(pin), salt, ops, mem,
                      crypto_pwhash_ALG_ARGON2ID13) != 0)
        return sc_error_set(SC_ERR_NOMEM, "hashing the PIN ran out of memory");
    /* The PHC string format libsodium itself writes (argon2 encoding:
     * base64 without padding). */
    char s64[sodium_base64_ENCODED_LEN(16, sodium_base64_VARIANT_ORIGINAL_NO_PADDING)];
    char h64[sodium_base64_ENCODED_LEN(32,
                                       sodium_base64_VARIANT_ORIGINAL_NO_PADDING)];
    sodium_bin2base64(s64, sizeof s64, salt, 16, sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
    sodium_bin2base64(h64, sizeof h64, hash, sizeof hash,
                      sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
    snprintf(out, OFFICER_HASH_LEN, "$argon2id$v=19$m=%zu,t=%llu,p=1$%s$%s", mem / 1024, ops,
             s64, h64);
    return 0;
}

static int finish(struct db *db, int rc)
{
    if (rc < 0) {
        db_rollback(db);
        return rc;
    }
    int c = db_commit(db);
    return c < 0 ? c : rc;
}

int officer_add_hashed(struct db *db, const struct officer *o, const char *pin_hash)
{
    if (o->badge[0] == '\0' || o->name[0] == '\0')
        return sc_error_set(SC_ERR_ARG, "an officer needs a badge and a name");
    if (!term_clean(o->badge) || !term_clean(o->name) || strchr(o->badge, ' '))
        return sc_error_set(SC_ERR_ARG, "a badge and a name are one line of text, a badge "
                                        "without spaces");
    if (o->role == ROLE_MANAGER && o->market[0] == '\0')
        return sc_error_set(SC_ERR_ARG, "a manager needs a market");
    if (o->role != ROLE_MANAGER && o->market[0] != '\0')
        return sc_error_set(SC_ERR_ARG, "only a manager belongs to a market");
    char now[24];
    db_now(now, sizeof now);
    int rc = db_begin(db);
    if (rc < 0)
        return rc;
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO officers (badge, name, role, pin_hash, market, "
                                   "active, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (st == NULL)
        return finish(db, SC_ERR_DB);
    db_bind_text(st, 1, o->badge);
    db_bind_text(st, 2, o->name);
    db_bind_text(st, 3, officer_role_id(o->role));
    db_bind_text(st, 4, pin_hash);
    db_bind_text_or_null(st, 5, o->market);
    sqlite3_bind_int(st, 6, 1);
    db_bind_text(st, 7, now);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        rc = db_fail(db, "officer");
        if (rc == SC_ERR_EXISTS)
            rc = sc_error_set(SC_ERR_EXISTS, "badge %s is already taken", o->badge);
        else if (rc == SC_ERR_INCONSISTENT && o->market[0] != '\0')
            rc = sc_error_set(SC_ERR_NOTFOUND, "no market %s", o->market);
        return finish(db, rc);
    }
    int64_t seq = audit_append(db, "officer", o->badge);
    return finish(db, seq < 0 ? (int)seq : 0);
}

int officer_add(struct db *db, const struct officer *o, const char *pin)
{
    char hash[OFFICER_HASH_LEN];
    int rc = officer_hash_pin(pin, hash);
    if (rc < 0)
        return rc;
    rc = officer_add_hashed(db, o, hash);
    sodium_memzero(hash, sizeof hash);
    return rc;
}

#define OFFICER_COLS                                                                        \
    "o.badge, o.name, o.role, o.market, o.active, coalesce(f.failed, 0), f.locked_until "  \
    "FROM officers o LEFT JOIN signin_failures f ON f.badge = o.badge"
static void read_officer(sqlite3_stmt *st, struct officer *o)
{
    db_col_text(st, 0, o->badge, sizeof o->badge);
    db_col_text(st, 1, o->name, sizeof o->name);
    char role[16];
    db_col_text(st, 2, role, sizeof role);
    if (officer_role_parse(role, &o->role) < 0)
        o->role = ROLE_OFFICER;
    db_col_text(st, 3, o->market, sizeof o->market);
    o->active = sqlite3_column_int(st, 4);
    o->failed_pins = sqlite3_column_int(st, 5);
    db_col_text(st, 6, o->locked_until, sizeof o->locked_until);
}

int officer_find(struct db *db, const char *badge, struct officer *out)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT " OFFICER_COLS " WHERE o.badge = ?1");
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, badge);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read_officer(st, out);
        db_done(st);
        return 0;
    }
    db_done(st);
    if (rc != SQLITE_DONE)
        return db_fail(db, "officer");
    return sc_error_set(SC_ERR_NOTFOUND, "no officer with badge %s", badge);
}

int officer_list(struct db *db, int (*fn)(const struct officer *, void *), void *arg)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db_sqlite(db), "SELECT " OFFICER_COLS " ORDER BY o.badge",
                           -1, &st, NULL) != SQLITE_OK)
        return db_fail(db, "officer");
    int rc, ret = 0;
    struct officer o;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        read_officer(st, &o);
        if ((ret = fn(&o, arg)) != 0)
            break;
    }
    if (ret == 0 && rc != SQLITE_DONE)
        ret = db_fail(db, "officer");
    sqlite3_finalize(st);
    return ret;
}

/* "YYYY-MM-DDTHH:MM:SSZ" plus minutes, in UTC. */
static void add_minutes(const char *at, int minutes, char *out, size_t size)
{
    struct tm tm = {0};
    if (strptime(at, "%Y-%m-%dT%H:%M:%SZ", &tm) == NULL) {
        snprintf(out, size, "%s", at);
        return;
    }
    time_t t = timegm(&tm) + (time_t)minutes * 60;
    gmtime_r(&t, &tm);
    strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The hash of a random PIN that nobody knows, made as every real one is
 * (crypto_pwhash_str, Argon2id, interactive limits): an unknown or inactive
 * badge's PIN is checked against it, so the answer takes as long as for a
 * badge that exists. */
static const char dummy_hash[OFFICER_HASH_LEN] =
    "$argon2id$v=19$m=65536,t=2,p=1$7MIG5I3k+iJah1HNgSpnPQ$"
    "880cHPeAh90nfahO7J0R4kR9ORgIHHaotk2N9TZSrfo";

struct attempt {
    char hash[OFFICER_HASH_LEN]; /* the officer's, or "" for none that may sign in */
    int failed;                  /* this attempt's number in the run of failures */
    char until[24];              /* the lock this attempt set, or "" */
};

/* Reserves an attempt before any PIN is checked: in one IMMEDIATE
 * transaction, refuses a locked badge, else counts the attempt as a failure
 * (locking the badge when it is the last one allowed) and reads the hash.
 * However many sign-ins run at once, at most OFFICER_MAX_FAILED PINs are
 * ever checked in a run; a right PIN then clears the count.  A process
 * killed while hashing leaves its attempt counted, never uncounted. */
static int reserve(struct db *db, const char *badge, struct attempt *a)
{
    memset(a, 0, sizeof *a);
    char now[24], locked[24] = "";
    db_now(now, sizeof now);
    int rc = db_begin(db);
    if (rc < 0)
        return rc;
    sqlite3_stmt *st = db_stmt(db, "SELECT failed, locked_until FROM signin_failures "
                                   "WHERE badge = ?1");
    if (st == NULL)
        return finish(db, SC_ERR_DB);
    db_bind_text(st, 1, badge);
    if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        a->failed = sqlite3_column_int(st, 0);
        db_col_text(st, 1, locked, sizeof locked);
    }
    db_done(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return finish(db, db_fail(db, "sign-in"));
    if (locked[0] != '\0' && strcmp(now, locked) < 0) {
        finish(db, 0);
        return sc_error_set(SC_ERR_LOCKED, _("badge %s is locked after %d wrong PINs until %s"),
                            badge, OFFICER_MAX_FAILED, locked);
    }
    if (locked[0] != '\0') /* a lock that has run out starts a fresh count */
        a->failed = 0;
    a->failed++;
    if (a->failed >= OFFICER_MAX_FAILED)
        add_minutes(now, OFFICER_LOCK_MINUTES, a->until, sizeof a->until);
    st = db_stmt(db, "INSERT INTO signin_failures (badge, failed, locked_until) "
                     "VALUES (?1, ?2, ?3) ON CONFLICT (badge) DO UPDATE "
                     "SET failed = excluded.failed, locked_until = excluded.locked_until");
    if (st == NULL)
        return finish(db, SC_ERR_DB);
    db_bind_text(st, 1, badge);
    sqlite3_bind_int(st, 2, a->failed);
    db_bind_text_or_null(st, 3, a->until);
    if ((rc = db_step_done(db, st, "sign-in")) < 0)
        return finish(db, rc);
    st = db_stmt(db, "SELECT pin_hash FROM officers WHERE badge = ?1 AND active = 1");
    if (st == NULL)
        return finish(db, SC_ERR_DB);
    db_bind_text(st, 1, badge);
    if ((rc = sqlite3_step(st)) == SQLITE_ROW)
        db_col_text(st, 0, a->hash, sizeof a->hash);
    db_done(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return finish(db, db_fail(db, "sign-in"));
    return finish(db, 0);
}

static int clear_failures(struct db *db, const char *badge)
{
    sqlite3_stmt *st = db_stmt(db, "DELETE FROM signin_failures WHERE badge = ?1");
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, badge);
    return db_step_done(db, st, "sign-in");
}

int officer_check_pin(struct db *db, const char *badge, const char *pin)
{
    /* Inside a caller's transaction the reservation would not be seen by
     * other sign-ins until it commits, and the hashing would hold it. */
    if (db_depth(db) > 0)
        return sc_error_set(SC_ERR_ARG, "sign-in inside a transaction");
    if (sodium_init() < 0)
        return sc_error_set(SC_ERR, "libsodium failed to initialise");
    struct attempt a;
    int rc = reserve(db, badge, &a);
    if (rc < 0)
        return rc;
    int known = a.hash[0] != '\0';
    int right = crypto_pwhash_str_verify(known ? a.hash : dummy_hash, pin, strlen(pin)) == 0;
    sodium_memzero(a.hash, sizeof a.hash);
    if (right && known)
        return clear_failures(db, badge);
    /* The same words whether or not the badge exists. */
    if (a.until[0] != '\0')
        return sc_error_set(SC_ERR_LOCKED, _("wrong badge or PIN; badge %s is locked until %s"),
                            badge, a.until);
    return sc_error_set(SC_ERR_DENIED, _("wrong badge or PIN (%d tries left)"),
                        OFFICER_MAX_FAILED - a.failed);
}

int officer_signin_failures(struct db *db, const char *badge, int *failed, char *locked_until,
                            size_t size)
{
    *failed = 0;
    if (size > 0)
        locked_until[0] = '\0';
    sqlite3_stmt *st = db_stmt(db, "SELECT failed, locked_until FROM signin_failures "
                                   "WHERE badge = ?1");
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, badge);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *failed = sqlite3_column_int(st, 0);
        db_col_text(st, 1, locked_until, size);
    }
    db_done(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, "sign-in");
}

int officer_set_pin(struct db *db, const char *badge, const char *pin)
{
    char hash[OFFICER_HASH_LEN];
    int rc = officer_hash_pin(pin, hash);
    if (rc < 0)
        return rc;
    char now[24];
    db_now(now, sizeof now);
    if ((rc = db_begin(db)) < 0)
        return rc;
    sqlite3_stmt *st = db_stmt(db, "UPDATE officers SET pin_hash = ?2, updated_at = ?3 "
                                   "WHERE badge = ?1");
    if (st == NULL)
        return finish(db, SC_ERR_DB);
    db_bind_text(st, 1, badge);
    db_bind_text(st, 2, hash);
    db_bind_text(st, 3, now);
    sodium_memzero(hash, sizeof hash);
    if ((rc = db_step_done(db, st, "officer")) < 0)
        return finish(db, rc);
    if (sqlite3_changes(db_sqlite(db)) == 0)
        return finish(db, sc_error_set(SC_ERR_NOTFOUND, "no officer with badge %s", badge));
    if ((rc = clear_failures(db, badge)) < 0)
        return finish(db, rc);
    int64_t seq = audit_append(db, "officer", badge);
    return finish(db, seq < 0 ? (int)seq : 0);
}

int officer_add_recusal(struct db *db, const char *badge, const char *market,
                        const char *reason)
{
    int rc = db_begin(db);
    if (rc < 0)
        return rc;
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO officer_recusals (badge, market, reason) "
                                   "VALUES (?1, ?2, ?3) ON CONFLICT (badge, market) DO UPDATE "
                                   "SET reason = excluded.reason");
    if (st == NULL)
        return finish(db, SC_ERR_DB);
    db_bind_text(st, 1, badge);
    db_bind_text(st, 2, market);
    db_bind_text(st, 3, reason ? reason : "");
    if ((rc = db_step_done(db, st, "recusal")) < 0)
        return finish(db, rc);
    int64_t seq = audit_append(db, "officer", badge);
    return finish(db, seq < 0 ? (int)seq : 0);
}

int officer_is_recused(struct db *db, const char *badge, const char *market)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT 1 FROM officer_recusals WHERE badge = ?1 "
                                   "AND market = ?2");
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, badge);
    db_bind_text(st, 2, market);
    int rc = sqlite3_step(st);
    db_done(st);
    if (rc == SQLITE_ROW)
        return 1;
    return rc == SQLITE_DONE ? 0 : db_fail(db, "recusal");
}
