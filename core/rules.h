/* The scoring rules: every number behind a stall's integrity (诚信) score,
 * the red/black list (红黑榜), follow-ups (限期整改) and the fair-scale station
 * (公平秤).  Pure: the struct, its built-in defaults, and setting one key from
 * text.  Reading the INI file (libinih) is db/rules_file.h's job.
 *
 * The built-in defaults equal data/rules.ini, which documents each number and
 * its source (tests/unit/test_rules.c checks they agree). */
#ifndef STALLCHECK_CORE_RULES_H
#define STALLCHECK_CORE_RULES_H

#include <stdint.h>

#include "core/checklist.h"

#define RULES_SEVERITY_COUNT 3   /* minor, major, serious */

struct rules {
    /* [score] 百分制: a stall starts at base; deductions inside the rolling
     * window of window_months before the day of the list count. */
    int base;
    int window_months;
    /* [grade] star bands: red star >= red, green >= green, yellow >= yellow,
     * black star below yellow. */
    int grade_red, grade_green, grade_yellow;
    /* [deduction] points for a failed item: by item id when set (>= 0), else
     * by the item's severity. */
    int deduct_severity[RULES_SEVERITY_COUNT];
    int deduct_item[CHECK_ITEM_COUNT];          /* -1: by severity */
    /* [black] a failed item puts the stall straight on the black list when its
     * item says so (1/0), else when its severity does; a score below `below`
     * does too; a black listing lasts `months` and then needs a clean
     * re-inspection. */
    int black_severity[RULES_SEVERITY_COUNT];
    int black_item[CHECK_ITEM_COUNT];           /* -1: by severity */
    int black_months;
    int black_below;
    /* [red] a clean record: at least min_inspections inspections in the last
     * `months`, none with a failure, score >= min_score, not black, no
     * follow-up past its deadline. */
    int red_months;
    int red_min_inspections;
    int red_min_score;
    /* [followup] a failed item must be fixed by the officer's deadline, else
     * within deadline_days (0: no deadline, no follow-up); a
     * re-inspection after the deadline that finds it not fixed deducts
     * unfixed_deduction, and the black_after-th such finding puts the stall
     * on the black list. */
    int followup_deadline_days;
    int followup_unfixed_deduction;
    int followup_black_after;
    /* [fairscale] a customer's complaint re-weighed at the market's fair
     * scale and found short: short_deduction points; black_after such
     * findings inside the score window put the stall on the black list; the
     * stall owes compensation_multiple times the shortfall's value (缺一补二 =
     * 2). */
    int fairscale_short_deduction;
    int fairscale_black_after;
    int fairscale_compensation_multiple;
    /* [market] share of a market's stalls on the black list (percent) at
     * which the market must rectify, or is suspended. */
    int market_rectify_percent;
    int market_suspend_percent;
};

/* The built-in defaults (equal to data/rules.ini). */
void rules_default(struct rules *r);

/* Sets one key from the INI file: section "deduction", key "seal" or
 * "minor", value "40".  SC_ERR_NOTFOUND for an unknown section or key,
 * SC_ERR_PARSE / SC_ERR_RANGE for a bad value, with the reason in
 * sc_error_message() (no file or line: the reader adds them). */
int rules_set(struct rules *r, const char *section, const char *key, const char *value);

/* Checks the numbers agree with each other (bands in order, windows
 * positive).  SC_ERR_INCONSISTENT with the reason. */
int rules_check(const struct rules *r);

/* The points a failed item costs, and whether it puts the stall on the black
 * list, after per-item overrides. */
int rules_item_deduction(const struct rules *r, enum checklist_item item);
int rules_item_black(const struct rules *r, enum checklist_item item);

/* What a stall owes a customer whose goods were found short at the fair
 * scale: [fairscale] compensation_multiple times the shortfall's value
 * (缺一补二: twice), price in 分 per kg, shortfall in µg, rounded half up
 * to 1 分 once, on the whole amount.  0 when nothing is short.
 * SC_ERR_RANGE on overflow. */
int rules_fairscale_owed(const struct rules *r, int64_t price_fen_per_kg, int64_t shortfall_ug,
                         int64_t *owed_fen);

/* Writes the rules as INI text (every key, no comments) into buf; returns
 * the length it needs, like snprintf.  Used by tests and `lists --rules`. */
int rules_format(const struct rules *r, char *buf, int size);

/* Whether two rule sets are equal key by key. */
int rules_equal(const struct rules *a, const struct rules *b);

#endif
