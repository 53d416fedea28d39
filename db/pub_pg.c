/* A publication source over the district's PostgreSQL database
 * (db/pub_priv.h).  The only place that knows which district tables hold
 * the records the public pages show: when the district's schema changes,
 * the queries below change and nothing else does.
 *
 * One REPEATABLE READ, READ ONLY transaction: every walk reads one
 * snapshot while handhelds keep syncing.  Rows come through server-side
 * cursors a batch at a time, so a district of 100,000 stalls is never held
 * in memory whole. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "db/pg.h"
#include "db/pub_priv.h"
#include "db/rules_file.h"

#define FETCH_ROWS 2000

#define INSTRUMENT_COLS                                                                     \
    "n.code, n.kind, n.market, n.stall, n.maker, n.model, n.class, n.max_ug, n.e_ug,"      \
    " n.mark_no, n.last_verified, n.due, n.active"
/* Text ordered by bytes, as strcmp and SQLite order it. */
#define C " COLLATE \"C\""

/* A verification that gave a paper: committed with a verdict, not ended
 * without one (calibration_certificates.abandoned). */
#define CERT_PAPER "c.status = 'committed' AND c.verdict IS NOT NULL" \
                   " AND coalesce(k.abandoned, '') = ''"

static const struct pub_sql sql[PQ_COUNT] = {
    [PQ_MARKETS] = {"SELECT code, name, district, address, organiser FROM markets WHERE true",
                    NULL, " ORDER BY code" C},
    [PQ_MARKET_INSTRUMENTS] = {"SELECT " INSTRUMENT_COLS " FROM instruments n"
                               " WHERE n.stall IS NULL", NULL,
                               " ORDER BY n.market" C ", n.code" C},
    [PQ_STALLS] = {"SELECT code, market, name, category, operator, active FROM stalls WHERE true",
                   "code", " ORDER BY code" C},
    [PQ_STALL_INSTRUMENTS] = {"SELECT n.stall, " INSTRUMENT_COLS " FROM instruments n"
                              " WHERE n.stall IS NOT NULL", "n.stall",
                              " ORDER BY n.stall" C ", n.code" C},
    [PQ_INSPECTIONS] = {"SELECT stall, id, market, officer1, officer2, draw, started_at, ended_at"
                        " FROM inspections WHERE status = 'committed'",
                        "stall", " ORDER BY stall" C ", started_at" C ", id" C},
    [PQ_FINDINGS] = {"SELECT i.stall, i.id, f.item, f.answer, f.deadline"
                     " FROM inspections i JOIN findings f ON f.inspection = i.id"
                     " WHERE i.status = 'committed'", "i.stall",
                     " ORDER BY i.stall" C ", i.started_at" C ", i.id" C ", f.item" C},
    [PQ_REWEIGHS] = {"SELECT i.stall, i.id, r.goods, r.category, r.declared_ug, r.measured_ug,"
                     " r.allowed_ug, r.shortfall_ug, r.unit_price_fen, r.money_short_fen,"
                     " r.verdict, r.method"
                     " FROM inspections i JOIN reweighs r ON r.inspection = i.id"
                     " WHERE i.status = 'committed'", "i.stall",
                     " ORDER BY i.stall" C ", i.started_at" C ", i.id" C ", r.seq, r.id" C},
    [PQ_DRAWS] = {"SELECT id, made_at, made_by, market, seed, inputs, result FROM draws"
                  " WHERE true", NULL, " ORDER BY made_at" C ", id" C},
    [PQ_CERTS] = {"SELECT c.id, c.instrument, n.market, n.stall, c.weight_set, c.officer,"
                  " c.started_at, c.ended_at, c.temperature, c.verdict, c.certificate_no,"
                  " c.next_due, k.kind, k.regulation, k.verified_on, k.mark_no, k.paper"
                  " FROM calibrations c LEFT JOIN instruments n ON n.code = c.instrument"
                  " LEFT JOIN calibration_certificates k ON k.calibration = c.id"
                  " WHERE " CERT_PAPER, NULL,
                  " ORDER BY c.started_at" C ", c.id" C},
    [PQ_CERT_STEPS] = {"SELECT c.id, s.seq, s.test, s.position, s.load_ug, s.indication_ug,"
                       " s.error_ug, s.mpe_ug, s.pass"
                       " FROM calibrations c JOIN calibration_steps s ON s.calibration = c.id"
                       " LEFT JOIN calibration_certificates k ON k.calibration = c.id"
                       " WHERE " CERT_PAPER, NULL,
                       " ORDER BY c.started_at" C ", c.id" C ", s.seq"},
};

/* Each query's text, unfiltered and filtered by stall, made once. */
static char *texts[PQ_COUNT * 2];

struct pg_src {
    struct pub_src base;
    PGconn *conn;
    int cursors;              /* names handed out: pub_0, pub_1, ... */
};

struct pg_cur {
    struct pg_src *src;
    char name[24];
    PGresult *res;
    int row, rows;
    int done;
};

static int pg_fetch(struct pg_cur *c)
{
    char q[64];
    snprintf(q, sizeof q, "FETCH %d FROM %s", FETCH_ROWS, c->name);
    if (c->res != NULL)
        PQclear(c->res);
    c->res = PQexec(c->src->conn, q);
    if (PQresultStatus(c->res) != PGRES_TUPLES_OK) {
        int rc = pg_fail(c->src->conn, c->res, "publish");
        c->res = NULL;
        return rc;
    }
    c->rows = PQntuples(c->res);
    c->row = -1;
    c->done = c->rows == 0;
    return 0;
}

static int pg_open(struct pub_src *src, enum pub_query q, const char *stall, void **out)
{
    struct pg_src *s = (struct pg_src *)src;
    int filtered = stall != NULL && sql[q].stall != NULL;
    const char *text = pub_sql_text(sql, q, filtered, "$1", texts);
    struct pg_cur *c = text ? calloc(1, sizeof *c) : NULL;
    if (c == NULL)
        return SC_ERR_NOMEM;
    c->src = s;
    snprintf(c->name, sizeof c->name, "pub_%d", s->cursors++);
    size_t n = strlen(text) + 64;
    char *declare = malloc(n);
    if (declare == NULL) {
        free(c);
        return SC_ERR_NOMEM;
    }
    snprintf(declare, n, "DECLARE %s NO SCROLL CURSOR FOR %s", c->name, text);
    const char *params[1] = {stall};
    PGresult *r = PQexecParams(s->conn, declare, filtered, NULL, params, NULL, NULL, 0);
    int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : pg_fail(s->conn, r, "publish");
    if (rc == 0)
        PQclear(r);
    free(declare);
    if (rc == 0)
        rc = pg_fetch(c);
    if (rc < 0) {
        if (c->res != NULL)
            PQclear(c->res);
        free(c);
        return rc;
    }
    *out = c;
    return 0;
}

static int pg_step(void *cur)
{
    struct pg_cur *c = cur;
    if (c->done)
        return 0;
    if (++c->row < c->rows)
        return 1;
    if (c->rows < FETCH_ROWS) {
        c->done = 1;
        return 0;
    }
    int rc = pg_fetch(c);
    if (rc < 0)
        return rc;
    if (c->done)
        return 0;
    c->row = 0;
    return 1;
}

static const char *pg_col(void *cur, int i)
{
    struct pg_cur *c = cur;
    if (c->res == NULL || c->row < 0 || c->row >= c->rows || PQgetisnull(c->res, c->row, i))
        return NULL;
    return PQgetvalue(c->res, c->row, i);
}

static void pg_close(void *cur)
{
    struct pg_cur *c = cur;
    char q[48];
    snprintf(q, sizeof q, "CLOSE %s", c->name);
    if (PQstatus(c->src->conn) == CONNECTION_OK)
        PQclear(PQexec(c->src->conn, q));
    if (c->res != NULL)
        PQclear(c->res);
    free(c);
}

static int pg_setting(struct pub_src *src, const char *key, char *buf, size_t size)
{
    struct pg_src *s = (struct pg_src *)src;
    const char *p[1] = {key};
    PGresult *r = PQexecParams(s->conn, "SELECT value FROM district_info WHERE key = $1", 1,
                               NULL, p, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK)
        return pg_fail(s->conn, r, "settings");
    int found = PQntuples(r) == 1;
    if (found)
        snprintf(buf, size, "%s", PQgetvalue(r, 0, 0));
    PQclear(r);
    return found ? 0 : sc_error_set(SC_ERR_NOTFOUND, "setting %s is not set", key);
}

/* The district's own rules (the INI text sync --init stores in
 * district_info), so every office machine publishes the same lists; else
 * as a handheld without a rules_file setting resolves them. */
static int pg_rules(struct pub_src *src, const char *path, struct rules *out)
{
    if (path == NULL) {
        char *text = malloc(16384);
        if (text == NULL)
            return SC_ERR_NOMEM;
        int rc = pg_setting(src, "rules", text, 16384);
        if (rc == 0) {
            rc = rules_file_parse("district rules", text, out);
            free(text);
            return rc;
        }
        free(text);
        if (rc != SC_ERR_NOTFOUND)
            return rc;
    }
    return rules_file_resolve(path, out);
}

static void pg_free(struct pub_src *src)
{
    struct pg_src *s = (struct pg_src *)src;
    if (s->conn != NULL) {
        if (PQstatus(s->conn) == CONNECTION_OK)
            PQclear(PQexec(s->conn, "COMMIT"));
        PQfinish(s->conn);
    }
    free(s);
}

static const struct pub_ops pg_ops = {"postgresql", pg_open,    pg_step, pg_col, pg_close,
                                      pg_setting,   pg_rules, pg_free};

int pub_src_pg(const char *url, struct pub_src **out)
{
    struct pg_src *s = calloc(1, sizeof *s);
    if (s == NULL)
        return SC_ERR_NOMEM;
    s->base.ops = &pg_ops;
    char id[64];
    int rc;
    if ((rc = pg_connect(url, &s->conn)) < 0 ||
        (rc = pg_exec(s->conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "connect")) < 0 ||
        (rc = pg_district_id(s->conn, id, sizeof id)) < 0) {
        pg_free(&s->base);
        return rc;
    }
    *out = &s->base;
    return 0;
}
