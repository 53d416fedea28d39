/* The public pages of draws (双随机: draw/ID.html and the record as text,
 * draw/ID.txt) and of verification certificates (检定: cert/ID.html). */
#include "report/site_records.h"

#include <libintl.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "db/paper.h"
#include "report/site_data.h"
#include "report/site_html.h"
#include "report/site_run.h"

#define _(s) gettext(s)
#define N_(s) (s)

/* ---- draws --------------------------------------------------------------- */

/* The record's lines "KEY VALUE" of one kind, as a list (stalls linked). */
static int list_lines(FILE *f, const struct site *s, const char *text, const char *key,
                      int link_stalls, int ordered)
{
    size_t klen = strlen(key);
    int n = 0;
    for (const char *p = text; p && *p;) {
        size_t len = strcspn(p, "\n");
        if (len > klen && strncmp(p, key, klen) == 0 && p[klen] == ' ') {
            char value[256];
            size_t v = len - klen - 1;
            if (v >= sizeof value)
                v = sizeof value - 1;
            memcpy(value, p + klen + 1, v);
            value[v] = '\0';
            /* A result line is "stall CODE random|followup". */
            char *why = strchr(value, ' ');
            if (why != NULL)
                *why++ = '\0';
            fputs(n++ ? "<li>" : ordered ? "<ol><li>" : "<ul class=\"plain\"><li>", f);
            if (link_stalls && site_stall_known(s, value))
                site_link(f, SITE_STALL, value, value);
            else {
                fputs("<span class=\"code\">", f);
                html_text(f, value);
                fputs("</span>", f);
            }
            if (why != NULL && strcmp(why, "followup") == 0) {
                fputs(" ", f);
                html_text(f, _("(under a correction deadline: always included)"));
            }
            fputs("</li>\n", f);
        }
        p += len + (p[len] == '\n');
    }
    if (n)
        fputs(ordered ? "</ol>\n" : "</ul>\n", f);
    return n;
}

static int count_lines(const char *text, const char *key)
{
    size_t klen = strlen(key);
    int n = 0;
    for (const char *p = text; p && *p;) {
        size_t len = strcspn(p, "\n");
        n += len > klen && strncmp(p, key, klen) == 0 && p[klen] == ' ';
        p += len + (p[len] == '\n');
    }
    return n;
}

/* "a;b;c" of the values of key's lines (the first word of each). */
static void join_lines(char *buf, size_t size, const char *text, const char *key)
{
    size_t klen = strlen(key), n = 0;
    buf[0] = '\0';
    for (const char *p = text; p && *p;) {
        size_t len = strcspn(p, "\n");
        if (len > klen && strncmp(p, key, klen) == 0 && p[klen] == ' ' && n < size) {
            size_t v = strcspn(p + klen + 1, " \n");
            n += (size_t)snprintf(buf + n, size - n, "%s%.*s", n ? ";" : "", (int)v, p + klen + 1);
        }
        p += len + (p[len] == '\n');
    }
}

/* draw/ID.txt: the record exactly as stored, for a replay by anyone. */
static int draw_text(struct site *s, const struct pub_draw *d, char *txt_path, size_t size)
{
    char path[512];
    if (site_path(SITE_DRAW, d->id, path, sizeof path) < 0)
        return site_out_fail();
    size_t n = strlen(path);
    if (n < 5 || n + 1 > size)
        return SC_ERR_RANGE;
    memcpy(txt_path, path, n - 4);
    memcpy(txt_path + n - 4, "txt", 4);
    FILE *f = site_out_begin(s->out, txt_path);
    if (f == NULL)
        return site_out_fail();
    fprintf(f, "id %s\nmade_at %s\nmade_by %s\nseed %s\n[inputs]\n%s", d->id,
            d->made_at ? d->made_at : "", d->made_by ? d->made_by : "", d->seed ? d->seed : "",
            d->inputs ? d->inputs : "");
    if (d->inputs && *d->inputs && d->inputs[strlen(d->inputs) - 1] != '\n')
        fputc('\n', f);
    fprintf(f, "[result]\n%s", d->result ? d->result : "");
    if (d->result && *d->result && d->result[strlen(d->result) - 1] != '\n')
        fputc('\n', f);
    return site_out_end(s->out);
}

int site_draw(struct site *s, const struct pub_draw *d)
{
    char txt[512], canonical[1024], title[256], day[11];
    int rc = draw_text(s, d, txt, sizeof txt);
    if (rc < 0)
        return rc;
    struct site_market *m = site_market_find(s, d->market);
    char kind[16], reason[256], replaces[64], legal_day[16];
    site_draw_kind(d->inputs, kind);
    site_draw_input(d->inputs, "reason", reason, sizeof reason);
    site_draw_input(d->inputs, "replaces", replaces, sizeof replaces);
    site_draw_input(d->inputs, "day", legal_day, sizeof legal_day);
    site_day(day, legal_day[0] ? legal_day : d->made_at);
    snprintf(title, sizeof title, "%s %s %s",
             strcmp(kind, "drill") == 0    ? _("Drill")
             : strcmp(kind, "redraw") == 0 ? _("Redraw")
                                           : _("Random draw"),
             m ? m->name : d->market, day);
    struct html_page frame;
    FILE *f = site_page(s, SITE_DRAW, d->id, title, &frame, canonical, sizeof canonical);
    if (f == NULL)
        return site_out_fail();
    if (m != NULL) {
        fputs(" › ", f);
        site_link(f, SITE_MARKET, d->market, m->name);
    }
    fputs("</nav>\n<h1>", f);
    html_text(f, title);
    fputs("</h1>\n", f);
    /* What kind of draw this is, first (db/draw.h: production, redraw,
     * drill, legacy): a redraw beside the draw it replaced, with its reason;
     * a drill and a draw made before the seed rule said so plainly. */
    if (strcmp(kind, "drill") == 0) {
        fputs("<p class=\"reason\"><strong>", f);
        html_text(f, _("A drill, not an inspection draw: its seed may have been chosen, and no "
                       "stall was inspected because of it."));
        fputs("</strong></p>\n", f);
    } else if (strcmp(kind, "legacy") == 0) {
        fputs("<p class=\"reason\">", f);
        html_text(f, _("Made before the seed was the system's alone: the drawing officer may "
                       "have chosen it."));
        fputs("</p>\n", f);
    } else if (strcmp(kind, "redraw") == 0) {
        fputs("<p class=\"reason\">", f);
        html_text(f, _("A redraw: the day's draw was made again, for this reason:"));
        fputs(" <strong>", f);
        html_text(f, reason);
        fputs("</strong>", f);
        if (replaces[0] && site_draw_find(s, replaces) != NULL) {
            fputs(" ", f);
            site_link(f, SITE_DRAW, replaces, _("The draw it replaces"));
        }
        fputs("</p>\n", f);
    }
    for (size_t i = 0; i < s->n_draws; i++)
        if (s->draws[i].replaces != NULL && strcmp(s->draws[i].replaces, d->id) == 0) {
            fputs("<p class=\"reason\">", f);
            html_text(f, _("This draw was replaced the same day by a redraw:"));
            fputs(" ", f);
            site_link(f, SITE_DRAW, s->draws[i].id, _("the redraw"));
            fputs("</p>\n", f);
        }
    fputs("<p>", f);
    html_text(f, _("The stalls to inspect and the officers to send were drawn at random by the "
                   "algorithm below from the seed shown. Anyone can repeat the draw from this "
                   "record and get the same stalls and officers: nobody could have picked them."));
    fputs("</p>\n<dl class=\"facts\">\n", f);
    html_fact(f, N_("Market"), m ? m->name : d->market, 0);
    html_fact(f, N_("Drawn at (UTC)"), d->made_at, 0);
    if (d->made_by && *d->made_by)
        html_fact(f, N_("Drawn by (badge)"), d->made_by, 0);
    html_fact(f, N_("Seed"), d->seed, 1);
    html_dt(f, N_("Pool"));
    html_textf(f, _("%d stalls, %d officers on the roster, %d recused"),
               count_lines(d->inputs, "stall"), count_lines(d->inputs, "officer"),
               count_lines(d->inputs, "recused"));
    fputs("</dd>\n</dl>\n<h2>", f);
    html_label(f, N_("Stalls drawn"));
    fputs("</h2>\n", f);
    list_lines(f, s, d->result, "stall", 1, 1);
    fputs("<h2>", f);
    html_label(f, N_("Officers drawn (badge)"));
    fputs("</h2>\n", f);
    list_lines(f, s, d->result, "officer", 0, 0);
    if (count_lines(d->inputs, "recused") > 0) {
        fputs("<h2>", f);
        html_label(f, N_("Recused for a conflict of interest (badge)"));
        fputs("</h2>\n", f);
        list_lines(f, s, d->inputs, "recused", 0, 0);
    }
    fputs("<h2>", f);
    html_label(f, N_("How to check it"));
    fputs("</h2>\n<p>", f);
    html_text(f, _("The record, exactly as stored and chained into the audit log:"));
    fprintf(f, " <a href=\"%s\">", strrchr(txt, '/') ? strrchr(txt, '/') + 1 : txt);
    html_text(f, strrchr(txt, '/') ? strrchr(txt, '/') + 1 : txt);
    fputs("</a>.</p>\n<p>", f);
    html_text(f, _("With stallcheck, from that file alone:"));
    fputs("</p>\n<pre class=\"record\">stallcheck draw --check ", f);
    html_text(f, strrchr(txt, '/') ? strrchr(txt, '/') + 1 : txt);
    fputs("</pre>\n<p>", f);
    html_text(f, _("With a copy of the database that holds it:"));
    fputs("</p>\n<pre class=\"record\">stallcheck draw --replay ", f);
    html_text(f, d->id);
    fputs("</pre>\n<p>", f);
    html_text(f, _("By hand: sort the pool's stall codes and badges by bytes; read the "
                   "ChaCha20-IETF keystream of the seed (key = seed, nonce = \"LibsodiumDRG\") as "
                   "32-bit little-endian words; uniform(n) takes the next word x, skipping it "
                   "while x >= 2^32 - (2^32 mod n), and answers x mod n; a partial Fisher-Yates "
                   "shuffle (j = i + uniform(m - i), swap) draws the stalls, then the officers "
                   "from the same words."));
    fputs("</p>\n", f);
    html_end(f, &frame);
    if ((rc = site_out_end(s->out)) < 0)
        return rc;

    char stalls[4096], officers[512];
    join_lines(stalls, sizeof stalls, d->result, "stall");
    join_lines(officers, sizeof officers, d->result, "officer");
    struct data_cell c[] = {{d->id, 0},       {d->market, 0},   {kind, 0},
                            {legal_day[0] ? legal_day : NULL, 0},
                            {replaces[0] ? replaces : NULL, 0},
                            {reason[0] ? reason : NULL, 0},
                            {d->made_at, 0},  {d->made_by, 0},  {d->seed, 0},
                            {stalls, 0},      {officers, 0},    {NULL, 0},
                            {canonical, 0}};
    /* The record column: the canonical text, inputs then result. */
    size_t rn = strlen(d->inputs ? d->inputs : "") + strlen(d->result ? d->result : "") + 32;
    char *record = malloc(rn);
    if (record != NULL) {
        snprintf(record, rn, "[inputs]\n%s\n[result]\n%s", d->inputs ? d->inputs : "",
                 d->result ? d->result : "");
        c[11].text = record;
    }
    data_row(&s->data[DATA_DRAWS], DATA_DRAWS, c);
    free(record);
    s->st->draws++;
    return 0;
}

/* ---- certificates ---------------------------------------------------------- */

static const char *test_words(const char *test)
{
    static const struct {
        const char *id, *words;
    } tests[] = {
        {"zero", N_("Zero")},
        {"weighing", N_("Weighing")},
        {"eccentricity", N_("Eccentricity")},
        {"repeatability", N_("Repeatability")},
        {"tare", N_("Tare")},
        {"discrimination", N_("Discrimination")},
    };
    for (size_t i = 0; test && i < sizeof tests / sizeof tests[0]; i++)
        if (strcmp(tests[i].id, test) == 0)
            return _(tests[i].words);
    return test ? test : "";
}

static void signed_mass(FILE *f, int64_t ug)
{
    if (ug == INT64_MIN) {
        fputs("—", f);
        return;
    }
    if (ug > 0)
        fputs("+", f);
    else if (ug < 0)
        fputs("&minus;", f);
    site_mass(f, ug < 0 ? -ug : ug);
}

int site_cert(struct site *s, const struct pub_certificate *c)
{
    int pass = c->verdict != NULL && strcmp(c->verdict, "pass") == 0;
    char canonical[1024], title[256], day[11];
    /* The legal date when the paper has one, else the day it ended. */
    site_day(day, c->verified_on && *c->verified_on ? c->verified_on
                  : c->ended_at && *c->ended_at   ? c->ended_at
                                                  : c->started_at);
    snprintf(title, sizeof title, "%s %s",
             pass ? _("Verification certificate") : _("Notice of failed verification"),
             c->certificate_no && *c->certificate_no ? c->certificate_no : day);
    struct site_market *m = site_market_find(s, c->market);
    struct html_page frame;
    FILE *f = site_page(s, SITE_CERT, c->id, title, &frame, canonical, sizeof canonical);
    if (f == NULL)
        return site_out_fail();
    if (m != NULL) {
        fputs(" › ", f);
        site_link(f, SITE_MARKET, c->market, m->name);
    }
    if (c->stall && site_stall_known(s, c->stall)) {
        fputs(" › ", f);
        site_link(f, SITE_STALL, c->stall, c->stall);
    }
    fputs("</nav>\n<h1>", f);
    html_text(f, title);
    fprintf(f, "</h1>\n<p><strong class=\"%s\">", pass ? "ok" : "bad");
    html_text(f, pass ? _("Conclusion: the instrument passed verification.")
                      : _("Conclusion: the instrument failed verification and may not be "
                          "used for trade until it passes."));
    fputs("</strong></p>\n<dl class=\"facts\">\n", f);
    html_fact(f, N_("Certificate number"), c->certificate_no, 1);
    /* From the paper's snapshot (db/paper.h): who issued it and under which
     * authorisation, as printed. */
    char issuer[256] = "", auth[128] = "";
    if (c->paper != NULL) {
        paper_get(c->paper, "issuer.name", issuer, sizeof issuer);
        paper_get(c->paper, "issuer.authorisation", auth, sizeof auth);
    }
    if (issuer[0])
        html_fact(f, N_("Issued by"), issuer, 0);
    if (auth[0])
        html_fact(f, N_("Authorisation number"), auth, 0);
    html_fact(f, N_("Instrument"), c->instrument, 1);
    if (c->regulation && *c->regulation)
        html_fact(f, N_("Regulation"), c->regulation, 0);
    html_fact(f, N_("Verified on"), day, 0);
    if (pass && c->next_due && *c->next_due)
        html_fact(f, N_("Valid until"), c->next_due, 0);
    html_fact(f, N_("Verifier (badge)"), c->officer, 0);
    if (c->temperature && *c->temperature) {
        html_dt(f, N_("Temperature"));
        html_textf(f, "%s °C", c->temperature);
        fputs("</dd>\n", f);
    }
    fputs("</dl>\n", f);
    if (c->n_steps > 0) {
        fputs("<h2>", f);
        html_label(f, N_("Readings"));
        fputs("</h2>\n", f);
        static const char *const head[] = {N_("Test"), N_("Load"), N_("Error"), N_("MPE"),
                                           N_("Result")};
        html_thead(f, head, 5, 0x0eu);
        for (size_t i = 0; i < c->n_steps; i++) {
            const struct pub_cert_step *st = &c->steps[i];
            fputs("<tr>", f);
            html_td(f, N_("Test"), 0);
            html_text(f, test_words(st->test));
            if (st->position && *st->position)
                html_textf(f, " %s", st->position);
            fputs("</td>", f);
            html_td(f, N_("Load"), 1);
            site_mass(f, st->load_ug);
            fputs("</td>", f);
            html_td(f, N_("Error"), 1);
            signed_mass(f, st->error_ug);
            fputs("</td>", f);
            html_td(f, N_("MPE"), 1);
            if (st->mpe_ug != INT64_MIN) {
                fputs("±", f);
                site_mass(f, st->mpe_ug);
            }
            fputs("</td>", f);
            html_td(f, N_("Result"), 0);
            if (st->pass >= 0)
                fprintf(f, "<span class=\"%s\">%s</span>", st->pass ? "ok" : "bad",
                        st->pass ? _("Pass") : _("Fail"));
            fputs("</td></tr>\n", f);
        }
        html_tend(f);
    }
    html_end(f, &frame);
    int rc = site_out_end(s->out);
    if (rc < 0)
        return rc;
    struct data_cell d[] = {{c->id, 0},       {c->certificate_no, 0}, {c->instrument, 0},
                            {c->market, 0},   {c->stall, 0},          {day, 0},
                            {c->verdict, 0},  {c->next_due, 0},       {c->officer, 0},
                            {canonical, 0}};
    data_row(&s->data[DATA_CERTIFICATES], DATA_CERTIFICATES, d);
    s->st->certificates++;
    return 0;
}
