/* The pull: see sync_pull.h. */
#include "db/sync_pull.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/utf8.h"
#include "db/audit.h"
#include "db/device.h"
#include "db/internal.h"
#include "db/pg.h"
#include "db/registry.h"
#include "db/sync_init.h"

/* Never cuts a character: a value too long for this handheld's field no
 * longer hashes as the district signed it, and the record is refused. */
static void copy_field(PGresult *r, int row, int col, char *out, size_t size)
{
    utf8_copy(out, size, PQgetisnull(r, row, col) ? "" : PQgetvalue(r, row, col));
}

/* Each registry record pulled is applied in a savepoint, then kept only
 * when the district's key signed it as it now hashes here, in a version no
 * older than the one this handheld has. */

struct pull {
    struct db *db;
    const char *district;
    char pk[DEVICE_KEY_HEX];
    struct sync_pull_result *out;
};

static int reg_close(struct pull *px, const char *kind, const char *record, PGresult *r,
                     int row, int col, int put)
{
    struct db *db = px->db;
    if (put < 0) {
        db_rollback(db);
        return put;
    }
    const char *why = NULL;
    char hash[AUDIT_HASH_HEX];
    long long version = 0;
    if (PQgetisnull(r, row, col)) {
        why = "it is not signed by the district";
    } else {
        version = atoll(PQgetvalue(r, row, col));
        const char *content = PQgetvalue(r, row, col + 1), *sig = PQgetvalue(r, row, col + 2);
        char text[512];
        int n = snprintf(text, sizeof text, "%s\n%s\n%s\n%lld\n%s", px->district, kind, record,
                         version, content);
        int rc = audit_content_hash(db, kind, record, hash);
        if (rc < 0) {
            db_rollback(db);
            return rc;
        }
        if (n < 0 || (size_t)n >= sizeof text ||
            !device_verify_text(px->pk, REGISTRY_SIGN_DOMAIN, text, (size_t)n, sig))
            why = "its signature is not the district's key's";
        else if (strcmp(hash, content) != 0)
            why = "it is not as the district signed it";
        else {
            sqlite3_stmt *st = db_stmt(db, "SELECT version FROM registry_versions "
                                           "WHERE kind = ?1 AND record = ?2");
            if (!st) {
                db_rollback(db);
                return SC_ERR_DB;
            }
            db_bind_text(st, 1, kind);
            db_bind_text(st, 2, record);
            long long have = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
            db_done(st);
            if (version < have)
                why = "it is an older version than this handheld has";
        }
    }
    if (why) {
        db_rollback(db);
        px->out->refused++;
        if (!px->out->refusal[0])
            snprintf(px->out->refusal, sizeof px->out->refusal,
                     "registry %s %s refused: %s (kept as it was here)", kind, record, why);
        return 0;
    }
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO registry_versions (kind, record, version) "
                                   "VALUES (?1, ?2, ?3) ON CONFLICT (kind, record) "
                                   "DO UPDATE SET version = excluded.version");
    if (!st) {
        db_rollback(db);
        return SC_ERR_DB;
    }
    db_bind_text(st, 1, kind);
    db_bind_text(st, 2, record);
    sqlite3_bind_int64(st, 3, version);
    int rc = db_step_done(db, st, "sync: registry");
    if (rc < 0) {
        db_rollback(db);
        return rc;
    }
    if ((rc = db_commit(db)) < 0)
        return rc;
    if (put > 0)
        px->out->pulled++;
    return 0;
}

static int pull_officers(struct pull *px, PGresult *r, PGresult *rec)
{
    struct db *db = px->db;
    for (int i = 0; i < PQntuples(r); i++) {
        const char *badge = PQgetvalue(r, i, 0);
        int rc = db_begin(db);
        if (rc < 0)
            return rc;
        /* Only the district's columns: sign-in failures and locks are this
         * handheld's own bookkeeping. */
        sqlite3_stmt *st = db_stmt(
            db, "INSERT INTO officers (badge, name, role, pin_hash, market, active, updated_at) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (badge) DO UPDATE SET "
                "name = ?2, role = ?3, pin_hash = ?4, market = ?5, active = ?6, updated_at = ?7 "
                "WHERE (name, role, pin_hash, market, active) IS NOT (?2, ?3, ?4, ?5, ?6)");
        if (!st)
            return reg_close(px, "officer", badge, r, i, 6, SC_ERR_DB);
        char now[24];
        db_now(now, sizeof now);
        db_bind_text(st, 1, badge);
        db_bind_text(st, 2, PQgetvalue(r, i, 1));
        db_bind_text(st, 3, PQgetvalue(r, i, 2));
        db_bind_text(st, 4, PQgetvalue(r, i, 3));
        db_bind_text_or_null(st, 5, PQgetisnull(r, i, 4) ? NULL : PQgetvalue(r, i, 4));
        sqlite3_bind_int(st, 6, atoi(PQgetvalue(r, i, 5)));
        db_bind_text(st, 7, now);
        if ((rc = db_step_done(db, st, "sync: officer")) < 0)
            return reg_close(px, "officer", badge, r, i, 6, rc);
        int touched = sqlite3_changes(db_sqlite(db)) > 0;
        /* Recusals: the district's set replaces ours when it differs. */
        char have[4096] = "", want[4096] = "";
        st = db_stmt(db, "SELECT market, reason FROM officer_recusals WHERE badge = ?1 "
                         "ORDER BY market");
        if (!st)
            return reg_close(px, "officer", badge, r, i, 6, SC_ERR_DB);
        db_bind_text(st, 1, badge);
        while (sqlite3_step(st) == SQLITE_ROW) {
            size_t o = strlen(have);
            snprintf(have + o, sizeof have - o, "%s\t%s\n", sqlite3_column_text(st, 0),
                     sqlite3_column_text(st, 1));
        }
        db_done(st);
        for (int k = 0; k < PQntuples(rec); k++) {
            if (strcmp(PQgetvalue(rec, k, 0), badge) != 0)
                continue;
            size_t o = strlen(want);
            snprintf(want + o, sizeof want - o, "%s\t%s\n", PQgetvalue(rec, k, 1),
                     PQgetvalue(rec, k, 2));
        }
        if (strcmp(have, want) != 0) {
            st = db_stmt(db, "DELETE FROM officer_recusals WHERE badge = ?1");
            if (!st)
                return reg_close(px, "officer", badge, r, i, 6, SC_ERR_DB);
            db_bind_text(st, 1, badge);
            if ((rc = db_step_done(db, st, "sync: recusals")) < 0)
                return reg_close(px, "officer", badge, r, i, 6, rc);
            for (int k = 0; k < PQntuples(rec); k++) {
                if (strcmp(PQgetvalue(rec, k, 0), badge) != 0)
                    continue;
                st = db_stmt(db, "INSERT INTO officer_recusals (badge, market, reason) "
                                 "VALUES (?1, ?2, ?3)");
                if (!st)
                    return reg_close(px, "officer", badge, r, i, 6, SC_ERR_DB);
                db_bind_text(st, 1, badge);
                db_bind_text(st, 2, PQgetvalue(rec, k, 1));
                db_bind_text(st, 3, PQgetvalue(rec, k, 2));
                if ((rc = db_step_done(db, st, "sync: recusals")) < 0)
                    return reg_close(px, "officer", badge, r, i, 6, rc);
            }
            touched = 1;
        }
        if (touched) {
            int64_t seq = audit_append(db, "officer", badge);
            if (seq < 0)
                return reg_close(px, "officer", badge, r, i, 6, (int)seq);
        }
        if ((rc = reg_close(px, "officer", badge, r, i, 6, touched)) < 0)
            return rc;
    }
    return 0;
}

/* The registry rows changed since the last pull, each kind's with its
 * district signature columns (version, content_hash, sig) last. */
static const char *const registry_queries[] = {
    "SELECT code, name, district, address, organiser, s.version, s.content_hash, s.sig "
    "FROM markets LEFT JOIN registry_sigs s ON s.kind = 'market' AND s.record = code "
    "WHERE xid >= $1::bigint ORDER BY code",
    "SELECT licence, name, phone, s.version, s.content_hash, s.sig FROM operators "
    "LEFT JOIN registry_sigs s ON s.kind = 'operator' AND s.record = licence "
    "WHERE xid >= $1::bigint ORDER BY licence",
    "SELECT code, market, name, category, operator, active, s.version, s.content_hash, "
    "s.sig FROM stalls LEFT JOIN registry_sigs s ON s.kind = 'stall' AND s.record = code "
    "WHERE xid >= $1::bigint ORDER BY code",
    "SELECT code, i.kind, market, stall, maker, model, serial, class, max_ug, min_ug, e_ug, "
    "d_ug, mark_no, seal_no, last_verified, due, protocol, conn, active, s.version, "
    "s.content_hash, s.sig FROM instruments i LEFT JOIN registry_sigs s "
    "ON s.kind = 'instrument' AND s.record = i.code WHERE xid >= $1::bigint ORDER BY code",
    "SELECT code, name, class, market, certificate_no, calibration_due, s.version, "
    "s.content_hash, s.sig FROM weight_sets LEFT JOIN registry_sigs s "
    "ON s.kind = 'weight_set' AND s.record = code WHERE xid >= $1::bigint ORDER BY code",
    "SELECT i.weight_set, i.nominal_ug, i.count, i.error_ug FROM weight_set_items i "
    "JOIN weight_sets w ON w.code = i.weight_set WHERE w.xid >= $1::bigint "
    "ORDER BY i.weight_set, i.nominal_ug",
    "SELECT badge, name, role, pin_hash, market, active, s.version, s.content_hash, s.sig "
    "FROM officers LEFT JOIN registry_sigs s ON s.kind = 'officer' AND s.record = badge "
    "WHERE xid >= $1::bigint ORDER BY badge",
    "SELECT r.badge, r.market, r.reason FROM officer_recusals r "
    "JOIN officers o ON o.badge = r.badge WHERE o.xid >= $1::bigint "
    "ORDER BY r.badge, r.market",
};
enum { Q_MARKETS, Q_OPERATORS, Q_STALLS, Q_INSTRUMENTS, Q_SETS, Q_ITEMS, Q_OFFICERS,
       Q_RECUSALS, Q_N };

/* Reads every registry query in one read-only snapshot, and the snapshot's
 * xmin: the next pull asks for rows changed from there on. */
static int fetch_registry(PGconn *c, const char *since, PGresult *res[Q_N], char xmin[32])
{
    int rc;
    if ((rc = pg_exec(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "pull")) < 0)
        return rc;
    PGresult *xr = pg_query(c, "SELECT pg_snapshot_xmin(pg_current_snapshot())::text", 0, NULL,
                            "pull", &rc);
    if (!xr)
        return rc;
    copy_field(xr, 0, 0, xmin, 32);
    PQclear(xr);
    const char *p[1] = {since};
    for (int q = 0; q < Q_N; q++)
        if (!(res[q] = pg_query(c, registry_queries[q], 1, p, "pull", &rc)))
            return rc;
    return pg_exec(c, "COMMIT", "pull");
}

/* One registry row of each kind is read into its struct by a table of its
 * columns, in the query's order: the record's code first, the district's
 * signature columns right after the last (reg_close).  Then it is put, and
 * kept or rolled back by reg_close (its savepoint is open). */
enum field_type { F_TEXT, F_INT, F_INT64 };

struct field {
    size_t off, size;
    enum field_type type;
};

#define TEXT(T, m) {offsetof(T, m), sizeof ((T *)0)->m, F_TEXT}
#define INT(T, m) {offsetof(T, m), sizeof ((T *)0)->m, F_INT}
#define INT64(T, m) {offsetof(T, m), sizeof ((T *)0)->m, F_INT64}

static const struct field market_fields[] = {
    TEXT(struct market, code),    TEXT(struct market, name),      TEXT(struct market, district),
    TEXT(struct market, address), TEXT(struct market, organiser),
};
static const struct field operator_fields[] = {
    TEXT(struct stall_operator, licence), TEXT(struct stall_operator, name),
    TEXT(struct stall_operator, phone),
};
static const struct field stall_fields[] = {
    TEXT(struct stall, code),     TEXT(struct stall, market),
    TEXT(struct stall, name),     TEXT(struct stall, category),
    TEXT(struct stall, operator_licence), INT(struct stall, active),
};
static const struct field instrument_fields[] = {
    TEXT(struct instrument, code),          TEXT(struct instrument, kind),
    TEXT(struct instrument, market),        TEXT(struct instrument, stall),
    TEXT(struct instrument, maker),         TEXT(struct instrument, model),
    TEXT(struct instrument, serial),        TEXT(struct instrument, cls),
    INT64(struct instrument, max_ug),       INT64(struct instrument, min_ug),
    INT64(struct instrument, e_ug),         INT64(struct instrument, d_ug),
    TEXT(struct instrument, mark_no),       TEXT(struct instrument, seal_no),
    TEXT(struct instrument, last_verified), TEXT(struct instrument, due),
    TEXT(struct instrument, protocol),      TEXT(struct instrument, conn),
    INT(struct instrument, active),
};
static const struct field weight_set_fields[] = {
    TEXT(struct weight_set, code),   TEXT(struct weight_set, name),
    TEXT(struct weight_set, cls),    TEXT(struct weight_set, market),
    TEXT(struct weight_set, certificate_no), TEXT(struct weight_set, calibration_due),
};

union record {
    struct market m;
    struct stall_operator o;
    struct stall s;
    struct instrument in;
    struct weight_set ws;
};

/* Puts a record read for the query q with registry_put_* of its kind. */
static int put_record(struct db *db, int q, const union record *u)
{
    switch (q) {
    case Q_MARKETS: return registry_put_market(db, &u->m);
    case Q_OPERATORS: return registry_put_operator(db, &u->o);
    case Q_STALLS: return registry_put_stall(db, &u->s);
    case Q_INSTRUMENTS: return registry_put_instrument(db, &u->in);
    case Q_SETS: return registry_put_weight_set(db, &u->ws);
    default: return sc_error_set(SC_ERR_ARG, "sync: no registry kind for query %d", q);
    }
}

/* The kinds in the order they are applied, each before the kinds whose
 * records name it; officers last (pull_officers). */
#define KIND(q, name, fields) {q, name, fields, sizeof fields / sizeof fields[0]}
static const struct registry_kind {
    int q;
    const char *name;
    const struct field *fields;
    int nfields;
} registry_kinds[] = {
    KIND(Q_MARKETS, "market", market_fields),
    KIND(Q_OPERATORS, "operator", operator_fields),
    KIND(Q_STALLS, "stall", stall_fields),
    KIND(Q_INSTRUMENTS, "instrument", instrument_fields),
    KIND(Q_SETS, "weight_set", weight_set_fields),
};

/* A weight set's items: the rows of the items query naming it. */
static void weight_items(PGresult *it, struct weight_set *ws)
{
    for (int k = 0; k < PQntuples(it) && ws->nitems < WEIGHT_SET_MAX_ITEMS; k++) {
        if (strcmp(PQgetvalue(it, k, 0), ws->code) != 0)
            continue;
        struct weight_item *w = &ws->items[ws->nitems++];
        w->nominal_ug = atoll(PQgetvalue(it, k, 1));
        w->count = atoi(PQgetvalue(it, k, 2));
        w->has_error = !PQgetisnull(it, k, 3);
        w->error_ug = w->has_error ? atoll(PQgetvalue(it, k, 3)) : 0;
    }
}

static int pull_one(struct pull *px, PGresult *const *res, const struct registry_kind *k, int i)
{
    union record u;
    memset(&u, 0, sizeof u);
    PGresult *r = res[k->q];
    for (int f = 0; f < k->nfields; f++) {
        char *to = (char *)&u + k->fields[f].off;
        switch (k->fields[f].type) {
        case F_TEXT: copy_field(r, i, f, to, k->fields[f].size); break;
        case F_INT: *(int *)(void *)to = atoi(PQgetvalue(r, i, f)); break;
        case F_INT64: *(int64_t *)(void *)to = atoll(PQgetvalue(r, i, f)); break;
        }
    }
    if (k->q == Q_SETS)
        weight_items(res[Q_ITEMS], &u.ws);
    int put = put_record(px->db, k->q, &u);
    return reg_close(px, k->name, (const char *)&u + k->fields[0].off, r, i, k->nfields, put);
}

/* Applies what was fetched in one transaction, each record in its own
 * savepoint, and moves the pull's mark (key) to xmin with it. */
static int apply_registry(struct pull *px, PGresult *const *res, const char *key,
                          const char *xmin)
{
    struct db *db = px->db;
    int rc = db_begin(db);
    if (rc < 0)
        return rc;
    for (size_t k = 0; k < sizeof registry_kinds / sizeof registry_kinds[0] && rc >= 0; k++) {
        const struct registry_kind *kind = &registry_kinds[k];
        PGresult *r = res[kind->q];
        for (int i = 0; i < PQntuples(r) && rc >= 0 && (rc = db_begin(db)) >= 0; i++)
            rc = pull_one(px, res, kind, i);
    }
    if (rc >= 0)
        rc = pull_officers(px, res[Q_OFFICERS], res[Q_RECUSALS]);
    if (rc >= 0)
        rc = db_setting_set(db, key, xmin);
    if (rc < 0) {
        db_rollback(db);
        return rc;
    }
    return db_commit(db);
}

int sync_pull_registry(struct db *db, PGconn *c, const char *remote, const char *district,
                       struct sync_pull_result *out)
{
    struct pull px = {db, district, "", out};
    int trusted = sync_trusted_key(db, district, px.pk);
    if (trusted < 0)
        return trusted;
    if (!trusted)
        return sc_error_set(SC_ERR_DENIED,
                            "registry not pulled: this handheld does not trust the district's "
                            "key yet. An admin runs: stallcheck device trust-district URL --key "
                            "KEY, with the key the office shows (stallcheck district key URL)");
    char key[96], since[32] = "0", xmin[32] = "";
    snprintf(key, sizeof key, "sync.%s.pull_xmin", remote);
    if (db_setting_get(db, key, since, sizeof since) < 0)
        snprintf(since, sizeof since, "0");
    PGresult *res[Q_N] = {0};
    int rc = fetch_registry(c, since, res, xmin);
    if (rc >= 0)
        rc = apply_registry(&px, res, key, xmin);
    for (int q = 0; q < Q_N; q++)
        if (res[q])
            PQclear(res[q]);
    if (rc < 0 && PQtransactionStatus(c) == PQTRANS_INTRANS)
        pg_exec(c, "ROLLBACK", "pull");
    return rc;
}

/* The district's lists replace the local copy (district_lists), for the
 * markets this handheld knows. */
int sync_pull_lists(struct db *db, PGconn *c, int64_t *pulled)
{
    int rc;
    PGresult *r = pg_query(c, "SELECT stall, market, score, list, as_of, since, until, reason"
                              " FROM district_status ORDER BY market, stall",
                           0, NULL, "lists", &rc);
    if (!r)
        return rc;
    if ((rc = db_begin(db)) < 0) {
        PQclear(r);
        return rc;
    }
    rc = db_exec(db, "DELETE FROM district_lists");
    for (int i = 0; i < PQntuples(r) && rc >= 0; i++) {
        sqlite3_stmt *st = db_stmt(db, "INSERT INTO district_lists (stall, market, score, list, "
                                       "as_of, since, until, reason) SELECT ?1, ?2, ?3, ?4, ?5, "
                                       "?6, ?7, ?8 "
                                       "WHERE EXISTS (SELECT 1 FROM markets WHERE code = ?2)");
        if (!st) {
            rc = SC_ERR_DB;
            break;
        }
        db_bind_text(st, 1, PQgetvalue(r, i, 0));
        db_bind_text(st, 2, PQgetvalue(r, i, 1));
        sqlite3_bind_int(st, 3, atoi(PQgetvalue(r, i, 2)));
        db_bind_text(st, 4, PQgetvalue(r, i, 3));
        db_bind_text(st, 5, PQgetvalue(r, i, 4));
        for (int k = 5; k < 7; k++)
            db_bind_text(st, k + 1, PQgetisnull(r, i, k) ? NULL : PQgetvalue(r, i, k));
        db_bind_text(st, 8, PQgetvalue(r, i, 7));
        rc = db_step_done(db, st, "sync: lists");
        if (rc >= 0)
            *pulled += sqlite3_changes(db_sqlite(db));
    }
    PQclear(r);
    if (rc < 0) {
        db_rollback(db);
        return rc;
    }
    return db_commit(db);
}
