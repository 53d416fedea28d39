/* The score model on hand-computed cases, under the default rules:
 * minor 5, major 10, serious 40 and black; black 12 months, below 60;
 * red: 2 clean inspections in 3 months, score >= 90; follow-up deadline 7
 * days, unfixed 10, black at the 2nd; fair scale short 10, black at the 3rd. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/day.h"
#include "core/error.h"
#include "core/rules.h"
#include "core/score.h"

static day_t D(const char *s)
{
    day_t d = 0;
    assert_int_equal(day_parse(s, &d), 0);
    return d;
}

static struct score_event insp(const char *id, const char *day, const struct score_finding *f,
                               size_t n)
{
    return (struct score_event){id, D(day), SCORE_EVENT_INSPECTION, f, n, 0, 0};
}

static const struct score_finding all_pass[] = {
    {CHECK_LICENCE_SHOWN, ANSWER_PASS, 0}, {CHECK_PRICE_TAGS, ANSWER_PASS, 0},
    {CHECK_VERIFICATION_MARK, ANSWER_PASS, 0}, {CHECK_VERIFICATION_DUE, ANSWER_PASS, 0},
    {CHECK_SEAL, ANSWER_SEAL_INTACT, 0}, {CHECK_FAIR_SCALE, ANSWER_PASS, 0},
    {CHECK_CHEATING_DEVICE, ANSWER_PASS, 0}, {CHECK_REWEIGH, ANSWER_NA, 0},
};
#define CLEAN(id, day) insp(id, day, all_pass, 8)

static struct score_result at(const struct score_event *ev, size_t n, const char *day)
{
    struct rules r;
    rules_default(&r);
    struct score_result res;
    assert_int_equal(score_compute(&r, ev, n, D(day), &res), 0);
    return res;
}

static void days_and_months(void **state)
{
    (void)state;
    assert_int_equal(D("1970-01-01"), 0);
    assert_int_equal(D("2000-03-01") - D("2000-02-28"), 2);
    assert_int_equal(day_add_months(D("2026-01-31"), 1), D("2026-02-28"));
    assert_int_equal(day_add_months(D("2024-03-31"), -1), D("2024-02-29"));
    assert_int_equal(day_add_months(D("2026-03-01"), -12), D("2025-03-01"));
    assert_int_equal(day_month_end(D("2026-02-10")), D("2026-02-28"));
    day_t d;
    assert_int_equal(day_parse_month("2026-02", &d), 0);
    assert_int_equal(d, D("2026-02-28"));
    assert_int_equal(day_parse("2026-02-30", &d), SC_ERR_PARSE);
    assert_int_equal(day_parse("2026-2-3", &d), SC_ERR_PARSE);
    assert_int_equal(day_parse("2026-11-25T10:11:12Z", &d), 0);
    char buf[11];
    day_format(D("1999-12-31"), buf, sizeof buf);
    assert_string_equal(buf, "1999-12-31");
    for (day_t x = -800000; x < 800000; x += 997) {
        int y, m, dd;
        day_to_ymd(x, &y, &m, &dd);
        assert_int_equal(day_from_ymd(y, m, dd), x);
    }
}

/* 85 -> 65 -> 45 and black through an unfixed follow-up. */
static void followup_escalates_to_black(void **state)
{
    (void)state;
    /* The officer gives a week to correct (限期整改). */
    struct score_finding f1[] = {{CHECK_PRICE_TAGS, ANSWER_FAIL, 0},
                                 {CHECK_VERIFICATION_MARK, ANSWER_FAIL, 0},
                                 {CHECK_SEAL, ANSWER_SEAL_INTACT, 0}};
    f1[0].deadline = f1[1].deadline = D("2026-01-17");
    struct score_finding f2[] = {{CHECK_PRICE_TAGS, ANSWER_PASS, 0},
                                 {CHECK_VERIFICATION_MARK, ANSWER_FAIL, 0}};
    f2[1].deadline = D("2026-01-27");
    const struct score_finding f3[] = {{CHECK_VERIFICATION_MARK, ANSWER_FAIL, 0}};
    struct score_event ev[] = {insp("i1", "2026-01-10", f1, 3), insp("i2", "2026-01-20", f2, 2),
                               insp("i3", "2026-02-05", f3, 1)};

    struct score_result r = at(ev, 1, "2026-01-31");
    assert_int_equal(r.score, 85); /* 100 - 5 (minor) - 10 (major) */
    assert_int_equal(r.grade, SCORE_GRADE_GREEN);
    assert_int_equal(r.list, SCORE_LIST_NONE);
    assert_int_equal(r.n_deductions, 2);
    assert_string_equal(r.deductions[0].event_id, "i1");
    assert_int_equal(r.deductions[0].day, D("2026-01-10"));
    assert_int_equal(r.n_followups, 2);
    assert_int_equal(r.followups[0].due, D("2026-01-17"));
    struct rules rules;
    rules_default(&rules);
    char key[64];
    assert_string_equal(score_rule_key(&rules, &r.deductions[0], key, sizeof key),
                        "deduction.minor");
    score_result_free(&r);

    /* Price tags fixed; the mark still failing after its deadline: 10 + 10. */
    r = at(ev, 2, "2026-01-31");
    assert_int_equal(r.score, 65);
    assert_int_equal(r.grade, SCORE_GRADE_YELLOW);
    assert_int_equal(r.list, SCORE_LIST_NONE);
    assert_int_equal(r.n_followups, 1);
    assert_int_equal(r.followups[0].item, CHECK_VERIFICATION_MARK);
    assert_int_equal(r.followups[0].unfixed, 1);
    assert_int_equal(r.followups[0].due, D("2026-01-27"));
    assert_int_equal(r.deductions[3].rule, SCORE_RULE_FOLLOWUP_UNFIXED);
    assert_string_equal(score_rule_key(&rules, &r.deductions[3], key, sizeof key),
                        "followup.unfixed_deduction");
    score_result_free(&r);

    /* The second unfixed finding: black. */
    r = at(ev, 3, "2026-02-28");
    assert_int_equal(r.score, 45);
    assert_int_equal(r.list, SCORE_LIST_BLACK);
    assert_int_equal(r.black_reason, SCORE_BLACK_FOLLOWUP);
    assert_string_equal(r.black_event, "i3");
    assert_int_equal(r.black_since, D("2026-02-05"));
    assert_int_equal(r.black_until, D("2027-02-05"));
    assert_true(r.deductions[r.n_deductions - 1].black);
    score_result_free(&r);
}

/* A broken seal: black at once; stays black through clean inspections
 * until 12 months have passed; leaves at the first clean one after. */
static void black_enter_stay_leave(void **state)
{
    (void)state;
    const struct score_finding broken[] = {{CHECK_SEAL, ANSWER_SEAL_BROKEN, 0}};
    struct score_event ev[] = {
        insp("seal", "2026-03-01", broken, 1), CLEAN("c1", "2026-03-05"),
        CLEAN("c2", "2026-09-01"), CLEAN("c3", "2027-02-28"), CLEAN("c4", "2027-03-01"),
    };
    struct score_result r = at(ev, 5, "2026-03-01");
    assert_int_equal(r.score, 60);
    assert_int_equal(r.list, SCORE_LIST_BLACK);
    assert_int_equal(r.black_reason, SCORE_BLACK_ITEM);
    assert_int_equal(r.black_item, CHECK_SEAL);
    assert_int_equal(r.black_until, D("2027-03-01"));
    score_result_free(&r);

    r = at(ev, 5, "2026-12-31"); /* clean since, but within the 12 months */
    assert_int_equal(r.list, SCORE_LIST_BLACK);
    assert_int_equal(r.n_followups, 0); /* the seal was found intact on 03-05 */
    score_result_free(&r);

    r = at(ev, 4, "2027-03-31"); /* past 12 months, no re-inspection since */
    assert_int_equal(r.score, 100);
    assert_int_equal(r.list, SCORE_LIST_BLACK);
    score_result_free(&r);

    r = at(ev, 5, "2027-03-01"); /* the clean re-inspection on the day it may end */
    assert_int_equal(r.list, SCORE_LIST_RED); /* c3, c4 clean within 3 months */
    assert_int_equal(r.black_reason, SCORE_BLACK_NONE);
    score_result_free(&r);
}

/* Red needs two clean inspections in 3 months; a failure loses it; clean
 * inspections afterwards earn it back once the failure leaves the window. */
static void red_reach_lose_regain(void **state)
{
    (void)state;
    struct score_finding tags[] = {{CHECK_PRICE_TAGS, ANSWER_FAIL, 0}};
    tags[0].deadline = D("2026-03-22");
    struct score_event ev[] = {
        CLEAN("a", "2026-01-05"), CLEAN("b", "2026-02-10"), insp("c", "2026-03-15", tags, 1),
        CLEAN("d", "2026-03-20"), CLEAN("e", "2026-05-01"), CLEAN("f", "2026-06-01"),
    };
    struct score_result r = at(ev, 6, "2026-01-31");
    assert_int_equal(r.list, SCORE_LIST_NONE); /* one inspection only */
    assert_int_equal(r.red_inspections, 1);
    score_result_free(&r);
    r = at(ev, 6, "2026-02-28");
    assert_int_equal(r.list, SCORE_LIST_RED);
    assert_int_equal(r.score, 100);
    score_result_free(&r);
    r = at(ev, 6, "2026-03-15");
    assert_int_equal(r.list, SCORE_LIST_NONE);
    assert_int_equal(r.score, 95);
    assert_int_equal(r.red_failures, 1);
    assert_int_equal(r.n_followups, 1);
    score_result_free(&r);
    r = at(ev, 6, "2026-05-31"); /* the failure of 03-15 is still within 3 months */
    assert_int_equal(r.list, SCORE_LIST_NONE);
    assert_int_equal(r.n_followups, 0);
    score_result_free(&r);
    r = at(ev, 6, "2026-06-30"); /* window (03-30, 06-30]: e, f clean; 95 >= 90 */
    assert_int_equal(r.list, SCORE_LIST_RED);
    assert_int_equal(r.score, 95);
    score_result_free(&r);
}

/* Below 60 without a serious item; a re-inspection inside the deadline is
 * not an escalation. */
static void below_the_line_is_black(void **state)
{
    (void)state;
    const struct score_finding f[] = {{CHECK_LICENCE_SHOWN, ANSWER_FAIL, 0},
                                      {CHECK_PRICE_TAGS, ANSWER_FAIL, 0},
                                      {CHECK_FAIR_SCALE, ANSWER_FAIL, 0},
                                      {CHECK_VERIFICATION_MARK, ANSWER_FAIL, 0}};
    struct score_event ev[] = {insp("x", "2026-04-01", f, 4), insp("y", "2026-04-04", f, 4)};
    struct score_result r = at(ev, 1, "2026-04-02");
    assert_int_equal(r.score, 75);
    assert_int_equal(r.list, SCORE_LIST_NONE);
    score_result_free(&r);
    r = at(ev, 2, "2026-04-04");
    assert_int_equal(r.score, 50);
    assert_int_equal(r.n_deductions, 8); /* no unfixed deduction inside the deadline */
    assert_int_equal(r.list, SCORE_LIST_BLACK);
    assert_int_equal(r.black_reason, SCORE_BLACK_BELOW);
    assert_int_equal(r.grade, SCORE_GRADE_BLACK);
    score_result_free(&r);
}

static void fairscale_complaints(void **state)
{
    (void)state;
    struct score_event ev[] = {
        {"fs1", D("2026-05-01"), SCORE_EVENT_FAIRSCALE, NULL, 0, 1, 1},
        {"fs2", D("2026-05-02"), SCORE_EVENT_FAIRSCALE, NULL, 0, 1, 0}, /* not short */
        {"fs3", D("2026-06-01"), SCORE_EVENT_FAIRSCALE, NULL, 0, 1, 1},
        {"fs4", D("2026-07-01"), SCORE_EVENT_FAIRSCALE, NULL, 0, 2, 1},
    };
    struct score_result r = at(ev, 4, "2026-06-30");
    assert_int_equal(r.score, 80);
    assert_int_equal(r.list, SCORE_LIST_NONE);
    assert_int_equal(r.inspections, 0);
    assert_int_equal(r.red_failures, 2);
    assert_int_equal(r.n_followups, 0);
    score_result_free(&r);
    r = at(ev, 4, "2026-07-01");
    assert_int_equal(r.score, 70);
    assert_int_equal(r.list, SCORE_LIST_BLACK);
    assert_int_equal(r.black_reason, SCORE_BLACK_FAIRSCALE);
    assert_string_equal(r.black_event, "fs4");
    score_result_free(&r);
}

/* A short re-weigh and a failed re-weigh item in one inspection are one
 * failure; the order of events given does not matter; the window drops old
 * deductions. */
static void one_failure_order_window(void **state)
{
    (void)state;
    const struct score_finding rw[] = {{CHECK_REWEIGH, ANSWER_FAIL, 0}};
    const struct score_finding tags[] = {{CHECK_PRICE_TAGS, ANSWER_FAIL, 0}};
    struct score_event ev[] = {
        insp("late", "2026-08-01", tags, 1),
        {"rw", D("2026-02-01"), SCORE_EVENT_INSPECTION, rw, 1, 3, 2},
    };
    struct score_result r = at(ev, 2, "2026-08-01");
    assert_int_equal(r.score, 55); /* 100 - 40 - 5 */
    assert_int_equal(r.n_deductions, 2);
    assert_string_equal(r.deductions[0].event_id, "rw");
    assert_int_equal(r.list, SCORE_LIST_BLACK);
    assert_int_equal(r.black_reason, SCORE_BLACK_ITEM);
    assert_int_equal(r.black_item, CHECK_REWEIGH);
    score_result_free(&r);
    r = at(ev, 2, "2027-02-01"); /* 2026-02-01 is out of (2026-02-01, 2027-02-01] */
    assert_int_equal(r.score, 95);
    assert_int_equal(r.n_deductions, 1);
    assert_int_equal(r.list, SCORE_LIST_BLACK); /* no clean re-inspection yet */
    score_result_free(&r);
    r = at(ev, 2, "2026-07-31"); /* the later event is not seen yet */
    assert_int_equal(r.score, 60);
    score_result_free(&r);
}

/* The officer's own deadline replaces [followup] deadline_days. */
static void officer_deadline(void **state)
{
    (void)state;
    const struct score_finding f1[] = {{CHECK_PRICE_TAGS, ANSWER_FAIL, 0}};
    struct score_finding f1d[] = {{CHECK_PRICE_TAGS, ANSWER_FAIL, 0}};
    f1d[0].deadline = D("2026-01-30");
    struct score_event ev[] = {insp("a", "2026-01-01", f1d, 1), insp("b", "2026-01-20", f1, 1)};
    struct score_result r = at(ev, 2, "2026-01-20");
    /* 01-20 is past the default 7 days but inside the officer's 01-30. */
    assert_int_equal(r.score, 90);
    assert_int_equal(r.n_followups, 1);
    assert_int_equal(r.followups[0].due, D("2026-01-30"));
    assert_int_equal(r.followups[0].unfixed, 0);
    score_result_free(&r);
}

/* Without the officer's deadline a failure opens no follow-up by default;
 * [followup] deadline_days = 7 gives every failure one. */
static void default_deadline(void **state)
{
    (void)state;
    const struct score_finding f[] = {{CHECK_PRICE_TAGS, ANSWER_FAIL, 0}};
    struct score_event ev[] = {insp("a", "2026-01-01", f, 1), insp("b", "2026-01-20", f, 1)};
    struct score_result r = at(ev, 2, "2026-01-20");
    assert_int_equal(r.n_followups, 0);
    assert_int_equal(r.score, 90); /* two minor findings, no escalation */
    score_result_free(&r);
    struct rules rules;
    rules_default(&rules);
    rules.followup_deadline_days = 7;
    assert_int_equal(score_compute(&rules, ev, 2, D("2026-01-20"), &r), 0);
    assert_int_equal(r.n_followups, 1);
    assert_int_equal(r.followups[0].unfixed, 1); /* 01-20 is past 01-08 */
    assert_int_equal(r.followups[0].due, D("2026-01-27"));
    assert_int_equal(r.score, 80);
    score_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(days_and_months),
        cmocka_unit_test(followup_escalates_to_black),
        cmocka_unit_test(black_enter_stay_leave),
        cmocka_unit_test(red_reach_lose_regain),
        cmocka_unit_test(below_the_line_is_black),
        cmocka_unit_test(fairscale_complaints),
        cmocka_unit_test(one_failure_order_window),
        cmocka_unit_test(officer_deadline),
        cmocka_unit_test(default_deadline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
