/* For db/pub*.c only: a publication source is a table of queries run by
 * one backend (SQLite or PostgreSQL) through a row cursor; db/pub.c turns
 * the rows into the records of db/publish.h for both. */
#ifndef STALLCHECK_DB_PUB_PRIV_H
#define STALLCHECK_DB_PUB_PRIV_H

#include <stddef.h>

#include "db/publish.h"

/* The queries, each with its columns in the order given; the order of the
 * rows is part of the contract (the stall walk merges them), and text
 * sorts by bytes (PostgreSQL: COLLATE "C"), as strcmp does. */
enum pub_query {
    /* code, name, district, address, organiser; by code */
    PQ_MARKETS,
    /* code, kind, market, stall, maker, model, class, max_ug, e_ug, mark_no,
     * last_verified, due, active: instruments of no stall, by market, code */
    PQ_MARKET_INSTRUMENTS,
    /* code, market, name, category, operator licence, active; by code */
    PQ_STALLS,
    /* the instrument columns above: instruments of a stall, by stall, code */
    PQ_STALL_INSTRUMENTS,
    /* stall, id, market, officer1, officer2, draw, started_at, ended_at:
     * committed inspections by stall, started_at, id */
    PQ_INSPECTIONS,
    /* stall, inspection, item, answer, deadline: in the inspections' order,
     * then item */
    PQ_FINDINGS,
    /* stall, inspection, goods, category, declared_ug, measured_ug,
     * allowed_ug, shortfall_ug, unit_price_fen, money_short_fen, verdict,
     * method: in the inspections' order, then seq, id */
    PQ_REWEIGHS,
    /* id, made_at, made_by, market, seed, inputs, result; by made_at, id */
    PQ_DRAWS,
    /* id, instrument, market, stall, weight_set, officer, started_at,
     * ended_at, temperature, verdict, certificate_no, next_due, kind,
     * regulation, verified_on, mark_no, paper: verifications that gave a
     * paper, by started_at, id */
    PQ_CERTS,
    /* calibration, seq, test, position, load_ug, indication_ug, error_ug,
     * mpe_ug, pass: in the calibrations' order, then seq */
    PQ_CERT_STEPS,
    PQ_COUNT
};

struct pub_ops {
    const char *kind;
    /* Opens a cursor over query q: *cur.  stall, when not NULL, keeps the
     * rows of that stall (the queries that have one). */
    int (*open)(struct pub_src *src, enum pub_query q, const char *stall, void **cur);
    /* 1: a row, 0: no more, SC_ERR_*: failed. */
    int (*step)(void *cur);
    /* Column i of the current row as text; NULL for SQL NULL. */
    const char *(*col)(void *cur, int i);
    void (*close)(void *cur);
    int (*setting)(struct pub_src *src, const char *key, char *buf, size_t size);
    int (*rules)(struct pub_src *src, const char *path, struct rules *out);
    void (*free)(struct pub_src *src);
};

/* A query of a backend: its SELECT ... WHERE (always a WHERE, so a filter
 * can be ANDed on), the column that names the stall (NULL: none) and its
 * ORDER BY. */
struct pub_sql {
    const char *select, *stall, *order;
};

/* The text of q: select, " AND stall = " + param when filtered, order.
 * Made once per query and variant, kept for the process. */
const char *pub_sql_text(const struct pub_sql *table, enum pub_query q, int filtered,
                         const char *param, char **cache);

/* Every backend's source starts with this. */
struct pub_src {
    const struct pub_ops *ops;
};

#endif
