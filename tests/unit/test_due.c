/* core/due.h: the overdue rule once (《中华人民共和国计量法》第九条: an
 * instrument for trade settlement not verified as required may not be
 * used), and core/market.h: the ranking and the [market] thresholds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/due.h"
#include "core/market.h"
#include "core/rules.h"

static day_t D(const char *s)
{
    day_t d = 0;
    assert_int_equal(day_parse(s, &d), 0);
    return d;
}

static void overdue_rule(void **state)
{
    (void)state;
    day_t today = D("2026-03-01");
    /* The due date is the last day of the period. */
    struct due_status s = due_check("2026-03-01", today);
    assert_int_equal(s.state, DUE_IN_DATE);
    assert_int_equal(s.days, 0);
    assert_false(due_overdue("2026-03-01", today));
    s = due_check("2026-02-28", today);
    assert_int_equal(s.state, DUE_OVERDUE);
    assert_int_equal(s.days, -1);
    assert_true(due_overdue("2026-02-28", today));
    s = due_check("2026-12-31", today);
    assert_int_equal(s.state, DUE_IN_DATE);
    assert_int_equal(s.days, 305);
    /* Never verified: may not be used, so overdue (Art. 9). */
    s = due_check("", today);
    assert_int_equal(s.state, DUE_NEVER_VERIFIED);
    assert_false(s.has_due);
    assert_true(due_overdue("", today));
    assert_true(due_overdue(NULL, today));
    /* A due date that does not read as a date proves no verification. */
    assert_true(due_overdue("next spring", today));
    assert_int_equal(due_state_of(0, 0, today), DUE_NEVER_VERIFIED);
    assert_int_equal(due_state_of(1, today + 1, today), DUE_IN_DATE);
    assert_int_equal(due_state_of(1, today - 1, today), DUE_OVERDUE);
}

static struct market_figures fig(int stalls, int red, int black, int scales, int verified,
                                 int reweighs, int pass)
{
    struct market_figures f = {.stalls = stalls, .red = red, .black = black,
                               .none = stalls - red - black, .scales = scales,
                               .scales_verified = verified, .reweighs = reweighs,
                               .reweighs_pass = pass};
    return f;
}

static void market_thresholds(void **state)
{
    (void)state;
    struct rules r;
    rules_default(&r);
    r.market_rectify_percent = 10;
    r.market_suspend_percent = 30;
    struct market_figures f = fig(10, 0, 0, 10, 10, 0, 0);
    assert_int_equal(market_status_of(&r, &f), MARKET_OK);
    f = fig(10, 0, 1, 10, 10, 0, 0); /* 10 %: reaches rectify */
    assert_int_equal(market_status_of(&r, &f), MARKET_RECTIFY);
    f = fig(3, 0, 1, 3, 3, 0, 0);    /* 33 % >= 30 %: suspend */
    assert_int_equal(market_status_of(&r, &f), MARKET_SUSPEND);
    f = fig(1000, 0, 99, 0, 0, 0, 0); /* 9.9 %: exact, not rounded up */
    assert_int_equal(market_status_of(&r, &f), MARKET_OK);
    r.market_rectify_percent = 0; /* off */
    f = fig(10, 0, 1, 10, 10, 0, 0);
    assert_int_equal(market_status_of(&r, &f), MARKET_OK);
    f = fig(0, 0, 0, 0, 0, 0, 0);
    assert_int_equal(market_status_of(&r, &f), MARKET_OK);
    assert_string_equal(market_status_name(MARKET_SUSPEND), "suspend");
}

static void market_ranking(void **state)
{
    (void)state;
    /* Fewer black first, whatever else. */
    struct market_figures a = fig(10, 0, 1, 10, 10, 10, 10), b = fig(10, 0, 2, 10, 10, 10, 10);
    assert_true(market_cmp(&a, &b) < 0);
    assert_true(market_cmp(&b, &a) > 0);
    /* Shares, not counts: 1 of 20 black beats 1 of 10. */
    a = fig(20, 0, 1, 10, 10, 0, 0);
    b = fig(10, 0, 1, 10, 10, 0, 0);
    assert_true(market_cmp(&a, &b) < 0);
    /* Then more red; then more verified scales; then a better pass rate. */
    a = fig(10, 3, 0, 10, 5, 0, 0);
    b = fig(10, 2, 0, 10, 10, 0, 0);
    assert_true(market_cmp(&a, &b) < 0);
    a = fig(10, 2, 0, 10, 9, 4, 1);
    b = fig(10, 2, 0, 10, 8, 4, 4);
    assert_true(market_cmp(&a, &b) < 0);
    a = fig(10, 2, 0, 10, 8, 3, 2); /* 2/3 > 3/5 exactly */
    b = fig(10, 2, 0, 10, 8, 5, 3);
    assert_true(market_cmp(&a, &b) < 0);
    b = a;
    assert_int_equal(market_cmp(&a, &b), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(overdue_rule),
        cmocka_unit_test(market_thresholds),
        cmocka_unit_test(market_ranking),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
