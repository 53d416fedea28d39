/* Shared by the score, lists, followup, scorecard and fairscale commands:
 * the database, the rules in force and today. */
#ifndef STALLCHECK_CLI_SCORES_COMMON_H
#define STALLCHECK_CLI_SCORES_COMMON_H

#include "core/checklist.h"
#include "core/day.h"
#include "core/rules.h"
#include "db/db.h"

struct scores_ctx {
    struct db *db;
    struct rules rules;
    day_t today;
    char base_url[512];       /* the setting public_base_url; "" when unset */
};

/* Opens the database and resolves the rules (rules_path, else
 * $STALLCHECK_RULES, else the built-in ones).  0, or the exit code after
 * reporting "stallcheck: what: why". */
int scores_open(const char *what, const char *rules_path, struct scores_ctx *ctx);
void scores_close(struct scores_ctx *ctx);

const char *scores_item_id(enum checklist_item item);

/* Says on stderr that a paper goes out without its QR code because the
 * public base URL is not set, and how to set it (once per process). */
void scores_warn_no_url(const char *what, const struct scores_ctx *ctx);

/* A market's figures and stalls, for its scorecard and posted list. */
#include "db/lists.h"
#include "report/scorecard.h"
struct scores_market {
    struct lists_market *markets;  /* every market, ranked */
    size_t n_markets;
    struct lists_row *rows;        /* this market's stalls */
    size_t n_rows, cap;
    struct scorecard_market card;  /* points into the above */
};
int scores_market_load(struct scores_ctx *ctx, const char *code, day_t as_of,
                       struct scores_market *out);
void scores_market_free(struct scores_market *m);

/* Writes cards as text (0), pdf (1) or escpos (2) to output (NULL:
 * standard output; a PDF needs a file).  0 or SC_ERR_*. */
int scores_card_write(struct card *const *cards, size_t n, int format, const char *output);
int scores_card_escpos(struct card *const *cards, size_t n, const char *output);
/* Sends the cards to a receipt printer (devices/escpos: a serial port or
 * tcp-raw/HOST/PORT). */
int scores_card_print(struct card *const *cards, size_t n, const char *conn);

#endif
