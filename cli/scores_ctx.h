/* What the score, lists, followup, scorecard and fairscale commands open
 * first: the database, the rules in force and today. */
#ifndef STALLCHECK_CLI_SCORES_CTX_H
#define STALLCHECK_CLI_SCORES_CTX_H

#include "core/day.h"
#include "core/rules.h"
#include "db/db.h"

struct scores_ctx {
    struct db *db;
    struct rules rules;
    day_t today;
    char base_url[512];       /* the setting public_base_url; "" when unset */
};

/* Opens the database and resolves the rules (rules_path, else the
 * database's rules_file setting, else the built-in ones).  0, or the exit code after
 * reporting "stallcheck: what: why". */
int scores_open(const char *what, const char *rules_path, struct scores_ctx *ctx);
void scores_close(struct scores_ctx *ctx);

/* Says on stderr that a paper goes out without its QR code because the
 * public base URL is not set, and how to set it (once per process). */
void scores_warn_no_url(const char *what, const struct scores_ctx *ctx);

#endif
