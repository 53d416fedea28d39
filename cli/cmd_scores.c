/* score, lists, followup: integrity scores and the red/black list (红黑榜)
 * from the database under the rules file (db/lists.h, core/score.h). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/acting.h"
#include "cli/cli.h"
#include "cli/scores_common.h"
#include "core/checklist.h"
#include "core/error.h"
#include "db/lists.h"
#include "report/card.h"
#include "report/json.h"
#include "report/scorecard.h"

int scores_open(const char *what, const char *rules_path, struct scores_ctx *ctx)
{
    memset(ctx, 0, sizeof *ctx);
    const char *path = cli_db_path();
    if (path == NULL)
        return cli_fail(what, "%s", sc_error_message());
    if (db_open(path, &ctx->db) < 0)
        return cli_fail(what, "%s", sc_error_message());
    /* --rules, else $STALLCHECK_RULES: this command's what-if only; stored
     * statuses keep the rules in force (stallcheck rules). */
    if (rules_path == NULL || *rules_path == '\0')
        rules_path = getenv("STALLCHECK_RULES");
    if (lists_rules(ctx->db, rules_path, &ctx->rules) < 0) {
        int rc = cli_fail(what, "%s", sc_error_message());
        db_close(ctx->db);
        ctx->db = NULL;
        return rc;
    }
    char buf[16];
    db_today(buf, sizeof buf);
    if (day_parse(buf, &ctx->today) < 0) {
        int rc = cli_fail(what, "today: %s", sc_error_message());
        db_close(ctx->db);
        ctx->db = NULL;
        return rc;
    }
    return 0;
}

void scores_close(struct scores_ctx *ctx)
{
    db_close(ctx->db);
    ctx->db = NULL;
}

const char *scores_item_id(enum checklist_item item)
{
    return (unsigned)item < CHECK_ITEM_COUNT ? checklist_items(NULL)[item].id : "";
}

/* ---- score ------------------------------------------------------------- */

static void score_usage(FILE *out)
{
    fprintf(out,
            "Usage: stallcheck score STALL [--why] [--json] [--date YYYY-MM-DD] [--rules FILE]\n"
            "A stall's integrity (诚信) score and its place on the red/black list.\n\n"
            "  --why        every deduction with its inspection, date and rule, why the\n"
            "               stall is black or not red, and its open follow-ups\n"
            "  --json       one JSON object (always with the explanation)\n"
            "  --date D     the score on day D (default today)\n"
            "  --rules F    the scoring rules file (default $STALLCHECK_RULES, else the\n"
            "               built-in rules, which equal data/rules.ini)\n");
}

static void print_day(FILE *out, day_t d)
{
    char buf[11];
    day_format(d, buf, sizeof buf);
    fputs(buf, out);
}

static void json_day(FILE *out, day_t d)
{
    fputc('"', out);
    print_day(out, d);
    fputc('"', out);
}

static const char *short_id(const char *id, char buf[9])
{
    snprintf(buf, 9, "%s", id ? id : "");
    return buf;
}

static void score_text(const struct scores_ctx *ctx, const struct lists_stall *s, int why)
{
    const struct score_result *r = &s->res;
    printf("%s  %s  (%s %s)\n", s->stall.code, s->stall.name, s->market.code, s->market.name);
    printf("score %d, %s star, list %s, on ", r->score, score_grade_name(r->grade),
           score_list_name(r->list));
    print_day(stdout, r->as_of);
    printf("\n");
    if (!why)
        return;
    char key[64], idb[9];
    printf("\nDeductions in the last %d months (from %d):\n", ctx->rules.window_months,
           ctx->rules.base);
    if (r->n_deductions == 0)
        printf("  none\n");
    for (size_t i = 0; i < r->n_deductions; i++) {
        const struct score_deduction *d = &r->deductions[i];
        printf("  ");
        print_day(stdout, d->day);
        printf("  %-8s  -%-3d %-18s %s%s\n", short_id(d->event_id, idb), d->points,
               d->rule == SCORE_RULE_FAIRSCALE_SHORT ? "fair-scale short" : scores_item_id(d->item),
               score_rule_key(&ctx->rules, d, key, sizeof key), d->black ? "  (black)" : "");
    }
    printf("\n");
    if (r->list == SCORE_LIST_BLACK) {
        printf("Black since ");
        print_day(stdout, r->black_since);
        printf(": %s", score_black_reason_text(r->black_reason));
        if ((unsigned)r->black_item < CHECK_ITEM_COUNT)
            printf(" (%s)", scores_item_id(r->black_item));
        if (r->black_event)
            printf(", inspection %s", short_id(r->black_event, idb));
        printf(".\nIt can end at a clean re-inspection on or after ");
        print_day(stdout, r->black_until);
        printf(" ([black] months = %d).\n", ctx->rules.black_months);
    } else if (r->list == SCORE_LIST_RED) {
        printf("Red: %d clean inspections in the last %d months, score >= %d.\n",
               r->red_inspections, ctx->rules.red_months, ctx->rules.red_min_score);
    } else {
        printf("Not red:");
        if (r->score < ctx->rules.red_min_score)
            printf(" score below %d;", ctx->rules.red_min_score);
        if (r->red_inspections < ctx->rules.red_min_inspections)
            printf(" %d inspection(s) in the last %d months, %d needed;", r->red_inspections,
                   ctx->rules.red_months, ctx->rules.red_min_inspections);
        if (r->red_failures > 0)
            printf(" %d check(s) with a failure in the last %d months;", r->red_failures,
                   ctx->rules.red_months);
        if (r->n_followups > 0)
            printf(" %zu open follow-up(s);", r->n_followups);
        printf("\n");
    }
    if (r->n_followups > 0) {
        printf("\nFollow-ups (限期整改):\n");
        for (size_t i = 0; i < r->n_followups; i++) {
            const struct score_followup *f = &r->followups[i];
            printf("  %-18s found ", scores_item_id(f->item));
            print_day(stdout, f->opened);
            printf(", due ");
            print_day(stdout, f->due);
            printf("%s, not fixed %d time(s)\n", f->due < r->as_of ? " (overdue)" : "",
                   f->unfixed);
        }
    }
}

static void score_json(const struct scores_ctx *ctx, const struct lists_stall *s)
{
    const struct score_result *r = &s->res;
    char key[64];
    printf("{\"stall\":");
    json_string(stdout, s->stall.code);
    printf(",\"market\":");
    json_string(stdout, s->stall.market);
    printf(",\"name\":");
    json_string(stdout, s->stall.name);
    printf(",\"date\":");
    json_day(stdout, r->as_of);
    printf(",\"score\":%d,\"grade\":\"%s\",\"list\":\"%s\",\"inspections\":%d", r->score,
           score_grade_name(r->grade), score_list_name(r->list), r->inspections);
    printf(",\"black\":");
    if (r->list == SCORE_LIST_BLACK) {
        printf("{\"since\":");
        json_day(stdout, r->black_since);
        printf(",\"until\":");
        json_day(stdout, r->black_until);
        printf(",\"reason\":");
        json_string(stdout, score_black_reason_text(r->black_reason));
        printf(",\"item\":");
        json_string(stdout, (unsigned)r->black_item < CHECK_ITEM_COUNT
                                ? scores_item_id(r->black_item) : NULL);
        printf(",\"inspection\":");
        json_string(stdout, r->black_event);
        printf("}");
    } else {
        printf("null");
    }
    printf(",\"red\":{\"inspections\":%d,\"failures\":%d}", r->red_inspections, r->red_failures);
    printf(",\"deductions\":[");
    for (size_t i = 0; i < r->n_deductions; i++) {
        const struct score_deduction *d = &r->deductions[i];
        printf("%s{\"inspection\":", i ? "," : "");
        json_string(stdout, d->event_id);
        printf(",\"date\":");
        json_day(stdout, d->day);
        printf(",\"item\":");
        json_string(stdout, scores_item_id(d->item));
        printf(",\"rule\":");
        json_string(stdout, score_rule_key(&ctx->rules, d, key, sizeof key));
        printf(",\"points\":%d,\"black\":%s}", d->points, d->black ? "true" : "false");
    }
    printf("],\"followups\":[");
    for (size_t i = 0; i < r->n_followups; i++) {
        const struct score_followup *f = &r->followups[i];
        printf("%s{\"item\":", i ? "," : "");
        json_string(stdout, scores_item_id(f->item));
        printf(",\"inspection\":");
        json_string(stdout, f->event_id);
        printf(",\"found\":");
        json_day(stdout, f->opened);
        printf(",\"due\":");
        json_day(stdout, f->due);
        printf(",\"unfixed\":%d}", f->unfixed);
    }
    printf("]}\n");
}

int cmd_score(int argc, char **argv)
{
    static const struct option options[] = {
        {"why", no_argument, NULL, 'w'},      {"json", no_argument, NULL, 'j'},
        {"date", required_argument, NULL, 'd'}, {"rules", required_argument, NULL, 'r'},
        {"help", no_argument, NULL, 'h'},     {NULL, 0, NULL, 0},
    };
    int why = 0, json = 0, c;
    const char *date = NULL, *rules = NULL;
    while ((c = getopt_long(argc, argv, "wjd:r:h", options, NULL)) != -1) {
        switch (c) {
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
    struct lists_stall s;
    if (lists_stall_score(ctx.db, &ctx.rules, argv[optind], date ? as_of : ctx.today, &s) < 0) {
        rc = cli_fail("score", "%s", sc_error_message());
        scores_close(&ctx);
        return rc;
    }
    /* Roles (cli/acting.h): a signed-in manager reads their own market only. */
    const char *stall_market = s.stall.market;
    if ((rc = cli_acting_read(ctx.db, "score", &stall_market)) != 0) {
        lists_stall_free(&s);
        scores_close(&ctx);
        return rc;
    }
    if (json)
        score_json(&ctx, &s);
    else
        score_text(&ctx, &s, why);
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
            "                        [--rules FILE]\n"
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
            "                market (--market M for one)\n"
            "  --rules F     the scoring rules file (default $STALLCHECK_RULES, else\n"
            "                the built-in rules, which equal data/rules.ini)\n");
}

enum lists_format { FMT_TEXT, FMT_JSON, FMT_CSV };

struct lists_out {
    enum lists_format fmt;
    int all;
    int counts[3];
};

/* CSV per RFC 4180: quote when the field has a comma, quote or newline. */
static void csv_field(FILE *out, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

static int lists_row_out(const struct lists_row *row, void *arg)
{
    struct lists_out *o = arg;
    o->counts[row->list]++;
    if (!o->all && row->list == SCORE_LIST_NONE)
        return 0;
    char since[11] = "", until[11] = "";
    if (row->list == SCORE_LIST_BLACK) {
        day_format(row->since, since, sizeof since);
        day_format(row->until, until, sizeof until);
    }
    const char *reason = row->list == SCORE_LIST_BLACK ? score_black_reason_text(row->black_reason)
                                                       : "";
    switch (o->fmt) {
    case FMT_JSON:
        printf("{\"stall\":");
        json_string(stdout, row->stall);
        printf(",\"market\":");
        json_string(stdout, row->market);
        printf(",\"name\":");
        json_string(stdout, row->name);
        printf(",\"score\":%d,\"grade\":\"%s\",\"list\":\"%s\",\"since\":", row->score,
               score_grade_name(row->grade), score_list_name(row->list));
        json_string(stdout, since[0] ? since : NULL);
        printf(",\"until\":");
        json_string(stdout, until[0] ? until : NULL);
        printf(",\"reason\":");
        json_string(stdout, reason[0] ? reason : NULL);
        printf(",\"inspections\":%d,\"followups\":%d}\n", row->inspections, row->followups);
        break;
    case FMT_CSV:
        csv_field(stdout, row->stall);
        putchar(',');
        csv_field(stdout, row->market);
        putchar(',');
        csv_field(stdout, row->name);
        printf(",%d,%s,%s,%s,%s,", row->score, score_grade_name(row->grade),
               score_list_name(row->list), since, until);
        csv_field(stdout, reason);
        printf(",%d,%d\n", row->inspections, row->followups);
        break;
    case FMT_TEXT:
        printf("%-6s %-12s %-10s %3d  %-6s %s%s%s\n", score_list_name(row->list), row->stall,
               row->market, row->score, score_grade_name(row->grade), since,
               reason[0] ? "  " : "", reason);
        break;
    }
    return 0;
}

static int markets_out(struct scores_ctx *ctx, day_t as_of, enum lists_format fmt)
{
    struct lists_market *m;
    size_t n;
    if (lists_markets(ctx->db, &ctx->rules, as_of, ctx->today, &m, &n) < 0)
        return cli_fail("lists", "%s", sc_error_message());
    if (fmt == FMT_CSV)
        printf("rank,market,name,stalls,red,black,none,scales,scales_verified,fair_scales,"
               "reweighs,reweighs_pass,status\n");
    else if (fmt == FMT_TEXT)
        printf("rank market       stalls  red%%  black%%  verified%%  fair  re-weigh pass%%  "
               "status\n");
    for (size_t i = 0; i < n; i++) {
        const struct lists_market *x = &m[i];
        if (fmt == FMT_JSON) {
            printf("{\"rank\":%d,\"market\":", x->rank);
            json_string(stdout, x->code);
            printf(",\"name\":");
            json_string(stdout, x->name);
            printf(",\"stalls\":%d,\"red\":%d,\"black\":%d,\"none\":%d,\"scales\":%d,"
                   "\"scales_verified\":%d,\"fair_scales\":%d,\"reweighs\":%d,"
                   "\"reweighs_pass\":%d,\"status\":\"%s\"}\n",
                   x->fig.stalls, x->fig.red, x->fig.black, x->fig.none, x->fig.scales, x->fig.scales_verified,
                   x->fig.fair_scales, x->fig.reweighs, x->fig.reweighs_pass,
                   market_status_name(x->status));
        } else if (fmt == FMT_CSV) {
            printf("%d,", x->rank);
            csv_field(stdout, x->code);
            putchar(',');
            csv_field(stdout, x->name);
            printf(",%d,%d,%d,%d,%d,%d,%d,%d,%d,%s\n", x->fig.stalls, x->fig.red, x->fig.black, x->fig.none,
                   x->fig.scales, x->fig.scales_verified, x->fig.fair_scales, x->fig.reweighs, x->fig.reweighs_pass,
                   market_status_name(x->status));
        } else {
            int red = lists_permille(x->fig.red, x->fig.stalls), blk = lists_permille(x->fig.black, x->fig.stalls);
            int ver = lists_permille(x->fig.scales_verified, x->fig.scales);
            int rw = lists_permille(x->fig.reweighs_pass, x->fig.reweighs);
            printf("%4d %-12s %6d %3d.%d  %4d.%d  %7d.%d  %4s  %11d.%d  %s\n", x->rank, x->code,
                   x->fig.stalls, red / 10, red % 10, blk / 10, blk % 10, ver / 10, ver % 10,
                   x->fig.fair_scales > 0 ? "yes" : "no", rw / 10, rw % 10,
                   market_status_name(x->status));
        }
    }
    free(m);
    return CLI_EXIT_OK;
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

/* The posted list (红黑榜), one A4 page (or more) per market. */
static int posted_pdf(struct scores_ctx *ctx, const char *market, day_t as_of, const char *path)
{
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
        struct scores_market m;
        if ((err = scores_market_load(ctx, codes.v[i], as_of, &m)) < 0)
            break;
        cards[n] = scorecard_posted_list(&ctx->rules, &m.card);
        scores_market_free(&m);
        if (cards[n++] == NULL)
            err = sc_error_set(SC_ERR_NOMEM, "lists");
    }
    if (err >= 0)
        err = card_pdf(cards, n, path);
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
        {"pdf", required_argument, NULL, 'P'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
    };
    const char *market = NULL, *period = NULL, *rules = NULL, *pdf = NULL;
    int fmt = FMT_TEXT, all = 0, markets = 0, recompute = 0, c;
    while ((c = getopt_long(argc, argv, "m:p:jcaMRr:P:h", options, NULL)) != -1) {
        switch (c) {
        case 'm': market = optarg; break;
        case 'p': period = optarg; break;
        case 'j':
        case 'c':
            if (fmt != FMT_TEXT)
                return cli_usage_error("lists", "--json and --csv exclude each other");
            fmt = c == 'j' ? FMT_JSON : FMT_CSV;
            break;
        case 'a': all = 1; break;
        case 'M': markets = 1; break;
        case 'R': recompute = 1; break;
        case 'r': rules = optarg; break;
        case 'P': pdf = optarg; break;
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
    if (recompute && ((rules && *rules) || (getenv("STALLCHECK_RULES") &&
                                            *getenv("STALLCHECK_RULES"))))
        return cli_usage_error("lists", "--recompute stores statuses under the rules in force: "
                                        "adopt a rules file first (stallcheck rules adopt FILE)");
    struct scores_ctx ctx;
    int rc = scores_open("lists", rules, &ctx);
    if (rc != 0)
        return rc;
    /* Roles (cli/acting.h): a signed-in manager reads their own market only. */
    if ((rc = cli_acting_read(ctx.db, "lists", &market)) != 0) {
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
        rc = posted_pdf(&ctx, market, as_of, pdf);
        scores_close(&ctx);
        return rc;
    }
    if (markets) {
        rc = markets_out(&ctx, as_of, (enum lists_format)fmt);
        scores_close(&ctx);
        return rc;
    }
    struct lists_out o = {.fmt = (enum lists_format)fmt, .all = all};
    if (fmt == FMT_CSV)
        printf("stall,market,name,score,grade,list,since,until,reason,inspections,followups\n");
    if (lists_each(ctx.db, &ctx.rules, market, as_of, ctx.today, lists_row_out, &o) < 0) {
        rc = cli_fail("lists", "%s", sc_error_message());
        scores_close(&ctx);
        return rc;
    }
    if (fmt == FMT_TEXT) {
        char d[11];
        day_format(as_of, d, sizeof d);
        printf("%s: %d red, %d black, %d on neither list\n", d, o.counts[SCORE_LIST_RED],
               o.counts[SCORE_LIST_BLACK], o.counts[SCORE_LIST_NONE]);
    }
    scores_close(&ctx);
    return CLI_EXIT_OK;
}

/* ---- followup ---------------------------------------------------------- */

static void followup_usage(FILE *out)
{
    fprintf(out,
            "Usage: stallcheck followup [--market M] [--all] [--json] [--rules FILE]\n"
            "Stalls due or overdue for re-inspection after a correction deadline (限期整改).\n\n"
            "  --market M   one market (default the district)\n"
            "  --all        also follow-ups whose deadline is still ahead (pending)\n"
            "  --json       one object per line: stall, market, name, item, inspection,\n"
            "               found, due, unfixed, status (pending, due, overdue)\n"
            "  --rules F    the scoring rules file\n");
}

static int followup_out(const struct lists_followup *f, void *arg)
{
    int json = *(int *)arg;
    char found[11], due[11];
    day_format(f->opened, found, sizeof found);
    day_format(f->due, due, sizeof due);
    if (json) {
        printf("{\"stall\":");
        json_string(stdout, f->stall);
        printf(",\"market\":");
        json_string(stdout, f->market);
        printf(",\"name\":");
        json_string(stdout, f->name);
        printf(",\"item\":");
        json_string(stdout, scores_item_id(f->item));
        printf(",\"inspection\":");
        json_string(stdout, f->inspection);
        printf(",\"found\":\"%s\",\"due\":\"%s\",\"unfixed\":%d,\"status\":\"%s\"}\n", found, due,
               f->unfixed, lists_followup_status_name(f->status));
    } else {
        printf("%-8s %s  %-12s %-10s %-18s found %s  not fixed %d\n",
               lists_followup_status_name(f->status), due, f->stall, f->market,
               scores_item_id(f->item), found, f->unfixed);
    }
    return 0;
}

int cmd_followup(int argc, char **argv)
{
    static const struct option options[] = {
        {"market", required_argument, NULL, 'm'}, {"all", no_argument, NULL, 'a'},
        {"json", no_argument, NULL, 'j'},         {"rules", required_argument, NULL, 'r'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
    };
    const char *market = NULL, *rules = NULL;
    int all = 0, json = 0, c;
    while ((c = getopt_long(argc, argv, "m:ajr:h", options, NULL)) != -1) {
        switch (c) {
        case 'm': market = optarg; break;
        case 'a': all = 1; break;
        case 'j': json = 1; break;
        case 'r': rules = optarg; break;
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
    if ((rc = cli_acting_read(ctx.db, "followup", &market)) != 0) {
        scores_close(&ctx);
        return rc;
    }
    if (lists_followups(ctx.db, &ctx.rules, market, ctx.today, all, followup_out, &json) < 0)
        rc = cli_fail("followup", "%s", sc_error_message());
    scores_close(&ctx);
    return rc;
}
