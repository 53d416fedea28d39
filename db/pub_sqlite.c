/* A publication source over a handheld's SQLite database (db/pub_priv.h). */
#include <stdlib.h>

#include "core/error.h"
#include "db/internal.h"
#include "db/lists.h"
#include "db/pub_priv.h"

#define INSTRUMENT_COLS                                                                     \
    "n.code, n.kind, n.market, n.stall, n.maker, n.model, n.class, n.max_ug, n.e_ug,"      \
    " n.mark_no, n.last_verified, n.due, n.active"

/* The order of each query is part of its contract (db/pub_priv.h). */
/* A verification that gave a paper: committed with a verdict, not ended
 * without one (calibration_certificates.abandoned). */
#define CERT_PAPER "c.status = 'committed' AND c.verdict IS NOT NULL" \
                   " AND coalesce(k.abandoned, '') = ''"

static const struct pub_sql sql[PQ_COUNT] = {
    [PQ_MARKETS] = {"SELECT code, name, district, address, organiser FROM markets WHERE 1",
                    NULL, " ORDER BY code"},
    [PQ_MARKET_INSTRUMENTS] = {"SELECT " INSTRUMENT_COLS " FROM instruments n"
                               " WHERE n.stall IS NULL", NULL, " ORDER BY n.market, n.code"},
    [PQ_STALLS] = {"SELECT code, market, name, category, operator, active FROM stalls WHERE 1",
                   "code", " ORDER BY code"},
    [PQ_STALL_INSTRUMENTS] = {"SELECT n.stall, " INSTRUMENT_COLS " FROM instruments n"
                              " WHERE n.stall IS NOT NULL", "n.stall", " ORDER BY n.stall, n.code"},
    [PQ_INSPECTIONS] = {"SELECT stall, id, market, officer1, officer2, draw, started_at, ended_at"
                        " FROM inspections WHERE status = 'committed'",
                        "stall", " ORDER BY stall, started_at, id"},
    [PQ_FINDINGS] = {"SELECT i.stall, i.id, f.item, f.answer, f.deadline"
                     " FROM inspections i JOIN findings f ON f.inspection = i.id"
                     " WHERE i.status = 'committed'",
                     "i.stall", " ORDER BY i.stall, i.started_at, i.id, f.item"},
    [PQ_REWEIGHS] = {"SELECT i.stall, i.id, r.goods, r.category, r.declared_ug, r.measured_ug,"
                     " r.allowed_ug, r.shortfall_ug, r.unit_price_fen, r.money_short_fen,"
                     " r.verdict, r.method"
                     " FROM inspections i JOIN reweighs r ON r.inspection = i.id"
                     " WHERE i.status = 'committed'",
                     "i.stall", " ORDER BY i.stall, i.started_at, i.id, r.seq, r.id"},
    [PQ_DRAWS] = {"SELECT id, made_at, made_by, market, seed, inputs, result FROM draws WHERE 1",
                  NULL, " ORDER BY made_at, id"},
    [PQ_CERTS] = {"SELECT c.id, c.instrument, n.market, n.stall, c.weight_set, c.officer,"
                  " c.started_at, c.ended_at, c.temperature, c.verdict, c.certificate_no,"
                  " c.next_due, k.kind, k.regulation, k.verified_on, k.mark_no, k.paper"
                  " FROM calibrations c LEFT JOIN instruments n ON n.code = c.instrument"
                  " LEFT JOIN calibration_certificates k ON k.calibration = c.id"
                  " WHERE " CERT_PAPER, NULL,
                  " ORDER BY c.started_at, c.id"},
    [PQ_CERT_STEPS] = {"SELECT c.id, s.seq, s.test, s.position, s.load_ug, s.indication_ug,"
                       " s.error_ug, s.mpe_ug, s.pass"
                       " FROM calibrations c JOIN calibration_steps s ON s.calibration = c.id"
                       " LEFT JOIN calibration_certificates k ON k.calibration = c.id"
                       " WHERE " CERT_PAPER, NULL,
                       " ORDER BY c.started_at, c.id, s.seq"},
};

/* Each query's text, unfiltered and filtered by stall, made once. */
static char *texts[PQ_COUNT * 2];

struct sqlite_src {
    struct pub_src base;
    struct db *db;
    int in_tx;                /* a read transaction of ours: one snapshot */
};

struct sqlite_cur {
    struct db *db;
    sqlite3_stmt *st;
};

static int sq_open(struct pub_src *src, enum pub_query q, const char *stall, void **out)
{
    struct sqlite_src *s = (struct sqlite_src *)src;
    const char *text = pub_sql_text(sql, q, stall != NULL, "?1", texts);
    struct sqlite_cur *c = text ? malloc(sizeof *c) : NULL;
    if (c == NULL)
        return SC_ERR_NOMEM;
    c->db = s->db;
    if ((c->st = db_stmt(s->db, text)) == NULL) {
        free(c);
        return SC_ERR_DB;
    }
    if (stall != NULL && sql[q].stall != NULL)
        db_bind_text(c->st, 1, stall);
    *out = c;
    return 0;
}

static int sq_step(void *cur)
{
    struct sqlite_cur *c = cur;
    int rc = sqlite3_step(c->st);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    return db_fail(c->db, "publish");
}

static const char *sq_col(void *cur, int i)
{
    return (const char *)sqlite3_column_text(((struct sqlite_cur *)cur)->st, i);
}

static void sq_close(void *cur)
{
    struct sqlite_cur *c = cur;
    db_done(c->st);
    free(c);
}

static int sq_setting(struct pub_src *src, const char *key, char *buf, size_t size)
{
    return db_setting_get(((struct sqlite_src *)src)->db, key, buf, size);
}

static int sq_rules(struct pub_src *src, const char *path, struct rules *out)
{
    return lists_rules(((struct sqlite_src *)src)->db, path, out);
}

static void sq_free(struct pub_src *src)
{
    struct sqlite_src *s = (struct sqlite_src *)src;
    if (s->in_tx)
        db_exec(s->db, "COMMIT");
    free(s);
}

static const struct pub_ops sqlite_ops = {"sqlite",     sq_open,    sq_step, sq_col, sq_close,
                                          sq_setting, sq_rules, sq_free};

int pub_src_sqlite(struct db *db, struct pub_src **out)
{
    struct sqlite_src *s = calloc(1, sizeof *s);
    if (s == NULL)
        return SC_ERR_NOMEM;
    s->base.ops = &sqlite_ops;
    s->db = db;
    /* Every walk reads one snapshot, even while a sync writes. */
    if (db_depth(db) == 0) {
        int rc = db_exec(db, "BEGIN");
        if (rc < 0) {
            free(s);
            return rc;
        }
        s->in_tx = 1;
    }
    *out = &s->base;
    return 0;
}
