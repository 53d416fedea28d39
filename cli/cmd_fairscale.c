/* fairscale: the market's fair-scale station (公平秤).  A customer's
 * complaint re-weighed on the market's fair scale by market staff: the
 * reading taken over the serial link (or typed), the re-weigh verdict from
 * core/reweigh.h, the amount owed under the market's rule ([fairscale]
 * compensation_multiple: 缺一补二), a ticket (text, or receipt printer), and
 * the check recorded against the stall's score (an inspection with one
 * re-weigh made at the fair scale and no checklist: db/lists.h). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/acting.h"
#include "cli/scores_ctx.h"
#include "core/error.h"
#include "core/mass.h"
#include "core/reweigh.h"
#include "core/utf8.h"
#include "core/visit.h"
#include "db/fairscale.h"
#include "db/lists.h"
#include "db/officer.h"
#include "db/registry.h"
#include "devices/link.h"
#include "devices/reading.h"
#include "report/fairscale.h"
#include "report/output.h"

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: stallcheck fairscale --stall CODE --badge B --stated MASS\n"
            "                            (--measured MASS | --conn CONN | from the registry)\n"
            "                            [--goods TEXT] [--category CAT] [--price P]\n"
            "                            [--scale CODE] [--ticket FILE | --printer CONN]\n"
            "                            [--json] [--rules FILE]\n"
            "A customer's complaint re-weighed at the market's fair scale (公平秤): the\n"
            "verdict, what the stall owes under the market's rule (缺一补二), a ticket, and\n"
            "the check recorded against the stall's score.  An officer, or the manager of\n"
            "the stall's own market (whose desk the fair scale is), signs in with their\n"
            "badge and PIN (read without echo, or one line from stdin).\n\n"
            "  --stall CODE     the stall complained about\n"
            "  --badge B        who checks and signs in (also --as B)\n"
            "  --stated MASS    the mass the stall charged: 1kg, 2斤, 500g\n"
            "  --measured MASS  the fair scale's reading, typed\n"
            "  --conn CONN      read the fair scale: DRIVER:conn=PORT[:serialcomm=...]\n"
            "                   (default: the market's fair scale in the registry)\n"
            "  --scale CODE     the fair scale's instrument code (default: the market's)\n"
            "  --goods TEXT     what was bought: 猪肉\n"
            "  --category CAT   the retail table's row (stallcheck reweigh --categories);\n"
            "                   else chosen by --price\n"
            "  --price P        unit price: 30元/kg, 15元/斤; gives the amounts\n"
            "  --ticket FILE    the ticket as ESC/POS bytes for a receipt printer\n"
            "  --printer CONN   send the ticket to a printer: /dev/ttyUSB0 or tcp-raw/HOST/PORT\n"
            "  --json           one JSON object instead of the text ticket\n"
            "  --rules FILE     the scoring rules file (compensation_multiple)\n\n"
            "Exit status 3 when the goods were short beyond the allowed deviation.\n");
}

struct fair_find {
    char code[REG_CODE];
    char conn[256];
};

static int fair_one(const struct instrument *in, void *arg)
{
    struct fair_find *f = arg;
    if (!in->active || f->code[0] != '\0')
        return 0;
    snprintf(f->code, sizeof f->code, "%s", in->code);
    snprintf(f->conn, sizeof f->conn, "%s", in->conn);
    return 0;
}

/* Waits up to 10 s for a stable mass on the link; *driver gets the name of
 * the protocol that decoded it. */
static int read_fair_scale(const char *conn, int64_t *ug, struct reading *r, char *driver,
                           size_t size)
{
    struct link *l;
    if (link_open(conn, &l) < 0)
        return -1;
    snprintf(driver, size, "%s", link_driver(l)->name);
    int rc = link_request(l, DRIVER_REQ_STABLE);
    if (rc < 0 && rc != SC_ERR_UNSUPPORTED) {
        link_close(l);
        return -1;
    }
    time_t end = time(NULL) + 10;
    int err = 1;
    while (err == 1 && time(NULL) <= end) {
        rc = link_read(l, r, 1000);
        if (rc == SC_ERR_TIMEOUT)
            continue;
        if (rc < 0) {
            err = rc;
            break;
        }
        if (r->stable && (err = reading_mass_ug(r, ug)) == SC_ERR_ARG)
            err = 1; /* no mass in this frame: wait for one */
    }
    if (err == 1)
        err = sc_error_set(SC_ERR_TIMEOUT, "%s: no stable mass reading in 10 s", conn);
    link_close(l);
    return err;
}

/* The frame read from the fair scale as the record keeps it. */
static void fair_reading(struct visit_reading *r, const struct reading *read, const char *driver)
{
    _Static_assert(VISIT_RAW_MAX >= READING_RAW_MAX, "a frame fits a visit's reading");
    memset(r, 0, sizeof *r);
    r->raw_len = read->raw_len < READING_RAW_MAX ? read->raw_len : READING_RAW_MAX;
    memcpy(r->raw, read->raw, r->raw_len);
    utf8_copy(r->value, sizeof r->value, read->text);
    utf8_copy(r->unit, sizeof r->unit, read->unit);
    utf8_copy(r->driver, sizeof r->driver, driver);
    r->stable = 1;
}

struct fair_args {
    const char *stall, *badge, *measured, *conn, *scale, *goods, *ticket, *printer, *rules;
    int json;
    struct reweigh_input in; /* the mass charged, category or price, measured if typed */
    /* What was bought, whole, as the ticket prints it (checked: never cut). */
    char goods_text[sizeof ((struct visit_reweigh *)0)->goods];
};

/* The options; -1 to go on, else the exit code (--help, a usage error). */
static int parse_args(int argc, char **argv, struct fair_args *a)
{
    static const struct option options[] = {
        {"stall", required_argument, NULL, 's'},   {"badge", required_argument, NULL, 'b'},
        {"as", required_argument, NULL, 'b'},
        {"stated", required_argument, NULL, 'S'},  {"measured", required_argument, NULL, 'M'},
        {"conn", required_argument, NULL, 'c'},    {"scale", required_argument, NULL, 'i'},
        {"goods", required_argument, NULL, 'g'},   {"category", required_argument, NULL, 'C'},
        {"price", required_argument, NULL, 'p'},   {"ticket", required_argument, NULL, 't'},
        {"printer", required_argument, NULL, 'P'}, {"json", no_argument, NULL, 'j'},
        {"rules", required_argument, NULL, 'r'},   {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *stated = NULL, *category = NULL, *price = NULL;
    memset(a, 0, sizeof *a);
    a->goods = "";
    int c;
    while ((c = getopt_long(argc, argv, "s:b:S:M:c:i:g:C:p:t:P:jr:h", options, NULL)) != -1) {
        switch (c) {
        case 's': a->stall = optarg; break;
        case 'b': a->badge = optarg; break;
        case 'S': stated = optarg; break;
        case 'M': a->measured = optarg; break;
        case 'c': a->conn = optarg; break;
        case 'i': a->scale = optarg; break;
        case 'g': a->goods = optarg; break;
        case 'C': category = optarg; break;
        case 'p': price = optarg; break;
        case 't': a->ticket = optarg; break;
        case 'P': a->printer = optarg; break;
        case 'j': a->json = 1; break;
        case 'r': a->rules = optarg; break;
        case 'h': usage(stdout); return CLI_EXIT_OK;
        default: usage(stderr); return CLI_EXIT_USAGE;
        }
    }
    if (optind != argc)
        return cli_usage_error("fairscale", "unexpected argument '%s'", argv[optind]);
    if (a->stall == NULL || a->badge == NULL || stated == NULL)
        return cli_usage_error("fairscale", "--stall, --badge and --stated are needed");
    if (a->measured != NULL && a->conn != NULL)
        return cli_usage_error("fairscale", "--measured and --conn exclude each other");
    /* Too long or not UTF-8 is refused here, before anything is stored. */
    if (cli_text_field("fairscale", "--goods", a->goods_text, sizeof a->goods_text, a->goods) !=
        CLI_EXIT_OK)
        return CLI_EXIT_USAGE;
    struct reweigh_input *in = &a->in;
    if (mass_parse(stated, 0, &in->charged_ug) < 0)
        return cli_usage_error("fairscale", "--stated: %s", sc_error_message());
    if (a->measured != NULL && mass_parse(a->measured, 0, &in->measured_ug) < 0)
        return cli_usage_error("fairscale", "--measured: %s", sc_error_message());
    if (category != NULL && reweigh_category_parse(category, &in->cat) < 0)
        return cli_usage_error("fairscale", "--category: %s", sc_error_message());
    if (price != NULL && reweigh_price_parse(price, &in->price_fen_per_kg) < 0)
        return cli_usage_error("fairscale", "--price: %s", sc_error_message());
    if (category == NULL && price == NULL)
        return cli_usage_error("fairscale", "give --category or --price");
    return -1;
}

/* The ticket: text (unless JSON was asked), a receipt file, a printer. */
static int give_ticket(const struct fair_args *a, const struct fair_ticket *data)
{
    if (a->json)
        fair_ticket_json(stdout, data);
    struct card *t = fair_ticket_card(data);
    int err = t == NULL ? sc_error_set(SC_ERR_NOMEM, "the ticket") : 0;
    struct report_to text = {.format = REPORT_TEXT};
    struct report_to receipt = {.format = REPORT_ESCPOS, .path = a->ticket};
    struct report_to print = {.format = REPORT_ESCPOS, .printer = a->printer};
    if (err == 0 && !a->json)
        err = report_cards(&t, 1, &text);
    if (err == 0 && a->ticket != NULL)
        err = report_cards(&t, 1, &receipt);
    if (err == 0 && a->printer != NULL)
        err = report_cards(&t, 1, &print);
    card_free(t);
    if (err < 0)
        return cli_fail("fairscale", "the ticket: %s (the check is recorded as %s)",
                        sc_error_message(), data->record);
    return 0;
}

int cmd_fairscale(int argc, char **argv)
{
    struct fair_args args;
    int rc = parse_args(argc, argv, &args);
    if (rc >= 0)
        return rc;
    const char *stall = args.stall, *badge = args.badge, *measured = args.measured,
               *conn = args.conn, *scale = args.scale;
    struct reweigh_input in = args.in;
    in.method = REWEIGH_HIGHER; /* the fair scale: 核称法 (二) */

    struct scores_ctx ctx;
    rc = scores_open("fairscale", args.rules, &ctx);
    if (rc != 0)
        return rc;
    struct stall st;
    struct officer who;
    struct fair_find fair = {{0}, {0}};
    struct reading reading;
    struct fairscale_result *result = NULL;
    char driver[32] = "";
    int from_link = 0;
    /* Signed in first, by the role table: a deduction against a stall's
     * score is an officer's act, or the act of the market's own manager at
     * its fair-scale desk (core/roles.h); nothing about the stall or the
     * badge is told before.  A manager is checked against their own market
     * here, and against the stall's market once the stall is found. */
    struct acting signer;
    if ((rc = cli_acting_may(ctx.db, "fairscale", badge, ROLE_ACT_FAIRSCALE, &signer)) != 0)
        goto out;
    if (signer.open || officer_find(ctx.db, signer.badge, &who) < 0) {
        rc = cli_fail("fairscale", "a fair-scale check is recorded by a signed-in officer, and "
                                   "this database has none yet");
        goto out;
    }
    if (registry_find_stall(ctx.db, stall, &st) < 0) {
        rc = cli_fail("fairscale", "no stall '%s'", stall);
        goto out;
    }
    if ((rc = cli_acting_require(ctx.db, "fairscale", badge, ROLE_ACT_FAIRSCALE, st.market,
                                 NULL)) != 0)
        goto out;
    if (scale != NULL) {
        struct instrument ins;
        if (registry_find_instrument(ctx.db, scale, &ins) < 0) {
            rc = cli_fail("fairscale", "no instrument '%s'", scale);
            goto out;
        }
        fair_one(&ins, &fair);
    } else {
        registry_instruments_by_market(ctx.db, st.market, "fair", fair_one, &fair);
    }
    if (measured == NULL) {
        if (conn == NULL)
            conn = fair.conn[0] ? fair.conn : NULL;
        if (conn == NULL) {
            rc = cli_usage_error("fairscale", "give --measured or --conn (market %s's fair "
                                 "scale has no connection in the registry)", st.market);
            goto out;
        }
        if (read_fair_scale(conn, &in.measured_ug, &reading, driver, sizeof driver) < 0) {
            rc = cli_fail("fairscale", "%s", sc_error_message());
            goto out;
        }
        from_link = 1;
    }

    /* Judged, committed and scored as the TUI's station does (db/fairscale.h). */
    result = calloc(1, sizeof *result);
    if (result == NULL) {
        rc = cli_fail("fairscale", "out of memory");
        goto out;
    }
    struct visit_reading evidence;
    if (from_link)
        fair_reading(&evidence, &reading, driver);
    struct fairscale_check check = {
        .stall = &st, .badge = badge, .goods = args.goods_text, .scale = fair.code, .in = in,
        .reading = from_link ? &evidence : NULL};
    if (fairscale_record(ctx.db, &ctx.rules, ctx.today, &check, result) < 0) {
        rc = cli_fail("fairscale", "%s", sc_error_message());
        goto out;
    }
    /* The ticket names the market as the customer knows it. */
    struct market mk;
    if (registry_find_market(ctx.db, st.market, &mk) < 0)
        mk.name[0] = '\0';
    struct fair_ticket ticket_data = {
        .stall = &st, .market_name = mk.name, .checker = &who, .visit = &result->visit, .verdict = &result->verdict,
        .owed_fen = result->owed_fen, .multiple = ctx.rules.fairscale_compensation_multiple,
        .scale = fair.code, .read = from_link, .record = result->record,
        .has_score = result->has_score, .score = result->score, .list = result->list,
        .base_url = ctx.base_url};
    if (args.ticket != NULL || args.printer != NULL)
        scores_warn_no_url("fairscale", &ctx);
    rc = give_ticket(&args, &ticket_data);
    if (rc == 0 && result->verdict.outcome == REWEIGH_FAIL)
        rc = CLI_EXIT_FAILED;
out:
    free(result);
    scores_close(&ctx);
    return rc;
}
