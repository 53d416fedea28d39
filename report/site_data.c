/* The open data of the public site: each table as CSV (RFC 4180, UTF-8,
 * CRLF) and as JSON (an array of objects, one per line), with the same
 * columns; and data.html, which says what each column holds. */
#include "report/site_data.h"

#include <libintl.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "report/csv.h"
#include "report/json.h"

#define _(s) gettext(s)
#define N_(s) (s)

struct column {
    const char *name;
    const char *about;        /* msgid */
};

struct table {
    const char *name;
    const char *about;        /* msgid */
    const struct column *cols;
    size_t ncols;
};

#define COLS(...) (const struct column[]){__VA_ARGS__}, \
    sizeof((const struct column[]){__VA_ARGS__}) / sizeof(struct column)

static const struct table tables[DATA_COUNT] = {
    [DATA_MARKETS] = {"markets", N_("Markets and their figures"),
        COLS({"market", N_("market code")}, {"name", N_("market name")},
             {"district", N_("district")}, {"address", N_("address")},
             {"organiser", N_("market organiser")}, {"stalls", N_("open stalls")},
             {"red", N_("stalls on the red list")}, {"black", N_("stalls on the black list")},
             {"scales", N_("stalls' scales in use")},
             {"scales_verified", N_("of those, within their verification period")},
             {"fair_scales", N_("fair scales")},
             {"reweighs", N_("re-weighs in the score window")},
             {"reweighs_pass", N_("of those, within the allowed deviation")},
             {"rank", N_("rank in the district (1: the best)")},
             {"status", N_("ok, rectify or suspend (the share of black-listed stalls)")},
             {"url", N_("the market's page")})},
    [DATA_STALLS] = {"stalls", N_("Stalls, their score and list"),
        COLS({"stall", N_("stall code")}, {"market", N_("market code")},
             {"name", N_("shop name")}, {"licence", N_("unified social credit code")},
             {"category", N_("category of goods")}, {"open", N_("1 while the stall trades")},
             {"score", N_("integrity score")}, {"grade", N_("star: red, green, yellow, black")},
             {"list", N_("red, black or none")}, {"reason", N_("why on the black list")},
             {"since", N_("on the black list since")},
             {"until", N_("earliest day a clean re-inspection ends it")},
             {"inspections", N_("inspections in the score window")},
             {"followups", N_("corrections still open")}, {"url", N_("the stall's page")})},
    [DATA_INSPECTIONS] = {"inspections", N_("Inspections and their results"),
        COLS({"inspection", N_("record id")}, {"stall", N_("stall code")},
             {"market", N_("market code")}, {"date", N_("date")},
             {"officers", N_("officers' badges, separated by ';'")},
             {"draw", N_("the draw that chose the stall, if any")},
             {"kind", N_("inspection, or fairscale for a customer's complaint")},
             {"result", N_("clean, corrected or pending")},
             {"result_text", N_("the result in the published wording")},
             {"failed", N_("failed items, separated by ';'")})},
    [DATA_FINDINGS] = {"findings", N_("Every checklist answer"),
        COLS({"inspection", N_("record id")}, {"stall", N_("stall code")},
             {"date", N_("date")}, {"item", N_("checklist item id")},
             {"answer", N_("pass, fail, na, intact, broken, missing, not-sealable")},
             {"deadline", N_("correction deadline, if one was set")})},
    [DATA_REWEIGHS] = {"reweighs", N_("Re-weighs of goods sold"),
        COLS({"inspection", N_("record id")}, {"stall", N_("stall code")},
             {"date", N_("date")}, {"goods", N_("goods")},
             {"category", N_("tolerance table category")},
             {"declared_g", N_("mass charged, grams")}, {"measured_g", N_("mass found, grams")},
             {"shortfall_g", N_("charged minus found, grams")},
             {"allowed_g", N_("allowed shortfall, grams (empty: outside the table)")},
             {"verdict", N_("pass, fail or outside")},
             {"method", N_("own, reference, equal or fair (scale used)")})},
    [DATA_DRAWS] = {"draws", N_("Random draws of stalls and officers"),
        COLS({"draw", N_("record id")}, {"market", N_("market code")},
             {"kind", N_("production (the day's draw), redraw, drill or legacy")},
             {"day", N_("the day it was drawn for")},
             {"replaces", N_("a redraw's: the draw it replaces")},
             {"reason", N_("a redraw's: why the day's draw was made again")},
             {"made_at", N_("when it was drawn (UTC)")}, {"made_by", N_("badge of who drew")},
             {"seed", N_("the seed, 64 hex digits")},
             {"stalls", N_("stalls drawn, in order, separated by ';'")},
             {"officers", N_("officers drawn, separated by ';'")},
             {"record", N_("inputs and result as recorded")}, {"url", N_("the draw's page")})},
    [DATA_CERTIFICATES] = {"certificates", N_("Verifications of scales"),
        COLS({"certificate", N_("record id")}, {"number", N_("certificate number")},
             {"instrument", N_("instrument code")}, {"market", N_("market code")},
             {"stall", N_("stall code")}, {"date", N_("date")},
             {"verdict", N_("pass or fail")}, {"next_due", N_("next verification due")},
             {"verifier", N_("verifier's badge")}, {"url", N_("the certificate's page")})},
};

int data_open(struct data_file *d, enum data_table t, struct site_out *out)
{
    memset(d, 0, sizeof *d);
    char path[64];
    snprintf(path, sizeof path, "data/%s.csv", tables[t].name);
    d->csv = site_out_spool(out, path, &d->csv_sp);
    snprintf(path, sizeof path, "data/%s.json", tables[t].name);
    d->json = d->csv ? site_out_spool(out, path, &d->json_sp) : NULL;
    if (d->csv == NULL || d->json == NULL) {
        data_free(d);
        return site_out_fail();
    }
    const struct table *tb = &tables[t];
    for (size_t i = 0; i < tb->ncols; i++)
        fprintf(d->csv, "%s%s", i ? "," : "", tb->cols[i].name);
    fputs("\r\n", d->csv);
    fputs("[", d->json);
    return 0;
}

/* A CSV field: a number as it is, a text through report/csv.h (quoted,
 * formulas neutralised, controls escaped). */
static void csv_cell(FILE *f, const struct data_cell *c)
{
    if (c->text == NULL)
        return;
    if (c->number)
        fputs(c->text, f);
    else
        csv_field(f, c->text);
}

void data_row(struct data_file *d, enum data_table t, const struct data_cell *cells)
{
    const struct table *tb = &tables[t];
    fputs(d->rows ? ",\n{" : "\n{", d->json);
    for (size_t i = 0; i < tb->ncols; i++) {
        if (i)
            fputc(',', d->csv);
        csv_cell(d->csv, &cells[i]);
        fprintf(d->json, "%s\"%s\":", i ? "," : "", tb->cols[i].name);
        if (cells[i].text != NULL && cells[i].number)
            fputs(cells[i].text, d->json);
        else
            json_string(d->json, cells[i].text);
    }
    fputs("\r\n", d->csv);
    fputc('}', d->json);
    d->rows++;
}

int data_close(struct data_file *d, enum data_table t, struct site_out *out)
{
    (void)t;
    fputs("\n]\n", d->json);
    d->csv = d->json = NULL; /* the spools close them */
    int rc = site_out_spool_end(out, d->csv_sp);
    d->csv_sp = NULL;
    if (rc == 0)
        rc = site_out_spool_end(out, d->json_sp);
    else
        site_out_spool_abort(d->json_sp);
    d->json_sp = NULL;
    return rc;
}

void data_free(struct data_file *d)
{
    site_out_spool_abort(d->csv_sp);
    site_out_spool_abort(d->json_sp);
    memset(d, 0, sizeof *d);
}

int data_page(struct site_out *out, const struct html_page *frame)
{
    FILE *f = site_out_begin(out, "data.html");
    if (f == NULL)
        return site_out_fail();
    html_begin(f, frame);
    fputs("<h1>", f);
    html_label(f, N_("Open data"));
    fputs("</h1>\n<p>", f);
    html_text(f, _("The same records as the pages, for anyone to check and reuse: each table "
                   "as CSV (UTF-8, comma-separated, first line the column names) and as JSON "
                   "(an array of objects). Masses are in grams, exact; dates are YYYY-MM-DD."));
    fputs("</p>\n", f);
    for (int t = 0; t < DATA_COUNT; t++) {
        const struct table *tb = &tables[t];
        fputs("<h2>", f);
        html_text(f, _(tb->about));
        fprintf(f, "</h2>\n<p><a href=\"data/%s.csv\">%s.csv</a> · "
                   "<a href=\"data/%s.json\">%s.json</a></p>\n",
                tb->name, tb->name, tb->name, tb->name);
        static const char *const head[] = {N_("Column"), N_("Meaning")};
        html_thead(f, head, 2, 0);
        for (size_t i = 0; i < tb->ncols; i++) {
            fputs("<tr>", f);
            html_td(f, N_("Column"), 0);
            fprintf(f, "<span class=\"code\">%s</span></td>", tb->cols[i].name);
            html_td(f, N_("Meaning"), 0);
            html_text(f, _(tb->cols[i].about));
            fputs("</td></tr>\n", f);
        }
        html_tend(f);
    }
    html_end(f, frame);
    return site_out_end(out);
}
