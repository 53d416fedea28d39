/* scorecard: a stall's or a market's scorecard as text, PDF or an ESC/POS
 * receipt; and the market data the posted list (lists --pdf) shares. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/acting.h"
#include "cli/cli.h"
#include "cli/scores_common.h"
#include "core/error.h"
#include "db/lists.h"
#include "report/card.h"
#include "report/scorecard.h"

static int rows_add(const struct lists_row *row, void *arg)
{
    struct scores_market *m = arg;
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

int scores_market_load(struct scores_ctx *ctx, const char *code, day_t as_of,
                       struct scores_market *out)
{
    memset(out, 0, sizeof *out);
    int err = lists_markets(ctx->db, &ctx->rules, as_of, ctx->today, &out->markets,
                            &out->n_markets);
    if (err < 0)
        return err;
    for (size_t i = 0; i < out->n_markets; i++)
        if (strcmp(out->markets[i].code, code) == 0)
            out->card.market = &out->markets[i];
    if (out->card.market == NULL) {
        scores_market_free(out);
        return sc_error_set(SC_ERR_NOTFOUND, "no market '%s'", code);
    }
    err = lists_each(ctx->db, &ctx->rules, code, as_of, ctx->today, rows_add, out);
    if (err < 0) {
        scores_market_free(out);
        return err;
    }
    out->card.n_markets = out->n_markets;
    out->card.rows = out->rows;
    out->card.n_rows = out->n_rows;
    out->card.as_of = as_of;
    return 0;
}

void scores_market_free(struct scores_market *m)
{
    free(m->markets);
    free(m->rows);
    memset(m, 0, sizeof *m);
}

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: stallcheck scorecard (--stall CODE | --market CODE)\n"
            "                            [--format text|pdf|escpos] [--output FILE]\n"
            "                            [--date YYYY-MM-DD] [--rules FILE] [--as BADGE]\n"
            "A stall's integrity scorecard (score, star, list, every deduction, follow-ups,\n"
            "a QR code of its public record id), or a market's (诚信计量示范集贸市场 figures,\n"
            "rank, every stall).\n\n"
            "  --format F   text (default), pdf (A4, Chinese font embedded) or escpos\n"
            "               (receipt printer bytes, GB18030)\n"
            "  --output F   write to F (default: standard output; pdf needs --output)\n"
            "  --date D     the card on day D (default today)\n"
            "  --rules F    the scoring rules file\n"
            "  --as BADGE   who reads (the PIN asked, or one line of stdin); a manager\n"
            "               reads their own market's cards only\n");
}

enum format { FORMAT_TEXT, FORMAT_PDF, FORMAT_ESCPOS };

int scores_card_write(struct card *const *cards, size_t n, int format, const char *output)
{
    if (format == FORMAT_PDF) {
        if (output == NULL)
            return sc_error_set(SC_ERR_ARG, "a PDF needs --output FILE");
        return card_pdf(cards, n, output);
    }
    if (format == FORMAT_ESCPOS)
        return scores_card_escpos(cards, n, output);
    FILE *out = stdout;
    if (output != NULL && (out = fopen(output, "w")) == NULL)
        return sc_error_set(SC_ERR_IO, "%s: cannot write", output);
    int err = 0;
    for (size_t i = 0; i < n && err == 0; i++)
        err = card_text(cards[i], out);
    if (out != stdout && fclose(out) != 0 && err == 0)
        err = sc_error_set(SC_ERR_IO, "%s: cannot write", output);
    return err;
}

int cmd_scorecard(int argc, char **argv)
{
    static const struct option options[] = {
        {"stall", required_argument, NULL, 's'},  {"market", required_argument, NULL, 'm'},
        {"format", required_argument, NULL, 'f'}, {"output", required_argument, NULL, 'o'},
        {"date", required_argument, NULL, 'd'},   {"rules", required_argument, NULL, 'r'},
        {"as", required_argument, NULL, 'A'},     {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *stall = NULL, *market = NULL, *output = NULL, *date = NULL, *rules = NULL,
               *as = NULL;
    int format = FORMAT_TEXT, c;
    while ((c = getopt_long(argc, argv, "s:m:f:o:d:r:h", options, NULL)) != -1) {
        switch (c) {
        case 's': stall = optarg; break;
        case 'm': market = optarg; break;
        case 'f':
            if (strcmp(optarg, "text") == 0)
                format = FORMAT_TEXT;
            else if (strcmp(optarg, "pdf") == 0)
                format = FORMAT_PDF;
            else if (strcmp(optarg, "escpos") == 0)
                format = FORMAT_ESCPOS;
            else
                return cli_usage_error("scorecard", "--format: '%s' is not text, pdf or escpos",
                                       optarg);
            break;
        case 'o': output = optarg; break;
        case 'd': date = optarg; break;
        case 'r': rules = optarg; break;
        case 'A': as = optarg; break;
        case 'h': usage(stdout); return CLI_EXIT_OK;
        default: usage(stderr); return CLI_EXIT_USAGE;
        }
    }
    if (optind != argc)
        return cli_usage_error("scorecard", "unexpected argument '%s'", argv[optind]);
    if ((stall == NULL) == (market == NULL))
        return cli_usage_error("scorecard", "give --stall CODE or --market CODE");
    if (format == FORMAT_PDF && output == NULL)
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
    if (stall != NULL) {
        struct lists_stall s;
        err = lists_stall_score(ctx.db, &ctx.rules, stall, as_of, &s);
        if (err == 0) {
            card = scorecard_stall(&ctx.rules, &s);
            lists_stall_free(&s);
        }
    } else {
        struct scores_market m;
        err = scores_market_load(&ctx, market, as_of, &m);
        if (err == 0) {
            card = scorecard_market(&ctx.rules, &m.card);
            scores_market_free(&m);
        }
    }
    if (err == 0 && card == NULL)
        err = sc_error_set(SC_ERR_NOMEM, "scorecard");
    if (err == 0)
        err = scores_card_write(&card, 1, format, output);
    if (err < 0)
        rc = cli_fail("scorecard", "%s", sc_error_message());
    card_free(card);
    scores_close(&ctx);
    return rc;
}
