#include "db/market_card.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"

static int rows_add(const struct lists_row *row, void *arg)
{
    struct market_card *m = arg;
    if (m->n_rows == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        struct lists_row *v = realloc(m->rows, cap * sizeof *v);
        if (v == NULL)
            return sc_error_set(SC_ERR_NOMEM, "lists: %zu stalls", cap);
        m->rows = v;
        m->cap = cap;
    }
    m->rows[m->n_rows++] = *row;
    return 0;
}

int market_card_load(struct db *db, const struct rules *r, const char *code, day_t as_of,
                     day_t today, struct market_card *out)
{
    memset(out, 0, sizeof *out);
    out->as_of = as_of;
    int err = lists_markets(db, r, as_of, today, &out->markets, &out->n_markets);
    if (err < 0)
        return err;
    for (size_t i = 0; i < out->n_markets; i++)
        if (strcmp(out->markets[i].code, code) == 0)
            out->market = &out->markets[i];
    if (out->market == NULL) {
        market_card_free(out);
        return sc_error_set(SC_ERR_NOTFOUND, "no market '%s'", code);
    }
    err = lists_each(db, r, code, as_of, today, rows_add, out);
    if (err < 0)
        market_card_free(out);
    return err < 0 ? err : 0;
}

void market_card_free(struct market_card *m)
{
    free(m->markets);
    free(m->rows);
    memset(m, 0, sizeof *m);
}
