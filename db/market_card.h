/* What a market's scorecard and its posted list (红黑榜) show, loaded in
 * one call: every market's figures ranked (db/lists.h, core/market.h), the
 * market among them, and its stalls' lines of the list, in code order. */
#ifndef STALLCHECK_DB_MARKET_CARD_H
#define STALLCHECK_DB_MARKET_CARD_H

#include <stddef.h>

#include "core/day.h"
#include "core/rules.h"
#include "db/db.h"
#include "db/lists.h"

struct market_card {
    struct lists_market *markets;        /* every market, ranked */
    size_t n_markets;
    const struct lists_market *market;   /* this one, in markets */
    struct lists_row *rows;              /* its stalls, code order */
    size_t n_rows, cap;
    day_t as_of;
};

/* The card of market code on as_of (today: see lists_each).
 * SC_ERR_NOTFOUND when there is no such market.  Free with
 * market_card_free (also after an error). */
int market_card_load(struct db *db, const struct rules *r, const char *code, day_t as_of,
                     day_t today, struct market_card *out);
void market_card_free(struct market_card *m);

#endif
