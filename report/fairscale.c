#include "report/fairscale.h"

#include <stdlib.h>

#include "core/mass.h"
#include "report/json.h"
#include "report/scorecard.h"

static void fmt_mass(int64_t ug, char *buf, size_t size)
{
    char n[24];
    mass_format(ug, MASS_G, n, sizeof n);
    snprintf(buf, size, "%.24s g", n);
}

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

static void money_fields(struct card *c, const struct fair_ticket *t)
{
    char smoney[40], sowed[40];
    const struct reweigh_verdict *v = t->verdict;
    fmt_money(v->has_money ? v->money_short_fen : 0, smoney, sizeof smoney);
    fmt_money(t->owed_fen, sowed, sizeof sowed);
    card_field(c, "短缺金额 Value", "%s", smoney);
    card_field(c, "应补 Owed", "%s (x%d, 缺一补%s)", sowed, t->multiple,
               t->multiple == 2 ? "二" : "N");
}

struct card *fair_ticket_card(const struct fair_ticket *t)
{
    struct card *c = card_new();
    if (c == NULL)
        return NULL;
    const struct visit_reweigh *rw = &t->visit->reweigh[0];
    const struct reweigh_verdict *v = t->verdict;
    int has_price = rw->unit_price_fen > 0;
    char sstated[40], smeasured[40], sshort[40], sallowed[40], sprice[40];
    fmt_mass(rw->declared_ug, sstated, sizeof sstated);
    fmt_mass(rw->measured_ug, smeasured, sizeof smeasured);
    fmt_mass(v->shortfall_ug, sshort, sizeof sshort);
    fmt_mass(v->allowed_ug, sallowed, sizeof sallowed);
    fmt_money(rw->unit_price_fen, sprice, sizeof sprice);
    card_title(c, "公平秤复秤单  Fair-scale ticket");
    card_field(c, "市场 Market", "%s", t->stall->market);
    card_field(c, "摊位 Stall", "%s  %s", t->stall->code, t->stall->name);
    card_field(c, "商品 Goods", "%s (%s)", rw->goods, category_id(rw->category));
    if (has_price)
        card_field(c, "单价 Price", "%s/kg", sprice);
    card_field(c, "标称 Stated", "%s", sstated);
    card_field(c, "实测 Measured", "%s%s", smeasured, t->read ? " (read)" : "");
    card_field(c, "短缺 Short", "%s (allowed %s)", sshort, sallowed);
    card_field(c, "结论 Verdict", "%s",
               v->outcome == REWEIGH_FAIL   ? "不合格 short"
               : v->outcome == REWEIGH_PASS ? "合格 pass"
                                            : "超出范围 outside the table");
    if (has_price)
        money_fields(c, t);
    card_field(c, "时间 Time", "%s", t->visit->started_at);
    card_field(c, "复核 Checked by", "%s %s", t->checker->badge, t->checker->name);
    card_field(c, "记录 Record", "%s", t->record);
    if (t->has_score)
        card_field(c, "诚信 Score", "%d, list %s", t->score, score_list_name(t->list));
    scorecard_qr(c, t->base_url, SITE_STALL, t->stall->code);
    card_page(c);
    return c;
}
