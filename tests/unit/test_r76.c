/* R76-1 classes, consistency and MPE: the worked examples of
 * shared/domain/metrology.md and every change point at the limit and 1 µg
 * beyond. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/error.h"
#include "core/mass.h"
#include "core/r76.h"

/* grams as µg; the literal is rounded to the nearest µg, so 49.999 is exact */
#define G(x) ((int64_t)((x) * 1e6 + 0.5))
#define MG(x) ((int64_t)(x) * MASS_MG)
#define KG(x) ((int64_t)(x) * MASS_KG)

static void class_names(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        enum r76_class cls;
    } ok[] = {
        {"I", R76_CLASS_I}, {"ii", R76_CLASS_II}, {"III", R76_CLASS_III}, {"iii", R76_CLASS_III},
        {"IIII", R76_CLASS_IIII}, {"IV", R76_CLASS_IIII}, {"3", R76_CLASS_III},
        {"\xe2\x91\xa2", R76_CLASS_III}, {"\xe2\x91\xa3", R76_CLASS_IIII},
        {"\xe2\x85\xa1", R76_CLASS_II},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        enum r76_class c = 0;
        assert_int_equal(r76_class_parse(ok[i].text, &c), SC_OK);
        assert_int_equal(c, ok[i].cls);
    }
    static const char *const bad[] = {"", "V", "IIIII", "5", "0", "III ", "class III"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        enum r76_class c = 0;
        assert_int_equal(r76_class_parse(bad[i], &c), SC_ERR_PARSE);
        assert_non_null(strstr(sc_error_message(), "not an accuracy class"));
    }
    assert_string_equal(r76_class_name(R76_CLASS_I), "I");
    assert_string_equal(r76_class_name(R76_CLASS_IIII), "IIII");
    assert_string_equal(r76_class_name((enum r76_class)9), "?");
}

static void intervals_125(void **state)
{
    (void)state;
    static const int64_t good[] = {1, 2, 5, 10, 20, 50, MG(1), MG(2), MG(5), G(0.1), G(1),
                                   G(2), G(5), G(10), G(20), G(50), KG(1)};
    static const int64_t bad[] = {0, -1, 3, 4, 6, 25, G(0.3), G(2.5), G(4), G(15), -G(5)};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        assert_true(r76_interval_valid(good[i]));
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(r76_interval_valid(bad[i]));
}

static void market_scales_consistent(void **state)
{
    (void)state;
    /* metrology.md: price-computing scales, class III, Max 3/6/15/30 kg,
     * e = 1/2/5/10 g, n = 3 000. */
    static const int64_t max[] = {KG(3), KG(6), KG(15), KG(30)};
    static const int64_t e[] = {G(1), G(2), G(5), G(10)};
    for (int i = 0; i < 4; i++) {
        int64_t n = 0;
        assert_int_equal(r76_check(R76_CLASS_III, max[i], 20 * e[i], e[i], 0, &n), SC_OK);
        assert_int_equal(n, 3000);
    }
    int64_t n = 0;
    /* Min not given, d = e given explicitly. */
    assert_int_equal(r76_check(R76_CLASS_III, KG(15), 0, G(5), G(5), &n), SC_OK);
    assert_int_equal(n, 3000);
}

static void check_fails(enum r76_class cls, int64_t max, int64_t min, int64_t e, int64_t d,
                        int want, const char *reason)
{
    int64_t n = -1;
    int rc = r76_check(cls, max, min, e, d, &n);
    if (rc != want || strstr(sc_error_message(), reason) == NULL)
        fail_msg("r76_check: got %d '%s', want %d '%s'", rc, sc_error_message(), want, reason);
}

static void inconsistent_scales(void **state)
{
    (void)state;
    /* The brief's example: class III, e = 5 g, Max 500 g -> n = 100. */
    check_fails(R76_CLASS_III, G(500), 0, G(5), 0, SC_ERR_INCONSISTENT,
                "class III with e = 5 g needs n >= 500, got 100");
    /* n at the lower limit and one interval below. */
    int64_t n = 0;
    assert_int_equal(r76_check(R76_CLASS_III, G(2500), 0, G(5), 0, &n), SC_OK);
    assert_int_equal(n, 500);
    check_fails(R76_CLASS_III, G(2495), 0, G(5), 0, SC_ERR_INCONSISTENT, "needs n >= 500, got 499");
    /* Class III e <= 2 g: n >= 100. */
    assert_int_equal(r76_check(R76_CLASS_III, G(200), 0, G(2), 0, &n), SC_OK);
    assert_int_equal(n, 100);
    check_fails(R76_CLASS_III, G(198), 0, G(2), 0, SC_ERR_INCONSISTENT, "needs n >= 100, got 99");
    /* n at the upper limit and one beyond. */
    assert_int_equal(r76_check(R76_CLASS_III, KG(50), 0, G(5), 0, &n), SC_OK);
    assert_int_equal(n, 10000);
    check_fails(R76_CLASS_III, G(50005), 0, G(5), 0, SC_ERR_INCONSISTENT,
                "allows n <= 10000, got 10001");
    assert_int_equal(r76_check(R76_CLASS_IIII, KG(5), 0, G(5), 0, &n), SC_OK);
    check_fails(R76_CLASS_IIII, G(5005), 0, G(5), 0, SC_ERR_INCONSISTENT, "allows n <= 1000");
    check_fails(R76_CLASS_IIII, G(495), 0, G(5), 0, SC_ERR_INCONSISTENT, "needs n >= 100, got 99");
    assert_int_equal(r76_check(R76_CLASS_I, G(50), 0, MG(1), 0, &n), SC_OK);
    assert_int_equal(n, 50000);
    check_fails(R76_CLASS_I, G(49.999), 0, MG(1), 0, SC_ERR_INCONSISTENT, "needs n >= 50000");
    /* Class I has no upper limit on n. */
    assert_int_equal(r76_check(R76_CLASS_I, KG(10), 0, MG(1), 0, &n), SC_OK);
    assert_int_equal(n, 10000000);
    /* Class II: the two rows. */
    assert_int_equal(r76_check(R76_CLASS_II, G(5), 0, MG(50), 0, &n), SC_OK);
    check_fails(R76_CLASS_II, G(499.9), 0, G(0.1), 0, SC_ERR_INCONSISTENT, "needs n >= 5000, got 4999");
    assert_int_equal(r76_check(R76_CLASS_II, G(500), 0, G(0.1), 0, &n), SC_OK);
    check_fails(R76_CLASS_II, G(10000.1), 0, G(0.1), 0, SC_ERR_INCONSISTENT, "allows n <= 100000");
    /* e outside the class. */
    check_fails(R76_CLASS_III, G(5), 0, MG(50), 0, SC_ERR_INCONSISTENT,
                "class III needs e >= 0.1 g (R76-1 Table 3), got e = 0.05 g");
    check_fails(R76_CLASS_IIII, KG(3), 0, G(2), 0, SC_ERR_INCONSISTENT, "class IIII needs e >= 5 g");
    check_fails(R76_CLASS_I, G(1), 0, G(0.0005), 0, SC_ERR_INCONSISTENT, "class I with d = 0.0005 g below 1 mg needs e = 1 mg");
    /* e, d not 1-2-5; Max not a multiple of e. */
    check_fails(R76_CLASS_III, KG(15), 0, G(2.5), 0, SC_ERR_INCONSISTENT,
                "e = 2.5 g is not 1, 2 or 5 times a power of ten");
    check_fails(R76_CLASS_III, G(15001), 0, G(5), 0, SC_ERR_INCONSISTENT,
                "Max = 15001 g is not a whole number of e = 5 g");
    /* Min at the table's lower limit and 1 µg below. */
    assert_int_equal(r76_check(R76_CLASS_III, KG(15), G(100), G(5), 0, &n), SC_OK);
    check_fails(R76_CLASS_III, KG(15), G(100) - 1, G(5), 0, SC_ERR_INCONSISTENT,
                "needs Min >= 20 e = 100 g, got Min = 99.999999 g");
    assert_int_equal(r76_check(R76_CLASS_II, G(600), G(5), G(0.1), 0, &n), SC_OK);
    check_fails(R76_CLASS_II, G(600), G(5) - 1, G(0.1), 0, SC_ERR_INCONSISTENT, "Min >= 50 e = 5 g");
    check_fails(R76_CLASS_II, G(600), G(0.19), MG(10), 0, SC_ERR_INCONSISTENT, "Min >= 20 e = 0.2 g");
    check_fails(R76_CLASS_I, G(100), MG(99), MG(1), 0, SC_ERR_INCONSISTENT, "Min >= 100 e = 0.1 g");
    check_fails(R76_CLASS_IIII, KG(1), G(49), G(5), 0, SC_ERR_INCONSISTENT, "Min >= 10 e = 50 g");
    check_fails(R76_CLASS_III, KG(15), KG(15), G(5), 0, SC_ERR_INCONSISTENT, "not below Max");
    /* d. */
    assert_int_equal(r76_check(R76_CLASS_II, G(220), 0, MG(10), MG(1), &n), SC_OK);
    assert_int_equal(n, 22000);
    assert_int_equal(r76_check(R76_CLASS_I, G(220), 0, MG(1), G(0.0001), &n), SC_OK);
    check_fails(R76_CLASS_III, KG(15), 0, G(5), G(1), SC_ERR_INCONSISTENT, "only classes I and II");
    check_fails(R76_CLASS_II, G(220), 0, MG(10), MG(20), SC_ERR_INCONSISTENT, "larger than e");
    check_fails(R76_CLASS_II, G(220), 0, MG(20), MG(10), SC_ERR_INCONSISTENT, "power of ten");
    check_fails(R76_CLASS_II, G(2200), 0, G(0.1), MG(5), SC_ERR_INCONSISTENT, "more than 10 d");
    check_fails(R76_CLASS_II, G(220), 0, MG(10), 3, SC_ERR_INCONSISTENT, "d = 0.000003 g is not 1, 2 or 5");
    /* R76-1 3.4.3: with d < e, Min is counted in d: class II, e = 10 mg,
     * d = 1 mg: Min >= 20 d = 20 mg. */
    assert_int_equal(r76_check(R76_CLASS_II, G(220), MG(20), MG(10), MG(1), &n), SC_OK);
    check_fails(R76_CLASS_II, G(220), MG(20) - 1, MG(10), MG(1), SC_ERR_INCONSISTENT,
                "needs Min >= 20 d = 0.02 g");
    assert_int_equal(r76_min_limit(R76_CLASS_II, MG(10), MG(1), &n), SC_OK);
    assert_int_equal(n, MG(20));
    /* R76-1 3.4.2 exception: class I, d < 1 mg: e = 1 mg even at 100 d. */
    assert_int_equal(r76_check(R76_CLASS_I, G(220), 0, MG(1), 10, &n), SC_OK);
    check_fails(R76_CLASS_I, G(2200), 0, MG(10), 10, SC_ERR_INCONSISTENT, "needs e = 1 mg");
    /* R76-1 3.4.4: class I, d < 0.1 mg: n may be below 50 000 ... */
    assert_int_equal(r76_check(R76_CLASS_I, G(20), 0, MG(1), 10, &n), SC_OK);
    assert_int_equal(n, 20000);
    /* ... but not with d = 0.1 mg. */
    check_fails(R76_CLASS_I, G(20), 0, MG(1), 100, SC_ERR_INCONSISTENT, "needs n >= 50000");
    /* Arguments. */
    check_fails(R76_CLASS_III, 0, 0, G(5), 0, SC_ERR_ARG, "Max");
    check_fails(R76_CLASS_III, KG(15), 0, 0, 0, SC_ERR_ARG, "e must");
    check_fails((enum r76_class)0, KG(15), 0, G(5), 0, SC_ERR_ARG, "class");
}

struct mpe_case {
    enum r76_class cls;
    int64_t e, load, verification;
};

static void mpe_worked_examples(void **state)
{
    (void)state;
    /* metrology.md, class III, Max 15 kg, e = 5 g. */
    static const struct mpe_case cases[] = {
        {R76_CLASS_III, G(5), G(100), G(2.5)},   {R76_CLASS_III, G(5), G(2500), G(2.5)},
        {R76_CLASS_III, G(5), G(2505), G(5)},    {R76_CLASS_III, G(5), G(10000), G(5)},
        {R76_CLASS_III, G(5), G(10005), G(7.5)}, {R76_CLASS_III, G(5), G(15000), G(7.5)},
    };
    struct r76_instrument in;
    r76_instrument_single(&in, R76_CLASS_III, KG(15), G(100), G(5), 0);
    assert_int_equal(r76_instrument_check(&in), SC_OK);
    assert_int_equal(in.n, 3000);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t v = 0, s = 0;
        assert_int_equal(r76_instrument_mpe(&in, cases[i].load, R76_VERIFICATION, &v), SC_OK);
        assert_int_equal(r76_instrument_mpe(&in, cases[i].load, R76_IN_SERVICE, &s), SC_OK);
        assert_int_equal(v, cases[i].verification);
        assert_int_equal(s, 2 * cases[i].verification);
    }
    int64_t v = 0;
    assert_int_equal(r76_instrument_mpe(&in, KG(15) + 1, R76_VERIFICATION, &v), SC_ERR_RANGE);
    assert_non_null(strstr(sc_error_message(), "above Max = 15000 g"));
    assert_int_equal(r76_instrument_mpe(&in, -1, R76_VERIFICATION, &v), SC_ERR_RANGE);
    /* Zero load: ±0.5 e. */
    assert_int_equal(r76_instrument_mpe(&in, 0, R76_VERIFICATION, &v), SC_OK);
    assert_int_equal(v, G(2.5));
}

static void mpe_change_points(void **state)
{
    (void)state;
    /* Every change point of Table 6, at the limit and 1 µg beyond, for each
     * class with a representative e. */
    static const struct {
        enum r76_class cls;
        int64_t e;
        int64_t top[3]; /* in e; 0 = none */
    } rows[] = {
        {R76_CLASS_I, MG(1), {50000, 200000, 0}},
        {R76_CLASS_II, MG(10), {5000, 20000, 100000}},
        {R76_CLASS_II, G(0.1), {5000, 20000, 100000}},
        {R76_CLASS_III, G(0.1), {500, 2000, 10000}},
        {R76_CLASS_III, G(5), {500, 2000, 10000}},
        {R76_CLASS_IIII, G(50), {50, 200, 1000}},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        for (int band = 0; band < 3; band++) {
            int64_t top = rows[i].top[band];
            if (top == 0)
                continue;
            int64_t at = top * rows[i].e, mpe = 0;
            int64_t want = (band + 1) * rows[i].e / 2;
            assert_int_equal(r76_mpe(rows[i].cls, rows[i].e, at, R76_VERIFICATION, &mpe), SC_OK);
            assert_int_equal(mpe, want);
            assert_int_equal(r76_mpe(rows[i].cls, rows[i].e, at, R76_IN_SERVICE, &mpe), SC_OK);
            assert_int_equal(mpe, 2 * want);
            int rc = r76_mpe(rows[i].cls, rows[i].e, at + 1, R76_VERIFICATION, &mpe);
            if (band < 2) {
                assert_int_equal(rc, SC_OK);
                assert_int_equal(mpe, want + rows[i].e / 2);
                assert_int_equal(r76_mpe(rows[i].cls, rows[i].e, at + 1, R76_IN_SERVICE, &mpe), SC_OK);
                assert_int_equal(mpe, 2 * (want + rows[i].e / 2));
            } else {
                assert_int_equal(rc, SC_ERR_RANGE);
                assert_non_null(strstr(sc_error_message(), "beyond class"));
            }
        }
    }
    /* Class I's 1.5 e band is open-ended. */
    int64_t mpe = 0;
    assert_int_equal(r76_mpe(R76_CLASS_I, MG(1), KG(10), R76_VERIFICATION, &mpe), SC_OK);
    assert_int_equal(mpe, MG(1) * 3 / 2);
    /* The class III worked example's change points 2 500 g and 10 000 g. */
    int64_t cp[2];
    assert_int_equal(r76_change_points(R76_CLASS_III, G(5), KG(15), cp), 2);
    assert_int_equal(cp[0], G(2500));
    assert_int_equal(cp[1], G(10000));
    assert_int_equal(r76_change_points(R76_CLASS_III, G(5), KG(5), cp), 1);
    /* An e the class does not allow. */
    assert_int_equal(r76_mpe(R76_CLASS_III, MG(50), G(1), R76_VERIFICATION, &mpe), SC_ERR_INCONSISTENT);
    assert_int_equal(r76_mpe(R76_CLASS_III, G(3), G(1), R76_VERIFICATION, &mpe), SC_ERR_INCONSISTENT);
}

static struct r76_instrument multi(int64_t max1, int64_t e1, int64_t max2, int64_t e2, int64_t max3,
                                   int64_t e3, int64_t min)
{
    struct r76_instrument in;
    r76_instrument_single(&in, R76_CLASS_III, max1, min, e1, 0);
    in.scheme = R76_MULTI_INTERVAL;
    in.parts = max3 ? 3 : 2;
    in.max_ug[1] = max2;
    in.e_ug[1] = e2;
    in.max_ug[2] = max3;
    in.e_ug[2] = e3;
    return in;
}

static void multi_interval(void **state)
{
    (void)state;
    /* R76-1's own example: class III, e = 1 / 2 / 10 g, Max = 2 / 5 / 15 kg,
     * Min = 20 g: n = 2000, 2500, 1500. */
    struct r76_instrument in = multi(KG(2), G(1), KG(5), G(2), KG(15), G(10), G(20));
    assert_int_equal(r76_instrument_check(&in), SC_OK);
    assert_int_equal(in.n_part[0], 2000);
    assert_int_equal(in.n_part[1], 2500);
    assert_int_equal(in.n_part[2], 1500);
    assert_int_equal(in.n, 1500);
    /* Each change, at the load and 1 µg beyond. */
    static const struct {
        int64_t load, mpe, part;
    } ex[] = {
        {0, G(0.5), 0},          {G(500), G(0.5), 0},      {G(500) + 1, G(1), 0},
        {G(2000), G(1), 0},      {G(2000) + 1, G(2), 1},   {G(4000), G(2), 1},
        {G(4000) + 1, G(3), 1},  {G(5000), G(3), 1},       {G(5000) + 1, G(10), 2},
        {G(15000), G(10), 2},
    };
    for (size_t i = 0; i < sizeof ex / sizeof ex[0]; i++) {
        int64_t mpe = 0;
        assert_int_equal(r76_instrument_mpe(&in, ex[i].load, R76_VERIFICATION, &mpe), SC_OK);
        assert_int_equal(mpe, ex[i].mpe);
        assert_int_equal(r76_instrument_mpe(&in, ex[i].load, R76_IN_SERVICE, &mpe), SC_OK);
        assert_int_equal(mpe, 2 * ex[i].mpe);
        assert_int_equal(r76_instrument_part(&in, ex[i].load), ex[i].part);
    }
    int64_t mpe;
    assert_int_equal(r76_instrument_mpe(&in, G(15000) + 1, R76_VERIFICATION, &mpe), SC_ERR_RANGE);
    /* The market's 6/15 kg, e = 2/5 g. */
    in = multi(KG(6), G(2), KG(15), G(5), 0, 0, G(40));
    assert_int_equal(r76_instrument_check(&in), SC_OK);
    assert_int_equal(r76_instrument_mpe(&in, KG(6), R76_VERIFICATION, &mpe), SC_OK);
    assert_int_equal(mpe, G(3)); /* 3000 e1: 1.5 e1 */
    assert_int_equal(r76_instrument_mpe(&in, KG(6) + 1, R76_VERIFICATION, &mpe), SC_OK);
    assert_int_equal(mpe, G(5)); /* 1200 e2: 1.0 e2 */
    /* Table 4: Max1 / e2 >= 500 for class III, at the limit and below. */
    in = multi(G(2500), G(1), KG(15), G(5), 0, 0, G(20));
    assert_int_equal(r76_instrument_check(&in), SC_OK);
    in = multi(G(2495), G(1), KG(15), G(5), 0, 0, G(20));
    assert_int_equal(r76_instrument_check(&in), SC_ERR_INCONSISTENT);
    assert_non_null(strstr(sc_error_message(), "Max1 / e2 >= 500 (R76-1 3.3, Table 4)"));
    /* A partial range outside Table 3 is named. */
    in = multi(KG(6), G(2), KG(15), G(2.5), 0, 0, 0);
    assert_int_equal(r76_instrument_check(&in), SC_ERR_INCONSISTENT);
    in = multi(KG(6), G(2), KG(15), G(5), 0, 0, G(39));
    assert_int_equal(r76_instrument_check(&in), SC_ERR_INCONSISTENT);
    assert_non_null(strstr(sc_error_message(), "partial range 1 (Max = 6000 g, e = 2 g): class III with e = 2 g needs Min >= 20 e = 40 g"));
    /* e and Max must grow. */
    in = multi(KG(6), G(5), KG(15), G(2), 0, 0, 0);
    assert_int_equal(r76_instrument_check(&in), SC_ERR_INCONSISTENT);
    assert_non_null(strstr(sc_error_message(), "must both grow"));
    /* No d < e. */
    in = multi(KG(6), G(2), KG(15), G(5), 0, 0, 0);
    in.d_ug = G(1);
    assert_int_equal(r76_instrument_check(&in), SC_ERR_INCONSISTENT);
    /* Multiple-range instruments are refused. */
    in = multi(KG(6), G(2), KG(15), G(5), 0, 0, 0);
    in.scheme = R76_MULTI_RANGE;
    assert_int_equal(r76_instrument_check(&in), SC_ERR_UNSUPPORTED);
    assert_non_null(strstr(sc_error_message(), "multiple-range instruments"));
    assert_int_equal(r76_instrument_mpe(&in, KG(1), R76_VERIFICATION, &mpe), SC_ERR_UNSUPPORTED);
    /* A single-interval instrument with two parts is an error. */
    in.scheme = R76_SINGLE;
    assert_int_equal(r76_instrument_check(&in), SC_ERR_ARG);
}

static void min_limits(void **state)
{
    (void)state;
    int64_t m = 0;
    assert_int_equal(r76_min_limit(R76_CLASS_III, G(5), 0, &m), SC_OK);
    assert_int_equal(m, G(100));
    assert_int_equal(r76_min_limit(R76_CLASS_II, G(0.1), 0, &m), SC_OK);
    assert_int_equal(m, G(5));
    assert_int_equal(r76_min_limit(R76_CLASS_IIII, G(10), 0, &m), SC_OK);
    assert_int_equal(m, G(100));
    assert_int_equal(r76_min_limit(R76_CLASS_IIII, G(1), 0, &m), SC_ERR_INCONSISTENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(class_names),
        cmocka_unit_test(intervals_125),
        cmocka_unit_test(market_scales_consistent),
        cmocka_unit_test(inconsistent_scales),
        cmocka_unit_test(mpe_worked_examples),
        cmocka_unit_test(mpe_change_points),
        cmocka_unit_test(multi_interval),
        cmocka_unit_test(min_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
