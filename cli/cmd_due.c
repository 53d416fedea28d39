/* stallcheck due: instruments due or overdue for verification, per market.
 * An instrument with no due date (never verified) is listed as due: an
 * unverified instrument may not be used for trade (计量法 Art. 9). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/acting.h"
#include "cli/cli.h"
#include "core/day.h"
#include "core/due.h"
#include "core/error.h"
#include "db/db.h"
#include "db/registry.h"
#include "report/due.h"

static void due_usage(FILE *out)
{
    fprintf(out,
            "Usage: stallcheck due [--market M] [--within N[d]] [--json|--csv] [--as BADGE]\n"
            "Instruments due or overdue for verification (检定), per market: those whose\n"
            "due date is today or earlier, or within N days from today; instruments never\n"
            "verified (no due date) are listed too.  Inactive instruments are left out.\n\n"
            "  --market M    one market (a manager sees only their own)\n"
            "  --within N    also those due in the next N days (\"30\" or \"30d\"; default 0)\n"
            "  --date D      count from day D instead of today (YYYY-MM-DD)\n"
            "  --json        one object per line: instrument, market, stall, kind, serial,\n"
            "                last_verified, due (YYYY-MM-DD or null), days (due - today),\n"
            "                overdue (true when due is before today, or never verified)\n"
            "  --csv         the same fields as CSV with a header\n"
            "  --as BADGE    who reads (the PIN asked, or one line of stdin)\n\n"
            "Exit status: 0 (also when nothing is due), 1 error, 2 usage.\n");
}

struct due_ctx {
    day_t today, until;
    struct due_line *rows;
    size_t n, cap;
    int err;
};

static int collect(const struct instrument *in, void *arg)
{
    struct due_ctx *c = arg;
    if (!in->active)
        return 0;
    struct due_line r;
    memset(&r, 0, sizeof r);
    r.in = *in;
    r.due = due_check(in->due, c->today);
    if (r.due.has_due && r.due.due > c->until)
        return 0;
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 64;
        struct due_line *nr = realloc(c->rows, c->cap * sizeof *nr);
        if (nr == NULL) {
            c->err = SC_ERR_NOMEM;
            return 1;
        }
        c->rows = nr;
    }
    c->rows[c->n++] = r;
    return 0;
}

static int parse_within(const char *text, int *days)
{
    char *end;
    long v = strtol(text, &end, 10);
    if (end == text || v < 0 || v > 3660 || (*end != '\0' && strcmp(end, "d") != 0))
        return -1;
    *days = (int)v;
    return 0;
}

int cmd_due(int argc, char **argv)
{
    static const struct option options[] = {
        {"market", required_argument, NULL, 'm'},
        {"within", required_argument, NULL, 'w'},
        {"date", required_argument, NULL, 'D'},
        {"json", no_argument, NULL, 'j'},
        {"csv", no_argument, NULL, 'c'},
        {"as", required_argument, NULL, 'a'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *market = NULL, *as = NULL, *date = NULL;
    int within = 0, json = 0, csv = 0, c;
    while ((c = getopt_long(argc, argv, "hm:w:jc", options, NULL)) != -1) {
        switch (c) {
        case 'm': market = optarg; break;
        case 'w':
            if (parse_within(optarg, &within) < 0)
                return cli_usage_error("due", "--within %s: want a number of days (30 or 30d)",
                                       optarg);
            break;
        case 'D': date = optarg; break;
        case 'j': json = 1; break;
        case 'c': csv = 1; break;
        case 'a': as = optarg; break;
        case 'h': due_usage(stdout); return CLI_EXIT_OK;
        default: due_usage(stderr); return CLI_EXIT_USAGE;
        }
    }
    if (optind < argc)
        return cli_usage_error("due", "unexpected argument '%s'", argv[optind]);
    if (json && csv)
        return cli_usage_error("due", "--json and --csv: choose one");
    struct due_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    char today[16];
    if (date != NULL)
        snprintf(today, sizeof today, "%s", date);
    else
        db_today(today, sizeof today);
    if (day_parse(today, &ctx.today) < 0)
        return cli_usage_error("due", "--date %s: want YYYY-MM-DD", today);
    ctx.until = ctx.today + within;
    struct db *db;
    int rc = cli_db_open("due", &db);
    if (rc != 0)
        return rc;
    struct acting who;
    rc = cli_acting_require(db, "due", as, ROLE_ACT_DUE, market, &who);
    if (rc != CLI_EXIT_OK) {
        db_close(db);
        return rc;
    }
    /* A manager reads their own market only: it is the default for them. */
    if (market == NULL && who.role == ROLES_MANAGER && who.market[0] != '\0')
        market = who.market;
    if (market != NULL) {
        struct market m;
        if (registry_find_market(db, market, &m) < 0) {
            db_close(db);
            return cli_fail("due", "--market %s: no such market", market);
        }
    }
    rc = registry_instruments_by_market(db, market, NULL, collect, &ctx);
    db_close(db);
    if (rc < 0 || ctx.err < 0) {
        free(ctx.rows);
        return cli_fail("due", "%s", sc_error_message());
    }
    report_due(stdout, json ? REPORT_JSON : csv ? REPORT_CSV : REPORT_TEXT, ctx.rows, ctx.n,
               market, ctx.until);
    free(ctx.rows);
    return CLI_EXIT_OK;
}
