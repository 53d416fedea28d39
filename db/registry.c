/* The registry aggregate: upserts that write (and audit) only real changes. */
#include "db/registry.h"

#include <string.h>

#include "core/error.h"
#include "db/audit.h"
#include "db/internal.h"

int instrument_kind_valid(const char *kind)
{
    static const char *const kinds[] = {"price-computing", "platform", "fair", "reference",
                                        "meter"};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(kind, kinds[i]) == 0)
            return 1;
    return 0;
}

/* Steps an upsert whose DO UPDATE has a WHERE that is false when nothing
 * differs; audits the record when a row was written.  Runs in its own
 * (possibly nested) transaction with any rows the caller binds after. */
static int upsert(struct db *db, sqlite3_stmt *st, const char *kind, const char *key)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return db_fail(db, kind);
    if (sqlite3_changes(db_sqlite(db)) == 0)
        return 0;
    int64_t seq = audit_append(db, kind, key);
    return seq < 0 ? (int)seq : 1;
}

static int put_done(struct db *db, int rc)
{
    if (rc < 0) {
        db_rollback(db);
        return rc;
    }
    int c = db_commit(db);
    return c < 0 ? c : rc;
}

/* Every put's start: the time it writes (now, 24 bytes), its own
 * transaction and its upsert prepared; NULL with *rc when either fails
 * (the transaction then undone).  End it with put_done. */
static sqlite3_stmt *put_begin(struct db *db, const char *sql, char *now, int *rc)
{
    db_now(now, 24);
    if ((*rc = db_begin(db)) < 0)
        return NULL;
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        *rc = put_done(db, SC_ERR_DB);
    return st;
}

int registry_put_market(struct db *db, const struct market *m)
{
    char now[24];
    int rc;
    sqlite3_stmt *st = put_begin(
        db, "INSERT INTO markets (code, name, district, address, organiser, updated_at) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (code) DO UPDATE SET "
            "name = excluded.name, district = excluded.district, address = excluded.address, "
            "organiser = excluded.organiser, updated_at = excluded.updated_at "
            "WHERE (name, district, address, organiser) IS NOT "
            "(excluded.name, excluded.district, excluded.address, excluded.organiser)",
        now, &rc);
    if (st == NULL)
        return rc;
    db_bind_text(st, 1, m->code);
    db_bind_text(st, 2, m->name);
    db_bind_text(st, 3, m->district);
    db_bind_text(st, 4, m->address);
    db_bind_text(st, 5, m->organiser);
    db_bind_text(st, 6, now);
    return put_done(db, upsert(db, st, "market", m->code));
}

int registry_put_operator(struct db *db, const struct stall_operator *o)
{
    char now[24];
    int rc;
    sqlite3_stmt *st = put_begin(
        db, "INSERT INTO operators (licence, name, phone, updated_at) VALUES (?1, ?2, ?3, ?4) "
            "ON CONFLICT (licence) DO UPDATE SET name = excluded.name, phone = excluded.phone, "
            "updated_at = excluded.updated_at "
            "WHERE (name, phone) IS NOT (excluded.name, excluded.phone)",
        now, &rc);
    if (st == NULL)
        return rc;
    db_bind_text(st, 1, o->licence);
    db_bind_text(st, 2, o->name);
    db_bind_text(st, 3, o->phone);
    db_bind_text(st, 4, now);
    return put_done(db, upsert(db, st, "operator", o->licence));
}

int registry_put_stall(struct db *db, const struct stall *s)
{
    char now[24];
    int rc;
    sqlite3_stmt *st = put_begin(
        db, "INSERT INTO stalls (code, market, name, category, operator, active, updated_at) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (code) DO UPDATE SET "
            "market = excluded.market, name = excluded.name, category = excluded.category, "
            "operator = excluded.operator, active = excluded.active, "
            "updated_at = excluded.updated_at "
            "WHERE (market, name, category, operator, active) IS NOT (excluded.market, "
            "excluded.name, excluded.category, excluded.operator, excluded.active)",
        now, &rc);
    if (st == NULL)
        return rc;
    db_bind_text(st, 1, s->code);
    db_bind_text(st, 2, s->market);
    db_bind_text(st, 3, s->name);
    db_bind_text(st, 4, s->category);
    db_bind_text_or_null(st, 5, s->operator_licence);
    sqlite3_bind_int(st, 6, s->active ? 1 : 0);
    db_bind_text(st, 7, now);
    return put_done(db, upsert(db, st, "stall", s->code));
}

int registry_put_instrument(struct db *db, const struct instrument *in)
{
    char now[24];
    int rc;
    sqlite3_stmt *st = put_begin(
        db, "INSERT INTO instruments (code, kind, market, stall, maker, model, serial, class, "
            "max_ug, min_ug, e_ug, d_ug, mark_no, seal_no, last_verified, due, protocol, conn, "
            "active, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
            "?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20) ON CONFLICT (code) DO UPDATE SET "
            "kind = excluded.kind, market = excluded.market, stall = excluded.stall, "
            "maker = excluded.maker, model = excluded.model, serial = excluded.serial, "
            "class = excluded.class, max_ug = excluded.max_ug, min_ug = excluded.min_ug, "
            "e_ug = excluded.e_ug, d_ug = excluded.d_ug, mark_no = excluded.mark_no, "
            "seal_no = excluded.seal_no, last_verified = excluded.last_verified, "
            "due = excluded.due, protocol = excluded.protocol, conn = excluded.conn, "
            "active = excluded.active, updated_at = excluded.updated_at "
            "WHERE (kind, market, stall, maker, model, serial, class, max_ug, min_ug, e_ug, "
            "d_ug, mark_no, seal_no, last_verified, due, protocol, conn, active) IS NOT "
            "(excluded.kind, excluded.market, excluded.stall, excluded.maker, excluded.model, "
            "excluded.serial, excluded.class, excluded.max_ug, excluded.min_ug, excluded.e_ug, "
            "excluded.d_ug, excluded.mark_no, excluded.seal_no, excluded.last_verified, "
            "excluded.due, excluded.protocol, excluded.conn, excluded.active)",
        now, &rc);
    if (st == NULL)
        return rc;
    db_bind_text(st, 1, in->code);
    db_bind_text(st, 2, in->kind);
    db_bind_text(st, 3, in->market);
    db_bind_text_or_null(st, 4, in->stall);
    db_bind_text(st, 5, in->maker);
    db_bind_text(st, 6, in->model);
    db_bind_text(st, 7, in->serial);
    db_bind_text(st, 8, in->cls);
    sqlite3_bind_int64(st, 9, in->max_ug);
    sqlite3_bind_int64(st, 10, in->min_ug);
    sqlite3_bind_int64(st, 11, in->e_ug);
    sqlite3_bind_int64(st, 12, in->d_ug);
    db_bind_text(st, 13, in->mark_no);
    db_bind_text(st, 14, in->seal_no);
    db_bind_text_or_null(st, 15, in->last_verified);
    db_bind_text_or_null(st, 16, in->due);
    db_bind_text(st, 17, in->protocol);
    db_bind_text(st, 18, in->conn);
    sqlite3_bind_int(st, 19, in->active ? 1 : 0);
    db_bind_text(st, 20, now);
    return put_done(db, upsert(db, st, "instrument", in->code));
}

/* The items of a set, as stored, compared with what is given. */
static int weight_items_same(struct db *db, const struct weight_set *ws)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT nominal_ug, count, error_ug FROM weight_set_items "
                                   "WHERE weight_set = ?1 ORDER BY nominal_ug");
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, ws->code);
    size_t n = 0;
    int same = 1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (n >= ws->nitems) {
            same = 0;
            break;
        }
        const struct weight_item *w = &ws->items[n++];
        int has_error = sqlite3_column_type(st, 2) != SQLITE_NULL;
        if (sqlite3_column_int64(st, 0) != w->nominal_ug || sqlite3_column_int(st, 1) != w->count ||
            has_error != (w->has_error != 0) ||
            (has_error && sqlite3_column_int64(st, 2) != w->error_ug))
            same = 0;
    }
    db_done(st);
    return same && n == ws->nitems;
}

int registry_put_weight_set(struct db *db, const struct weight_set *ws)
{
    if (ws->nitems > WEIGHT_SET_MAX_ITEMS)
        return sc_error_set(SC_ERR_RANGE, "weight set %s: too many weights", ws->code);
    for (size_t i = 1; i < ws->nitems; i++)
        if (ws->items[i].nominal_ug <= ws->items[i - 1].nominal_ug)
            return sc_error_set(SC_ERR_ARG, "weight set %s: weights must be in increasing "
                                            "order, each nominal once", ws->code);
    char now[24];
    int rc;
    sqlite3_stmt *st = put_begin(
        db, "INSERT INTO weight_sets (code, name, class, market, certificate_no, "
            "calibration_due, updated_at, standard_name, standard_cert_no) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
            "ON CONFLICT (code) DO UPDATE SET name = excluded.name, class = excluded.class, "
            "market = excluded.market, certificate_no = excluded.certificate_no, "
            "calibration_due = excluded.calibration_due, updated_at = excluded.updated_at, "
            "standard_name = excluded.standard_name, standard_cert_no = excluded.standard_cert_no "
            "WHERE (name, class, market, certificate_no, calibration_due, standard_name, "
            "standard_cert_no) IS NOT (excluded.name, excluded.class, excluded.market, "
            "excluded.certificate_no, excluded.calibration_due, excluded.standard_name, "
            "excluded.standard_cert_no)",
        now, &rc);
    if (st == NULL)
        return rc;
    db_bind_text(st, 1, ws->code);
    db_bind_text(st, 2, ws->name);
    db_bind_text(st, 3, ws->cls);
    db_bind_text_or_null(st, 4, ws->market);
    db_bind_text(st, 5, ws->certificate_no);
    db_bind_text_or_null(st, 6, ws->calibration_due);
    db_bind_text(st, 7, now);
    db_bind_text(st, 8, ws->standard_name);
    db_bind_text(st, 9, ws->standard_cert_no);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return put_done(db, db_fail(db, "weight_set"));
    int changed = sqlite3_changes(db_sqlite(db)) > 0;
    int same = weight_items_same(db, ws);
    if (same < 0)
        return put_done(db, same);
    if (!same) {
        changed = 1;
        st = db_stmt(db, "DELETE FROM weight_set_items WHERE weight_set = ?1");
        if (st == NULL)
            return put_done(db, SC_ERR_DB);
        db_bind_text(st, 1, ws->code);
        if ((rc = db_step_done(db, st, "weight_set")) < 0)
            return put_done(db, rc);
        for (size_t i = 0; i < ws->nitems; i++) {
            st = db_stmt(db, "INSERT INTO weight_set_items (weight_set, nominal_ug, count, "
                             "error_ug) VALUES (?1, ?2, ?3, ?4)");
            if (st == NULL)
                return put_done(db, SC_ERR_DB);
            db_bind_text(st, 1, ws->code);
            sqlite3_bind_int64(st, 2, ws->items[i].nominal_ug);
            sqlite3_bind_int(st, 3, ws->items[i].count);
            if (ws->items[i].has_error)
                sqlite3_bind_int64(st, 4, ws->items[i].error_ug);
            if ((rc = db_step_done(db, st, "weight_set")) < 0)
                return put_done(db, rc);
        }
    }
    if (!changed)
        return put_done(db, 0);
    int64_t seq = audit_append(db, "weight_set", ws->code);
    return put_done(db, seq < 0 ? (int)seq : 1);
}

/* ---- reading ---- */

#define MARKET_COLS "code, name, district, address, organiser"
static void read_market(sqlite3_stmt *st, struct market *m)
{
    db_col_text(st, 0, m->code, sizeof m->code);
    db_col_text(st, 1, m->name, sizeof m->name);
    db_col_text(st, 2, m->district, sizeof m->district);
    db_col_text(st, 3, m->address, sizeof m->address);
    db_col_text(st, 4, m->organiser, sizeof m->organiser);
}

#define OPERATOR_COLS "licence, name, phone"
static void read_operator(sqlite3_stmt *st, struct stall_operator *o)
{
    db_col_text(st, 0, o->licence, sizeof o->licence);
    db_col_text(st, 1, o->name, sizeof o->name);
    db_col_text(st, 2, o->phone, sizeof o->phone);
}

#define STALL_COLS "code, market, name, category, operator, active"
static void read_stall(sqlite3_stmt *st, struct stall *s)
{
    db_col_text(st, 0, s->code, sizeof s->code);
    db_col_text(st, 1, s->market, sizeof s->market);
    db_col_text(st, 2, s->name, sizeof s->name);
    db_col_text(st, 3, s->category, sizeof s->category);
    db_col_text(st, 4, s->operator_licence, sizeof s->operator_licence);
    s->active = sqlite3_column_int(st, 5);
}

#define INSTRUMENT_COLS                                                                        \
    "code, kind, market, stall, maker, model, serial, class, max_ug, min_ug, e_ug, d_ug, "     \
    "mark_no, seal_no, last_verified, due, protocol, conn, active"
static void read_instrument(sqlite3_stmt *st, struct instrument *in)
{
    db_col_text(st, 0, in->code, sizeof in->code);
    db_col_text(st, 1, in->kind, sizeof in->kind);
    db_col_text(st, 2, in->market, sizeof in->market);
    db_col_text(st, 3, in->stall, sizeof in->stall);
    db_col_text(st, 4, in->maker, sizeof in->maker);
    db_col_text(st, 5, in->model, sizeof in->model);
    db_col_text(st, 6, in->serial, sizeof in->serial);
    db_col_text(st, 7, in->cls, sizeof in->cls);
    in->max_ug = sqlite3_column_int64(st, 8);
    in->min_ug = sqlite3_column_int64(st, 9);
    in->e_ug = sqlite3_column_int64(st, 10);
    in->d_ug = sqlite3_column_int64(st, 11);
    db_col_text(st, 12, in->mark_no, sizeof in->mark_no);
    db_col_text(st, 13, in->seal_no, sizeof in->seal_no);
    db_col_text(st, 14, in->last_verified, sizeof in->last_verified);
    db_col_text(st, 15, in->due, sizeof in->due);
    db_col_text(st, 16, in->protocol, sizeof in->protocol);
    db_col_text(st, 17, in->conn, sizeof in->conn);
    in->active = sqlite3_column_int(st, 18);
}

#define WEIGHT_SET_COLS                                                                        \
    "code, name, class, market, certificate_no, calibration_due, standard_name, standard_cert_no"
static void read_weight_set_row(sqlite3_stmt *st, struct weight_set *ws)
{
    memset(ws, 0, sizeof *ws);
    db_col_text(st, 0, ws->code, sizeof ws->code);
    db_col_text(st, 1, ws->name, sizeof ws->name);
    db_col_text(st, 2, ws->cls, sizeof ws->cls);
    db_col_text(st, 3, ws->market, sizeof ws->market);
    db_col_text(st, 4, ws->certificate_no, sizeof ws->certificate_no);
    db_col_text(st, 5, ws->calibration_due, sizeof ws->calibration_due);
    db_col_text(st, 6, ws->standard_name, sizeof ws->standard_name);
    db_col_text(st, 7, ws->standard_cert_no, sizeof ws->standard_cert_no);
}

static int read_weight_items(struct db *db, struct weight_set *ws)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT nominal_ug, count, error_ug FROM weight_set_items "
                                   "WHERE weight_set = ?1 ORDER BY nominal_ug");
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, ws->code);
    ws->nitems = 0;
    while (sqlite3_step(st) == SQLITE_ROW && ws->nitems < WEIGHT_SET_MAX_ITEMS) {
        struct weight_item *w = &ws->items[ws->nitems++];
        w->nominal_ug = sqlite3_column_int64(st, 0);
        w->count = sqlite3_column_int(st, 1);
        w->has_error = sqlite3_column_type(st, 2) != SQLITE_NULL;
        w->error_ug = sqlite3_column_int64(st, 2);
    }
    db_done(st);
    return 0;
}

/* Runs a one-row lookup; read fills out. */
static int find_one(struct db *db, const char *sql, const char *key, const char *what,
                    void (*read)(sqlite3_stmt *, void *), void *out)
{
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, key);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read(st, out);
        db_done(st);
        return 0;
    }
    db_done(st);
    if (rc != SQLITE_DONE)
        return db_fail(db, what);
    return sc_error_set(SC_ERR_NOTFOUND, "no %s %s", what, key);
}

/* Adapters: the readers take typed pointers. */
static void rd_market(sqlite3_stmt *st, void *p) { read_market(st, p); }
static void rd_operator(sqlite3_stmt *st, void *p) { read_operator(st, p); }
static void rd_stall(sqlite3_stmt *st, void *p) { read_stall(st, p); }
static void rd_instrument(sqlite3_stmt *st, void *p) { read_instrument(st, p); }
static void rd_weight_set(sqlite3_stmt *st, void *p) { read_weight_set_row(st, p); }

int registry_find_market(struct db *db, const char *code, struct market *out)
{
    return find_one(db, "SELECT " MARKET_COLS " FROM markets WHERE code = ?1", code, "market",
                    rd_market, out);
}

int registry_find_operator(struct db *db, const char *licence, struct stall_operator *out)
{
    return find_one(db, "SELECT " OPERATOR_COLS " FROM operators WHERE licence = ?1", licence,
                    "operator", rd_operator, out);
}

int registry_find_stall(struct db *db, const char *code, struct stall *out)
{
    return find_one(db, "SELECT " STALL_COLS " FROM stalls WHERE code = ?1", code, "stall",
                    rd_stall, out);
}

int registry_find_instrument(struct db *db, const char *code, struct instrument *out)
{
    return find_one(db, "SELECT " INSTRUMENT_COLS " FROM instruments WHERE code = ?1", code,
                    "instrument", rd_instrument, out);
}

int registry_find_weight_set(struct db *db, const char *code, struct weight_set *out)
{
    int rc = find_one(db, "SELECT " WEIGHT_SET_COLS " FROM weight_sets WHERE code = ?1", code,
                      "weight set", rd_weight_set, out);
    return rc < 0 ? rc : read_weight_items(db, out);
}

/* Typed callbacks behind one walker, without casting function pointers. */
struct typed_fn {
    int (*market)(const struct market *, void *);
    int (*op)(const struct stall_operator *, void *);
    int (*stall)(const struct stall *, void *);
    int (*instrument)(const struct instrument *, void *);
    void *arg;
};
static int call_market(const void *r, void *a) { const struct typed_fn *t = a; return t->market(r, t->arg); }
static int call_op(const void *r, void *a) { const struct typed_fn *t = a; return t->op(r, t->arg); }
static int call_stall(const void *r, void *a) { const struct typed_fn *t = a; return t->stall(r, t->arg); }
static int call_instrument(const void *r, void *a) { const struct typed_fn *t = a; return t->instrument(r, t->arg); }

/* Lists use their own statement (not the cache): the callback may query. */
static int walk(struct db *db, const char *sql, const char *k1, const char *k2,
                void (*read)(sqlite3_stmt *, void *), void *rec,
                int (*fn)(const void *, void *), void *arg)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db_sqlite(db), sql, -1, &st, NULL) != SQLITE_OK)
        return db_fail(db, "registry");
    if (k1)
        db_bind_text(st, 1, k1);
    if (k2)
        db_bind_text(st, 2, k2);
    int rc, ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        read(st, rec);
        if ((ret = fn(rec, arg)) != 0)
            break;
    }
    if (ret == 0 && rc != SQLITE_DONE && rc != SQLITE_ROW)
        ret = db_fail(db, "registry");
    sqlite3_finalize(st);
    return ret;
}

int registry_list_markets(struct db *db, int (*fn)(const struct market *, void *), void *arg)
{
    struct market m;
    return walk(db, "SELECT " MARKET_COLS " FROM markets ORDER BY code", NULL, NULL, rd_market,
                &m, call_market, &(struct typed_fn){.market = fn, .arg = arg});
}

int registry_list_operators(struct db *db, int (*fn)(const struct stall_operator *, void *),
                            void *arg)
{
    struct stall_operator o;
    return walk(db, "SELECT " OPERATOR_COLS " FROM operators ORDER BY licence", NULL, NULL,
                rd_operator, &o, call_op, &(struct typed_fn){.op = fn, .arg = arg});
}

int registry_list_stalls(struct db *db, const char *market,
                         int (*fn)(const struct stall *, void *), void *arg)
{
    struct stall s;
    return walk(db,
                market ? "SELECT " STALL_COLS " FROM stalls WHERE market = ?1 ORDER BY code"
                       : "SELECT " STALL_COLS " FROM stalls ORDER BY code",
                market, NULL, rd_stall, &s, call_stall, &(struct typed_fn){.stall = fn, .arg = arg});
}

int registry_instruments_by_stall(struct db *db, const char *stall,
                                  int (*fn)(const struct instrument *, void *), void *arg)
{
    struct instrument in;
    return walk(db, "SELECT " INSTRUMENT_COLS " FROM instruments WHERE stall = ?1 ORDER BY code",
                stall, NULL, rd_instrument, &in, call_instrument,
                &(struct typed_fn){.instrument = fn, .arg = arg});
}

int registry_instruments_by_market(struct db *db, const char *market, const char *kind,
                                   int (*fn)(const struct instrument *, void *), void *arg)
{
    struct instrument in;
    /* ?1 / ?2 NULL match everything. */
    return walk(db,
                "SELECT " INSTRUMENT_COLS " FROM instruments WHERE (?1 IS NULL OR market = ?1) "
                "AND (?2 IS NULL OR kind = ?2) ORDER BY code",
                market, kind, rd_instrument, &in, call_instrument,
                &(struct typed_fn){.instrument = fn, .arg = arg});
}

struct ws_walk {
    struct db *db;
    int (*fn)(const struct weight_set *, void *);
    void *arg;
};

static int ws_with_items(const void *rec, void *arg)
{
    struct ws_walk *w = arg;
    struct weight_set *ws = (struct weight_set *)rec;
    int rc = read_weight_items(w->db, ws);
    return rc < 0 ? rc : w->fn(ws, w->arg);
}

int registry_list_weight_sets(struct db *db, const char *market,
                              int (*fn)(const struct weight_set *, void *), void *arg)
{
    static struct weight_set ws; /* large; one walk at a time */
    struct ws_walk w = {db, fn, arg};
    return walk(db,
                "SELECT " WEIGHT_SET_COLS " FROM weight_sets WHERE (?1 IS NULL OR market = ?1) "
                "ORDER BY code",
                market, NULL, rd_weight_set, &ws, ws_with_items, &w);
}

int64_t registry_count(struct db *db, const char *table)
{
    static const char *const sql[][2] = {
        {"markets", "SELECT count(*) FROM markets"},
        {"operators", "SELECT count(*) FROM operators"},
        {"stalls", "SELECT count(*) FROM stalls"},
        {"instruments", "SELECT count(*) FROM instruments"},
        {"weight_sets", "SELECT count(*) FROM weight_sets"},
    };
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
        if (strcmp(sql[i][0], table) != 0)
            continue;
        sqlite3_stmt *st = db_stmt(db, sql[i][1]);
        if (st == NULL)
            return SC_ERR_DB;
        int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : SC_ERR_DB;
        db_done(st);
        return n;
    }
    return sc_error_set(SC_ERR_ARG, "registry_count: unknown table %s", table);
}
