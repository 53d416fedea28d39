/* The public site: the order of the walk, the index and the market pages. */
#include <libintl.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "report/site_data.h"
#include "report/site_html.h"
#include "report/site_records.h"
#include "report/site_run.h"
#include "report/site_stall.h"
#include "report/words.h"

#define _(s) gettext(s)
#define N_(s) (s)

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap * 2 : 64;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, n * size);
    if (q == NULL)
        return SC_ERR_NOMEM;
    *p = q;
    *cap = n;
    return 0;
}



static int ref_newest_first(const void *a, const void *b)
{
    const struct site_ref *x = *(const struct site_ref *const *)a;
    const struct site_ref *y = *(const struct site_ref *const *)b;
    int c = strcmp(y->date ? y->date : "", x->date ? x->date : "");
    return c ? c : strcmp(x->id, y->id);
}







/* ---- the walk's callbacks ---------------------------------------------------- */

static int on_market(const struct pub_market *pm, void *arg)
{
    struct site *s = arg;
    if (grow((void **)&s->markets, &s->cap_markets, s->n_markets + 1, sizeof *s->markets) < 0)
        return SC_ERR_NOMEM;
    struct site_market *m = &s->markets[s->n_markets++];
    memset(m, 0, sizeof *m);
    m->code = site_strdup(pm->code);
    m->name = site_strdup(pm->name);
    m->district = site_strdup(pm->district);
    m->address = site_strdup(pm->address);
    m->organiser = site_strdup(pm->organiser);
    return 0;
}

static int on_market_instrument(const struct pub_instrument *in, void *arg)
{
    struct site *s = arg;
    struct site_market *m = site_market_find(s, in->market);
    if (m == NULL || !in->active)
        return 0;
    if (grow((void **)&m->ins, &m->cap_ins, m->n_ins + 1, sizeof *m->ins) < 0)
        return SC_ERR_NOMEM;
    m->ins[m->n_ins++] = (struct site_instrument){
        site_strdup(in->code), site_strdup(in->kind), site_strdup(in->klass),
        site_strdup(in->due), site_strdup(in->last_verified), in->active};
    m->fig.fair_scales += in->kind != NULL && strcmp(in->kind, "fair") == 0;
    return 0;
}

static int on_cert(const struct pub_certificate *c, void *arg)
{
    struct site *s = arg;
    int rc = site_cert(s, c);
    if (rc < 0)
        return rc;
    if (grow((void **)&s->certs, &s->cap_certs, s->n_certs + 1, sizeof *s->certs) < 0)
        return SC_ERR_NOMEM;
    char day[11], label[160];
    site_day(day, c->ended_at && *c->ended_at ? c->ended_at : c->started_at);
    int pass = c->verdict != NULL && strcmp(c->verdict, "pass") == 0;
    snprintf(label, sizeof label, "%s %s", pass ? _("Certificate") : _("Failed verification"),
             day);
    s->certs[s->n_certs++] = (struct site_ref){site_strdup(c->id), site_strdup(c->instrument),
                                              site_strdup(day), site_strdup(label), pass, NULL,
                                              ""};
    return 0;
}

/* First pass over the draws: which exist (inspections link to them) and
 * each market's list of them. */
/* A draw is made public once its day is over: published on its day, it
 * would tell the stalls drawn that they are about to be inspected. */
static int draw_public(const struct site *s, const struct pub_draw *d)
{
    char text[16];
    day_t day;
    /* Its legal day (db/draw.h), else the date it was made. */
    site_draw_input(d->inputs, "day", text, sizeof text);
    const char *when = text[0] ? text : d->made_at;
    return when != NULL && day_parse(when, &day) == 0 && day < s->opt->today;
}



static int on_draw_ref(const struct pub_draw *d, void *arg)
{
    struct site *s = arg;
    if (!draw_public(s, d))
        return 0;
    if (grow((void **)&s->draws, &s->cap_draws, s->n_draws + 1, sizeof *s->draws) < 0)
        return SC_ERR_NOMEM;
    char day[11];
    site_day(day, d->made_at);
    int n = 0;
    for (const char *p = d->result; p && (p = strstr(p, "stall ")) != NULL; p += 6)
        n += p == d->result || p[-1] == '\n';
    char label[32], replaces[64];
    snprintf(label, sizeof label, "%d", n);
    site_draw_input(d->inputs, "replaces", replaces, sizeof replaces);
    struct site_ref *r = &s->draws[s->n_draws++];
    *r = (struct site_ref){site_strdup(d->id), site_strdup(d->market), site_strdup(d->made_at),
                           site_strdup(label), 0, replaces[0] ? site_strdup(replaces) : NULL, ""};
    site_draw_kind(d->inputs, r->kind);
    return 0;
}

static int on_draw(const struct pub_draw *d, void *arg)
{
    return draw_public(arg, d) ? site_draw(arg, d) : 0;
}

static int on_stall(const struct pub_stall *st, void *arg)
{
    struct site *s = arg;
    if (grow((void **)&s->stalls, &s->cap_stalls, s->n_stalls + 1, sizeof *s->stalls) < 0)
        return SC_ERR_NOMEM;
    s->stalls[s->n_stalls++] = site_strdup(st->code);
    return site_stall(s, st);
}

/* ---- market pages ------------------------------------------------------------- */

static void permille(FILE *f, int num, int den)
{
    if (den == 0) {
        fputs("—", f);
        return;
    }
    /* Per mille rounded half up, shown as a percentage with one decimal. */
    long pm = ((long)num * 2000 + den) / (2L * den);
    fprintf(f, "%ld.%ld%%", pm / 10, pm % 10);
}

static const char *status_words(enum market_status st)
{
    return st == MARKET_SUSPEND   ? _("Suspended: too many stalls on the black list")
           : st == MARKET_RECTIFY ? _("To rectify: many stalls on the black list")
                                  : _("In order");
}

static void market_figures(FILE *f, const struct site *s, const struct site_market *m)
{
    fputs("<dl class=\"facts\">\n", f);
    html_dt(f, N_("Rank in the district"));
    fprintf(f, "%d / %zu</dd>\n", m->rank, s->n_markets);
    html_dt(f, N_("Status"));
    fprintf(f, "<span class=\"%s\">", m->status == MARKET_OK ? "ok" : "bad");
    html_text(f, status_words(m->status));
    fputs("</span></dd>\n", f);
    html_dt(f, N_("Open stalls"));
    fprintf(f, "%d</dd>\n", m->fig.stalls);
    html_dt(f, N_("Red list"));
    fprintf(f, "%d</dd>\n", m->fig.red);
    html_dt(f, N_("Black list"));
    fprintf(f, "%d</dd>\n", m->fig.black);
    html_dt(f, N_("Scales within their verification period"));
    fprintf(f, "%d / %d (", m->fig.scales_verified, m->fig.scales);
    permille(f, m->fig.scales_verified, m->fig.scales);
    fputs(")</dd>\n", f);
    html_dt(f, N_("Re-weighs within the allowed deviation"));
    fprintf(f, "%d / %d (", m->fig.reweighs_pass, m->fig.reweighs);
    permille(f, m->fig.reweighs_pass, m->fig.reweighs);
    fputs(")</dd>\n", f);
    html_dt(f, N_("Fair scales"));
    fprintf(f, "%d</dd>\n</dl>\n", m->fig.fair_scales);
}

static void stall_table(FILE *f, const struct site_market *m, enum score_list which, int all)
{
    const char *head[] = {N_("Stall"), N_("Shop"), N_("Score"),
                          which == SCORE_LIST_BLACK && !all ? N_("Reason") : N_("Star")};
    html_thead(f, head, 4, 1u << 2);
    for (size_t i = 0; i < m->n_rows; i++) {
        const struct site_row *r = &m->rows[i];
        if (!r->active || (!all && r->list != which))
            continue;
        fputs("<tr>", f);
        html_td(f, N_("Stall"), 0);
        site_link(f, SITE_STALL, r->code, r->code);
        fputs("</td>", f);
        html_td(f, N_("Shop"), 0);
        html_text(f, r->name);
        fputs("</td>", f);
        html_td(f, N_("Score"), 1);
        fprintf(f, "%d</td>", r->score);
        if (which == SCORE_LIST_BLACK && !all) {
            char since[11];
            day_format(r->since, since, sizeof since);
            html_td(f, N_("Reason"), 0);
            html_text(f, r->reason);
            fputs(" <span class=\"muted\">", f);
            html_textf(f, _("(since %s)"), since);
            fputs("</span></td>", f);
        } else {
            html_td(f, N_("Star"), 0);
            html_text(f, words_grade(r->grade));
            if (r->list != SCORE_LIST_NONE) {
                fprintf(f, " <span class=\"tag %s\">", r->list == SCORE_LIST_RED ? "t-red" : "t-black");
                html_text(f, words_list(r->list));
                fputs("</span>", f);
            }
            fputs("</td>", f);
        }
        fputs("</tr>\n", f);
    }
    html_tend(f);
}

static int market_page(struct site *s, struct site_market *m)
{
    char canonical[1024];
    struct html_page frame;
    FILE *f = site_page(s, SITE_MARKET, m->code, m->name, &frame, canonical, sizeof canonical);
    if (f == NULL)
        return site_out_fail();
    fputs("</nav>\n<h1>", f);
    html_text(f, m->name);
    fputs("</h1>\n<p class=\"muted\">", f);
    html_text(f, m->district);
    if (m->address && *m->address) {
        fputs(" ", f);
        html_text(f, m->address);
    }
    if (m->organiser && *m->organiser) {
        fputs(" · ", f);
        html_text(f, _("Run by"));
        fputs(" ", f);
        html_text(f, m->organiser);
    }
    fputs("</p>\n", f);
    market_figures(f, s, m);

    fputs("<h2>", f);
    html_label(f, N_("Black list"));
    fputs("</h2>\n", f);
    if (m->fig.black == 0) {
        fputs("<p>", f);
        html_text(f, _("No stall is on the black list."));
        fputs("</p>\n", f);
    } else {
        stall_table(f, m, SCORE_LIST_BLACK, 0);
    }
    fputs("<h2>", f);
    html_label(f, N_("Red list"));
    fputs("</h2>\n", f);
    if (m->fig.red == 0) {
        fputs("<p>", f);
        html_text(f, _("No stall is on the red list yet."));
        fputs("</p>\n", f);
    } else {
        stall_table(f, m, SCORE_LIST_RED, 0);
    }
    fputs("<h2>", f);
    html_label(f, N_("Every stall"));
    fputs("</h2>\n", f);
    stall_table(f, m, SCORE_LIST_NONE, 1);

    if (m->n_ins > 0) {
        fputs("<h2>", f);
        html_label(f, N_("The market's own scales"));
        fputs("</h2>\n<ul class=\"plain\">\n", f);
        for (size_t i = 0; i < m->n_ins; i++) {
            const struct site_instrument *in = &m->ins[i];
            fputs("<li><span class=\"code\">", f);
            html_text(f, in->code);
            fputs("</span> ", f);
            html_text(f, words_instrument_kind(in->kind));
            fputs(": ", f);
            site_verification_state(f, in->due, s->as_of, 1);
            fputs("</li>\n", f);
        }
        fputs("</ul>\n", f);
    }

    /* Its draws, newest first. */
    const struct site_ref **mine = calloc(s->n_draws + 1, sizeof *mine);
    size_t n_mine = 0;
    for (size_t i = 0; mine != NULL && i < s->n_draws; i++)
        if (s->draws[i].key != NULL && strcmp(s->draws[i].key, m->code) == 0)
            mine[n_mine++] = &s->draws[i];
    if (n_mine > 1)
        qsort(mine, n_mine, sizeof *mine, ref_newest_first);
    int any = 0;
    for (size_t i = 0; i < n_mine; i++) {
        const struct site_ref *d = mine[i];
        if (!any++) {
            fputs("<h2>", f);
            html_label(f, N_("Random draws"));
            fputs("</h2>\n<ul class=\"plain\">\n", f);
        }
        char day[11], text[128];
        site_day(day, d->date);
        snprintf(text, sizeof text, _("%s: %s stalls drawn"), day, d->label);
        fputs("<li>", f);
        site_link(f, SITE_DRAW, d->id, text);
        /* A redraw and a drill say so beside the draw (程序公开). */
        if (strcmp(d->kind, "redraw") == 0 || strcmp(d->kind, "drill") == 0) {
            fprintf(f, " <span class=\"tag %s\">", d->kind[0] == 'r' ? "t-yellow" : "t-none");
            html_text(f, d->kind[0] == 'r' ? _("Redraw") : _("Drill, not an inspection draw"));
            fputs("</span>", f);
        }
        fputs("</li>\n", f);
    }
    if (any)
        fputs("</ul>\n", f);
    free(mine);
    html_end(f, &frame);
    return site_out_end(s->out);
}

/* ---- the index ---------------------------------------------------------------- */

static int index_page(struct site *s)
{
    struct html_page frame = {_("Market inspection results"), "", NULL, s->opt->site_name,
                              s->as_of};
    char canonical[1024];
    size_t b = strlen(s->opt->base_url);
    snprintf(canonical, sizeof canonical, "%s%sindex.html", s->opt->base_url,
             b && s->opt->base_url[b - 1] == '/' ? "" : "/");
    frame.canonical = canonical;
    FILE *f = site_out_begin(s->out, "index.html");
    if (f == NULL)
        return site_out_fail();
    html_begin(f, &frame);
    fputs("<h1>", f);
    html_label(f, N_("Market inspection results"));
    fputs("</h1>\n<p>", f);
    html_text(f, _("Stalls to inspect and the officers who inspect them are drawn at random, "
                   "and every result is made public here: each market's red and black list, "
                   "each stall's score with every inspection, re-weigh and correction, and the "
                   "record of every draw so anyone can check it."));
    fputs("</p>\n", f);
    static const char *const head[] = {N_("Rank"), N_("Market"), N_("Open stalls"),
                                       N_("Red list"), N_("Black list"),
                                       N_("Scales within their verification period")};
    html_thead(f, head, 6, 0x3du);
    /* Best first (core/market.h's ranking; ranks are 1..n, each once). */
    for (size_t k = 0; k < s->n_markets * s->n_markets; k++) {
        const struct site_market *m = &s->markets[k % s->n_markets];
        char path[512];
        if (m->rank != (int)(k / s->n_markets) + 1 ||
            site_path(SITE_MARKET, m->code, path, sizeof path) < 0)
            continue;
        fputs("<tr>", f);
        html_td(f, N_("Rank"), 1);
        fprintf(f, "%d</td>", m->rank);
        html_td(f, N_("Market"), 0);
        fprintf(f, "<a href=\"%s\">", path);
        html_text(f, m->name);
        fputs("</a>", f);
        if (m->status != MARKET_OK) {
            fputs(" <span class=\"tag t-black\">", f);
            html_text(f, m->status == MARKET_SUSPEND ? _("Suspended") : _("To rectify"));
            fputs("</span>", f);
        }
        fputs("</td>", f);
        html_td(f, N_("Open stalls"), 1);
        fprintf(f, "%d</td>", m->fig.stalls);
        html_td(f, N_("Red list"), 1);
        fprintf(f, "%d</td>", m->fig.red);
        html_td(f, N_("Black list"), 1);
        fprintf(f, "%d</td>", m->fig.black);
        html_td(f, N_("Scales within their verification period"), 1);
        permille(f, m->fig.scales_verified, m->fig.scales);
        fputs("</td></tr>\n", f);
    }
    html_tend(f);
    fputs("<h2>", f);
    html_label(f, N_("What is published, and what is not"));
    fputs("</h2>\n<p>", f);
    html_text(f, _("Published: each stall's code, shop name and unified social credit code, "
                   "its inspections with their dates, results, re-weighs and corrections; "
                   "officers by badge number. Not published: anyone's phone number, address "
                   "or identity card number, and officers' names."));
    fputs("</p>\n", f);
    html_end(f, &frame);
    return site_out_end(s->out);
}

/* ---- the run ------------------------------------------------------------------- */

static void site_free(struct site *s)
{
    for (size_t i = 0; i < s->n_markets; i++) {
        struct site_market *m = &s->markets[i];
        free(m->code);
        free(m->name);
        free(m->district);
        free(m->address);
        free(m->organiser);
        for (size_t k = 0; k < m->n_rows; k++) {
            free(m->rows[k].code);
            free(m->rows[k].name);
            free(m->rows[k].reason);
        }
        for (size_t k = 0; k < m->n_ins; k++) {
            free(m->ins[k].code);
            free(m->ins[k].kind);
            free(m->ins[k].klass);
            free(m->ins[k].due);
            free(m->ins[k].last_verified);
        }
        free(m->rows);
        free(m->ins);
    }
    free(s->markets);
    struct site_ref *lists[] = {s->draws, s->certs};
    size_t counts[] = {s->n_draws, s->n_certs};
    for (size_t l = 0; l < 2; l++) {
        for (size_t i = 0; i < counts[l]; i++) {
            free(lists[l][i].id);
            free(lists[l][i].key);
            free(lists[l][i].date);
            free(lists[l][i].label);
            free(lists[l][i].replaces);
        }
        free(lists[l]);
    }
    for (size_t i = 0; i < s->n_stalls; i++)
        free(s->stalls[i]);
    free(s->stalls);
    for (int t = 0; t < DATA_COUNT; t++)
        data_free(&s->data[t]);
}

/* Each market's standing (core/market.h): its status on the rules'
 * thresholds, its rank by market_cmp, ties by code. */
static const struct site_market *rank_base;

static int rank_cmp(const void *a, const void *b)
{
    const struct site_market *x = &rank_base[*(const size_t *)a];
    const struct site_market *y = &rank_base[*(const size_t *)b];
    int c = market_cmp(&x->fig, &y->fig);
    return c ? c : strcmp(x->code, y->code);
}

static int rank_markets(struct site *s)
{
    size_t *order = calloc(s->n_markets ? s->n_markets : 1, sizeof *order);
    if (order == NULL)
        return SC_ERR_NOMEM;
    for (size_t i = 0; i < s->n_markets; i++) {
        order[i] = i;
        s->markets[i].status = market_status_of(s->opt->rules, &s->markets[i].fig);
    }
    rank_base = s->markets;
    qsort(order, s->n_markets, sizeof *order, rank_cmp);
    for (size_t i = 0; i < s->n_markets; i++)
        s->markets[order[i]].rank = (int)i + 1;
    free(order);
    return 0;
}

static void market_rows(struct site *s)
{
    char url[1024], stalls[16], red[16], black[16], sc[16], sv[16], fair[16], rw[16], rp[16],
        rank[16];
    for (size_t i = 0; i < s->n_markets; i++) {
        const struct site_market *m = &s->markets[i];
        if (site_url(s->opt->base_url, SITE_MARKET, m->code, url, sizeof url) < 0)
            url[0] = '\0';
        snprintf(stalls, sizeof stalls, "%d", m->fig.stalls);
        snprintf(red, sizeof red, "%d", m->fig.red);
        snprintf(black, sizeof black, "%d", m->fig.black);
        snprintf(sc, sizeof sc, "%d", m->fig.scales);
        snprintf(sv, sizeof sv, "%d", m->fig.scales_verified);
        snprintf(fair, sizeof fair, "%d", m->fig.fair_scales);
        snprintf(rw, sizeof rw, "%d", m->fig.reweighs);
        snprintf(rp, sizeof rp, "%d", m->fig.reweighs_pass);
        snprintf(rank, sizeof rank, "%d", m->rank);
        struct data_cell c[] = {{m->code, 0},     {m->name, 0},   {m->district, 0},
                                {m->address, 0},  {m->organiser, 0}, {stalls, 1},
                                {red, 1},         {black, 1},     {sc, 1},
                                {sv, 1},          {fair, 1},      {rw, 1},
                                {rp, 1},          {rank, 1},
                                {market_status_name(m->status), 0}, {url, 0}};
        data_row(&s->data[DATA_MARKETS], DATA_MARKETS, c);
    }
}

int site_publish(struct pub_src *src, const struct site_options *opt, struct site_stats *stats)
{
    if (!site_base_valid(opt->base_url))
        return sc_error_set(SC_ERR_ARG, "public base URL '%s' is not an http(s) URL",
                            opt->base_url ? opt->base_url : "");
    struct site_stats local;
    struct site s = {0};
    s.opt = opt;
    s.st = stats ? stats : &local;
    memset(s.st, 0, sizeof *s.st);
    day_format(opt->as_of, s.as_of, sizeof s.as_of);
    int rc = site_out_open(opt->dir, opt->log, &s.out);
    for (int t = 0; rc == 0 && t < DATA_COUNT; t++)
        rc = data_open(&s.data[t], (enum data_table)t, s.out);
    if (rc == 0)
        rc = pub_markets(src, on_market, &s);
    if (rc == 0)
        rc = pub_market_instruments(src, on_market_instrument, &s);
    if (rc == 0)
        rc = pub_draws(src, on_draw_ref, &s);
    if (rc == 0)
        site_draws_sort(&s);
    if (rc == 0)
        rc = pub_certificates(src, on_cert, &s);
    if (rc == 0)
        rc = pub_stalls(src, on_stall, &s);
    if (rc == 0)
        rc = pub_draws(src, on_draw, &s);
    if (rc == 0)
        rc = rank_markets(&s);
    for (size_t i = 0; rc == 0 && i < s.n_markets; i++)
        rc = market_page(&s, &s.markets[i]);
    if (rc == 0) {
        market_rows(&s);
        rc = index_page(&s);
    }
    if (rc == 0) {
        struct html_page frame = {_("Open data"), "", NULL, opt->site_name, s.as_of};
        rc = data_page(s.out, &frame);
    }
    for (int t = 0; rc == 0 && t < DATA_COUNT; t++)
        rc = data_close(&s.data[t], (enum data_table)t, s.out);
    if (rc == 0) {
        FILE *f = site_out_begin(s.out, "style.css");
        if (f == NULL)
            rc = site_out_fail();
        else {
            fputs(html_css, f);
            rc = site_out_end(s.out);
        }
    }
    s.st->markets = (long)s.n_markets;
    if (rc == 0)
        rc = site_out_finish(s.out, &s.st->files);
    else
        site_out_abort(s.out);
    site_free(&s);
    return rc;
}
