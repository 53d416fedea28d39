/* A stall's public page (stall/CODE.html): what a consumer sees after
 * scanning the QR code on the stall's posted scorecard.  Its score and
 * list come from core/score over the stall's records, as the handheld and
 * the district compute them. */
#include "report/site_stall.h"

#include <libintl.h>
#include <stdlib.h>
#include <string.h>

#include "core/due.h"
#include "core/reweigh.h"
#include "core/category.h"
#include "core/error.h"
#include "core/mass.h"
#include "report/record.h"
#include "report/site_data.h"
#include "report/site_html.h"
#include "report/site_run.h"
#include "report/words.h"

#define _(s) gettext(s)
#define N_(s) (s)

/* ---- small pieces ------------------------------------------------------- */


static void grams(char *buf, size_t size, int64_t ug)
{
    if (ug == INT64_MIN)
        buf[0] = '\0';
    else
        mass_format(ug, MASS_G, buf, size);
}

static const char *grade_class(enum score_grade g)
{
    static const char *const c[] = {"t-red", "t-green", "t-yellow", "t-black"};
    return (unsigned)g < 4 ? c[g] : "t-none";
}

static void fmt_day(day_t d, char buf[11])
{
    if (d == 0)
        buf[0] = '\0';
    else
        day_format(d, buf, 11);
}


/* ---- the page's sections ------------------------------------------------ */

static void section_head(FILE *f, const char *msgid)
{
    fputs("<h2>", f);
    html_label(f, msgid);
    fputs("</h2>\n", f);
}

static void score_block(FILE *f, const struct rules *r, const struct score_result *res,
                        int active)
{
    if (!active) {
        fprintf(f, "<p class=\"reason\">%s</p>\n",
                _("This stall has closed; its records are kept for the public."));
        return;
    }
    /* The number with its unit: a bare "25" tells a passer-by nothing. */
    fprintf(f, "<div class=\"score\"><span><span class=\"n\">%d</span> ", res->score);
    /* TRANSLATORS: the unit after a stall's integrity score on its public
     * page ("25 分"). */
    html_text(f, _("points (the unit of a score)"));
    fprintf(f, "</span><span class=\"tag %s\">", grade_class(res->grade));
    html_text(f, words_grade(res->grade));
    fputs("</span>", f);
    if (res->list != SCORE_LIST_NONE) {
        fprintf(f, "<span class=\"tag %s\">", res->list == SCORE_LIST_RED ? "t-red" : "t-black");
        html_text(f, words_list(res->list));
        fputs("</span>", f);
    }
    fputs("</div>\n<p class=\"muted\">", f);
    html_textf(f, _("Integrity score out of %d: deductions of the last %d months count."), r->base,
               r->window_months);
    fputs("</p>\n", f);
    if (res->list == SCORE_LIST_BLACK) {
        char reason[256], since[11], until[11];
        words_black_reason(r, res, reason, sizeof reason);
        fmt_day(res->black_since, since);
        fmt_day(res->black_until, until);
        fputs("<div class=\"reason\"><p><strong>", f);
        html_text(f, _("On the black list:"));
        fputs("</strong> ", f);
        html_text(f, reason);
        fputs("</p><p>", f);
        html_textf(f, _("Since %s. It can end from %s, at a re-inspection that finds nothing wrong."),
                   since, until);
        fputs("</p></div>\n", f);
    } else if (res->list == SCORE_LIST_RED) {
        fputs("<p class=\"ok\">", f);
        html_textf(f, _("On the red list: %d inspections in the last %d months, all clean."),
                   res->red_inspections, r->red_months);
        fputs("</p>\n", f);
    }
}

static void facts(FILE *f, const struct pub_stall *st, const struct site_market *m)
{
    fputs("<dl class=\"facts\">\n", f);
    html_fact(f, N_("Stall"), st->code, 1);
    html_dt(f, N_("Market"));
    site_link(f, SITE_MARKET, st->market, m && m->name ? m->name : st->market);
    fputs("</dd>\n", f);
    const struct category_info *cat = category_find(st->category ? st->category : "");
    if (cat != NULL)
        html_fact(f, N_("Category of goods"),
                  strcmp(_("Red list"), "Red list") != 0 ? cat->zh : cat->id, 0);
    if (st->licence != NULL && *st->licence)
        html_fact(f, N_("Unified social credit code"), st->licence, 1);
    fputs("</dl>\n", f);
}

static void followups(FILE *f, const struct score_result *res, const char *as_of)
{
    if (res->n_followups == 0)
        return;
    section_head(f, N_("Corrections ordered"));
    static const char *const head[] = {N_("To correct"), N_("Found"), N_("Deadline"),
                                       N_("State")};
    html_thead(f, head, 4, 0);
    for (size_t i = 0; i < res->n_followups; i++) {
        const struct score_followup *u = &res->followups[i];
        char found[11], due[11];
        fmt_day(u->opened, found);
        fmt_day(u->due, due);
        fputs("<tr>", f);
        html_td(f, N_("To correct"), 0);
        html_text(f, words_violation(u->item, ANSWER_FAIL));
        fputs("</td>", f);
        html_td(f, N_("Found"), 0);
        html_text(f, found);
        fputs("</td>", f);
        html_td(f, N_("Deadline"), 0);
        html_text(f, due);
        fputs("</td>", f);
        html_td(f, N_("State"), 0);
        if (strcmp(due, as_of) < 0)
            fprintf(f, "<span class=\"bad\">%s</span>", _("Deadline passed, re-inspection due"));
        else
            html_text(f, _("Within the correction period"));
        if (u->unfixed > 0) {
            fputs(" ", f);
            html_textf(f, _("(found not corrected %d times)"), u->unfixed);
        }
        fputs("</td></tr>\n", f);
    }
    html_tend(f);
}

static void instruments(FILE *f, const struct site *s, const struct pub_stall *st)
{
    if (st->n_instruments == 0)
        return;
    section_head(f, N_("Scales"));
    static const char *const head[] = {N_("Scale"), N_("Kind"), N_("Max"),
                                       N_("Verification due"), N_("State")};
    html_thead(f, head, 5, 1u << 2);
    for (size_t i = 0; i < st->n_instruments; i++) {
        const struct pub_instrument *in = &st->instruments[i];
        if (!in->active)
            continue;
        fputs("<tr>", f);
        html_td(f, N_("Scale"), 0);
        fputs("<span class=\"code\">", f);
        html_text(f, in->code);
        fputs("</span>", f);
        /* Its certificates, newest last. */
        for (size_t k = 0; k < s->n_certs; k++) {
            const struct site_ref *c = &s->certs[k];
            if (strcmp(c->key, in->code) != 0)
                continue;
            fputs("<br>", f);
            site_link(f, SITE_CERT, c->id, c->label);
        }
        fputs("</td>", f);
        html_td(f, N_("Kind"), 0);
        html_text(f, words_instrument_kind(in->kind));
        if (in->klass && *in->klass)
            html_textf(f, " (%s)", in->klass);
        fputs("</td>", f);
        html_td(f, N_("Max"), 1);
        if (in->max_ug > 0)
            site_mass(f, in->max_ug);
        fputs("</td>", f);
        html_td(f, N_("Verification due"), 0);
        html_text(f, in->due ? in->due : "");
        fputs("</td>", f);
        html_td(f, N_("State"), 0);
        site_verification_state(f, in->due, s->as_of, 0);
        fputs("</td></tr>\n", f);
    }
    html_tend(f);
}

static void reweigh_table(FILE *f, const struct pub_inspection *p)
{
    static const char *const head[] = {N_("Goods"),   N_("Charged"), N_("Re-weighed"),
                                       N_("Short"),   N_("Allowed"), N_("Verdict")};
    html_thead(f, head, 6, 0x1eu);
    for (size_t i = 0; i < p->n_reweighs; i++) {
        const struct pub_reweigh *r = &p->reweighs[i];
        int bad = r->verdict && strcmp(r->verdict, "fail") == 0;
        fputs("<tr>", f);
        html_td(f, N_("Goods"), 0);
        html_text(f, r->goods && *r->goods ? r->goods : "—");
        fputs("</td>", f);
        html_td(f, N_("Charged"), 1);
        site_mass(f, r->declared_ug);
        fputs("</td>", f);
        html_td(f, N_("Re-weighed"), 1);
        site_mass(f, r->measured_ug);
        fputs("</td>", f);
        html_td(f, N_("Short"), 1);
        if (r->shortfall_ug > 0)
            site_mass(f, r->shortfall_ug);
        else
            fputs("0", f);
        fputs("</td>", f);
        html_td(f, N_("Allowed"), 1);
        if (r->allowed_ug >= 0)
            site_mass(f, r->allowed_ug);
        else
            fputs("—", f);
        fputs("</td>", f);
        html_td(f, N_("Verdict"), 0);
        fprintf(f, "<span class=\"%s\">", bad ? "bad" : "ok");
        html_text(f, words_reweigh_verdict(r->verdict));
        fputs("</span></td></tr>\n", f);
    }
    html_tend(f);
}

static void visit(FILE *f, const struct site *s, const struct stall_record *e, size_t k,
                  const struct pub_inspection *p, day_t as_of)
{
    const struct rules *r = s->opt->rules;
    const struct score_event *v = &e->ev[k];
    char day[11];
    fmt_day(v->day, day);
    fputs("<article class=\"visit\" id=\"i-", f);
    html_text(f, p->id);
    fputs("\">\n<h3>", f);
    html_text(f, day);
    fputs(" · ", f);
    if (v->kind == SCORE_EVENT_FAIRSCALE)
        html_text(f, _("Fair-scale re-weigh after a customer's complaint"));
    else if (p->draw != NULL && site_draw_find(s, p->draw) != NULL)
        site_link(f, SITE_DRAW, p->draw, _("Random inspection"));
    else
        html_text(f, _("Inspection"));
    fputs("</h3>\n", f);
    enum words_result w = words_result_of(r, v);
    if (v->kind == SCORE_EVENT_INSPECTION) {
        fprintf(f, "<p><strong class=\"%s\">", w == WORDS_RESULT_CLEAN ? "ok" : "bad");
        html_text(f, words_result(w));
        fputs("</strong></p>\n", f);
    }
    fputs("<p class=\"muted\">", f);
    html_text(f, v->kind == SCORE_EVENT_FAIRSCALE ? _("Checked by (badge):")
                                                  : _("Officers (badge):"));
    fputc(' ', f);
    html_text(f, p->officer1);
    if (p->officer2 != NULL && *p->officer2) {
        fputs(", ", f);
        html_text(f, p->officer2);
    }
    fputs("</p>\n", f);
    /* Failed items in plain words, with what became of each correction. */
    int any = 0;
    for (int item = 0; item < CHECK_ITEM_COUNT; item++) {
        if (!record_failed(v, (enum checklist_item)item) || v->kind != SCORE_EVENT_INSPECTION)
            continue;
        enum checklist_answer ans = ANSWER_FAIL;
        for (size_t i = 0; i < v->n_findings; i++)
            if (v->findings[i].item == (enum checklist_item)item)
                ans = v->findings[i].answer;
        fputs(any++ ? "<li>" : "<ul class=\"plain\"><li>", f);
        fputs("<span class=\"bad\">", f);
        html_text(f, words_violation((enum checklist_item)item, ans));
        fputs("</span>", f);
        day_t when;
        enum record_outcome o = record_correction(e, k, (enum checklist_item)item, r, as_of, &when);
        char out[256];
        record_outcome_text(o, when, out, sizeof out);
        if (out[0]) {
            /* TRANSLATORS: between a problem found and what became of it
             * (a full-width colon in Chinese). */
            html_text(f, _(": "));
            fprintf(f, "<span class=\"%s\">", o == RECORD_CORRECTED       ? "ok"
                                                 : o == RECORD_OPEN ? "muted"
                                                                    : "bad");
            html_text(f, out);
            fputs("</span>", f);
        }
        fputs("</li>\n", f);
    }
    if (any)
        fputs("</ul>\n", f);
    if (p->n_reweighs > 0)
        reweigh_table(f, p);
    fputs("</article>\n", f);
}

static void deductions(FILE *f, const struct rules *r, const struct score_result *res)
{
    section_head(f, N_("How the score was reached"));
    fputs("<p>", f);
    html_textf(f, _("Starts at %d; each deduction of the last %d months:"), r->base,
               r->window_months);
    fputs("</p>\n", f);
    if (res->n_deductions == 0) {
        fputs("<p>", f);
        html_text(f, _("No deductions."));
        fputs("</p>\n", f);
        return;
    }
    static const char *const head[] = {N_("Date"), N_("Rule broken"), N_("Points")};
    html_thead(f, head, 3, 1u << 2);
    for (size_t i = 0; i < res->n_deductions; i++) {
        const struct score_deduction *d = &res->deductions[i];
        char day[11];
        fmt_day(d->day, day);
        fputs("<tr>", f);
        html_td(f, N_("Date"), 0);
        html_text(f, day);
        fputs("</td>", f);
        html_td(f, N_("Rule broken"), 0);
        const char *what = words_violation(d->item, ANSWER_FAIL);
        if (d->rule == SCORE_RULE_FOLLOWUP_UNFIXED)
            html_textf(f, _("Not corrected by the deadline: %s"), what);
        else if (d->rule == SCORE_RULE_FAIRSCALE_SHORT)
            html_text(f, _("Short weight at the fair scale (a customer's complaint)"));
        else
            html_text(f, what);
        if (d->black) {
            fputs(" <span class=\"tag t-black\">", f);
            html_text(f, _("Black list"));
            fputs("</span>", f);
        }
        fputs("</td>", f);
        html_td(f, N_("Points"), 1);
        fprintf(f, "&minus;%d</td></tr>\n", d->points);
    }
    html_tend(f);
}

/* ---- open data rows ------------------------------------------------------ */

static void data_rows(struct site *s, const struct pub_stall *st, const struct stall_record *e,
                      const struct score_result *res, day_t as_of, const char *url)
{
    const struct rules *r = s->opt->rules;
    char score[16], insp[16], fu[16], since[11] = "", until[11] = "", reason[256] = "";
    snprintf(score, sizeof score, "%d", res->score);
    snprintf(insp, sizeof insp, "%d", res->inspections);
    snprintf(fu, sizeof fu, "%zu", res->n_followups);
    if (res->list == SCORE_LIST_BLACK) {
        fmt_day(res->black_since, since);
        fmt_day(res->black_until, until);
        words_black_reason(r, res, reason, sizeof reason);
    }
    struct data_cell sc[] = {
        {st->code, 0},    {st->market, 0}, {st->name, 0},  {st->licence, 0},
        {st->category, 0}, {st->active ? "1" : "0", 1},
        {st->active ? score : NULL, 1}, {st->active ? score_grade_name(res->grade) : NULL, 0},
        {st->active ? score_list_name(res->list) : NULL, 0}, {reason[0] ? reason : NULL, 0},
        {since[0] ? since : NULL, 0}, {until[0] ? until : NULL, 0},
        {insp, 1}, {fu, 1}, {url, 0}};
    data_row(&s->data[DATA_STALLS], DATA_STALLS, sc);
    for (size_t k = 0; k < e->n; k++) {
        const struct score_event *v = &e->ev[k];
        const struct pub_inspection *p = e->isp[k];
        if (v->day > as_of)
            continue;
        char day[11], officers[128], failed[256] = "";
        fmt_day(v->day, day);
        snprintf(officers, sizeof officers, "%s%s%s", p->officer1 ? p->officer1 : "",
                 p->officer2 && *p->officer2 ? ";" : "", p->officer2 ? p->officer2 : "");
        size_t n = 0;
        for (int item = 0; item < CHECK_ITEM_COUNT; item++)
            if (record_failed(v, (enum checklist_item)item) && n < sizeof failed)
                n += (size_t)snprintf(failed + n, sizeof failed - n, "%s%s", n ? ";" : "",
                                      checklist_items(NULL)[item].id);
        enum words_result w = words_result_of(r, v);
        static const char *const wid[] = {"clean", "corrected", "pending"};
        int fair = v->kind == SCORE_EVENT_FAIRSCALE;
        struct data_cell ic[] = {
            {p->id, 0}, {st->code, 0}, {p->market, 0}, {day, 0}, {officers, 0},
            {p->draw, 0}, {fair ? "fairscale" : "inspection", 0},
            {fair ? NULL : wid[w], 0}, {fair ? NULL : words_result(w), 0},
            {failed[0] ? failed : NULL, 0}};
        data_row(&s->data[DATA_INSPECTIONS], DATA_INSPECTIONS, ic);
        for (size_t i = 0; i < p->n_findings; i++) {
            const struct pub_finding *x = &p->findings[i];
            struct data_cell fc[] = {{p->id, 0},     {st->code, 0},  {day, 0},
                                     {x->item, 0},   {x->answer, 0}, {x->deadline, 0}};
            data_row(&s->data[DATA_FINDINGS], DATA_FINDINGS, fc);
        }
        for (size_t i = 0; i < p->n_reweighs; i++) {
            const struct pub_reweigh *x = &p->reweighs[i];
            char dg[32], mg[32], sg[32], ag[32];
            grams(dg, sizeof dg, x->declared_ug);
            grams(mg, sizeof mg, x->measured_ug);
            grams(sg, sizeof sg, x->shortfall_ug);
            grams(ag, sizeof ag, x->allowed_ug < 0 ? INT64_MIN : x->allowed_ug);
            struct data_cell rc[] = {{p->id, 0}, {st->code, 0}, {day, 0}, {x->goods, 0},
                                     {x->category, 0}, {dg[0] ? dg : NULL, 1},
                                     {mg[0] ? mg : NULL, 1}, {sg[0] ? sg : NULL, 1},
                                     {ag[0] ? ag : NULL, 1}, {x->verdict, 0}, {x->method, 0}};
            data_row(&s->data[DATA_REWEIGHS], DATA_REWEIGHS, rc);
        }
    }
}

/* ---- the market's row and figures --------------------------------------- */

static int market_add(struct site *s, const struct pub_stall *st, const struct stall_record *e,
                      const struct score_result *res, day_t as_of)
{
    struct site_market *m = site_market_find(s, st->market);
    if (m == NULL)
        return 0; /* a stall of a market the registry does not hold */
    day_t from = day_add_months(as_of, -s->opt->rules->window_months);
    for (size_t k = 0; k < e->n; k++) {
        if (e->ev[k].day <= from || e->ev[k].day > as_of)
            continue;
        const struct pub_inspection *p = e->isp[k];
        for (size_t i = 0; i < p->n_reweighs; i++) {
            m->fig.reweighs++;
            enum reweigh_outcome o;
            m->fig.reweighs_pass += reweigh_outcome_parse(p->reweighs[i].verdict, &o) == 0 &&
                                o == REWEIGH_PASS;
        }
    }
    for (size_t i = 0; i < st->n_instruments; i++) {
        const struct pub_instrument *in = &st->instruments[i];
        if (!in->active || (in->kind && strcmp(in->kind, "meter") == 0))
            continue;
        m->fig.scales++;
        m->fig.scales_verified += !due_overdue(in->due, as_of);
    }
    if (m->n_rows == m->cap_rows) {
        size_t nc = m->cap_rows ? m->cap_rows * 2 : 64;
        struct site_row *q = realloc(m->rows, nc * sizeof *q);
        if (q == NULL)
            return SC_ERR_NOMEM;
        m->rows = q;
        m->cap_rows = nc;
    }
    struct site_row *row = &m->rows[m->n_rows++];
    memset(row, 0, sizeof *row);
    row->code = site_strdup(st->code);
    row->name = site_strdup(st->name);
    row->active = st->active;
    row->score = res->score;
    row->grade = res->grade;
    row->list = st->active ? res->list : SCORE_LIST_NONE;
    if (row->list == SCORE_LIST_BLACK) {
        char reason[256];
        words_black_reason(s->opt->rules, res, reason, sizeof reason);
        row->reason = site_strdup(reason);
        row->since = res->black_since;
        row->until = res->black_until;
    }
    if (st->active) {
        m->fig.stalls++;
        m->fig.red += row->list == SCORE_LIST_RED;
        m->fig.black += row->list == SCORE_LIST_BLACK;
        m->fig.none += row->list == SCORE_LIST_NONE;
    }
    return 0;
}

/* ---- the page ------------------------------------------------------------ */

int site_stall(struct site *s, const struct pub_stall *st)
{
    day_t as_of = s->opt->as_of;
    struct stall_record e;
    int rc = record_build(st, s->opt->rules, as_of, &e);
    if (rc < 0) {
        record_free(&e);
        return rc;
    }
    const struct score_result *res = &e.res;
    struct site_market *m = site_market_find(s, st->market);
    struct html_page frame;
    char canonical[1024], title[512];
    snprintf(title, sizeof title, "%s %s", st->code, st->name ? st->name : "");
    FILE *f = site_page(s, SITE_STALL, st->code, title, &frame, canonical, sizeof canonical);
    if (f == NULL)
        rc = site_out_fail();
    if (rc == 0) {
        fputs(" › ", f);
        site_link(f, SITE_MARKET, st->market, m && m->name ? m->name : st->market);
        fputs("</nav>\n<h1>", f);
        html_text(f, st->name && *st->name ? st->name : st->code);
        fputs("</h1>\n", f);
        score_block(f, s->opt->rules, res, st->active);
        facts(f, st, m);
        if (st->active)
            followups(f, res, s->as_of);
        instruments(f, s, st);
        section_head(f, N_("Inspections"));
        size_t shown = 0;
        for (size_t k = e.n; k-- > 0;) {
            if (e.ev[k].day > as_of)
                continue;
            visit(f, s, &e, k, e.isp[k], as_of);
            shown++;
        }
        if (shown == 0) {
            fputs("<p>", f);
            html_text(f, _("Not inspected yet."));
            fputs("</p>\n", f);
        }
        if (st->active)
            deductions(f, s->opt->rules, res);
        html_end(f, &frame);
        rc = site_out_end(s->out);
    }
    if (rc == 0) {
        data_rows(s, st, &e, res, as_of, canonical);
        rc = market_add(s, st, &e, res, as_of);
        s->st->stalls++;
        for (size_t k = 0; k < e.n; k++)
            s->st->inspections += e.ev[k].day <= as_of;
    }
    record_free(&e);
    return rc;
}
