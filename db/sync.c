/* Sync with the district PostgreSQL: see sync.h for the protocol (and the
 * SQLite it needs to read and write the handheld's side). */
#include "db/sync.h"

#include <libpq-fe.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/checklist.h"
#include "core/error.h"
#include "db/audit.h"
#include "db/internal.h"
#include "db/pg.h"
#include "db/registry.h"

/* ---- the district schema ------------------------------------------------ */

/* Registry tables carry xid: the id of the transaction that last wrote the
 * row (a trigger stamps it), so a pull finds what changed since its last
 * snapshot.  Records pushed from handhelds are immutable: no stamp, and no
 * foreign keys to the registry (a handheld may know a stall before the
 * district does); their children do reference them. */
static const char *const district_ddl[] = {
    "CREATE TABLE IF NOT EXISTS district_info ("
    "  key text PRIMARY KEY, value text NOT NULL)",
    "INSERT INTO district_info VALUES ('district_id', gen_random_uuid()::text),"
    " ('schema', '1') ON CONFLICT (key) DO NOTHING",
    "CREATE OR REPLACE FUNCTION stamp_xid() RETURNS trigger LANGUAGE plpgsql AS $$"
    " BEGIN NEW.xid := pg_current_xact_id()::text::bigint; RETURN NEW; END $$",

    "CREATE TABLE IF NOT EXISTS markets ("
    "  code text PRIMARY KEY, name text NOT NULL, district text NOT NULL DEFAULT '',"
    "  address text NOT NULL DEFAULT '', organiser text NOT NULL DEFAULT '',"
    "  xid bigint NOT NULL DEFAULT 0)",
    "CREATE TABLE IF NOT EXISTS operators ("
    "  licence text PRIMARY KEY, name text NOT NULL, phone text NOT NULL DEFAULT '',"
    "  xid bigint NOT NULL DEFAULT 0)",
    "CREATE TABLE IF NOT EXISTS stalls ("
    "  code text PRIMARY KEY, market text NOT NULL REFERENCES markets (code),"
    "  name text NOT NULL DEFAULT '', category text NOT NULL,"
    "  operator text REFERENCES operators (licence), active integer NOT NULL DEFAULT 1,"
    "  xid bigint NOT NULL DEFAULT 0)",
    "CREATE TABLE IF NOT EXISTS instruments ("
    "  code text PRIMARY KEY, kind text NOT NULL, market text NOT NULL REFERENCES markets (code),"
    "  stall text REFERENCES stalls (code), maker text NOT NULL DEFAULT '',"
    "  model text NOT NULL DEFAULT '', serial text NOT NULL DEFAULT '',"
    "  class text NOT NULL DEFAULT '', max_ug bigint NOT NULL DEFAULT 0,"
    "  min_ug bigint NOT NULL DEFAULT 0, e_ug bigint NOT NULL DEFAULT 0,"
    "  d_ug bigint NOT NULL DEFAULT 0, mark_no text NOT NULL DEFAULT '',"
    "  seal_no text NOT NULL DEFAULT '', last_verified text, due text,"
    "  protocol text NOT NULL DEFAULT '', conn text NOT NULL DEFAULT '',"
    "  active integer NOT NULL DEFAULT 1, xid bigint NOT NULL DEFAULT 0)",
    "CREATE TABLE IF NOT EXISTS weight_sets ("
    "  code text PRIMARY KEY, name text NOT NULL DEFAULT '', class text NOT NULL,"
    "  market text REFERENCES markets (code), certificate_no text NOT NULL DEFAULT '',"
    "  calibration_due text, xid bigint NOT NULL DEFAULT 0)",
    "CREATE TABLE IF NOT EXISTS weight_set_items ("
    "  weight_set text NOT NULL REFERENCES weight_sets (code) ON DELETE CASCADE,"
    "  nominal_ug bigint NOT NULL, count integer NOT NULL DEFAULT 1, error_ug bigint,"
    "  PRIMARY KEY (weight_set, nominal_ug))",
    "CREATE TABLE IF NOT EXISTS officers ("
    "  badge text PRIMARY KEY, name text NOT NULL, role text NOT NULL,"
    "  pin_hash text NOT NULL, market text REFERENCES markets (code),"
    "  active integer NOT NULL DEFAULT 1, xid bigint NOT NULL DEFAULT 0)",
    "CREATE TABLE IF NOT EXISTS officer_recusals ("
    "  badge text NOT NULL REFERENCES officers (badge) ON DELETE CASCADE,"
    "  market text NOT NULL REFERENCES markets (code), reason text NOT NULL DEFAULT '',"
    "  PRIMARY KEY (badge, market))",

    "CREATE TABLE IF NOT EXISTS draws ("
    "  id text PRIMARY KEY, made_at text NOT NULL, made_by text, market text,"
    "  seed text NOT NULL, inputs text NOT NULL, result text NOT NULL,"
    "  device text NOT NULL DEFAULT '', received_at timestamptz NOT NULL DEFAULT now())",
    "CREATE TABLE IF NOT EXISTS draw_stalls ("
    "  draw text NOT NULL REFERENCES draws (id), seq integer NOT NULL,"
    "  stall text NOT NULL, followup integer NOT NULL DEFAULT 0, PRIMARY KEY (draw, seq))",
    "CREATE TABLE IF NOT EXISTS draw_officers ("
    "  draw text NOT NULL REFERENCES draws (id), seq integer NOT NULL,"
    "  badge text NOT NULL, PRIMARY KEY (draw, seq))",
    "CREATE TABLE IF NOT EXISTS inspections ("
    "  id text PRIMARY KEY, stall text NOT NULL, market text NOT NULL,"
    "  officer1 text NOT NULL, officer2 text, draw text, started_at text NOT NULL,"
    "  ended_at text, status text NOT NULL, device text NOT NULL DEFAULT '',"
    "  place text NOT NULL DEFAULT '', note text NOT NULL DEFAULT '',"
    "  received_at timestamptz NOT NULL DEFAULT now())",
    "CREATE INDEX IF NOT EXISTS inspections_by_stall ON inspections (stall, started_at)",
    "CREATE TABLE IF NOT EXISTS findings ("
    "  inspection text NOT NULL REFERENCES inspections (id), item text NOT NULL,"
    "  answer text NOT NULL, note text NOT NULL DEFAULT '', deadline text,"
    "  PRIMARY KEY (inspection, item))",
    "CREATE TABLE IF NOT EXISTS calibrations ("
    "  id text PRIMARY KEY, instrument text NOT NULL, weight_set text, officer text NOT NULL,"
    "  started_at text NOT NULL, ended_at text, status text NOT NULL,"
    "  temperature text NOT NULL DEFAULT '', verdict text,"
    "  certificate_no text NOT NULL DEFAULT '', next_due text,"
    "  device text NOT NULL DEFAULT '', note text NOT NULL DEFAULT '',"
    "  received_at timestamptz NOT NULL DEFAULT now())",
    "CREATE TABLE IF NOT EXISTS calibration_steps ("
    "  calibration text NOT NULL REFERENCES calibrations (id), seq integer NOT NULL,"
    "  test text NOT NULL, position text NOT NULL DEFAULT '', load_ug bigint NOT NULL,"
    "  indication_ug bigint, added_ug bigint NOT NULL DEFAULT 0, error_ug bigint,"
    "  mpe_ug bigint, pass integer, measurement text, PRIMARY KEY (calibration, seq))",
    "CREATE TABLE IF NOT EXISTS measurements ("
    "  id text PRIMARY KEY, inspection text REFERENCES inspections (id),"
    "  calibration text REFERENCES calibrations (id), instrument text,"
    "  taken_at text NOT NULL, driver text NOT NULL DEFAULT '', raw bytea,"
    "  value text NOT NULL, unit text NOT NULL DEFAULT '', value_ug bigint,"
    "  stable integer NOT NULL DEFAULT 0)",
    "CREATE TABLE IF NOT EXISTS reweighs ("
    "  id text PRIMARY KEY, inspection text NOT NULL REFERENCES inspections (id),"
    "  seq integer NOT NULL DEFAULT 0, goods text NOT NULL DEFAULT '', category text NOT NULL,"
    "  declared_ug bigint NOT NULL, measured_ug bigint NOT NULL,"
    "  unit_price_fen bigint NOT NULL DEFAULT 0, allowed_ug bigint,"
    "  shortfall_ug bigint NOT NULL, money_short_fen bigint NOT NULL DEFAULT 0,"
    "  verdict text NOT NULL, method text NOT NULL DEFAULT 'reference',"
    "  reference_instrument text, weight_set text, measurement text)",
    "CREATE TABLE IF NOT EXISTS audit_log ("
    "  device text NOT NULL, seq bigint NOT NULL, id text NOT NULL, at text NOT NULL,"
    "  kind text NOT NULL, record text NOT NULL, content_hash text NOT NULL,"
    "  prev_hash text NOT NULL, hash text NOT NULL,"
    "  received_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (device, seq))",

    /* The list rule's numbers (sync.h), from the rules file at --init. */
    "CREATE TABLE IF NOT EXISTS district_rules (key text PRIMARY KEY, value integer NOT NULL)",
    "CREATE TABLE IF NOT EXISTS district_item_rules ("
    "  item text PRIMARY KEY, points integer NOT NULL, black boolean NOT NULL)",
    NULL};

/* The lists on the district, from every handheld's committed inspections.
 * As of: the session's stallcheck.as_of (the handheld's day, db_today),
 * else now.  Windows by day, as core/score counts them: a day d is inside
 * "the last M months" of day t when t - M months < d <= t. */
static const char district_lists_view[] =
    "CREATE OR REPLACE VIEW district_lists AS "
    "WITH p AS ("
    "  SELECT coalesce(nullif(current_setting('stallcheck.as_of', true), '')::date,"
    "                  current_date) AS as_of,"
    "    max(value) FILTER (WHERE key = 'base') AS base,"
    "    max(value) FILTER (WHERE key = 'window_months') AS window_months,"
    "    max(value) FILTER (WHERE key = 'black_months') AS black_months,"
    "    max(value) FILTER (WHERE key = 'black_below') AS black_below,"
    "    max(value) FILTER (WHERE key = 'red_months') AS red_months,"
    "    max(value) FILTER (WHERE key = 'red_min_inspections') AS red_min_inspections,"
    "    max(value) FILTER (WHERE key = 'red_min_score') AS red_min_score"
    "  FROM district_rules),"
    " ins AS ("
    "  SELECT i.id, i.stall, i.started_at, left(i.started_at, 10)::date AS day"
    "  FROM inspections i, p"
    "  WHERE i.status = 'committed' AND left(i.started_at, 10)::date <= p.as_of),"
    /* Failed items: a failed answer, or a short re-weigh as the item
     * "reweigh" (once, however it was also answered: core/score.c). */
    " fails AS ("
    "  SELECT DISTINCT ins.stall, ins.id, ins.started_at, ins.day, f.item FROM ins"
    "  JOIN findings f ON f.inspection = ins.id"
    "  WHERE f.answer IN ('fail', 'broken', 'missing')"
    "  UNION"
    "  SELECT ins.stall, ins.id, ins.started_at, ins.day, 'reweigh' FROM ins"
    "  JOIN reweighs r ON r.inspection = ins.id WHERE r.verdict = 'fail'),"
    /* Passed items (fixed, for a follow-up): pass, intact, not sealable;
     * re-weighs made and none short; never an item failed in the same
     * inspection. */
    " passes AS ("
    "  SELECT x.* FROM ("
    "    SELECT ins.stall, ins.id, ins.started_at, f.item FROM ins"
    "    JOIN findings f ON f.inspection = ins.id"
    "    WHERE f.answer IN ('pass', 'intact', 'not-sealable')"
    "    UNION"
    "    SELECT ins.stall, ins.id, ins.started_at, 'reweigh' FROM ins"
    "    WHERE EXISTS (SELECT 1 FROM reweighs r WHERE r.inspection = ins.id)) x"
    "  WHERE NOT EXISTS (SELECT 1 FROM fails fa WHERE fa.id = x.id AND fa.item = x.item)),"
    /* A follow-up (限期整改) stays open from a failed item until a later
     * inspection finds the item passing. */
    " openfu AS ("
    "  SELECT DISTINCT fa.stall FROM fails fa WHERE NOT EXISTS ("
    "    SELECT 1 FROM passes ps WHERE ps.stall = fa.stall AND ps.item = fa.item"
    "    AND ps.started_at > fa.started_at)),"
    " ded AS ("
    "  SELECT fa.stall, sum(ir.points) AS points FROM fails fa"
    "  JOIN district_item_rules ir ON ir.item = fa.item, p"
    "  WHERE fa.day > (p.as_of - make_interval(months => p.window_months))::date"
    "  GROUP BY fa.stall),"
    " blk AS ("
    "  SELECT DISTINCT fa.stall FROM fails fa"
    "  JOIN district_item_rules ir ON ir.item = fa.item, p"
    "  WHERE ir.black AND fa.day > (p.as_of - make_interval(months => p.black_months))::date),"
    " red AS ("
    "  SELECT ins.stall, count(*) AS n,"
    "    count(*) FILTER (WHERE EXISTS (SELECT 1 FROM fails fa WHERE fa.id = ins.id)) AS failed"
    "  FROM ins, p WHERE ins.day > (p.as_of - make_interval(months => p.red_months))::date"
    "  GROUP BY ins.stall),"
    " sc AS ("
    "  SELECT s.code AS stall, s.market,"
    "    greatest(0, p.base - coalesce(d.points, 0))::integer AS score,"
    "    b.stall IS NOT NULL AS black_item, o.stall IS NOT NULL AS open_followup,"
    "    coalesce(r.n, 0) AS recent, coalesce(r.failed, 0) AS recent_failed, p.*"
    "  FROM stalls s CROSS JOIN p LEFT JOIN ded d ON d.stall = s.code"
    "  LEFT JOIN blk b ON b.stall = s.code LEFT JOIN openfu o ON o.stall = s.code"
    "  LEFT JOIN red r ON r.stall = s.code)"
    "SELECT stall, market, score,"
    "  CASE WHEN black_item OR score < black_below THEN 'black'"
    "       WHEN recent >= red_min_inspections AND recent_failed = 0"
    "            AND score >= red_min_score AND NOT open_followup THEN 'red'"
    "       ELSE 'none' END AS list,"
    "  as_of::text AS as_of "
    "FROM sc";

/* ---- --init ------------------------------------------------------------- */

static int set_rules(PGconn *c, const struct rules *rules)
{
    struct rules defaults;
    if (!rules) {
        rules_default(&defaults);
        rules = &defaults;
    }
    const struct {
        const char *key;
        int value;
    } keys[] = {
        {"base", rules->base},
        {"window_months", rules->window_months},
        {"black_months", rules->black_months},
        {"black_below", rules->black_below},
        {"red_months", rules->red_months},
        {"red_min_inspections", rules->red_min_inspections},
        {"red_min_score", rules->red_min_score},
    };
    int rc;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        char v[16];
        snprintf(v, sizeof v, "%d", keys[i].value);
        const char *p[2] = {keys[i].key, v};
        PGresult *r = pg_query(c,
                               "INSERT INTO district_rules VALUES ($1, $2::integer) "
                               "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                               2, p, "rules", &rc);
        if (!r)
            return rc;
        PQclear(r);
    }
    size_t n;
    const struct checklist_item_info *items = checklist_items(&n);
    for (size_t i = 0; i < n; i++) {
        char pts[16];
        snprintf(pts, sizeof pts, "%d", rules_item_deduction(rules, items[i].item));
        const char *p[3] = {items[i].id, pts, rules_item_black(rules, items[i].item) ? "t" : "f"};
        PGresult *r = pg_query(c,
                               "INSERT INTO district_item_rules VALUES ($1, $2::integer, "
                               "$3::boolean) ON CONFLICT (item) DO UPDATE SET "
                               "points = EXCLUDED.points, black = EXCLUDED.black",
                               3, p, "rules", &rc);
        if (!r)
            return rc;
        PQclear(r);
    }
    return 0;
}

int sync_init(const char *url, const struct rules *rules)
{
    PGconn *c;
    int rc = pg_connect(url, &c);
    if (rc < 0)
        return rc;
    if ((rc = pg_exec(c, "BEGIN", "init")) < 0)
        goto out;
    /* Two handhelds initialising at once: one waits for the other. */
    if ((rc = pg_exec(c, "SELECT pg_advisory_xact_lock(7400051)", "init")) < 0)
        goto out;
    for (int i = 0; district_ddl[i]; i++)
        if ((rc = pg_exec(c, district_ddl[i], "init")) < 0)
            goto out;
    static const char *const stamped[] = {"markets", "operators", "stalls", "instruments",
                                          "weight_sets", "officers", NULL};
    for (int i = 0; stamped[i]; i++) {
        char sql[256];
        snprintf(sql, sizeof sql,
                 "CREATE OR REPLACE TRIGGER %s_xid BEFORE INSERT OR UPDATE ON %s "
                 "FOR EACH ROW EXECUTE FUNCTION stamp_xid()",
                 stamped[i], stamped[i]);
        if ((rc = pg_exec(c, sql, "init")) < 0)
            goto out;
    }
    if ((rc = pg_exec(c, district_lists_view, "init")) < 0 || (rc = set_rules(c, rules)) < 0)
        goto out;
    rc = pg_exec(c, "COMMIT", "init");
out:
    PQfinish(c);
    return rc;
}

/* ---- COPY buffers -------------------------------------------------------- */

struct cbuf {
    char *p;
    size_t len, cap;
    int oom;
};

static void cb_add(struct cbuf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void cb_str(struct cbuf *b, const char *s)
{
    cb_add(b, s, strlen(s));
}

/* One SQLite column in COPY's text format: \N for NULL, backslash escapes
 * for text, bytea as \\x + hex. */
static void cb_column(struct cbuf *b, sqlite3_stmt *st, int i)
{
    static const char hex[] = "0123456789abcdef";
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_NULL:
        cb_str(b, "\\N");
        return;
    case SQLITE_INTEGER: {
        char num[24];
        snprintf(num, sizeof num, "%lld", (long long)sqlite3_column_int64(st, i));
        cb_str(b, num);
        return;
    }
    case SQLITE_BLOB: {
        const unsigned char *p = sqlite3_column_blob(st, i);
        int n = sqlite3_column_bytes(st, i);
        cb_str(b, "\\\\x");
        for (int k = 0; k < n; k++) {
            char h[2] = {hex[p[k] >> 4], hex[p[k] & 15]};
            cb_add(b, h, 2);
        }
        return;
    }
    default: {
        const unsigned char *t = sqlite3_column_text(st, i);
        int n = sqlite3_column_bytes(st, i);
        int start = 0;
        for (int k = 0; k < n; k++) {
            const char *esc = NULL;
            switch (t[k]) {
            case '\\': esc = "\\\\"; break;
            case '\n': esc = "\\n"; break;
            case '\r': esc = "\\r"; break;
            case '\t': esc = "\\t"; break;
            default: break;
            }
            if (esc) {
                cb_add(b, (const char *)t + start, (size_t)(k - start));
                cb_str(b, esc);
                start = k + 1;
            }
        }
        cb_add(b, (const char *)t + start, (size_t)(n - start));
        return;
    }
    }
}

/* Appends every row of a stepped statement as COPY lines; rows added. */
static int cb_rows(struct db *db, struct cbuf *b, sqlite3_stmt *st)
{
    int rc, n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int cols = sqlite3_column_count(st);
        for (int i = 0; i < cols; i++) {
            if (i)
                cb_add(b, "\t", 1);
            cb_column(b, st, i);
        }
        cb_add(b, "\n", 1);
        n++;
    }
    db_done(st);
    if (rc != SQLITE_DONE)
        return db_fail(db, "sync");
    return b->oom ? sc_error_set(SC_ERR_NOMEM, "sync: batch buffer") : n;
}

/* ---- push ---------------------------------------------------------------- */

#define COLS_INSPECTIONS "id, stall, market, officer1, officer2, draw, started_at, ended_at, " \
                         "status, device, place, note"
#define COLS_FINDINGS "inspection, item, answer, note, deadline"
#define COLS_MEASUREMENTS "id, inspection, calibration, instrument, taken_at, driver, raw, " \
                          "value, unit, value_ug, stable"
#define COLS_REWEIGHS "id, inspection, seq, goods, category, declared_ug, measured_ug, " \
                      "unit_price_fen, allowed_ug, shortfall_ug, money_short_fen, verdict, " \
                      "method, reference_instrument, weight_set, measurement"
#define COLS_CALIBRATIONS "id, instrument, weight_set, officer, started_at, ended_at, status, " \
                          "temperature, verdict, certificate_no, next_due, device, note"
#define COLS_STEPS "calibration, seq, test, position, load_ug, indication_ug, added_ug, " \
                   "error_ug, mpe_ug, pass, measurement"
#define COLS_DRAWS "id, made_at, made_by, market, seed, inputs, result, device"
#define COLS_DRAW_STALLS "draw, seq, stall, followup"
#define COLS_DRAW_OFFICERS "draw, seq, badge"
#define COLS_AUDIT "device, seq, id, at, kind, record, content_hash, prev_hash, hash"

/* The district tables a push writes, parents before children.  select reads
 * one record's rows from SQLite (?1 = the record's id). */
enum { T_AUDIT, T_DRAWS, T_DRAW_STALLS, T_DRAW_OFFICERS, T_INSPECTIONS, T_CALIBRATIONS,
       T_FINDINGS, T_REWEIGHS, T_STEPS, T_MEASUREMENTS, T_COUNT };

static const struct push_table {
    const char *name, *cols, *select;
} push_tables[T_COUNT] = {
    [T_AUDIT] = {"audit_log", COLS_AUDIT, NULL},
    [T_DRAWS] = {"draws", COLS_DRAWS, "SELECT " COLS_DRAWS " FROM draws WHERE id = ?1"},
    [T_DRAW_STALLS] = {"draw_stalls", COLS_DRAW_STALLS,
                       "SELECT " COLS_DRAW_STALLS " FROM draw_stalls WHERE draw = ?1"},
    [T_DRAW_OFFICERS] = {"draw_officers", COLS_DRAW_OFFICERS,
                         "SELECT " COLS_DRAW_OFFICERS " FROM draw_officers WHERE draw = ?1"},
    [T_INSPECTIONS] = {"inspections", COLS_INSPECTIONS,
                       "SELECT " COLS_INSPECTIONS " FROM inspections "
                       "WHERE id = ?1 AND status = 'committed'"},
    [T_CALIBRATIONS] = {"calibrations", COLS_CALIBRATIONS,
                        "SELECT " COLS_CALIBRATIONS " FROM calibrations "
                        "WHERE id = ?1 AND status = 'committed'"},
    [T_FINDINGS] = {"findings", COLS_FINDINGS,
                    "SELECT " COLS_FINDINGS " FROM findings WHERE inspection = ?1"},
    [T_REWEIGHS] = {"reweighs", COLS_REWEIGHS,
                    "SELECT " COLS_REWEIGHS " FROM reweighs WHERE inspection = ?1"},
    [T_STEPS] = {"calibration_steps", COLS_STEPS,
                 "SELECT " COLS_STEPS " FROM calibration_steps WHERE calibration = ?1"},
    [T_MEASUREMENTS] = {"measurements", COLS_MEASUREMENTS, NULL},
};

static const char sql_meas_by_inspection[] =
    "SELECT " COLS_MEASUREMENTS " FROM measurements WHERE inspection = ?1";
static const char sql_meas_by_calibration[] =
    "SELECT " COLS_MEASUREMENTS " FROM measurements WHERE calibration = ?1";

struct batch {
    struct cbuf rows[T_COUNT];
    int64_t first_seq, last_seq, entries;
    int64_t sent[T_COUNT];
};

static void batch_reset(struct batch *b)
{
    for (int t = 0; t < T_COUNT; t++) {
        b->rows[t].len = 0;
        b->rows[t].oom = 0;
        b->sent[t] = 0;
    }
    b->first_seq = b->last_seq = b->entries = 0;
}

static void batch_free(struct batch *b)
{
    for (int t = 0; t < T_COUNT; t++)
        free(b->rows[t].p);
}

static int add_record(struct db *db, struct batch *b, int table, const char *sql,
                      const char *id)
{
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st)
        return SC_ERR_DB;
    db_bind_text(st, 1, id);
    int n = cb_rows(db, &b->rows[table], st);
    if (n < 0)
        return n;
    b->sent[table] += n;
    return n;
}

/* Reads the next batch of audit entries after seq, with their records. */
static int batch_fill(struct db *db, struct batch *b, int64_t after, int limit)
{
    batch_reset(b);
    /* Entries first, in one read; their records after (no statement open
     * across another's steps). */
    sqlite3_stmt *st = db_stmt(db, "SELECT " COLS_AUDIT " FROM audit_log WHERE seq > ?1 "
                                   "ORDER BY seq LIMIT ?2");
    if (!st)
        return SC_ERR_DB;
    sqlite3_bind_int64(st, 1, after);
    sqlite3_bind_int(st, 2, limit);
    struct rec {
        int kind;
        char id[72];
    } *recs = malloc((size_t)limit * sizeof *recs);
    if (!recs) {
        db_done(st);
        return sc_error_set(SC_ERR_NOMEM, "sync: batch");
    }
    size_t nrec = 0;
    int rc;
    struct cbuf *a = &b->rows[T_AUDIT];
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (int i = 0; i < 9; i++) {
            if (i)
                cb_add(a, "\t", 1);
            cb_column(a, st, i);
        }
        cb_add(a, "\n", 1);
        int64_t seq = sqlite3_column_int64(st, 1);
        if (!b->first_seq)
            b->first_seq = seq;
        b->last_seq = seq;
        b->entries++;
        const char *kind = (const char *)sqlite3_column_text(st, 4);
        int k = !kind ? -1
              : strcmp(kind, "inspection") == 0 ? T_INSPECTIONS
              : strcmp(kind, "calibration") == 0 ? T_CALIBRATIONS
              : strcmp(kind, "draw") == 0 ? T_DRAWS : -1;
        if (k >= 0) {
            recs[nrec].kind = k;
            db_col_text(st, 5, recs[nrec].id, sizeof recs[nrec].id);
            nrec++;
        }
    }
    db_done(st);
    b->sent[T_AUDIT] = b->entries;
    if (rc != SQLITE_DONE) {
        free(recs);
        return db_fail(db, "sync");
    }
    rc = 0;
    for (size_t i = 0; i < nrec && rc >= 0; i++) {
        const char *id = recs[i].id;
        switch (recs[i].kind) {
        case T_INSPECTIONS:
            if ((rc = add_record(db, b, T_INSPECTIONS, push_tables[T_INSPECTIONS].select, id)) > 0 &&
                (rc = add_record(db, b, T_FINDINGS, push_tables[T_FINDINGS].select, id)) >= 0 &&
                (rc = add_record(db, b, T_REWEIGHS, push_tables[T_REWEIGHS].select, id)) >= 0)
                rc = add_record(db, b, T_MEASUREMENTS, sql_meas_by_inspection, id);
            break;
        case T_CALIBRATIONS:
            if ((rc = add_record(db, b, T_CALIBRATIONS, push_tables[T_CALIBRATIONS].select, id)) > 0 &&
                (rc = add_record(db, b, T_STEPS, push_tables[T_STEPS].select, id)) >= 0)
                rc = add_record(db, b, T_MEASUREMENTS, sql_meas_by_calibration, id);
            break;
        case T_DRAWS:
            if ((rc = add_record(db, b, T_DRAWS, push_tables[T_DRAWS].select, id)) > 0 &&
                (rc = add_record(db, b, T_DRAW_STALLS, push_tables[T_DRAW_STALLS].select, id)) >= 0)
                rc = add_record(db, b, T_DRAW_OFFICERS, push_tables[T_DRAW_OFFICERS].select, id);
            break;
        }
    }
    free(recs);
    return rc < 0 ? rc : (int)b->entries;
}

/* Session-long staging tables: COPY goes there, then one INSERT ... SELECT
 * ... ON CONFLICT DO NOTHING per table moves what is new. */
static int stage_create(PGconn *c)
{
    for (int t = 0; t < T_COUNT; t++) {
        char sql[200];
        snprintf(sql, sizeof sql,
                 "CREATE TEMP TABLE stage_%s (LIKE %s INCLUDING DEFAULTS) ON COMMIT DELETE ROWS",
                 push_tables[t].name, push_tables[t].name);
        int rc = pg_exec(c, sql, "push");
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int copy_rows(PGconn *c, int t, const struct cbuf *b)
{
    char sql[512];
    snprintf(sql, sizeof sql, "COPY stage_%s (%s) FROM STDIN", push_tables[t].name,
             push_tables[t].cols);
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_COPY_IN)
        return pg_fail(c, r, "push");
    PQclear(r);
    if (PQputCopyData(c, b->p, (int)b->len) != 1 || PQputCopyEnd(c, NULL) != 1)
        return pg_fail(c, NULL, "push");
    r = PQgetResult(c);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        return pg_fail(c, r, "push");
    PQclear(r);
    while ((r = PQgetResult(c)) != NULL)
        PQclear(r);
    return 0;
}

/* Test hook: $STALLCHECK_SYNC_DIE_AFTER_COMMIT=K ends the process right
 * after the district commits the K-th batch, before the local bookkeeping:
 * the one moment a cut could double a record if the push were not
 * idempotent. */
static void die_after_commit(int64_t batches)
{
    const char *k = getenv("STALLCHECK_SYNC_DIE_AFTER_COMMIT");
    if (k && *k && atoll(k) == batches)
        _exit(9);
}

static int batch_send(PGconn *c, struct batch *b, int64_t new_rows[T_COUNT])
{
    int rc;
    if ((rc = pg_exec(c, "BEGIN", "push")) < 0)
        return rc;
    for (int t = 0; t < T_COUNT; t++)
        if (b->rows[t].len && (rc = copy_rows(c, t, &b->rows[t])) < 0)
            return rc;
    /* This device's entries already on the district must be these entries:
     * a different hash means this database was altered after it pushed. */
    int err;
    PGresult *r = pg_query(c,
                           "SELECT s.seq, s.kind, s.record FROM stage_audit_log s "
                           "JOIN audit_log a USING (device, seq) "
                           "WHERE (a.id, a.at, a.kind, a.record, a.content_hash, a.prev_hash, "
                           "a.hash) IS DISTINCT FROM (s.id, s.at, s.kind, s.record, "
                           "s.content_hash, s.prev_hash, s.hash) "
                           "ORDER BY s.seq LIMIT 1",
                           0, NULL, "push", &err);
    if (!r)
        return err;
    if (PQntuples(r) > 0) {
        rc = sc_error_set(SC_ERR_INCONSISTENT,
                          "audit entry %s (%s %s) differs from the copy the district "
                          "received: this database was altered or restored; nothing pushed",
                          PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1), PQgetvalue(r, 0, 2));
        PQclear(r);
        pg_exec(c, "ROLLBACK", "push");
        return rc;
    }
    PQclear(r);
    for (int t = 0; t < T_COUNT; t++) {
        new_rows[t] = 0;
        if (!b->rows[t].len)
            continue;
        char sql[1200];
        snprintf(sql, sizeof sql,
                 "INSERT INTO %s (%s) SELECT %s FROM stage_%s ON CONFLICT DO NOTHING",
                 push_tables[t].name, push_tables[t].cols, push_tables[t].cols,
                 push_tables[t].name);
        r = PQexec(c, sql);
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
            return pg_fail(c, r, "push");
        new_rows[t] = atoll(PQcmdTuples(r));
        PQclear(r);
    }
    return pg_exec(c, "COMMIT", "push");
}

static int remote_get(struct db *db, const char *name, const char *where, int64_t *pushed)
{
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO sync_remotes (name, conninfo) VALUES (?1, ?2) "
                                   "ON CONFLICT (name) DO UPDATE SET conninfo = ?2");
    if (!st)
        return SC_ERR_DB;
    db_bind_text(st, 1, name);
    db_bind_text(st, 2, where);
    int rc = db_step_done(db, st, "sync");
    if (rc < 0)
        return rc;
    st = db_stmt(db, "SELECT pushed_seq FROM sync_remotes WHERE name = ?1");
    if (!st)
        return SC_ERR_DB;
    db_bind_text(st, 1, name);
    rc = sqlite3_step(st);
    *pushed = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    db_done(st);
    return rc == SQLITE_ROW ? 0 : db_fail(db, "sync");
}

static int remote_set_pushed(struct db *db, const char *name, int64_t seq)
{
    char now[24];
    db_now(now, sizeof now);
    /* max(): two syncs of one handheld at once never move the mark back. */
    sqlite3_stmt *st = db_stmt(db, "UPDATE sync_remotes SET pushed_seq = max(pushed_seq, ?2), "
                                   "pushed_at = ?3 WHERE name = ?1");
    if (!st)
        return SC_ERR_DB;
    db_bind_text(st, 1, name);
    sqlite3_bind_int64(st, 2, seq);
    db_bind_text(st, 3, now);
    return db_step_done(db, st, "sync");
}

static int push(struct db *db, PGconn *c, const char *remote, int batch_size,
                struct sync_stats *stats)
{
    int64_t pushed;
    int rc;
    if ((rc = db_begin(db)) < 0)
        return rc;
    char where[200];
    snprintf(where, sizeof where, "%s:%s/%s", PQhost(c), PQport(c), PQdb(c));
    if ((rc = remote_get(db, remote, where, &pushed)) < 0) {
        db_rollback(db);
        return rc;
    }
    if ((rc = db_commit(db)) < 0)
        return rc;
    if ((rc = stage_create(c)) < 0)
        return rc;
    struct batch b;
    memset(&b, 0, sizeof b);
    for (;;) {
        int n = batch_fill(db, &b, pushed, batch_size);
        if (n <= 0) {
            rc = n;
            break;
        }
        int64_t fresh[T_COUNT];
        if ((rc = batch_send(c, &b, fresh)) < 0)
            break;
        stats->batches++;
        die_after_commit(stats->batches);
        /* The district has committed: now, and only now, move the mark. */
        if ((rc = db_begin(db)) < 0)
            break;
        if ((rc = remote_set_pushed(db, remote, b.last_seq)) < 0) {
            db_rollback(db);
            break;
        }
        if ((rc = db_commit(db)) < 0)
            break;
        pushed = b.last_seq;
        stats->entries += b.entries;
        stats->inspections_sent += b.sent[T_INSPECTIONS];
        stats->inspections_new += fresh[T_INSPECTIONS];
        stats->calibrations_sent += b.sent[T_CALIBRATIONS];
        stats->calibrations_new += fresh[T_CALIBRATIONS];
        stats->draws_sent += b.sent[T_DRAWS];
        stats->draws_new += fresh[T_DRAWS];
    }
    stats->pushed_seq = pushed;
    batch_free(&b);
    return rc;
}

/* ---- push the registry (admin) ------------------------------------------ */

static const struct {
    const char *table, *select, *cols, *key, *update;
} registry_tables[] = {
    {"markets", "SELECT code, name, district, address, organiser FROM markets ORDER BY code",
     "code, name, district, address, organiser", "code",
     "name = EXCLUDED.name, district = EXCLUDED.district, address = EXCLUDED.address, "
     "organiser = EXCLUDED.organiser"},
    {"operators", "SELECT licence, name, phone FROM operators ORDER BY licence",
     "licence, name, phone", "licence", "name = EXCLUDED.name, phone = EXCLUDED.phone"},
    {"stalls",
     "SELECT code, market, name, category, operator, active FROM stalls ORDER BY code",
     "code, market, name, category, operator, active", "code",
     "market = EXCLUDED.market, name = EXCLUDED.name, category = EXCLUDED.category, "
     "operator = EXCLUDED.operator, active = EXCLUDED.active"},
    {"instruments",
     "SELECT code, kind, market, stall, maker, model, serial, class, max_ug, min_ug, e_ug, "
     "d_ug, mark_no, seal_no, last_verified, due, protocol, conn, active FROM instruments "
     "ORDER BY code",
     "code, kind, market, stall, maker, model, serial, class, max_ug, min_ug, e_ug, d_ug, "
     "mark_no, seal_no, last_verified, due, protocol, conn, active", "code",
     "kind = EXCLUDED.kind, market = EXCLUDED.market, stall = EXCLUDED.stall, "
     "maker = EXCLUDED.maker, model = EXCLUDED.model, serial = EXCLUDED.serial, "
     "class = EXCLUDED.class, max_ug = EXCLUDED.max_ug, min_ug = EXCLUDED.min_ug, "
     "e_ug = EXCLUDED.e_ug, d_ug = EXCLUDED.d_ug, mark_no = EXCLUDED.mark_no, "
     "seal_no = EXCLUDED.seal_no, last_verified = EXCLUDED.last_verified, "
     "due = EXCLUDED.due, protocol = EXCLUDED.protocol, conn = EXCLUDED.conn, "
     "active = EXCLUDED.active"},
    {"weight_sets",
     "SELECT code, name, class, market, certificate_no, calibration_due FROM weight_sets "
     "ORDER BY code",
     "code, name, class, market, certificate_no, calibration_due", "code",
     "name = EXCLUDED.name, class = EXCLUDED.class, market = EXCLUDED.market, "
     "certificate_no = EXCLUDED.certificate_no, calibration_due = EXCLUDED.calibration_due"},
    {"weight_set_items",
     "SELECT weight_set, nominal_ug, count, error_ug FROM weight_set_items "
     "ORDER BY weight_set, nominal_ug",
     "weight_set, nominal_ug, count, error_ug", "weight_set, nominal_ug",
     "count = EXCLUDED.count, error_ug = EXCLUDED.error_ug"},
    {"officers",
     "SELECT badge, name, role, pin_hash, market, active FROM officers ORDER BY badge",
     "badge, name, role, pin_hash, market, active", "badge",
     "name = EXCLUDED.name, role = EXCLUDED.role, pin_hash = EXCLUDED.pin_hash, "
     "market = EXCLUDED.market, active = EXCLUDED.active"},
    {"officer_recusals",
     "SELECT badge, market, reason FROM officer_recusals ORDER BY badge, market",
     "badge, market, reason", "badge, market", "reason = EXCLUDED.reason"},
};
#define N_REGISTRY (sizeof registry_tables / sizeof registry_tables[0])

/* The whole local registry up, in one transaction: rows that differ are
 * updated (and so stamped for other handhelds' pulls), equal rows are left
 * alone.  Children (weight-set items, recusals) that changed touch their
 * parent, so a pull of the parent brings them. */
static int push_registry(struct db *db, PGconn *c, struct sync_stats *stats)
{
    int rc;
    if ((rc = pg_exec(c, "BEGIN", "registry")) < 0)
        return rc;
    for (size_t t = 0; t < N_REGISTRY; t++) {
        char sql[1400];
        snprintf(sql, sizeof sql,
                 "CREATE TEMP TABLE IF NOT EXISTS stage_reg_%s (LIKE %s INCLUDING DEFAULTS) ON COMMIT DROP",
                 registry_tables[t].table, registry_tables[t].table);
        if ((rc = pg_exec(c, sql, "registry")) < 0)
            return rc;
        struct cbuf b = {0};
        sqlite3_stmt *st = db_stmt(db, registry_tables[t].select);
        if (!st)
            return SC_ERR_DB;
        int n = cb_rows(db, &b, st);
        if (n < 0) {
            free(b.p);
            return n;
        }
        if (n > 0) {
            snprintf(sql, sizeof sql, "COPY stage_reg_%s (%s) FROM STDIN",
                     registry_tables[t].table, registry_tables[t].cols);
            PGresult *r = PQexec(c, sql);
            if (PQresultStatus(r) != PGRES_COPY_IN) {
                free(b.p);
                return pg_fail(c, r, "registry");
            }
            PQclear(r);
            int ok = PQputCopyData(c, b.p, (int)b.len) == 1 && PQputCopyEnd(c, NULL) == 1;
            free(b.p);
            if (!ok)
                return pg_fail(c, NULL, "registry");
            r = PQgetResult(c);
            if (PQresultStatus(r) != PGRES_COMMAND_OK)
                return pg_fail(c, r, "registry");
            PQclear(r);
            while ((r = PQgetResult(c)) != NULL)
                PQclear(r);
        } else {
            free(b.p);
        }
        /* Update only rows that differ (IS DISTINCT FROM over the pushed
         * columns): an equal row keeps its stamp, so pulls skip it. */
        char lhs[600] = "", rhs[600] = "";
        const char *cols = registry_tables[t].cols;
        while (*cols) {
            size_t len = strcspn(cols, ",");
            char col[64];
            snprintf(col, sizeof col, "%.*s", (int)len, cols);
            size_t o = strlen(lhs);
            snprintf(lhs + o, sizeof lhs - o, "%sd.%s", o ? ", " : "", col);
            o = strlen(rhs);
            snprintf(rhs + o, sizeof rhs - o, "%sEXCLUDED.%s", o ? ", " : "", col);
            cols += len;
            while (*cols == ',' || *cols == ' ')
                cols++;
        }
        snprintf(sql, sizeof sql,
                 "INSERT INTO %s AS d (%s) SELECT %s FROM stage_reg_%s "
                 "ON CONFLICT (%s) DO UPDATE SET %s WHERE (%s) IS DISTINCT FROM (%s)",
                 registry_tables[t].table, registry_tables[t].cols, registry_tables[t].cols,
                 registry_tables[t].table, registry_tables[t].key, registry_tables[t].update,
                 lhs, rhs);
        PGresult *r = PQexec(c, sql);
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
            return pg_fail(c, r, "registry");
        int64_t written = atoll(PQcmdTuples(r));
        PQclear(r);
        stats->registry_pushed += written;
        /* Children written: stamp their parents anew. */
        const char *touch = NULL;
        if (strcmp(registry_tables[t].table, "weight_set_items") == 0 && written)
            touch = "UPDATE weight_sets SET code = code WHERE code IN "
                    "(SELECT weight_set FROM stage_reg_weight_set_items)";
        if (strcmp(registry_tables[t].table, "officer_recusals") == 0 && written)
            touch = "UPDATE officers SET badge = badge WHERE badge IN "
                    "(SELECT badge FROM stage_reg_officer_recusals)";
        if (touch && (rc = pg_exec(c, touch, "registry")) < 0)
            return rc;
    }
    return pg_exec(c, "COMMIT", "registry");
}

/* ---- pull ---------------------------------------------------------------- */

static void copy_field(PGresult *r, int row, int col, char *out, size_t size)
{
    snprintf(out, size, "%s", PQgetisnull(r, row, col) ? "" : PQgetvalue(r, row, col));
}

static int pull_officers(struct db *db, PGresult *r, PGresult *rec, int64_t *changed)
{
    for (int i = 0; i < PQntuples(r); i++) {
        const char *badge = PQgetvalue(r, i, 0);
        /* Only the district's columns: sign-in failures and locks are this
         * handheld's own bookkeeping. */
        sqlite3_stmt *st = db_stmt(
            db, "INSERT INTO officers (badge, name, role, pin_hash, market, active, updated_at) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (badge) DO UPDATE SET "
                "name = ?2, role = ?3, pin_hash = ?4, market = ?5, active = ?6, updated_at = ?7 "
                "WHERE (name, role, pin_hash, market, active) IS NOT (?2, ?3, ?4, ?5, ?6)");
        if (!st)
            return SC_ERR_DB;
        char now[24];
        db_now(now, sizeof now);
        db_bind_text(st, 1, badge);
        db_bind_text(st, 2, PQgetvalue(r, i, 1));
        db_bind_text(st, 3, PQgetvalue(r, i, 2));
        db_bind_text(st, 4, PQgetvalue(r, i, 3));
        db_bind_text_or_null(st, 5, PQgetisnull(r, i, 4) ? NULL : PQgetvalue(r, i, 4));
        sqlite3_bind_int(st, 6, atoi(PQgetvalue(r, i, 5)));
        db_bind_text(st, 7, now);
        int rc = db_step_done(db, st, "sync: officer");
        if (rc < 0)
            return rc;
        int touched = sqlite3_changes(db_sqlite(db)) > 0;
        /* Recusals: the district's set replaces ours when it differs. */
        char have[4096] = "", want[4096] = "";
        st = db_stmt(db, "SELECT market, reason FROM officer_recusals WHERE badge = ?1 "
                         "ORDER BY market");
        if (!st)
            return SC_ERR_DB;
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
                return SC_ERR_DB;
            db_bind_text(st, 1, badge);
            if ((rc = db_step_done(db, st, "sync: recusals")) < 0)
                return rc;
            for (int k = 0; k < PQntuples(rec); k++) {
                if (strcmp(PQgetvalue(rec, k, 0), badge) != 0)
                    continue;
                st = db_stmt(db, "INSERT INTO officer_recusals (badge, market, reason) "
                                 "VALUES (?1, ?2, ?3)");
                if (!st)
                    return SC_ERR_DB;
                db_bind_text(st, 1, badge);
                db_bind_text(st, 2, PQgetvalue(rec, k, 1));
                db_bind_text(st, 3, PQgetvalue(rec, k, 2));
                if ((rc = db_step_done(db, st, "sync: recusals")) < 0)
                    return rc;
            }
            touched = 1;
        }
        if (touched) {
            int64_t seq = audit_append(db, "officer", badge);
            if (seq < 0)
                return (int)seq;
            ++*changed;
        }
    }
    return 0;
}

static int count_put(int rc, int64_t *changed)
{
    if (rc > 0)
        ++*changed;
    return rc < 0 ? rc : 0;
}

static int pull_registry(struct db *db, PGconn *c, const char *remote, struct sync_stats *stats)
{
    char key[96], since[32] = "0";
    snprintf(key, sizeof key, "sync.%s.pull_xmin", remote);
    if (db_setting_get(db, key, since, sizeof since) < 0)
        snprintf(since, sizeof since, "0");
    int rc;
    if ((rc = pg_exec(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "pull")) < 0)
        return rc;
    PGresult *xr = pg_query(c, "SELECT pg_snapshot_xmin(pg_current_snapshot())::text", 0, NULL,
                            "pull", &rc);
    if (!xr)
        return rc;
    char xmin[32];
    copy_field(xr, 0, 0, xmin, sizeof xmin);
    PQclear(xr);
    const char *p[1] = {since};
    static const char *const queries[] = {
        "SELECT code, name, district, address, organiser FROM markets WHERE xid >= $1::bigint "
        "ORDER BY code",
        "SELECT licence, name, phone FROM operators WHERE xid >= $1::bigint ORDER BY licence",
        "SELECT code, market, name, category, operator, active FROM stalls "
        "WHERE xid >= $1::bigint ORDER BY code",
        "SELECT code, kind, market, stall, maker, model, serial, class, max_ug, min_ug, e_ug, "
        "d_ug, mark_no, seal_no, last_verified, due, protocol, conn, active FROM instruments "
        "WHERE xid >= $1::bigint ORDER BY code",
        "SELECT code, name, class, market, certificate_no, calibration_due FROM weight_sets "
        "WHERE xid >= $1::bigint ORDER BY code",
        "SELECT i.weight_set, i.nominal_ug, i.count, i.error_ug FROM weight_set_items i "
        "JOIN weight_sets w ON w.code = i.weight_set WHERE w.xid >= $1::bigint "
        "ORDER BY i.weight_set, i.nominal_ug",
        "SELECT badge, name, role, pin_hash, market, active FROM officers "
        "WHERE xid >= $1::bigint ORDER BY badge",
        "SELECT r.badge, r.market, r.reason FROM officer_recusals r "
        "JOIN officers o ON o.badge = r.badge WHERE o.xid >= $1::bigint "
        "ORDER BY r.badge, r.market",
    };
    enum { Q_MARKETS, Q_OPERATORS, Q_STALLS, Q_INSTRUMENTS, Q_SETS, Q_ITEMS, Q_OFFICERS,
           Q_RECUSALS, Q_N };
    PGresult *res[Q_N] = {0};
    for (int q = 0; q < Q_N; q++)
        if (!(res[q] = pg_query(c, queries[q], 1, p, "pull", &rc)))
            goto out;
    if ((rc = pg_exec(c, "COMMIT", "pull")) < 0)
        goto out;

    if ((rc = db_begin(db)) < 0)
        goto out;
    int64_t *chg = &stats->registry_pulled;
    for (int i = 0; i < PQntuples(res[Q_MARKETS]) && rc >= 0; i++) {
        struct market m = {0};
        PGresult *r = res[Q_MARKETS];
        copy_field(r, i, 0, m.code, sizeof m.code);
        copy_field(r, i, 1, m.name, sizeof m.name);
        copy_field(r, i, 2, m.district, sizeof m.district);
        copy_field(r, i, 3, m.address, sizeof m.address);
        copy_field(r, i, 4, m.organiser, sizeof m.organiser);
        rc = count_put(registry_put_market(db, &m), chg);
    }
    for (int i = 0; i < PQntuples(res[Q_OPERATORS]) && rc >= 0; i++) {
        struct stall_operator o = {0};
        PGresult *r = res[Q_OPERATORS];
        copy_field(r, i, 0, o.licence, sizeof o.licence);
        copy_field(r, i, 1, o.name, sizeof o.name);
        copy_field(r, i, 2, o.phone, sizeof o.phone);
        rc = count_put(registry_put_operator(db, &o), chg);
    }
    for (int i = 0; i < PQntuples(res[Q_STALLS]) && rc >= 0; i++) {
        struct stall s = {0};
        PGresult *r = res[Q_STALLS];
        copy_field(r, i, 0, s.code, sizeof s.code);
        copy_field(r, i, 1, s.market, sizeof s.market);
        copy_field(r, i, 2, s.name, sizeof s.name);
        copy_field(r, i, 3, s.category, sizeof s.category);
        copy_field(r, i, 4, s.operator_licence, sizeof s.operator_licence);
        s.active = atoi(PQgetvalue(r, i, 5));
        rc = count_put(registry_put_stall(db, &s), chg);
    }
    for (int i = 0; i < PQntuples(res[Q_INSTRUMENTS]) && rc >= 0; i++) {
        struct instrument in = {0};
        PGresult *r = res[Q_INSTRUMENTS];
        copy_field(r, i, 0, in.code, sizeof in.code);
        copy_field(r, i, 1, in.kind, sizeof in.kind);
        copy_field(r, i, 2, in.market, sizeof in.market);
        copy_field(r, i, 3, in.stall, sizeof in.stall);
        copy_field(r, i, 4, in.maker, sizeof in.maker);
        copy_field(r, i, 5, in.model, sizeof in.model);
        copy_field(r, i, 6, in.serial, sizeof in.serial);
        copy_field(r, i, 7, in.cls, sizeof in.cls);
        in.max_ug = atoll(PQgetvalue(r, i, 8));
        in.min_ug = atoll(PQgetvalue(r, i, 9));
        in.e_ug = atoll(PQgetvalue(r, i, 10));
        in.d_ug = atoll(PQgetvalue(r, i, 11));
        copy_field(r, i, 12, in.mark_no, sizeof in.mark_no);
        copy_field(r, i, 13, in.seal_no, sizeof in.seal_no);
        copy_field(r, i, 14, in.last_verified, sizeof in.last_verified);
        copy_field(r, i, 15, in.due, sizeof in.due);
        copy_field(r, i, 16, in.protocol, sizeof in.protocol);
        copy_field(r, i, 17, in.conn, sizeof in.conn);
        in.active = atoi(PQgetvalue(r, i, 18));
        rc = count_put(registry_put_instrument(db, &in), chg);
    }
    for (int i = 0; i < PQntuples(res[Q_SETS]) && rc >= 0; i++) {
        struct weight_set ws;
        memset(&ws, 0, sizeof ws);
        PGresult *r = res[Q_SETS], *it = res[Q_ITEMS];
        copy_field(r, i, 0, ws.code, sizeof ws.code);
        copy_field(r, i, 1, ws.name, sizeof ws.name);
        copy_field(r, i, 2, ws.cls, sizeof ws.cls);
        copy_field(r, i, 3, ws.market, sizeof ws.market);
        copy_field(r, i, 4, ws.certificate_no, sizeof ws.certificate_no);
        copy_field(r, i, 5, ws.calibration_due, sizeof ws.calibration_due);
        for (int k = 0; k < PQntuples(it) && ws.nitems < WEIGHT_SET_MAX_ITEMS; k++) {
            if (strcmp(PQgetvalue(it, k, 0), ws.code) != 0)
                continue;
            struct weight_item *w = &ws.items[ws.nitems++];
            w->nominal_ug = atoll(PQgetvalue(it, k, 1));
            w->count = atoi(PQgetvalue(it, k, 2));
            w->has_error = !PQgetisnull(it, k, 3);
            w->error_ug = w->has_error ? atoll(PQgetvalue(it, k, 3)) : 0;
        }
        rc = count_put(registry_put_weight_set(db, &ws), chg);
    }
    if (rc >= 0)
        rc = pull_officers(db, res[Q_OFFICERS], res[Q_RECUSALS], chg);
    if (rc >= 0)
        rc = db_setting_set(db, key, xmin);
    if (rc < 0) {
        db_rollback(db);
        goto out;
    }
    rc = db_commit(db);
out:
    for (int q = 0; q < Q_N; q++)
        if (res[q])
            PQclear(res[q]);
    if (rc < 0 && PQtransactionStatus(c) == PQTRANS_INTRANS)
        pg_exec(c, "ROLLBACK", "pull");
    return rc;
}

/* The district's lists replace the local copy (district_lists), for the
 * markets this handheld knows. */
static int pull_lists(struct db *db, PGconn *c, struct sync_stats *stats)
{
    int rc;
    PGresult *r = pg_query(c, "SELECT stall, market, score, list, as_of FROM district_lists "
                              "ORDER BY market, stall",
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
                                       "as_of) SELECT ?1, ?2, ?3, ?4, ?5 "
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
        rc = db_step_done(db, st, "sync: lists");
        if (rc >= 0)
            stats->lists_pulled += sqlite3_changes(db_sqlite(db));
    }
    PQclear(r);
    if (rc < 0) {
        db_rollback(db);
        return rc;
    }
    return db_commit(db);
}

int sync_run(struct db *db, const char *url, const struct sync_options *opt,
             struct sync_stats *stats)
{
    memset(stats, 0, sizeof *stats);
    struct sync_options none = {0};
    if (!opt)
        opt = &none;
    PGconn *c;
    int rc = pg_connect(url, &c);
    if (rc < 0)
        return rc;
    if ((rc = pg_district_id(c, stats->district, sizeof stats->district)) < 0)
        goto out;
    if (opt->push_registry && (rc = push_registry(db, c, stats)) < 0)
        goto out;
    if ((rc = push(db, c, stats->district, opt->batch > 0 ? opt->batch : SYNC_BATCH_DEFAULT,
                   stats)) < 0)
        goto out;
    if (!opt->no_pull) {
        if ((rc = pull_registry(db, c, stats->district, stats)) < 0)
            goto out;
        rc = pull_lists(db, c, stats);
    }
out:
    PQfinish(c);
    return rc;
}

/* ---- the district's copy of this device's chain -------------------------- */

struct cmp {
    PGresult *r;
    int row;
    int64_t compared;
};

static int compare_one(const struct audit_entry *e, void *arg)
{
    struct cmp *c = arg;
    if (c->row >= PQntuples(c->r))
        return 1;
    int64_t seq = atoll(PQgetvalue(c->r, c->row, 0));
    if (seq != e->seq)
        return sc_error_set(SC_ERR_INCONSISTENT,
                            "audit entry %lld (%s %s): the district holds entry %lld there",
                            (long long)e->seq, e->kind, e->record, (long long)seq);
    char mine[600];
    snprintf(mine, sizeof mine, "%s%s%s%s%s%s%s", e->id, e->at, e->kind, e->record,
             e->content_hash, e->prev_hash, e->hash);
    if (strcmp(PQgetvalue(c->r, c->row, 1), mine) != 0)
        return sc_error_set(SC_ERR_INCONSISTENT,
                            "audit entry %lld (%s %s) differs from the district's copy",
                            (long long)e->seq, e->kind, e->record);
    c->row++;
    c->compared++;
    return 0;
}

int sync_compare_chain(struct db *db, const char *url)
{
    PGconn *c;
    int rc = pg_connect(url, &c);
    if (rc < 0)
        return rc;
    const char *p[1] = {db_device_id(db)};
    PGresult *r = pg_query(c, "SELECT seq, id || at || kind || record || content_hash || "
                              "prev_hash || hash FROM audit_log WHERE device = $1 ORDER BY seq",
                           1, p, "verify", &rc);
    if (!r) {
        PQfinish(c);
        return rc;
    }
    struct cmp cmp = {r, 0, 0};
    rc = audit_each(db, 0, compare_one, &cmp);
    if (rc == 1)
        rc = 0; /* entries not pushed yet: nothing to compare them with */
    if (rc == 0 && cmp.row < PQntuples(r))
        rc = sc_error_set(SC_ERR_INCONSISTENT,
                          "audit entry %s: the district holds it, this database does not "
                          "(deleted here)",
                          PQgetvalue(r, cmp.row, 0));
    PQclear(r);
    PQfinish(c);
    if (rc < 0)
        return rc;
    return (int)(cmp.compared > INT32_MAX ? INT32_MAX : cmp.compared);
}
