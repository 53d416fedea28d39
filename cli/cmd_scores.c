/* score, lists, followup: integrity scores and the red/black list (红黑榜)
 * from the database under the rules file (db/lists.h, core/score.h). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/acting.h"
#include "cli/cli.h"
#include "cli/scores_ctx.h"
#include "core/error.h"
#include "db/lists.h"
#include "db/market_card.h"
#include "report/lang.h"
#include "report/lists.h"
#include "report/output.h"
#include "report/scorecard.h"

/* ---- score ------------------------------------------------------------- */

static void score_usage(FILE *out)
{
    fprintf(out,
            "Usage: stallcheck score STALL [--why] [--json] [--date YYYY-MM-DD] [--rules FILE]\n"
            "                        [--as BADGE]\n"
            "A stall's integrity (诚信) score and its place on the red/black list.\n\n"
            "  --why        every deduction with its inspection, date and rule, why the\n"
            "               stall is black or not red, and its open follow-ups\n"
            "  --json       one JSON object (always with the explanation)\n"
            "  --date D     the score on day D (default today)\n"
            "  --rules F    the scoring rules file (default the database's rules_file\n"
            "               setting, else the built-in rules, which equal data/rules.ini)\n"
            "  --as BADGE   who reads (the PIN asked, or one line of stdin); a manager\n"
            "               reads their own market's stalls only\n");
}

int cmd_score(int argc, char **argv)
{
    static const struct option options[] = {
        {"why", no_argument, NULL, 'w'},      {"json", no_argument, NULL, 'j'},
        {"date", required_argument, NULL, 'd'}, {"rules", required_argument, NULL, 'r'},
        {"as", required_argument, NULL, 'A'},   {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int why = 0, json = 0, c;
    const char *date = NULL, *rules = NULL, *as = NULL;
    while ((c = getopt_long(argc, argv, "wjd:r:h", options, NULL)) != -1) {
        switch (c) {
        case 'A': as = optarg; break;
        case 'w': why = 1; break;
        case 'j': json = 1; break;
        case 'd': date = optarg; break;
        case 'r': rules = optarg; break;
        case 'h': score_usage(stdout); return CLI_EXIT_OK;
        default: score_usage(stderr); return CLI_EXIT_USAGE;
        }
    }
    if (optind + 1 != argc)
        return cli_usage_error("score", "give one stall code");
    day_t as_of = 0;
    if (date != NULL && day_parse(date, &as_of) < 0)
        return cli_usage_error("score", "--date: %s", sc_error_message());
    struct scores_ctx ctx;
    int rc = scores_open("score", rules, &ctx);
    if (rc != 0)
        return rc;
    /* Who asks, before anything is looked up (cli/acting.h). */
    if ((rc = cli_acting_sign_in(ctx.db, "score", as)) != 0) {
        scores_close(&ctx);
        return rc;
    }
    struct lists_stall s;
    if (lists_stall_score(ctx.db, &ctx.rules, argv[optind], date ? as_of : ctx.today, &s) < 0) {
        rc = cli_fail("score", "%s", sc_error_message());
        scores_close(&ctx);
        return rc;
    }
    /* Roles (cli/acting.h): a signed-in manager reads their own market only. */
    const char *stall_market = s.stall.market;
    if ((rc = cli_acting_read(ctx.db, "score", as, &stall_market)) != 0) {
        lists_stall_free(&s);
        scores_close(&ctx);
        return rc;
    }
    report_score(stdout, json ? REPORT_JSON : REPORT_TEXT, &ctx.rules, &s, why);
    lists_stall_free(&s);
    scores_close(&ctx);
    return CLI_EXIT_OK;
}

/* ---- lists ------------------------------------------------------------- */

static void lists_usage(FILE *out)
{
    fprintf(out,
            "Usage: stallcheck lists [--market M] [--period YYYY-MM] [--json|--csv]\n"
            "                        [--all] [--markets] [--recompute] [--pdf FILE]\n"
            "                        [--rules FILE] [--lang LANG] [--as BADGE]\n"
            "The red/black list (红黑榜): red and black stalls, or every stall with --all.\n\n"
            "  --market M    one market (default the district)\n"
            "  --period P    the list at the end of month P (default today)\n"
            "  --all         every stall, also those on neither list\n"
            "  --json        one object per line: stall, market, name, score, grade, list,\n"
            "                since, until, reason, inspections, followups\n"
            "  --csv         the same fields as CSV with a header line\n"
            "  --markets     the markets instead: verified scales, lists, fair scale,\n"
            "                re-weigh pass rate, ranked (诚信计量示范集贸市场)\n"
            "  --recompute   recompute and store every stall's status today (stall_status;\n"
            "                the same is done per stall as inspections commit); prints\n"
            "                only the counts\n"
            "  --pdf FILE    the list to post at the market gate, A4 PDF: one page per\n"
            "                market (--market M for one), each black stall with the\n"
            "                rule broken in plain words\n"
            "  --lang L      the posted list's language: zh_CN (default) or en\n"
            "  --rules F     the scoring rules file (default the database's rules_file\n"
            "                setting, else the built-in rules, which equal data/rules.ini)\n"
            "  --as BADGE    who reads (the PIN asked, or one line of stdin); a manager\n"
            "                reads their own market only, by default\n");
}

struct codes {
    char (*v)[REG_CODE];
    size_t n;
};

static int code_add(const struct market *m, void *arg)
{
    struct codes *c = arg;
    void *v = realloc(c->v, (c->n + 1) * sizeof *c->v);
    if (v == NULL)
        return SC_ERR_NOMEM;
    c->v = v;
    snprintf(c->v[c->n++], REG_CODE, "%s", m->code);
    return 0;
}

struct lists_out {
    enum report_format fmt;
    int all;
    int counts[3];
};

/* Counts every row, shows those on a list (or all). */
static int lists_row_out(const struct lists_row *row, void *arg)
{
    struct lists_out *o = arg;
    o->counts[row->list]++;
    if (o->all || row->list != SCORE_LIST_NONE)
        report_lists_row(stdout, o->fmt, row);
    return 0;
}

static int markets_out(struct scores_ctx *ctx, day_t as_of, enum report_format fmt)
{
    struct lists_market *m;
    size_t n;
    if (lists_markets(ctx->db, &ctx->rules, as_of, ctx->today, &m, &n) < 0)
        return cli_fail("lists", "%s", sc_error_message());
    report_markets(stdout, fmt, m, n);
    free(m);
    return CLI_EXIT_OK;
}

/* The posted list (红黑榜), one A4 page (or more) per market. */
static int posted_pdf(struct scores_ctx *ctx, const char *market, day_t as_of, const char *path,
                      enum paper_lang lang)
{
    struct paper_lang_saved saved;
    paper_lang_begin(lang, &saved);
    struct codes codes = {0};
    int err = 0;
    if (market != NULL) {
        struct market m = {0};
        snprintf(m.code, sizeof m.code, "%s", market);
        err = code_add(&m, &codes);
    } else
        err = registry_list_markets(ctx->db, code_add, &codes);
    struct card **cards = calloc(codes.n ? codes.n : 1, sizeof *cards);
    size_t n = 0;
    if (cards == NULL)
        err = sc_error_set(SC_ERR_NOMEM, "lists");
    for (size_t i = 0; err >= 0 && i < codes.n; i++) {
        struct market_card m;
        if ((err = market_card_load(ctx->db, &ctx->rules, codes.v[i], as_of, ctx->today, &m)) < 0)
            break;
        err = scorecard_posted_list(ctx->db, &ctx->rules, &m, ctx->base_url, &cards[n]);
        market_card_free(&m);
        n += err >= 0;
    }
    struct report_to to = {.format = REPORT_PDF, .path = path};
    if (err >= 0) {
        scores_warn_no_url("lists", ctx);
        err = report_cards(cards, n, &to);
    }
    paper_lang_end(&saved);
    for (size_t i = 0; i < n; i++)
        card_free(cards[i]);
    free(cards);
    free(codes.v);
    return err < 0 ? cli_fail("lists", "%s", sc_error_message()) : CLI_EXIT_OK;
}

int cmd_lists(int argc, char **argv)
{
    static const struct option options[] = {
        {"market", required_argument, NULL, 'm'}, {"period", required_argument, NULL, 'p'},
        {"json", no_argument, NULL, 'j'},         {"csv", no_argument, NULL, 'c'},
        {"all", no_argument, NULL, 'a'},          {"markets", no_argument, NULL, 'M'},
        {"recompute", no_argument, NULL, 'R'},    {"rules", required_argument, NULL, 'r'},
        {"pdf", required_argument, NULL, 'P'},    {"as", required_argument, NULL, 'A'},
        {"lang", required_argument, NULL, 'L'},   {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *market = NULL, *period = NULL, *rules = NULL, *pdf = NULL, *as = NULL;
    enum paper_lang lang = PAPER_ZH;
    enum report_format fmt = REPORT_TEXT;
    int all = 0, markets = 0, recompute = 0, c;
    while ((c = getopt_long(argc, argv, "m:p:jcaMRr:P:h", options, NULL)) != -1) {
        switch (c) {
        case 'm': market = optarg; break;
        case 'p': period = optarg; break;
        case 'j':
        case 'c':
            if (fmt != REPORT_TEXT)
                return cli_usage_error("lists", "--json and --csv exclude each other");
            fmt = c == 'j' ? REPORT_JSON : REPORT_CSV;
            break;
        case 'a': all = 1; break;
        case 'M': markets = 1; break;
        case 'R': recompute = 1; break;
        case 'r': rules = optarg; break;
        case 'P': pdf = optarg; break;
        case 'A': as = optarg; break;
        case 'L':
            if (paper_lang_parse(optarg, &lang) < 0)
                return cli_usage_error("lists", "--lang: %s", sc_error_message());
            break;
        case 'h': lists_usage(stdout); return CLI_EXIT_OK;
        default: lists_usage(stderr); return CLI_EXIT_USAGE;
        }
    }
    if (optind != argc)
        return cli_usage_error("lists", "unexpected argument '%s'", argv[optind]);
    day_t end = 0;
    if (period != NULL && day_parse_month(period, &end) < 0)
        return cli_usage_error("lists", "--period: %s", sc_error_message());
    /* Stored statuses are computed under the rules in force only (audited:
     * stallcheck rules adopt), never a file named for one command. */
    if (recompute && rules && *rules)
        return cli_usage_error("lists", "--recompute stores statuses under the rules in force: "
                                        "adopt a rules file first (stallcheck rules adopt FILE)");
    struct scores_ctx ctx;
    int rc = scores_open("lists", rules, &ctx);
    if (rc != 0)
        return rc;
    /* Roles (cli/acting.h): a signed-in manager reads their own market only. */
    if ((rc = cli_acting_read(ctx.db, "lists", as, &market)) != 0 ||
        (recompute && (rc = cli_acting_require(ctx.db, "lists", as, ROLE_ACT_LISTS, market,
                                               NULL)) != 0)) {
        scores_close(&ctx);
        return rc;
    }
    day_t as_of = period != NULL && end < ctx.today ? end : ctx.today;
    if (market != NULL) {
        struct market m;
        if (registry_find_market(ctx.db, market, &m) < 0) {
            rc = cli_fail("lists", "no market '%s'", market);
            scores_close(&ctx);
            return rc;
        }
    }
    if (recompute) {
        /* Store every status, and say what came out (no second pass). */
        int counts[3];
        int64_t n = lists_recompute_counts(ctx.db, &ctx.rules, market, ctx.today, counts);
        if (n < 0) {
            rc = cli_fail("lists", "%s", sc_error_message());
        } else {
            char d[11];
            day_format(ctx.today, d, sizeof d);
            printf("%s: %lld stalls recomputed: %d red, %d black, %d on neither list\n", d,
                   (long long)n, counts[SCORE_LIST_RED], counts[SCORE_LIST_BLACK],
                   counts[SCORE_LIST_NONE]);
        }
        scores_close(&ctx);
        return rc;
    }
    if (pdf != NULL) {
        rc = posted_pdf(&ctx, market, as_of, pdf, lang);
        scores_close(&ctx);
        return rc;
    }
    if (markets) {
        rc = markets_out(&ctx, as_of, fmt);
        scores_close(&ctx);
        return rc;
    }
    struct lists_out o = {.fmt = fmt, .all = all};
    report_lists_header(stdout, fmt);
    if (lists_each(ctx.db, &ctx.rules, market, as_of, ctx.today, lists_row_out, &o) < 0) {
        rc = cli_fail("lists", "%s", sc_error_message());
        scores_close(&ctx);
        return rc;
    }
    report_lists_counts(stdout, fmt, as_of, o.counts);
    scores_close(&ctx);
    return CLI_EXIT_OK;
}

/* ---- followup ---------------------------------------------------------- */

static void followup_usage(FILE *out)
{
    fprintf(out,
            "Usage: stallcheck followup [--market M] [--all] [--json] [--rules FILE]\n"
            "                           [--as BADGE]\n"
            "Stalls due or overdue for re-inspection after a correction deadline (限期整改).\n\n"
            "  --market M   one market (default the district)\n"
            "  --all        also follow-ups whose deadline is still ahead (pending)\n"
            "  --json       one object per line: stall, market, name, item, inspection,\n"
            "               found, due, unfixed, status (pending, due, overdue)\n"
            "  --rules F    the scoring rules file\n"
            "  --as BADGE   who reads (the PIN asked, or one line of stdin); a manager\n"
            "               reads their own market only, by default\n");
}

static int followup_out(const struct lists_followup *f, void *arg)
{
    report_followup(stdout, *(const enum report_format *)arg, f);
    return 0;
}

int cmd_followup(int argc, char **argv)
{
    static const struct option options[] = {
        {"market", required_argument, NULL, 'm'}, {"all", no_argument, NULL, 'a'},
        {"json", no_argument, NULL, 'j'},         {"rules", required_argument, NULL, 'r'},
        {"as", required_argument, NULL, 'A'},     {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *market = NULL, *rules = NULL, *as = NULL;
    int all = 0, json = 0, c;
    while ((c = getopt_long(argc, argv, "m:ajr:h", options, NULL)) != -1) {
        switch (c) {
        case 'm': market = optarg; break;
        case 'a': all = 1; break;
        case 'j': json = 1; break;
        case 'r': rules = optarg; break;
        case 'A': as = optarg; break;
        case 'h': followup_usage(stdout); return CLI_EXIT_OK;
        default: followup_usage(stderr); return CLI_EXIT_USAGE;
        }
    }
    if (optind != argc)
        return cli_usage_error("followup", "unexpected argument '%s'", argv[optind]);
    struct scores_ctx ctx;
    int rc = scores_open("followup", rules, &ctx);
    if (rc != 0)
        return rc;
    /* Roles (cli/acting.h): a signed-in manager reads their own market only. */
    if ((rc = cli_acting_read(ctx.db, "followup", as, &market)) != 0) {
        scores_close(&ctx);
        return rc;
    }
    struct market m;
    if (market != NULL && registry_find_market(ctx.db, market, &m) < 0) {
        rc = cli_fail("followup", "no market '%s'", market);
        scores_close(&ctx);
        return rc;
    }
    enum report_format fmt = json ? REPORT_JSON : REPORT_TEXT;
    if (lists_followups(ctx.db, &ctx.rules, market, ctx.today, all, followup_out, &fmt) < 0)
        rc = cli_fail("followup", "%s", sc_error_message());
    scores_close(&ctx);
    return rc;
}
