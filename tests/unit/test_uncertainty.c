/* core/uncertainty: budgets in integer µg², square roots rounded up, tested
 * against two worked examples and against the bound the header states. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "core/error.h"
#include "core/uncertainty.h"

/* The University of Tartu's GUM Workbench example "Uncertainty of Simple
 * Weighing" (ut.ee/katsekoda/GUM_examples/weighing.smu): repeatability
 * 0.17 mg (normal), drift within ±0.2 mg and readability ±0.05 mg
 * (rectangular); its result: standard uncertainty 0.000207525 g. */
static void gum_simple_weighing(void **state)
{
    (void)state;
    struct unc_budget b;
    unc_init(&b);
    assert_int_equal(unc_add_standard(&b, "repeatability", 170), SC_OK);
    assert_int_equal(unc_add_rect(&b, "drift", 200), SC_OK);
    assert_int_equal(unc_add_rect(&b, "readability", 50), SC_OK);
    /* 28900 + ceil(40000/3) + ceil(2500/3) */
    assert_int_equal(unc_variance(&b), 28900 + 13334 + 834);
    /* 207.525 µg rounded up; U (k = 2) 415.05 µg rounded up */
    assert_int_equal(unc_combined(&b), 208);
    assert_int_equal(unc_expanded(&b, 2), 416);
    /* The exact value lies in the last µg: 207² < V < 208². */
    double exact = sqrt(28900.0 + 40000.0 / 3 + 2500.0 / 3);
    assert_true(fabs(exact - 207.525098883645) < 1e-9);
    assert_true(207.0 < exact && exact <= 208.0);
}

/* A JJG 539 uncertainty evaluation for an electronic price-computing scale
 * (ACS-6, Max 6 kg, M1 weights; m.777doc.com/doc-4972507): ten readings at
 * 1 kg, 3 kg and 6 kg give s = 0.06, 0.18 and 0.19 g; a supply-voltage
 * effect of ±e/5 = ±0.4 g (rectangular) gives 0.23 g; combined,
 * u(P) = 0.24, 0.29 and 0.30 g. */
static void price_computing_scale_example(void **state)
{
    (void)state;
    /* readings in units of 0.1 g above 999.8, 2999.0, 5998.8 g */
    static const int64_t r1[10] = {10000, 10002, 10000, 10000, 10000, 10000, 10000, 10000, 10000, 10000};
    static const int64_t r2[10] = {29992, 29990, 29990, 29994, 29990, 29994, 29990, 29992, 29992, 29994};
    static const int64_t r3[10] = {59988, 59990, 59992, 59994, 59988, 59992, 59990, 59990, 59992, 59990};
    const int64_t *series[3] = {r1, r2, r3};
    static const int64_t s_want[3] = {60000, 180000, 190000}; /* the source's s, µg (2 decimals in g) */
    static const int64_t u_want[3] = {240000, 290000, 300000}; /* its u(P) */
    for (int k = 0; k < 3; k++) {
        int64_t ug[10];
        for (int i = 0; i < 10; i++)
            ug[i] = series[k][i] * 100000; /* 0.1 g = 100 000 µg */
        int64_t v;
        assert_int_equal(unc_variance_of_readings(ug, 10, &v), SC_OK);
        int64_t s = unc_isqrt_ceil(v);
        /* rounded to 0.01 g as the source prints it */
        assert_int_equal((s + 5000) / 10000 * 10000, s_want[k]);
        struct unc_budget b;
        unc_init(&b);
        assert_int_equal(unc_add_variance(&b, "repeatability", v), SC_OK);
        assert_int_equal(unc_add_rect(&b, "supply voltage", 400000), SC_OK);
        assert_int_equal(unc_round_up(unc_combined(&b), 2), u_want[k]);
    }
    /* The 1 kg series' variance is exact: 0.036 g² / 9 = 0.004 g². */
    int64_t ug[10], v;
    for (int i = 0; i < 10; i++)
        ug[i] = r1[i] * 100000;
    assert_int_equal(unc_variance_of_readings(ug, 10, &v), SC_OK);
    assert_int_equal(v, INT64_C(4000000000));
    struct unc_budget b;
    unc_init(&b);
    assert_int_equal(unc_add_rect(&b, "supply voltage", 400000), SC_OK);
    assert_int_equal(unc_round_up(unc_combined(&b), 2), 240000); /* 0.2309 g, the source's 0.23 */
}

/* The header's bound, on budgets made at random: U <= U' < U + 1 + k m /
 * (2 sqrt V), compared with long double arithmetic. */
static void bound_holds(void **state)
{
    (void)state;
    srand(20261207);
    for (int trial = 0; trial < 2000; trial++) {
        struct unc_budget b;
        unc_init(&b);
        long double exact = 0;
        int m = 1 + rand() % 6;
        for (int i = 0; i < m; i++) {
            int64_t a = 1000 + rand() % 5000000;
            switch (rand() % 4) {
            case 0: unc_add_rect(&b, "r", a); exact += (long double)a * a / 3; break;
            case 1: unc_add_resolution(&b, "d", a); exact += (long double)a * a / 12; break;
            case 2: unc_add_standard(&b, "u", a); exact += (long double)a * a; break;
            default: unc_add_scaled(&b, "e", a, 7, 3, 12); exact += (long double)a * a * 49 / 9 / 12; break;
            }
        }
        long double U = 2 * sqrtl(exact);
        int64_t got = unc_expanded(&b, 2);
        if (!((long double)got >= U - 1e-6L && (long double)got < U + 1 + 2.0L * m / (2 * sqrtl(exact)) + 1e-6L))
            fail_msg("trial %d: U = %.6Lf, got %lld", trial, U, (long long)got);
    }
}

static void edges(void **state)
{
    (void)state;
    assert_int_equal(unc_isqrt_ceil(0), 0);
    assert_int_equal(unc_isqrt_ceil(1), 1);
    assert_int_equal(unc_isqrt_ceil(2), 2);
    assert_int_equal(unc_isqrt_ceil(4), 2);
    assert_int_equal(unc_isqrt_ceil(INT64_MAX), INT64_C(3037000500));
    assert_int_equal(unc_round_up(415, 2), 420);
    assert_int_equal(unc_round_up(239444, 2), 240000);
    assert_int_equal(unc_round_up(100, 2), 100);
    assert_int_equal(unc_round_up(101, 2), 110);
    assert_int_equal(unc_round_up(9, 2), 9);
    assert_int_equal(unc_round_up(99, 2), 99);
    assert_int_equal(unc_round_up(999, 2), 1000);
    int64_t v;
    int64_t one[1] = {5};
    assert_int_equal(unc_variance_of_readings(one, 1, &v), SC_ERR_ARG);
    struct unc_budget b;
    unc_init(&b);
    assert_int_equal(unc_add_rect(&b, "x", -1), SC_ERR_ARG);
    assert_int_equal(unc_add_expanded(&b, "x", 10, 0), SC_ERR_ARG);
    assert_int_equal(unc_add_expanded(&b, "U", 200, 2), SC_OK);
    assert_int_equal(unc_variance(&b), 10000);
    assert_int_equal(unc_add_standard(&b, "huge", INT64_C(3000000000)), SC_ERR_RANGE);
    for (int i = 1; i < UNC_MAX_TERMS; i++)
        assert_int_equal(unc_add_standard(&b, "t", 1), SC_OK);
    assert_int_equal(unc_add_standard(&b, "one too many", 1), SC_ERR_RANGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gum_simple_weighing),
        cmocka_unit_test(price_computing_scale_example),
        cmocka_unit_test(bound_holds),
        cmocka_unit_test(edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
