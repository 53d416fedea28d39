/* The lists as tables (text, JSON lines, CSV): the red/black list (report/output.h). */
#include "report/lists.h"

#include <stdio.h>
#include <string.h>

#include "core/checklist.h"
#include "core/termsafe.h"
#include "report/csv.h"
#include "report/json.h"

static void print_day(FILE *out, day_t d)
{
    char buf[11];
    day_format(d, buf, sizeof buf);
    fputs(buf, out);
}

static void json_day(FILE *out, day_t d)
{
    fputc('"', out);
    print_day(out, d);
    fputc('"', out);
}

static const char *short_id(const char *id, char buf[9])
{
    snprintf(buf, 9, "%s", id ? id : "");
    return buf;
}

/* ---- a stall's score ---- */

static void score_text(FILE *out, const struct rules *rules, const struct lists_stall *s, int why)
{
    const struct score_result *r = &s->res;
    term_printf(out, "%s  %s  (%s %s)\n", s->stall.code, s->stall.name, s->market.code, s->market.name);
    term_printf(out, "score %d, %s star, list %s, on ", r->score, score_grade_name(r->grade),
           score_list_name(r->list));
    print_day(out, r->as_of);
    term_printf(out, "\n");
    if (!why)
        return;
    char key[64], idb[9];
    term_printf(out, "\nDeductions in the last %d months (from %d):\n", rules->window_months,
           rules->base);
    if (r->n_deductions == 0)
        term_printf(out, "  none\n");
    for (size_t i = 0; i < r->n_deductions; i++) {
        const struct score_deduction *d = &r->deductions[i];
        term_printf(out, "  ");
        print_day(out, d->day);
        term_printf(out, "  %-8s  -%-3d %-18s %s%s\n", short_id(d->event_id, idb), d->points,
               d->rule == SCORE_RULE_FAIRSCALE_SHORT ? "fair-scale short" : checklist_item_id(d->item),
               score_rule_key(rules, d, key, sizeof key), d->black ? "  (black)" : "");
    }
    term_printf(out, "\n");
    if (r->list == SCORE_LIST_BLACK) {
        term_printf(out, "Black since ");
        print_day(out, r->black_since);
        term_printf(out, ": %s", score_black_reason_text(r->black_reason));
        if ((unsigned)r->black_item < CHECK_ITEM_COUNT)
            term_printf(out, " (%s)", checklist_item_id(r->black_item));
        if (r->black_event)
            term_printf(out, ", inspection %s", short_id(r->black_event, idb));
        term_printf(out, ".\nIt can end at a clean re-inspection on or after ");
        print_day(out, r->black_until);
        term_printf(out, " ([black] months = %d).\n", rules->black_months);
    } else if (r->list == SCORE_LIST_RED) {
        term_printf(out, "Red: %d clean inspections in the last %d months, score >= %d.\n",
               r->red_inspections, rules->red_months, rules->red_min_score);
    } else {
        term_printf(out, "Not red:");
        if (r->score < rules->red_min_score)
            term_printf(out, " score below %d;", rules->red_min_score);
        if (r->red_inspections < rules->red_min_inspections)
            term_printf(out, " %d inspection(s) in the last %d months, %d needed;", r->red_inspections,
                   rules->red_months, rules->red_min_inspections);
        if (r->red_failures > 0)
            term_printf(out, " %d check(s) with a failure in the last %d months;", r->red_failures,
                   rules->red_months);
        if (r->n_followups > 0)
            term_printf(out, " %zu open follow-up(s);", r->n_followups);
        term_printf(out, "\n");
    }
    if (r->n_followups > 0) {
        term_printf(out, "\nFollow-ups (限期整改):\n");
        for (size_t i = 0; i < r->n_followups; i++) {
            const struct score_followup *f = &r->followups[i];
            term_printf(out, "  %-18s found ", checklist_item_id(f->item));
            print_day(out, f->opened);
            term_printf(out, ", due ");
            print_day(out, f->due);
            term_printf(out, "%s, not fixed %d time(s)\n", f->due < r->as_of ? " (overdue)" : "",
                   f->unfixed);
        }
    }
}

static void score_json(FILE *out, const struct rules *rules, const struct lists_stall *s)
{
    const struct score_result *r = &s->res;
    char key[64];
    fprintf(out, "{\"stall\":");
    json_string(out, s->stall.code);
    fprintf(out, ",\"market\":");
    json_string(out, s->stall.market);
    fprintf(out, ",\"name\":");
    json_string(out, s->stall.name);
    fprintf(out, ",\"date\":");
    json_day(out, r->as_of);
    fprintf(out, ",\"score\":%d,\"grade\":\"%s\",\"list\":\"%s\",\"inspections\":%d", r->score,
           score_grade_name(r->grade), score_list_name(r->list), r->inspections);
    fprintf(out, ",\"black\":");
    if (r->list == SCORE_LIST_BLACK) {
        fprintf(out, "{\"since\":");
        json_day(out, r->black_since);
        fprintf(out, ",\"until\":");
        json_day(out, r->black_until);
        fprintf(out, ",\"reason\":");
        json_string(out, score_black_reason_text(r->black_reason));
        fprintf(out, ",\"item\":");
        json_string(out, (unsigned)r->black_item < CHECK_ITEM_COUNT
                                ? checklist_item_id(r->black_item) : NULL);
        fprintf(out, ",\"inspection\":");
        json_string(out, r->black_event);
        fprintf(out, "}");
    } else {
        fprintf(out, "null");
    }
    fprintf(out, ",\"red\":{\"inspections\":%d,\"failures\":%d}", r->red_inspections, r->red_failures);
    fprintf(out, ",\"deductions\":[");
    for (size_t i = 0; i < r->n_deductions; i++) {
        const struct score_deduction *d = &r->deductions[i];
        fprintf(out, "%s{\"inspection\":", i ? "," : "");
        json_string(out, d->event_id);
        fprintf(out, ",\"date\":");
        json_day(out, d->day);
        fprintf(out, ",\"item\":");
        json_string(out, checklist_item_id(d->item));
        fprintf(out, ",\"rule\":");
        json_string(out, score_rule_key(rules, d, key, sizeof key));
        fprintf(out, ",\"points\":%d,\"black\":%s}", d->points, d->black ? "true" : "false");
    }
    fprintf(out, "],\"followups\":[");
    for (size_t i = 0; i < r->n_followups; i++) {
        const struct score_followup *f = &r->followups[i];
        fprintf(out, "%s{\"item\":", i ? "," : "");
        json_string(out, checklist_item_id(f->item));
        fprintf(out, ",\"inspection\":");
        json_string(out, f->event_id);
        fprintf(out, ",\"found\":");
        json_day(out, f->opened);
        fprintf(out, ",\"due\":");
        json_day(out, f->due);
        fprintf(out, ",\"unfixed\":%d}", f->unfixed);
    }
    fprintf(out, "]}\n");
}

void report_score(FILE *out, enum report_format f, const struct rules *rules,
                  const struct lists_stall *s, int why)
{
    if (f == REPORT_JSON)
        score_json(out, rules, s);
    else
        score_text(out, rules, s, why);
}

/* ---- the list ---- */

void report_lists_header(FILE *out, enum report_format f)
{
    if (f == REPORT_CSV)
        fprintf(out, "stall,market,name,score,grade,list,since,until,reason,inspections,followups\n");
}

void report_lists_row(FILE *out, enum report_format f, const struct lists_row *row)
{
    char since[11] = "", until[11] = "";
    if (row->list == SCORE_LIST_BLACK) {
        day_format(row->since, since, sizeof since);
        day_format(row->until, until, sizeof until);
    }
    const char *reason = row->list == SCORE_LIST_BLACK ? score_black_reason_text(row->black_reason)
                                                       : "";
    switch (f) {
    case REPORT_JSON:
        fprintf(out, "{\"stall\":");
        json_string(out, row->stall);
        fprintf(out, ",\"market\":");
        json_string(out, row->market);
        fprintf(out, ",\"name\":");
        json_string(out, row->name);
        fprintf(out, ",\"score\":%d,\"grade\":\"%s\",\"list\":\"%s\",\"since\":", row->score,
               score_grade_name(row->grade), score_list_name(row->list));
        json_string(out, since[0] ? since : NULL);
        fprintf(out, ",\"until\":");
        json_string(out, until[0] ? until : NULL);
        fprintf(out, ",\"reason\":");
        json_string(out, reason[0] ? reason : NULL);
        fprintf(out, ",\"inspections\":%d,\"followups\":%d}\n", row->inspections, row->followups);
        break;
    case REPORT_CSV:
        csv_field(out, row->stall);
        fputc(',', out);
        csv_field(out, row->market);
        fputc(',', out);
        csv_field(out, row->name);
        fprintf(out, ",%d,%s,%s,%s,%s,", row->score, score_grade_name(row->grade),
               score_list_name(row->list), since, until);
        csv_field(out, reason);
        fprintf(out, ",%d,%d\n", row->inspections, row->followups);
        break;
    default:
        term_printf(out, "%-6s %-12s %-10s %3d  %-6s %s%s%s\n", score_list_name(row->list), row->stall,
               row->market, row->score, score_grade_name(row->grade), since,
               reason[0] ? "  " : "", reason);
        break;
    }
}

void report_lists_counts(FILE *out, enum report_format f, day_t as_of, const int counts[3])
{
    if (f != REPORT_TEXT)
        return;
    char d[11];
    day_format(as_of, d, sizeof d);
    fprintf(out, "%s: %d red, %d black, %d on neither list\n", d, counts[SCORE_LIST_RED],
            counts[SCORE_LIST_BLACK], counts[SCORE_LIST_NONE]);
}

/* ---- the markets ---- */

void report_markets(FILE *out, enum report_format fmt, const struct lists_market *m, size_t n)
{
    if (fmt == REPORT_CSV)
        fprintf(out, "rank,market,name,stalls,red,black,none,scales,scales_verified,fair_scales,"
               "reweighs,reweighs_pass,status\n");
    else if (fmt == REPORT_TEXT)
        fprintf(out, "rank market       stalls  red%%  black%%  verified%%  fair  re-weigh pass%%  "
               "status\n");
    for (size_t i = 0; i < n; i++) {
        const struct lists_market *x = &m[i];
        if (fmt == REPORT_JSON) {
            fprintf(out, "{\"rank\":%d,\"market\":", x->rank);
            json_string(out, x->code);
            fprintf(out, ",\"name\":");
            json_string(out, x->name);
            fprintf(out, ",\"stalls\":%d,\"red\":%d,\"black\":%d,\"none\":%d,\"scales\":%d,"
                   "\"scales_verified\":%d,\"fair_scales\":%d,\"reweighs\":%d,"
                   "\"reweighs_pass\":%d,\"status\":\"%s\"}\n",
                   x->fig.stalls, x->fig.red, x->fig.black, x->fig.none, x->fig.scales, x->fig.scales_verified,
                   x->fig.fair_scales, x->fig.reweighs, x->fig.reweighs_pass,
                   market_status_name(x->status));
        } else if (fmt == REPORT_CSV) {
            fprintf(out, "%d,", x->rank);
            csv_field(out, x->code);
            fputc(',', out);
            csv_field(out, x->name);
            fprintf(out, ",%d,%d,%d,%d,%d,%d,%d,%d,%d,%s\n", x->fig.stalls, x->fig.red, x->fig.black, x->fig.none,
                   x->fig.scales, x->fig.scales_verified, x->fig.fair_scales, x->fig.reweighs, x->fig.reweighs_pass,
                   market_status_name(x->status));
        } else {
            int red = lists_permille(x->fig.red, x->fig.stalls), blk = lists_permille(x->fig.black, x->fig.stalls);
            int ver = lists_permille(x->fig.scales_verified, x->fig.scales);
            int rw = lists_permille(x->fig.reweighs_pass, x->fig.reweighs);
            term_printf(out, "%4d %-12s %6d %3d.%d  %4d.%d  %7d.%d  %4s  %11d.%d  %s\n", x->rank, x->code,
                   x->fig.stalls, red / 10, red % 10, blk / 10, blk % 10, ver / 10, ver % 10,
                   x->fig.fair_scales > 0 ? "yes" : "no", rw / 10, rw % 10,
                   market_status_name(x->status));
        }
    }
}

/* ---- follow-ups ---- */

void report_followup(FILE *out, enum report_format fmt, const struct lists_followup *f)
{
    int json = fmt == REPORT_JSON;
    char found[11], due[11];
    day_format(f->opened, found, sizeof found);
    day_format(f->due, due, sizeof due);
    if (json) {
        fprintf(out, "{\"stall\":");
        json_string(out, f->stall);
        fprintf(out, ",\"market\":");
        json_string(out, f->market);
        fprintf(out, ",\"name\":");
        json_string(out, f->name);
        fprintf(out, ",\"item\":");
        json_string(out, checklist_item_id(f->item));
        fprintf(out, ",\"inspection\":");
        json_string(out, f->inspection);
        fprintf(out, ",\"found\":\"%s\",\"due\":\"%s\",\"unfixed\":%d,\"status\":\"%s\"}\n", found, due,
               f->unfixed, lists_followup_status_name(f->status));
    } else {
        term_printf(out, "%-8s %s  %-12s %-10s %-18s found %s  not fixed %d\n",
               lists_followup_status_name(f->status), due, f->stall, f->market,
               checklist_item_id(f->item), found, f->unfixed);
    }
}

