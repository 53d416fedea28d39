/* The district's lists on PostgreSQL (db/district.h). */
#include "db/district.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/score.h"
#include "core/score_events.h"
#include "db/db.h"
#include "db/lists.h"
#include "db/pg.h"
#include "db/registry.h"
#include "db/rules_file.h"
#include "db/zone.h"

/* ---- the schema (sync --init) ------------------------------------------ */

/* district_status: one line per listed stall, as db/lists.c stores a
 * handheld's stall_status.  district_dirty: stalls with records not yet
 * scored, appended by a statement trigger on inspections (no key: an
 * append never waits for a running recompute).  The old list rule in SQL
 * (a view and its tables) is gone: one engine computes every list. */
static const char *const lists_ddl[] = {
    "DROP VIEW IF EXISTS district_lists",
    "DROP TABLE IF EXISTS district_rules",
    "DROP TABLE IF EXISTS district_item_rules",
    "CREATE TABLE IF NOT EXISTS district_status ("
    "  stall text PRIMARY KEY, market text NOT NULL, score integer NOT NULL,"
    "  list text NOT NULL CHECK (list IN ('red', 'black', 'none')), since text, until text,"
    "  reason text NOT NULL DEFAULT '', inspections integer NOT NULL DEFAULT 0,"
    "  followups integer NOT NULL DEFAULT 0, last_inspection text, as_of text NOT NULL,"
    "  valid_until text, rules text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())",
    "CREATE TABLE IF NOT EXISTS district_dirty (id bigserial PRIMARY KEY, stall text NOT NULL)",
    "CREATE INDEX IF NOT EXISTS reweighs_by_inspection ON reweighs (inspection)",
    "CREATE OR REPLACE FUNCTION district_mark_dirty() RETURNS trigger LANGUAGE plpgsql AS $$"
    " BEGIN INSERT INTO district_dirty (stall) SELECT DISTINCT stall FROM new_inspections;"
    " RETURN NULL; END $$",
    "CREATE OR REPLACE TRIGGER inspections_mark_dirty AFTER INSERT ON inspections"
    " REFERENCING NEW TABLE AS new_inspections FOR EACH STATEMENT"
    " EXECUTE FUNCTION district_mark_dirty()",
    NULL};

int district_lists_init(PGconn *c, const struct rules *rules)
{
    int rc;
    for (int i = 0; lists_ddl[i]; i++)
        if ((rc = pg_exec(c, lists_ddl[i], "init")) < 0)
            return rc;
    struct rules defaults;
    if (rules == NULL) {
        rules_default(&defaults);
        rules = &defaults;
    }
    char text[4096], id[17];
    if (rules_format(rules, text, sizeof text) >= (int)sizeof text)
        return sc_error_set(SC_ERR_RANGE, "district rules: too long to store");
    lists_rules_id(rules, id);
    /* The bureau's zone too (db/zone.h): the district counts an inspection
     * on the legal day the handheld that set it up counts it on. */
    const char *p[] = {text, id, zone_name()};
    PGresult *r = pg_query(c,
                           "INSERT INTO district_info VALUES ('rules', $1), ('rules_id', $2),"
                           " ('timezone', $3)"
                           " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                           3, p, "rules", &rc);
    if (r != NULL)
        PQclear(r);
    return rc;
}

/* ---- the rules --------------------------------------------------------- */

static int rules_of(PGconn *c, struct rules *out)
{
    int rc = pg_schema_check(c);
    if (rc < 0)
        return rc;
    PGresult *r = pg_query(c, "SELECT value FROM district_info WHERE key = 'rules'", 0, NULL,
                           "rules", &rc);
    if (r == NULL)
        return rc;
    if (PQntuples(r) != 1) {
        PQclear(r);
        return sc_error_set(SC_ERR_NOTFOUND, "the district has no rules yet: set them with "
                                             "sync --init");
    }
    rc = rules_file_parse("the district's rules", PQgetvalue(r, 0, 0), out);
    PQclear(r);
    return rc;
}

int district_zone_use(const char *url)
{
    PGconn *c;
    int rc = pg_connect(url, &c);
    if (rc < 0)
        return rc;
    if ((rc = pg_schema_check(c)) < 0) {
        PQfinish(c);
        return rc;
    }
    PGresult *r = pg_query(c, "SELECT value FROM district_info WHERE key = 'timezone'", 0, NULL,
                           "timezone", &rc);
    if (r != NULL) {
        /* None stored (a district set up before it was): the default. */
        rc = zone_use(PQntuples(r) == 1 ? PQgetvalue(r, 0, 0) : NULL);
        PQclear(r);
    }
    PQfinish(c);
    return rc;
}

int district_rules_get(const char *url, struct rules *out)
{
    PGconn *c;
    int rc = pg_connect(url, &c);
    if (rc < 0)
        return rc;
    rc = rules_of(c, out);
    PQfinish(c);
    return rc;
}

/* ---- one run ----------------------------------------------------------- */

/* Stalls per query: a chunk's events (about 100 rows a stall) in memory. */
#define CHUNK 2000

#define STATUS_COLS "stall, market, score, list, since, until, reason, inspections, followups," \
                    " last_inspection, as_of, valid_until, rules"

struct todo {
    char (*code)[REG_CODE];
    char (*market)[REG_CODE];
    unsigned char *done;
    size_t n;
};

static void todo_free(struct todo *t)
{
    free(t->code);
    free(t->market);
    free(t->done);
    memset(t, 0, sizeof *t);
}

static int code_cmp(const void *a, const void *b)
{
    return strcmp(a, b);
}

/* The stalls to compute, in code order (strcmp's: PostgreSQL's collation
 * may differ, so nothing here relies on its order). */
static int todo_read(PGconn *c, struct todo *t)
{
    int rc;
    PGresult *r = pg_query(c, "SELECT t.stall, s.market FROM district_todo t"
                              " JOIN stalls s ON s.code = t.stall",
                           0, NULL, "lists", &rc);
    if (r == NULL)
        return rc;
    size_t n = (size_t)PQntuples(r);
    struct pair {
        char code[REG_CODE], market[REG_CODE];
    } *v = calloc(n ? n : 1, sizeof *v);
    t->code = calloc(n ? n : 1, sizeof *t->code);
    t->market = calloc(n ? n : 1, sizeof *t->market);
    t->done = calloc(n ? n : 1, 1);
    if (v == NULL || t->code == NULL || t->market == NULL || t->done == NULL) {
        free(v);
        PQclear(r);
        return sc_error_set(SC_ERR_NOMEM, "district lists: %zu stalls", n);
    }
    for (size_t i = 0; i < n; i++) {
        snprintf(v[i].code, sizeof v[i].code, "%s", PQgetvalue(r, (int)i, 0));
        snprintf(v[i].market, sizeof v[i].market, "%s", PQgetvalue(r, (int)i, 1));
    }
    PQclear(r);
    qsort(v, n, sizeof *v, code_cmp);
    for (size_t i = 0; i < n; i++) {
        memcpy(t->code[i], v[i].code, REG_CODE);
        memcpy(t->market[i], v[i].market, REG_CODE);
    }
    t->n = n;
    free(v);
    return 0;
}

static int64_t todo_find(const struct todo *t, size_t from, size_t to, const char *code)
{
    while (from < to) {
        size_t mid = from + (to - from) / 2;
        int c = strcmp(t->code[mid], code);
        if (c == 0)
            return (int64_t)mid;
        if (c < 0)
            from = mid + 1;
        else
            to = mid;
    }
    return -1;
}

/* One stall's line into the COPY buffer. */
static void line_out(struct pg_buf *b, const char *code, const char *market,
                     const struct score_result *res, const char *last, const char *rules_id)
{
    char since[11] = "", until[11] = "", as_of[11], valid[11] = "";
    if (res->list == SCORE_LIST_BLACK) {
        day_format(res->black_since, since, sizeof since);
        day_format(res->black_until, until, sizeof until);
    }
    day_format(res->as_of, as_of, sizeof as_of);
    if (res->valid_until != 0)
        day_format(res->valid_until, valid, sizeof valid);
    const char *reason = res->list == SCORE_LIST_BLACK ? score_black_reason_key(res->black_reason)
                                                       : "";
    const char *texts[] = {code, market};
    for (int i = 0; i < 2; i++) {
        pg_copy_text(b, texts[i], strlen(texts[i]));
        pg_buf_add(b, "\t", 1);
    }
    pg_copy_int(b, res->score);
    pg_buf_add(b, "\t", 1);
    pg_buf_str(b, score_list_name(res->list));
    const char *maybe[] = {since, until};
    for (int i = 0; i < 2; i++) {
        pg_buf_add(b, "\t", 1);
        if (maybe[i][0])
            pg_buf_str(b, maybe[i]);
        else
            pg_copy_null(b);
    }
    pg_buf_add(b, "\t", 1);
    pg_buf_str(b, reason);
    pg_buf_add(b, "\t", 1);
    pg_copy_int(b, res->inspections);
    pg_buf_add(b, "\t", 1);
    pg_copy_int(b, (long long)res->n_followups);
    pg_buf_add(b, "\t", 1);
    if (last != NULL)
        pg_copy_text(b, last, strlen(last));
    else
        pg_copy_null(b);
    pg_buf_add(b, "\t", 1);
    pg_buf_str(b, as_of);
    pg_buf_add(b, "\t", 1);
    if (valid[0])
        pg_buf_str(b, valid);
    else
        pg_copy_null(b);
    pg_buf_add(b, "\t", 1);
    pg_buf_str(b, rules_id);
    pg_buf_add(b, "\n", 1);
}

struct run {
    PGconn *c;
    const struct rules *rules;
    char rules_id[17];
    day_t today;
    struct score_events ev;
    struct pg_buf out;
};

static int score_one(struct run *run, const char *code, const char *market)
{
    score_events_finish(&run->ev);
    struct score_result res;
    int err = score_compute(run->rules, run->ev.ev, run->ev.n, run->today, &res);
    if (err < 0)
        return err;
    line_out(&run->out, code, market, &res, score_events_last(&run->ev, run->today),
             run->rules_id);
    score_result_free(&res);
    score_events_clear(&run->ev);
    return run->out.oom ? sc_error_set(SC_ERR_NOMEM, "district lists") : 0;
}

/* The events of one chunk of stalls, read the way a handheld reads its own
 * (core/score_events.h), each stall scored. */
static const char SQL_CHUNK_EVENTS[] =
    "SELECT i.stall, i.id, i.started_at, f.item, f.answer, f.deadline, rw.n, rw.nfail, rw.nfair"
    " FROM district_chunk k JOIN inspections i ON i.stall = k.stall AND i.status = 'committed'"
    " CROSS JOIN LATERAL (SELECT count(*) AS n,"
    "   count(*) FILTER (WHERE r.verdict = 'fail') AS nfail,"
    "   count(*) FILTER (WHERE r.method = 'fair') AS nfair"
    "   FROM reweighs r WHERE r.inspection = i.id) rw"
    " LEFT JOIN findings f ON f.inspection = i.id"
    " ORDER BY i.stall, i.id";

static int chunk(struct run *run, struct todo *t, size_t from, size_t to)
{
    struct pg_buf codes = {0};
    for (size_t i = from; i < to; i++) {
        pg_copy_text(&codes, t->code[i], strlen(t->code[i]));
        pg_buf_add(&codes, "\n", 1);
    }
    int rc = pg_exec(run->c, "TRUNCATE district_chunk", "lists");
    if (rc == 0)
        rc = pg_copy(run->c, "district_chunk", "stall", &codes, "lists");
    pg_buf_free(&codes);
    if (rc < 0)
        return rc;
    PGresult *r = pg_query(run->c, SQL_CHUNK_EVENTS, 0, NULL, "lists", &rc);
    if (r == NULL)
        return rc;
    int64_t cur = -1;
    char last_id[SCORE_EVENTS_ID] = "";
    for (int row = 0; row < PQntuples(r) && rc == 0; row++) {
        const char *stall = PQgetvalue(r, row, 0);
        if (cur < 0 || strcmp(t->code[cur], stall) != 0) {
            if (cur >= 0 && (rc = score_one(run, t->code[cur], t->market[cur])) < 0)
                break;
            if ((cur = todo_find(t, from, to, stall)) < 0) {
                rc = sc_error_set(SC_ERR_INCONSISTENT, "district lists: stall %s", stall);
                break;
            }
            t->done[cur] = 1;
            last_id[0] = '\0';
        }
        const char *id = PQgetvalue(r, row, 1);
        if (strcmp(id, last_id) != 0) {
            snprintf(last_id, sizeof last_id, "%s", id);
            rc = lists_event_add(&run->ev, id, PQgetvalue(r, row, 2),
                                 atoi(PQgetvalue(r, row, 6)), atoi(PQgetvalue(r, row, 7)),
                                 atoi(PQgetvalue(r, row, 8)));
            if (rc < 0)
                break;
        }
        if (!PQgetisnull(r, row, 3))
            rc = score_events_finding(&run->ev, PQgetvalue(r, row, 3), PQgetvalue(r, row, 4),
                                      PQgetisnull(r, row, 5) ? NULL : PQgetvalue(r, row, 5));
    }
    PQclear(r);
    if (rc == 0 && cur >= 0)
        rc = score_one(run, t->code[cur], t->market[cur]);
    /* Stalls with no inspection yet: a line too. */
    for (size_t i = from; i < to && rc == 0; i++)
        if (!t->done[i]) {
            score_events_clear(&run->ev);
            rc = score_one(run, t->code[i], t->market[i]);
        }
    return rc;
}

/* A statement's row count (DELETE, INSERT). */
static int64_t exec_count(PGconn *c, const char *sql, int n, const char *const *p, int *rc)
{
    PGresult *r = pg_query(c, sql, n, p, "lists", rc);
    if (r == NULL)
        return -1;
    int64_t k = atoll(PQcmdTuples(r));
    PQclear(r);
    return k;
}

static int run_in(struct run *run, int full, struct district_lists_stats *out)
{
    PGconn *c = run->c;
    int rc;
    /* Recomputes take turns (7400051 is --init's). */
    if ((rc = pg_exec(c, "SELECT pg_advisory_xact_lock(7400052)", "lists")) < 0 ||
        (rc = pg_exec(c, "CREATE TEMP TABLE district_todo (stall text PRIMARY KEY)"
                         " ON COMMIT DROP", "lists")) < 0 ||
        (rc = pg_exec(c, "CREATE TEMP TABLE district_chunk (stall text PRIMARY KEY)"
                         " ON COMMIT DROP", "lists")) < 0 ||
        (rc = pg_exec(c, "CREATE TEMP TABLE district_new (LIKE district_status INCLUDING DEFAULTS)"
                         " ON COMMIT DROP", "lists")) < 0)
        return rc;
    /* What syncs marked and committed before this statement; what they
     * commit later stays for the next run. */
    out->dirty = exec_count(c, "WITH d AS (DELETE FROM district_dirty RETURNING stall)"
                               " INSERT INTO district_todo SELECT DISTINCT d.stall FROM d"
                               " JOIN stalls s ON s.code = d.stall AND s.active = 1"
                               " ON CONFLICT DO NOTHING",
                            0, NULL, &rc);
    if (rc < 0)
        return rc;
    char day[11];
    day_format(run->today, day, sizeof day);
    const char *p[] = {run->rules_id, day, full ? "t" : "f"};
    out->lapsed = exec_count(c, "INSERT INTO district_todo SELECT s.code FROM stalls s"
                                " LEFT JOIN district_status d ON d.stall = s.code"
                                " WHERE s.active = 1 AND ($3::boolean OR d.stall IS NULL"
                                " OR d.rules <> $1 OR d.market <> s.market OR d.as_of > $2"
                                " OR d.valid_until <= $2) ON CONFLICT DO NOTHING",
                             3, p, &rc);
    if (rc < 0)
        return rc;
    out->removed = exec_count(c, "DELETE FROM district_status d WHERE NOT EXISTS"
                                 " (SELECT 1 FROM stalls s WHERE s.code = d.stall"
                                 " AND s.active = 1)",
                              0, NULL, &rc);
    if (rc < 0)
        return rc;
    struct todo t = {0};
    if ((rc = todo_read(c, &t)) < 0)
        return rc;
    for (size_t from = 0; from < t.n && rc == 0; from += CHUNK)
        rc = chunk(run, &t, from, from + CHUNK < t.n ? from + CHUNK : t.n);
    out->recomputed = (int64_t)t.n;
    todo_free(&t);
    if (rc == 0)
        rc = pg_copy(c, "district_new", STATUS_COLS, &run->out, "lists");
    if (rc == 0)
        rc = pg_exec(c, "INSERT INTO district_status (" STATUS_COLS ", updated_at)"
                        " SELECT " STATUS_COLS ", now() FROM district_new"
                        " ON CONFLICT (stall) DO UPDATE SET market = EXCLUDED.market,"
                        " score = EXCLUDED.score, list = EXCLUDED.list, since = EXCLUDED.since,"
                        " until = EXCLUDED.until, reason = EXCLUDED.reason,"
                        " inspections = EXCLUDED.inspections, followups = EXCLUDED.followups,"
                        " last_inspection = EXCLUDED.last_inspection, as_of = EXCLUDED.as_of,"
                        " valid_until = EXCLUDED.valid_until, rules = EXCLUDED.rules,"
                        " updated_at = EXCLUDED.updated_at",
                     "lists");
    if (rc < 0)
        return rc;
    PGresult *r = pg_query(c, "SELECT list, count(*) FROM district_status GROUP BY list", 0,
                           NULL, "lists", &rc);
    if (r == NULL)
        return rc;
    for (int i = 0; i < PQntuples(r); i++) {
        enum score_list l;
        if (score_list_parse(PQgetvalue(r, i, 0), &l) == 0)
            out->counts[l] = atoll(PQgetvalue(r, i, 1));
    }
    PQclear(r);
    return 0;
}

int district_lists_run(const char *url, day_t today, int full, struct district_lists_stats *out)
{
    memset(out, 0, sizeof *out);
    out->as_of = today;
    PGconn *c;
    int rc = pg_connect(url, &c);
    if (rc < 0)
        return rc;
    struct rules rules;
    struct run run = {.c = c, .rules = &rules, .today = today};
    if ((rc = rules_of(c, &rules)) == 0) {
        lists_rules_id(&rules, run.rules_id);
        memcpy(out->rules_id, run.rules_id, sizeof out->rules_id);
        if ((rc = pg_exec(c, "BEGIN", "lists")) == 0) {
            rc = run_in(&run, full, out);
            rc = rc < 0 ? (pg_exec(c, "ROLLBACK", "lists"), rc) : pg_exec(c, "COMMIT", "lists");
        }
    }
    score_events_free(&run.ev);
    pg_buf_free(&run.out);
    PQfinish(c);
    return rc;
}
