#include "report/fairscale.h"

#include <libintl.h>
#include <stdlib.h>

#include "core/day.h"
#include "core/mass.h"
#include "db/zone.h"
#include "report/json.h"
#include "report/lang.h"
#include "report/scorecard.h"
#include "report/words.h"

#define _(s) gettext(s)
#define N_(s) (s)

static void fmt_money(int64_t fen, char *buf, size_t size)
{
    snprintf(buf, size, "%s%lld.%02lld 元", fen < 0 ? "-" : "", (long long)(llabs(fen) / 100),
             (long long)(llabs(fen) % 100));
}

static const char *category_id(enum reweigh_category c)
{
    const struct reweigh_category_info *info = reweigh_category_info(c);
    return info != NULL ? info->id : "";
}

void fair_ticket_json(FILE *out, const struct fair_ticket *t)
{
    const struct visit_reweigh *rw = &t->visit->reweigh[0];
    const struct reweigh_verdict *v = t->verdict;
    fprintf(out, "{\"inspection\":");
    json_string(out, t->record);
    fprintf(out, ",\"stall\":");
    json_string(out, t->stall->code);
    fprintf(out, ",\"market\":");
    json_string(out, t->stall->market);
    fprintf(out, ",\"goods\":");
    json_string(out, rw->goods);
    fprintf(out, ",\"category\":");
    json_string(out, category_id(rw->category));
    fprintf(out, ",\"verdict\":\"%s\",\"stated_ug\":%lld,\"measured_ug\":%lld,"
                 "\"shortfall_ug\":%lld,\"allowed_ug\":%lld,\"price_fen_per_kg\":%lld,"
                 "\"money_short_fen\":%lld,\"multiple\":%d,\"owed_fen\":%lld,\"scale\":",
            reweigh_outcome_id(rw->verdict), (long long)rw->declared_ug,
            (long long)rw->measured_ug, (long long)v->shortfall_ug, (long long)v->allowed_ug,
            (long long)rw->unit_price_fen, (long long)rw->money_short_fen, t->multiple,
            (long long)t->owed_fen);
    json_string(out, t->scale[0] ? t->scale : NULL);
    fprintf(out, ",\"read\":%s,\"checked_by\":", t->read ? "true" : "false");
    json_string(out, t->checker->badge);
    fprintf(out, ",\"time\":");
    json_string(out, t->visit->started_at);
    if (t->has_score)
        fprintf(out, ",\"score\":%d,\"list\":\"%s\"", t->score, score_list_name(t->list));
    fprintf(out, "}\n");
}

/* The check's moment as the customer reads it: the bureau's local date and
 * time (db/zone.h), "2026-02-02 01:30", not the stored UTC timestamp. */
static void local_time(const char *utc, char *buf, size_t size)
{
    char day[16], start[24];
    day_t d;
    int y, mo, dd, h, mi, sec, y0, mo0, d0, h0, mi0, s0;
    if (zone_date_of(utc, day, sizeof day) < 0 || day_parse(day, &d) < 0 ||
        zone_day_start(d, start, sizeof start) < 0 ||
        sscanf(utc, "%4d-%2d-%2dT%2d:%2d:%2dZ", &y, &mo, &dd, &h, &mi, &sec) != 6 ||
        sscanf(start, "%4d-%2d-%2dT%2d:%2d:%2dZ", &y0, &mo0, &d0, &h0, &mi0, &s0) != 6) {
        snprintf(buf, size, "%s", utc);
        return;
    }
    /* Seconds since the local day began: the wall clock there. */
    long since = (long)(day_from_ymd(y, mo, dd) - day_from_ymd(y0, mo0, d0)) * 86400 +
                 (h - h0) * 3600L + (mi - mi0) * 60L + (sec - s0);
    snprintf(buf, size, "%s %02ld:%02ld", day, since / 3600 % 24, since / 60 % 60);
}

static void money_fields(struct card *c, const struct fair_ticket *t)
{
    char smoney[40], sowed[40];
    const struct reweigh_verdict *v = t->verdict;
    fmt_money(v->has_money ? v->money_short_fen : 0, smoney, sizeof smoney);
    fmt_money(t->owed_fen, sowed, sizeof sowed);
    card_field(c, paper_bi(N_("Value short")), "%s", smoney);
    if (t->multiple == 2)
        /* TRANSLATORS: what the stall makes good under the market's rule
         * 缺一补二 (twice the value short). */
        card_field(c, paper_bi(N_("Owed")), _("%s (twice the value short)"), sowed);
    else
        card_field(c, paper_bi(N_("Owed")), _("%s (%d times the value short)"), sowed,
                   t->multiple);
}

/* The ticket is a Chinese paper, English second (report/lang.h), whatever
 * the screen's language: the customer takes it home. */
struct card *fair_ticket_card(const struct fair_ticket *t)
{
    struct card *c = card_new();
    if (c == NULL)
        return NULL;
    struct paper_lang_saved saved;
    paper_lang_begin(PAPER_ZH, &saved);
    const struct visit_reweigh *rw = &t->visit->reweigh[0];
    const struct reweigh_verdict *v = t->verdict;
    int has_price = rw->unit_price_fen > 0;
    char sstated[64], smeasured[64], sshort[64], sallowed[64], sprice[40], when[40];
    words_mass(rw->declared_ug, sstated, sizeof sstated);
    words_mass(rw->measured_ug, smeasured, sizeof smeasured);
    words_mass(v->shortfall_ug, sshort, sizeof sshort);
    words_mass(v->allowed_ug, sallowed, sizeof sallowed);
    fmt_money(rw->unit_price_fen, sprice, sizeof sprice);
    local_time(t->visit->started_at, when, sizeof when);
    card_title(c, paper_bi(N_("Fair-scale ticket")));
    card_field(c, paper_bi(N_("Market")), "%s",
               t->market_name && *t->market_name ? t->market_name : t->stall->market);
    card_field(c, paper_bi(N_("Stall")), "%s  %s", t->stall->code, t->stall->name);
    card_field(c, paper_bi(N_("Goods")), "%s", rw->goods);
    if (has_price)
        card_field(c, paper_bi(N_("Price")), "%s/kg", sprice);
    card_field(c, paper_bi(N_("Charged")), "%s", sstated);
    card_field(c, paper_bi(N_("Re-weighed")), "%s%s", smeasured,
               /* TRANSLATORS: after the mass re-weighed, when the fair scale
                * itself sent it over its cable. */
               t->read ? _(" (read from the fair scale)") : "");
    card_field(c, paper_bi(N_("Short")), _("%s (allowed %s)"), sshort, sallowed);
    card_field(c, paper_bi(N_("Verdict")), "%s", words_reweigh_verdict(reweigh_outcome_id(v->outcome)));
    if (has_price)
        money_fields(c, t);
    card_field(c, paper_bi(N_("Time")), "%s", when);
    card_field(c, paper_bi(N_("Re-weighed by")), "%s %s", t->checker->badge, t->checker->name);
    card_field(c, paper_bi(N_("Record")), "%s", t->record);
    if (t->has_score) {
        char pts[32];
        snprintf(pts, sizeof pts, _("%d points"), t->score);
        card_field(c, paper_bi(N_("The stall's score")), "%s%s%s", pts,
                   t->list != SCORE_LIST_NONE ? "  " : "", words_list(t->list));
    }
    scorecard_qr(c, t->base_url, SITE_STALL, t->stall->code);
    card_page(c);
    paper_lang_end(&saved);
    return c;
}
