#include "report/scorecard.h"

#include <stdio.h>
#include <string.h>

#include "core/checklist.h"
#include "core/score.h"

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

const char *scorecard_item_zh(enum checklist_item item)
{
    static const char *const zh[CHECK_ITEM_COUNT] = {
        [CHECK_LICENCE_SHOWN] = "亮照经营",     [CHECK_PRICE_TAGS] = "明码标价",
        [CHECK_VERIFICATION_MARK] = "检定合格标志", [CHECK_VERIFICATION_DUE] = "检定有效期",
        [CHECK_SEAL] = "封印",                 [CHECK_FAIR_SCALE] = "公平秤",
        [CHECK_CHEATING_DEVICE] = "作弊装置",   [CHECK_REWEIGH] = "复秤",
    };
    return (unsigned)item < CHECK_ITEM_COUNT ? zh[item] : "";
}

static const char *list_zh(enum score_list l)
{
    return l == SCORE_LIST_RED ? "红榜 red" : l == SCORE_LIST_BLACK ? "黑榜 black" : "— none";
}

static const char *grade_zh(enum score_grade g)
{
    static const char *const names[] = {"红星 red star", "绿星 green star", "黄星 yellow star",
                                        "黑星 black star"};
    return (unsigned)g < 4 ? names[g] : "";
}

static void fmt_day(day_t d, char buf[11])
{
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

struct card *scorecard_stall(const struct rules *r, const struct lists_stall *s,
                             const char *base_url)
{
    const struct score_result *res = &s->res;
    struct card *c = card_new();
    if (c == NULL)
        return NULL;
    char buf[128], day[11], day2[11];
    card_title(c, "诚信计量记分卡  Integrity scorecard");
    scorecard_qr(c, base_url, SITE_STALL, s->stall.code);
    card_field(c, "摊位 Stall", "%s  %s", s->stall.code, s->stall.name);
    card_field(c, "市场 Market", "%s  %s", s->market.code, s->market.name);
    fmt_day(res->as_of, day);
    card_field(c, "日期 Date", "%s", day);
    snprintf(buf, sizeof buf, "%d 分  %s", res->score, grade_zh(res->grade));
    card_big(c, buf);
    card_field(c, "红黑榜 List", "%s", list_zh(res->list));
    if (res->list == SCORE_LIST_BLACK) {
        fmt_day(res->black_since, day);
        fmt_day(res->black_until, day2);
        card_field(c, "列入 Since", "%s: %s%s%s", day, score_black_reason_text(res->black_reason),
                   (unsigned)res->black_item < CHECK_ITEM_COUNT ? " — " : "",
                   (unsigned)res->black_item < CHECK_ITEM_COUNT ? scorecard_item_zh(res->black_item)
                                                                : "");
        card_field(c, "移出 Can end", "%s, at a clean re-inspection (复查合格)", day2);
    }
    card_field(c, "检查 Inspections", "%d in %d months", res->inspections, r->window_months);

    snprintf(buf, sizeof buf, "扣分 Deductions (last %d months, from %d)", r->window_months,
             r->base);
    card_heading(c, buf);
    if (res->n_deductions == 0) {
        card_para(c, "无 none");
    } else {
        card_table(c, 5, (const int[]){12, 10, 30, 8, 22});
        card_row(c, (const char *[]){"日期 Date", "检查 Check", "项目 Item", "扣分", "规则 Rule"});
        for (size_t i = 0; i < res->n_deductions; i++) {
            const struct score_deduction *d = &res->deductions[i];
            char id[9], item[64], pts[12], key[64];
            fmt_day(d->day, day);
            snprintf(id, sizeof id, "%s", d->event_id ? d->event_id : "");
            if (d->rule == SCORE_RULE_FAIRSCALE_SHORT)
                snprintf(item, sizeof item, "公平秤复秤 fair scale");
            else
                snprintf(item, sizeof item, "%s %s%s", scorecard_item_zh(d->item), checklist_item_id(d->item),
                         d->rule == SCORE_RULE_FOLLOWUP_UNFIXED ? " 逾期未改" : "");
            snprintf(pts, sizeof pts, "-%d%s", d->points, d->black ? " 黑" : "");
            score_rule_key(r, d, key, sizeof key);
            card_row(c, (const char *[]){day, id, item, pts, key});
        }
    }
    if (res->n_followups > 0) {
        card_heading(c, "限期整改 Follow-ups");
        card_table(c, 4, (const int[]){30, 12, 12, 12});
        card_row(c, (const char *[]){"项目 Item", "发现 Found", "期限 Due", "未改 Unfixed"});
        for (size_t i = 0; i < res->n_followups; i++) {
            const struct score_followup *f = &res->followups[i];
            char item[64], n[12];
            snprintf(item, sizeof item, "%s %s", scorecard_item_zh(f->item), checklist_item_id(f->item));
            fmt_day(f->opened, day);
            fmt_day(f->due, day2);
            snprintf(n, sizeof n, "%d", f->unfixed);
            card_row(c, (const char *[]){item, day, day2, n});
        }
    }
    card_heading(c, "规则 Rules");
    card_para(c, "百分制: %d minus the deductions of the last %d months.", r->base, r->window_months);
    card_para(c, "红榜 red: >= %d inspections in %d months, all passed, score >= %d.",
              r->red_min_inspections, r->red_months, r->red_min_score);
    card_para(c, "黑榜 black: a serious violation or a score below %d; %d months, then a clean",
              r->black_below, r->black_months);
    card_para(c, "re-inspection.  Stars: red >= %d, green >= %d, yellow >= %d.", r->grade_red,
              r->grade_green, r->grade_yellow);
    if (card_page(c) < 0) {
        card_free(c);
        return NULL;
    }
    return c;
}

static void market_fields(struct card *c, const struct market_card *mc)
{
    const struct lists_market *m = mc->market;
    char buf[64], day[11];
    card_field(c, "市场 Market", "%s  %s", m->code, m->name);
    fmt_day(mc->as_of, day);
    card_field(c, "日期 Date", "%s", day);
    card_field(c, "排名 Rank", "%d / %zu", m->rank, mc->n_markets);
    card_field(c, "摊位 Stalls", "%d", m->fig.stalls);
    pct(buf, sizeof buf, m->fig.red, m->fig.stalls);
    card_field(c, "红榜 Red", "%s", buf);
    pct(buf, sizeof buf, m->fig.black, m->fig.stalls);
    card_field(c, "黑榜 Black", "%s", buf);
    pct(buf, sizeof buf, m->fig.scales_verified, m->fig.scales);
    card_field(c, "周期受检率 Verified", "%s", buf);
    card_field(c, "公平秤 Fair scale", "%s (%d)", m->fig.fair_scales > 0 ? "有 yes" : "无 NO",
               m->fig.fair_scales);
    pct(buf, sizeof buf, m->fig.reweighs_pass, m->fig.reweighs);
    card_field(c, "复秤合格 Re-weigh", "%s", buf);
    card_field(c, "状态 Status", "%s", m->status == MARKET_SUSPEND ? "暂停 suspend"
                                      : m->status == MARKET_RECTIFY ? "整改 rectify"
                                                                          : "正常 ok");
}

struct card *scorecard_market(const struct rules *r, const struct market_card *mc,
                              const char *base_url)
{
    (void)r;
    struct card *c = card_new();
    if (c == NULL)
        return NULL;
    card_title(c, "诚信计量市场记分卡  Market scorecard");
    scorecard_qr(c, base_url, SITE_MARKET, mc->market->code);
    market_fields(c, mc);
    card_heading(c, "摊位 Stalls");
    card_table(c, 5, (const int[]){14, 24, 6, 18, 12});
    card_row(c, (const char *[]){"摊位 Stall", "名称 Name", "得分", "星级 Star", "榜 List"});
    for (size_t i = 0; i < mc->n_rows; i++) {
        const struct lists_row *row = &mc->rows[i];
        char score[12];
        snprintf(score, sizeof score, "%d", row->score);
        card_row(c, (const char *[]){row->stall, row->name, score, grade_zh(row->grade),
                                     list_zh(row->list)});
    }
    if (card_page(c) < 0) {
        card_free(c);
        return NULL;
    }
    return c;
}

struct card *scorecard_posted_list(const struct rules *r, const struct market_card *mc,
                                   const char *base_url)
{
    struct card *c = card_new();
    if (c == NULL)
        return NULL;
    char buf[256], day[11];
    const struct lists_market *m = mc->market;
    snprintf(buf, sizeof buf, "%s  诚信经营红黑榜", m->name);
    card_title(c, buf);
    scorecard_qr(c, base_url, SITE_MARKET, m->code);
    fmt_day(mc->as_of, day);
    card_para(c, "截至 %s  (market %s, as of %s)", day, m->code, day);
    card_para(c, "红榜 %d 户, 黑榜 %d 户, 共 %d 户  (red %d, black %d, of %d stalls)", m->fig.red,
              m->fig.black, m->fig.stalls, m->fig.red, m->fig.black, m->fig.stalls);

    card_heading(c, "红榜  诚信计量示范商户  Red list");
    card_table(c, 3, (const int[]){14, 22, 8});
    card_row(c, (const char *[]){"摊位 Stall", "名称 Name", "得分"});
    int n = 0;
    for (size_t i = 0; i < mc->n_rows; i++) {
        const struct lists_row *row = &mc->rows[i];
        if (row->list != SCORE_LIST_RED)
            continue;
        char score[12];
        snprintf(score, sizeof score, "%d", row->score);
        card_row(c, (const char *[]){row->stall, row->name, score});
        n++;
    }
    if (n == 0)
        card_para(c, "无 none");

    card_heading(c, "黑榜  Black list");
    card_table(c, 5, (const int[]){14, 20, 6, 14, 28});
    card_row(c, (const char *[]){"摊位 Stall", "名称 Name", "得分", "列入 Since", "原因 Reason"});
    n = 0;
    for (size_t i = 0; i < mc->n_rows; i++) {
        const struct lists_row *row = &mc->rows[i];
        if (row->list != SCORE_LIST_BLACK)
            continue;
        char score[12], since[11];
        snprintf(score, sizeof score, "%d", row->score);
        fmt_day(row->since, since);
        card_row(c, (const char *[]){row->stall, row->name, score, since,
                                     score_black_reason_text(row->black_reason)});
        n++;
    }
    if (n == 0)
        card_para(c, "无 none");
    card_heading(c, "规则 Rules");
    card_para(c, "红榜: 近 %d 个月至少 %d 次检查全部合格, 得分不低于 %d.", r->red_months,
              r->red_min_inspections, r->red_min_score);
    card_para(c, "黑榜: 作弊、封印破损、超期未检、短斤缺两等严重违法, 或得分低于 %d;", r->black_below);
    card_para(c, "列入 %d 个月后经复查合格方可移出.  Scores: 百分制, last %d months.",
              r->black_months, r->window_months);
    if (card_page(c) < 0) {
        card_free(c);
        return NULL;
    }
    return c;
}
