/* What the public pages (一公开: results made public) are made of, read from
 * a handheld's SQLite database or the district's PostgreSQL database behind
 * one interface, so report/ never sees which.
 *
 * A source hands out plain records in a fixed order, one at a time, to a
 * callback; the strings live until the callback returns.  Only committed
 * records are read (drafts are not results yet), and only what the public
 * pages may show: no PIN hashes, no phone numbers, no officers' names (an
 * officer is named by badge, as on enforcement documents).
 *
 * The SQL of each database is one table of queries (db/pub_sqlite.c,
 * db/pub_pg.c) with the same columns in the same order; db/pub.c turns rows
 * into records for both.  A change to the district's schema touches only
 * db/pub_pg.c. */
#ifndef STALLCHECK_DB_PUBLISH_H
#define STALLCHECK_DB_PUBLISH_H

#include <stddef.h>
#include <stdint.h>

#include "core/checklist.h"
#include "core/rules.h"
#include "db/db.h"

struct pub_src;

/* A source over an open handheld database (not closed by pub_src_close). */
int pub_src_sqlite(struct db *db, struct pub_src **out);
/* A source over the district database at url (anything libpq takes);
 * SC_ERR_IO when it cannot be reached, SC_ERR_NOTFOUND when it holds no
 * district schema. */
int pub_src_pg(const char *url, struct pub_src **out);
void pub_src_close(struct pub_src *src);

/* "sqlite" or "postgresql" (for messages). */
const char *pub_src_kind(const struct pub_src *src);

/* A setting of the source (public_base_url, issuing_body, ...): the
 * handheld's settings table, the district's district_info.  SC_ERR_NOTFOUND
 * when unset. */
int pub_setting(struct pub_src *src, const char *key, char *buf, size_t size);

/* The rules in force: path when given, else the source's own (the
 * handheld's lists_rules; on the district the rules `sync --init` stored in
 * district_info, else the built-in defaults). */
int pub_rules(struct pub_src *src, const char *path, struct rules *out);

struct pub_market {
    const char *code, *name, *district, *address, *organiser;
};

/* An instrument as the public sees it: what it is, whether its
 * verification (检定) is current. */
struct pub_instrument {
    const char *code, *kind, *market, *stall; /* stall NULL: the market's own */
    const char *maker, *model, *klass;        /* klass: I .. IIII, "" for a meter */
    int64_t max_ug, e_ug;
    const char *mark_no;                      /* 检定合格标志 number */
    const char *last_verified, *due;          /* dates, NULL when never verified */
    int active;
};

struct pub_finding {
    const char *item;          /* core/checklist.h id, as stored */
    const char *answer;        /* pass, fail, na, intact, broken, missing, not-sealable */
    const char *deadline;      /* 限期整改 date set by the officer, or NULL */
};

struct pub_reweigh {
    const char *goods, *category, *verdict, *method;
    int64_t declared_ug, measured_ug, shortfall_ug;
    int64_t allowed_ug;        /* -1: outside the table */
    int64_t unit_price_fen, money_short_fen;
};

struct pub_inspection {
    const char *id, *stall, *market;
    const char *officer1, *officer2;  /* badges; officer2 may be NULL */
    const char *draw;                 /* the draw that chose the stall, or NULL */
    const char *started_at, *ended_at;
    const struct pub_finding *findings;
    size_t n_findings;
    const struct pub_reweigh *reweighs;
    size_t n_reweighs;
};

/* A stall with everything about it, inspections oldest first. */
struct pub_stall {
    const char *code, *market, *name, *category;
    const char *licence;       /* the operator's 统一社会信用代码, or NULL */
    int active;
    const struct pub_instrument *instruments;
    size_t n_instruments;
    const struct pub_inspection *inspections;
    size_t n_inspections;
};

/* A recorded draw (双随机): inputs and result are the canonical texts of
 * db/draw.h, exactly as stored and audited. */
struct pub_draw {
    const char *id, *made_at, *made_by, *market, *seed, *inputs, *result;
};

struct pub_cert_step {
    int seq;
    const char *test, *position;
    int64_t load_ug, indication_ug, error_ug, mpe_ug; /* INT64_MIN: not recorded */
    int pass;                                         /* -1: not judged */
};

/* A committed verification (检定) and the paper it gave. */
struct pub_certificate {
    const char *id, *instrument, *market, *stall, *weight_set, *officer;
    const char *started_at, *ended_at, *temperature, *verdict, *certificate_no, *next_due;
    /* What the paper says besides (calibration_certificates; NULL for a
     * record made before it): the kind of verification, the regulation,
     * the legal date, the new mark's number, and the paper's snapshot of
     * the issuing body and the rest (db/paper.h's "key=value" lines). */
    const char *kind, *regulation, *verified_on, *mark_no, *paper;
    const struct pub_cert_step *steps;
    size_t n_steps;
};

/* Each walk stops early when fn returns non-zero (that value is returned);
 * else 0, or SC_ERR_* from the database. */
int pub_markets(struct pub_src *src, int (*fn)(const struct pub_market *, void *), void *arg);
/* Instruments of no stall (the market's fair and reference scales), by
 * market then code. */
int pub_market_instruments(struct pub_src *src,
                           int (*fn)(const struct pub_instrument *, void *), void *arg);
/* Every stall (open or closed) in code order, with its instruments and its
 * committed inspections. */
int pub_stalls(struct pub_src *src, int (*fn)(const struct pub_stall *, void *), void *arg);
/* One stall, as pub_stalls gives it (SC_ERR_NOTFOUND when there is none):
 * the same record for a paper as for the site. */
int pub_stall(struct pub_src *src, const char *code, int (*fn)(const struct pub_stall *, void *),
              void *arg);
/* Every draw, oldest first. */
int pub_draws(struct pub_src *src, int (*fn)(const struct pub_draw *, void *), void *arg);
/* Every committed verification, oldest first. */
int pub_certificates(struct pub_src *src, int (*fn)(const struct pub_certificate *, void *),
                     void *arg);

#endif
