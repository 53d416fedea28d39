/* scorecard: a stall's or a market's scorecard as text, PDF or an ESC/POS
 * receipt (report/scorecard.h, written by report/output.h). */
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
#include "db/registry.h"
#include "report/lang.h"
#include "report/output.h"
#include "report/scorecard.h"

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: stallcheck scorecard (--stall CODE | --market CODE)\n"
            "                            [--format text|pdf|escpos] [--output FILE]\n"
            "                            [--date YYYY-MM-DD] [--rules FILE] [--lang LANG]\n"
            "                            [--as BADGE]\n"
            "A stall's integrity scorecard (score, star, list and why, every inspection\n"
            "with its date, officers and result, corrections, deductions, the rules, a QR\n"
            "code of its public page), or a market's (诚信计量示范集贸市场 figures, rank,\n"
            "every stall).\n\n"
            "  --format F   text (default), pdf (A4, Chinese font embedded) or escpos\n"
            "               (receipt printer bytes, GB18030)\n"
            "  --output F   write to F (default: standard output; pdf needs --output)\n"
            "  --date D     the card on day D (default today)\n"
            "  --rules F    the scoring rules file\n"
            "  --lang L     the paper's language: zh_CN (default; Chinese first, English\n"
            "               second) or en\n"
            "  --as BADGE   who reads (the PIN asked, or one line of stdin); a manager\n"
            "               reads their own market's cards only\n");
}

int cmd_scorecard(int argc, char **argv)
{
    static const struct option options[] = {
        {"stall", required_argument, NULL, 's'},  {"market", required_argument, NULL, 'm'},
        {"format", required_argument, NULL, 'f'}, {"output", required_argument, NULL, 'o'},
        {"date", required_argument, NULL, 'd'},   {"rules", required_argument, NULL, 'r'},
        {"as", required_argument, NULL, 'A'},     {"help", no_argument, NULL, 'h'},
        {"lang", required_argument, NULL, 'L'},
        {NULL, 0, NULL, 0},
    };
    const char *stall = NULL, *market = NULL, *output = NULL, *date = NULL, *rules = NULL,
               *as = NULL;
    enum report_format format = REPORT_TEXT;
    enum paper_lang lang = PAPER_ZH;
    int c;
    while ((c = getopt_long(argc, argv, "s:m:f:o:d:r:h", options, NULL)) != -1) {
        switch (c) {
        case 's': stall = optarg; break;
        case 'm': market = optarg; break;
        case 'f':
            if (report_format_parse(optarg, &format) < 0 ||
                (format != REPORT_TEXT && format != REPORT_PDF && format != REPORT_ESCPOS))
                return cli_usage_error("scorecard", "--format: '%s' is not text, pdf or escpos",
                                       optarg);
            break;
        case 'o': output = optarg; break;
        case 'd': date = optarg; break;
        case 'r': rules = optarg; break;
        case 'A': as = optarg; break;
        case 'L':
            if (paper_lang_parse(optarg, &lang) < 0)
                return cli_usage_error("scorecard", "--lang: %s", sc_error_message());
            break;
        case 'h': usage(stdout); return CLI_EXIT_OK;
        default: usage(stderr); return CLI_EXIT_USAGE;
        }
    }
    if (optind != argc)
        return cli_usage_error("scorecard", "unexpected argument '%s'", argv[optind]);
    if ((stall == NULL) == (market == NULL))
        return cli_usage_error("scorecard", "give --stall CODE or --market CODE");
    if (format == REPORT_PDF && output == NULL)
        return cli_usage_error("scorecard", "a PDF needs --output FILE");
    day_t as_of = 0;
    if (date != NULL && day_parse(date, &as_of) < 0)
        return cli_usage_error("scorecard", "--date: %s", sc_error_message());
    struct scores_ctx ctx;
    int rc = scores_open("scorecard", rules, &ctx);
    if (rc != 0)
        return rc;
    /* Roles (cli/acting.h): who asks, before anything is looked up; a
     * manager reads their own market only. */
    if ((rc = cli_acting_sign_in(ctx.db, "scorecard", as)) != 0) {
        scores_close(&ctx);
        return rc;
    }
    {
        const char *for_market = market;
        struct stall st;
        if (stall != NULL && registry_find_stall(ctx.db, stall, &st) == 0)
            for_market = st.market;
        if ((rc = cli_acting_read(ctx.db, "scorecard", as, &for_market)) != 0) {
            scores_close(&ctx);
            return rc;
        }
    }
    if (date == NULL)
        as_of = ctx.today;
    struct card *card = NULL;
    int err = 0;
    struct paper_lang_saved saved;
    paper_lang_begin(lang, &saved);
    if (stall != NULL) {
        err = scorecard_stall(ctx.db, &ctx.rules, stall, as_of, ctx.base_url, &card);
    } else {
        struct market_card m;
        err = market_card_load(ctx.db, &ctx.rules, market, as_of, ctx.today, &m);
        if (err == 0) {
            card = scorecard_market(&ctx.rules, &m, ctx.base_url);
            market_card_free(&m);
        }
    }
    if (err == 0 && card == NULL)
        err = sc_error_set(SC_ERR_NOMEM, "scorecard");
    struct report_to to = {.format = format, .path = output};
    if (err == 0) {
        scores_warn_no_url("scorecard", &ctx);
        err = report_cards(&card, 1, &to);
    }
    paper_lang_end(&saved);
    if (err < 0)
        rc = cli_fail("scorecard", "%s", sc_error_message());
    card_free(card);
    scores_close(&ctx);
    return rc;
}
