#include "report/scorecard.h"

#include <libintl.h>
#include <stdio.h>
#include <string.h>

#include "core/checklist.h"
#include "core/error.h"
#include "core/score.h"
#include "db/publish.h"
#include "report/lang.h"
#include "report/record.h"
#include "report/words.h"

#define _(s) gettext(s)
#define N_(s) (s)

int scorecard_qr(struct card *c, const char *base_url, enum site_kind kind, const char *key)
{
    char url[1024];
    if (!site_base_valid(base_url))
        return 0;
    int rc = site_url(base_url, kind, key, url, sizeof url);
    if (rc == 0)
        rc = card_qr(c, url);
    return rc < 0 ? rc : 1;
}

static void fmt_day(day_t d, char buf[11])
{
    if (d == 0)
        buf[0] = '\0';
    else
        day_format(d, buf, 11);
}

static void pct(char *buf, size_t size, int num, int den)
{
    int pm = lists_permille(num, den);
    if (den <= 0)
        snprintf(buf, size, "%d/%d", num, den);
    else
        snprintf(buf, size, "%d/%d (%d.%d%%)", num, den, pm / 10, pm % 10);
}

/* The score line: "60 分  黄星  黑榜". */
static void score_line(char *buf, size_t size, int score, enum score_grade g, enum score_list l)
{
    char pts[32];
    /* TRANSLATORS: an integrity score, out of 100. */
    snprintf(pts, sizeof pts, _("%d points"), score);
    snprintf(buf, size, "%s  %s%s%s", pts, words_grade(g), l != SCORE_LIST_NONE ? "  " : "",
             words_list(l));
}

/* The rules in plain words, as the paper's last section. */
static void rules_words(struct card *c, const struct rules *r)
{
    card_heading(c, paper_bi(N_("The rules")));
    card_para(c, _("Each stall starts at %d points; each deduction of the last %d months counts."),
              r->base, r->window_months);
    card_para(c, _("Red list: at least %d inspections in the last %d months, none with a "
                   "problem, and a score of %d or more."),
              r->red_min_inspections, r->red_months, r->red_min_score);
    card_para(c, _("Black list: a serious violation (short weight, a cheating device, a broken "
                   "seal, a scale not verified) or a score below %d. It ends after %d months, "
                   "at a re-inspection that finds nothing wrong."),
              r->black_below, r->black_months);
    card_para(c, _("Stars: red from %d points, green from %d, yellow from %d, black below."),
              r->grade_red, r->grade_green, r->grade_yellow);
}

/* ---- a stall's scorecard -------------------------------------------------- */

struct stall_args {
    const struct rules *r;
    day_t as_of;
    const char *base_url;
    const char *market_name;
    struct card *card;
};

/* One inspection's row: its date, officers, result and problems. */
static void inspection_row(struct card *c, const struct rules *r, const struct stall_record *rec,
                           size_t k, day_t as_of)
{
    const struct score_event *v = &rec->ev[k];
    const struct pub_inspection *p = rec->isp[k];
    char day[11], officers[64], result[160], problems[600] = "";
    fmt_day(v->day, day);
    snprintf(officers, sizeof officers, "%s%s%s", p->officer1 ? p->officer1 : "",
             p->officer2 && *p->officer2 ? ", " : "", p->officer2 ? p->officer2 : "");
    if (v->kind == SCORE_EVENT_FAIRSCALE) {
        snprintf(result, sizeof result, _("%s: %s"), _("Fair-scale re-weigh after a customer's complaint"),
                 v->reweighs_short > 0 ? _("Short weight") : _("Within the allowed deviation"));
        /* What was short, by how much: the deduction below comes from it. */
        size_t n = 0;
        for (size_t i = 0; i < p->n_reweighs && n < sizeof problems; i++) {
            const struct pub_reweigh *w = &p->reweighs[i];
            if (w->verdict == NULL || strcmp(w->verdict, "fail") != 0)
                continue;
            char one[300];
            words_reweigh_short(w->goods, w->declared_ug, w->measured_ug, w->shortfall_ug,
                                w->allowed_ug, one, sizeof one);
            n += (size_t)snprintf(problems + n, sizeof problems - n, "%s%s", n ? _("; ") : "",
                                  one);
        }
    } else {
        snprintf(result, sizeof result, "%s", words_result(words_result_of(r, v)));
        size_t n = 0;
        for (int item = 0; item < CHECK_ITEM_COUNT && n < sizeof problems; item++) {
            if (!record_failed(v, (enum checklist_item)item))
                continue;
            enum checklist_answer ans = ANSWER_FAIL;
            for (size_t i = 0; i < v->n_findings; i++)
                if (v->findings[i].item == (enum checklist_item)item)
                    ans = v->findings[i].answer;
            day_t when;
            enum record_outcome o =
                record_correction(rec, k, (enum checklist_item)item, r, as_of, &when);
            char out[160];
            record_outcome_text(o, when, out, sizeof out);
            const char *what = words_violation((enum checklist_item)item, ans);
            char one[300];
            if (out[0])
                /* TRANSLATORS: a problem found, then what became of it. */
                snprintf(one, sizeof one, _("%s: %s"), what, out);
            else
                snprintf(one, sizeof one, "%s", what);
            n += (size_t)snprintf(problems + n, sizeof problems - n, "%s%s", n ? _("; ") : "",
                                  one);
        }
    }
    card_row(c, (const char *[]){day, officers, result, problems[0] ? problems : "—"});
}

static int stall_card(const struct pub_stall *st, void *arg)
{
    struct stall_args *a = arg;
    const struct rules *r = a->r;
    struct stall_record rec;
    int rc = record_build(st, r, a->as_of, &rec);
    if (rc < 0) {
        record_free(&rec);
        return rc;
    }
    const struct score_result *res = &rec.res;
    struct card *c = card_new();
    if (c == NULL) {
        record_free(&rec);
        return SC_ERR_NOMEM;
    }
    char buf[512], day[11], day2[11];
    snprintf(buf, sizeof buf, "%s · %s %s", a->market_name, st->code, _("Integrity scorecard"));
    card_header(c, buf);
    card_title(c, paper_bi(N_("Integrity scorecard")));
    scorecard_qr(c, a->base_url, SITE_STALL, st->code);
    card_field(c, paper_bi(N_("Stall")), "%s  %s", st->code, st->name ? st->name : "");
    card_field(c, paper_bi(N_("Market")), "%s", a->market_name);
    if (st->licence != NULL && *st->licence)
        card_field(c, paper_bi(N_("Unified social credit code")), "%s", st->licence);
    fmt_day(a->as_of, day);
    card_field(c, paper_bi(N_("As of")), "%s", day);
    score_line(buf, sizeof buf, res->score, res->grade, res->list);
    card_big(c, buf);
    if (res->list == SCORE_LIST_BLACK) {
        char reason[256];
        words_black_reason(r, res, reason, sizeof reason);
        fmt_day(res->black_since, day);
        fmt_day(res->black_until, day2);
        card_field(c, paper_bi(N_("On the black list")), _("%s (since %s)"), reason, day);
        card_field(c, paper_bi(N_("Can come off")),
                   _("from %s, at a re-inspection that finds nothing wrong"), day2);
    } else if (res->list == SCORE_LIST_RED) {
        card_field(c, paper_bi(N_("Red list")),
                   _("%d inspections in the last %d months, all without a problem"),
                   res->red_inspections, r->red_months);
    }

    /* Every inspection of the score window, newest first: its date and
     * officers, not a record id. */
    snprintf(buf, sizeof buf, _("Inspections in the last %d months"), r->window_months);
    card_heading(c, buf);
    day_t from = day_add_months(a->as_of, -r->window_months);
    int shown = 0;
    for (size_t k = rec.n; k-- > 0;) {
        if (rec.ev[k].day > a->as_of || rec.ev[k].day <= from)
            continue;
        if (shown++ == 0) {
            card_table(c, 4, (const int[]){14, 15, 22, 40});
            card_row(c, (const char *[]){paper_bi(N_("Date")), paper_bi(N_("Officers (badge)")),
                                         paper_bi(N_("Result")), paper_bi(N_("Problems found"))});
        }
        inspection_row(c, r, &rec, k, a->as_of);
    }
    if (shown == 0)
        card_para(c, "%s", _("Not inspected yet."));

    if (res->n_followups > 0) {
        card_heading(c, paper_bi(N_("Corrections ordered")));
        card_table(c, 4, (const int[]){32, 14, 14, 26});
        card_row(c, (const char *[]){paper_bi(N_("To correct")), paper_bi(N_("Found")),
                                     paper_bi(N_("Deadline")), paper_bi(N_("State"))});
        for (size_t i = 0; i < res->n_followups; i++) {
            const struct score_followup *u = &res->followups[i];
            fmt_day(u->opened, day);
            fmt_day(u->due, day2);
            card_row(c, (const char *[]){words_violation(u->item, ANSWER_FAIL), day, day2,
                                         u->due < a->as_of ? _("Deadline passed, re-inspection due")
                                                           : _("Within the correction period")});
        }
    }

    snprintf(buf, sizeof buf, _("Deductions (from %d, the last %d months)"), r->base,
             r->window_months);
    card_heading(c, buf);
    if (res->n_deductions == 0) {
        card_para(c, "%s", _("No deductions."));
    } else {
        card_table(c, 3, (const int[]){14, 58, 10});
        card_row(c, (const char *[]){paper_bi(N_("Date")), paper_bi(N_("Rule broken")),
                                     paper_bi(N_("Points"))});
        for (size_t i = 0; i < res->n_deductions; i++) {
            const struct score_deduction *d = &res->deductions[i];
            char what[256], pts[32];
            fmt_day(d->day, day);
            const char *v = words_violation(d->item, ANSWER_FAIL);
            if (d->rule == SCORE_RULE_FOLLOWUP_UNFIXED)
                snprintf(what, sizeof what, _("Not corrected by the deadline: %s"), v);
            else if (d->rule == SCORE_RULE_FAIRSCALE_SHORT)
                snprintf(what, sizeof what, "%s",
                         _("Short weight at the fair scale (a customer's complaint)"));
            else
                snprintf(what, sizeof what, "%s", v);
            if (d->black)
                snprintf(what + strlen(what), sizeof what - strlen(what), " — %s",
                         _("Black list"));
            snprintf(pts, sizeof pts, "-%d", d->points);
            card_row(c, (const char *[]){day, what, pts});
        }
    }
    rules_words(c, r);
    card_page(c);
    record_free(&rec);
    a->card = c;
    return 0;
}

int scorecard_stall(struct db *db, const struct rules *r, const char *stall, day_t as_of,
                    const char *base_url, struct card **out)
{
    *out = NULL;
    struct stall s;
    struct market m;
    memset(&m, 0, sizeof m);
    int rc = registry_find_stall(db, stall, &s);
    if (rc < 0)
        return rc == SC_ERR_NOTFOUND ? sc_error_set(rc, "no stall '%s'", stall) : rc;
    registry_find_market(db, s.market, &m);
    struct stall_args a = {r, as_of, base_url, m.name[0] ? m.name : s.market, NULL};
    struct pub_src *src;
    if ((rc = pub_src_sqlite(db, &src)) < 0)
        return rc;
    rc = pub_stall(src, stall, stall_card, &a);
    pub_src_close(src);
    if (rc < 0) {
        card_free(a.card);
        return rc;
    }
    *out = a.card;
    return 0;
}

/* ---- a market's scorecard ---------------------------------------------------- */

static void market_fields(struct card *c, const struct market_card *mc)
{
    const struct lists_market *m = mc->market;
    char buf[64], day[11];
    card_field(c, paper_bi(N_("Market")), "%s  %s", m->code, m->name);
    fmt_day(mc->as_of, day);
    card_field(c, paper_bi(N_("As of")), "%s", day);
    card_field(c, paper_bi(N_("Rank in the district")), "%d / %zu", m->rank, mc->n_markets);
    card_field(c, paper_bi(N_("Open stalls")), "%d", m->fig.stalls);
    pct(buf, sizeof buf, m->fig.red, m->fig.stalls);
    card_field(c, paper_bi(N_("Red list")), "%s", buf);
    pct(buf, sizeof buf, m->fig.black, m->fig.stalls);
    card_field(c, paper_bi(N_("Black list")), "%s", buf);
    pct(buf, sizeof buf, m->fig.scales_verified, m->fig.scales);
    card_field(c, paper_bi(N_("Scales within their verification period")), "%s", buf);
    card_field(c, paper_bi(N_("Fair scales")), "%d", m->fig.fair_scales);
    pct(buf, sizeof buf, m->fig.reweighs_pass, m->fig.reweighs);
    card_field(c, paper_bi(N_("Re-weighs within the allowed deviation")), "%s", buf);
    card_field(c, paper_bi(N_("Status")), "%s",
               m->status == MARKET_SUSPEND   ? _("Suspended: too many stalls on the black list")
               : m->status == MARKET_RECTIFY ? _("To rectify: many stalls on the black list")
                                             : _("In order"));
}

struct card *scorecard_market(const struct rules *r, const struct market_card *mc,
                              const char *base_url)
{
    (void)r;
    struct card *c = card_new();
    if (c == NULL)
        return NULL;
    char buf[512];
    snprintf(buf, sizeof buf, "%s · %s", mc->market->name, _("Market scorecard"));
    card_header(c, buf);
    card_title(c, paper_bi(N_("Market scorecard")));
    scorecard_qr(c, base_url, SITE_MARKET, mc->market->code);
    market_fields(c, mc);
    card_heading(c, paper_bi(N_("Every stall")));
    card_table(c, 5, (const int[]){14, 24, 8, 14, 12});
    card_row(c, (const char *[]){paper_bi(N_("Stall")), paper_bi(N_("Shop")),
                                 paper_bi(N_("Score")), paper_bi(N_("Star")),
                                 paper_bi(N_("List"))});
    for (size_t i = 0; i < mc->n_rows; i++) {
        const struct lists_row *row = &mc->rows[i];
        char score[12];
        snprintf(score, sizeof score, "%d", row->score);
        card_row(c, (const char *[]){row->stall, row->name, score, words_grade(row->grade),
                                     row->list == SCORE_LIST_NONE ? "—" : words_list(row->list)});
    }
    if (card_page(c) < 0) {
        card_free(c);
        return NULL;
    }
    return c;
}

/* ---- the list posted at the market gate ------------------------------------------ */

int scorecard_posted_list(struct db *db, const struct rules *r, const struct market_card *mc,
                          const char *base_url, struct card **out)
{
    *out = NULL;
    struct card *c = card_new();
    if (c == NULL)
        return SC_ERR_NOMEM;
    char buf[512], day[11];
    const struct lists_market *m = mc->market;
    /* TRANSLATORS: the title of the list posted at the market gate; %s is
     * the market's name. */
    snprintf(buf, sizeof buf, _("%s: red and black list of honest trading"), m->name);
    card_header(c, buf);
    card_title(c, buf);
    scorecard_qr(c, base_url, SITE_MARKET, m->code);
    fmt_day(mc->as_of, day);
    card_para(c, _("As of %s: %d stalls on the red list and %d on the black list, of %d."), day,
              m->fig.red, m->fig.black, m->fig.stalls);

    card_heading(c, paper_bi(N_("Red list: honest weights and prices")));
    int n = 0;
    for (size_t i = 0; i < mc->n_rows; i++) {
        const struct lists_row *row = &mc->rows[i];
        if (row->list != SCORE_LIST_RED)
            continue;
        if (n++ == 0) {
            card_table(c, 3, (const int[]){16, 34, 10});
            card_row(c, (const char *[]){paper_bi(N_("Stall")), paper_bi(N_("Shop")),
                                         paper_bi(N_("Score"))});
        }
        char score[12];
        snprintf(score, sizeof score, "%d", row->score);
        card_row(c, (const char *[]){row->stall, row->name, score});
    }
    if (n == 0)
        card_para(c, "%s", _("No stall is on the red list yet."));

    card_heading(c, paper_bi(N_("Black list")));
    n = 0;
    int rc = 0;
    for (size_t i = 0; i < mc->n_rows && rc == 0; i++) {
        const struct lists_row *row = &mc->rows[i];
        if (row->list != SCORE_LIST_BLACK)
            continue;
        if (n++ == 0) {
            card_table(c, 4, (const int[]){13, 16, 39, 14});
            card_row(c, (const char *[]){paper_bi(N_("Stall")), paper_bi(N_("Shop")),
                                         paper_bi(N_("Reason")), paper_bi(N_("Since"))});
        }
        /* The rule broken, in a stall holder's words. */
        struct lists_stall s;
        char reason[256] = "", since[11];
        if ((rc = lists_stall_score(db, r, row->stall, mc->as_of, &s)) == 0) {
            words_black_reason(r, &s.res, reason, sizeof reason);
            lists_stall_free(&s);
        }
        fmt_day(row->since, since);
        card_row(c, (const char *[]){row->stall, row->name, reason, since});
    }
    if (n == 0)
        card_para(c, "%s", _("No stall is on the black list."));
    if (rc == 0) {
        rules_words(c, r);
        rc = card_page(c);
    }
    if (rc < 0) {
        card_free(c);
        return rc;
    }
    *out = c;
    return 0;
}
