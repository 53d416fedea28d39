/* core/cg18: a calibration after EURAMET cg-18 run on scripted readings;
 * every uncertainty term checked against the guide's formulas computed
 * here in long double, and the budget of the Max point by hand. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/cg18.h"
#include "core/error.h"
#include "core/mass.h"

#define G MASS_G
#define KG MASS_KG

static const int64_t kit[] = {10 * KG, 5 * KG, 2 * KG, 2 * KG, 1 * KG, 500 * G, 200 * G, 200 * G,
                              100 * G, 50 * G, 20 * G, 20 * G, 10 * G};

static struct cg18_config market_scale(void)
{
    struct cg18_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.max_ug = 15 * KG;
    cfg.min_ug = 100 * G;
    cfg.d_ug = 5 * G;
    cfg.weight_class = R111_M1;
    cfg.today = day_from_ymd(2026, 12, 7);
    if (reference_init(&cfg.reference, REFERENCE_WEIGHTS, "W-2", day_from_ymd(2027, 6, 30), 0) < 0)
        fail_msg("%s", sc_error_message());
    for (size_t i = 0; i < sizeof kit / sizeof kit[0]; i++)
        cfg.weights_ug[cfg.n_weights++] = kit[i];
    return cfg;
}

/* The scale: repeatability 15000, 15005, 15000, 15000, 15005 g (s² = 7.5 g²);
 * eccentricity 5000, 5000, 5005, 4995, 5000 g (|ΔI|max 5 g); errors +5 g at
 * Max, 0 elsewhere. */
static int64_t indication(const struct cg18_step *s)
{
    static const int64_t rep[] = {15000, 15005, 15000, 15000, 15005};
    static const int64_t ecc[] = {5000, 5000, 5005, 4995, 5000};
    switch (s->test) {
    case CG18_REPEATABILITY: return rep[s->k - 1] * G;
    case CG18_ECCENTRICITY: return ecc[s->position] * G;
    default: return s->load_ug + (s->load_ug == 15 * KG ? 5 * G : 0);
    }
}

static void run_all(struct cg18 *c)
{
    struct cg18_step s;
    while (cg18_current(c, &s) == 1) {
        struct cg18_reading r = {.indication_ug = indication(&s), .digit_ug = G, .stable = 1};
        if (cg18_feed(c, &r) != SC_OK)
            fail_msg("%s: %s", s.instruction, sc_error_message());
    }
}

static void plan_and_results(void **state)
{
    (void)state;
    struct cg18_config cfg = market_scale();
    struct cg18 *c;
    if (cg18_new(&cfg, &c) != SC_OK)
        fail_msg("%s", sc_error_message());
    assert_int_equal(cg18_total(c), CG18_STEPS);
    struct cg18_step s;
    assert_int_equal(cg18_step_get(c, 0, &s), SC_OK);
    assert_int_equal(s.test, CG18_REPEATABILITY);
    assert_int_equal(s.load_ug, 15 * KG);
    assert_string_equal(s.weights, "10 kg + 5 kg");
    assert_int_equal(cg18_step_get(c, 5, &s), SC_OK);
    assert_int_equal(s.test, CG18_ECCENTRICITY);
    assert_int_equal(s.load_ug, 5 * KG);
    assert_non_null(strstr(s.instruction, "at the centre"));
    int64_t want[CG18_POINTS] = {100 * G, 3750 * G, 7500 * G, 11250 * G, 15 * KG};
    for (int i = 0; i < CG18_POINTS; i++) {
        assert_int_equal(cg18_step_get(c, 10 + i, &s), SC_OK);
        assert_int_equal(s.test, CG18_ERROR);
        assert_int_equal(s.load_ug, want[i]);
    }
    struct cg18_results res;
    assert_int_equal(cg18_results(c, &res), SC_ERR_AGAIN);
    run_all(c);
    assert_int_equal(cg18_results(c, &res), SC_OK);
    assert_int_equal(res.k, 2);
    /* s = sqrt(7.5) g = 2.7386 g, rounded up to the µg */
    assert_int_equal(res.s_ug, 2738613);
    assert_int_equal(res.ecc_max_ug, 5 * G);
    assert_int_equal(res.ecc_ug[3], -5 * G);
    assert_int_equal(res.npoints, 5);
    const struct cg18_point *max = &res.points[4];
    assert_int_equal(max->load_ug, 15 * KG);
    assert_int_equal(max->error_ug, 5 * G);
    /* By hand, in g²: rounding 2 x 25/12; repeatability 7.5; eccentricity
     * (5 x 15005 / (2 x 5000))² / 3 = 18.7625021 (cg-18 scales it by the
     * indication I); the M1 10 kg + 5 kg weights (0.5 + 0.25 g) 0.75² / 3 =
     * 0.1875; buoyancy (0.75/4)² / 3 = 0.01171875: 30.6283875 g²,
     * u = 5.53429 g, U = 11.06858 g -> 12 g. */
    assert_int_equal(max->budget.n, 6);
    assert_int_equal(max->budget.terms[0].variance_ug2, INT64_C(2083333333334));
    assert_int_equal(max->budget.terms[2].variance_ug2, INT64_C(7500000000000));
    assert_int_equal(max->budget.terms[3].variance_ug2, INT64_C(18762502083334));
    assert_int_equal(max->budget.terms[4].variance_ug2, INT64_C(187500000000));
    assert_int_equal(max->budget.terms[5].variance_ug2, INT64_C(11718750000));
    long double V = 2 * 25e12L / 12 + 7.5e12L + 56.28750625e12L / 3 + 0.1875e12L + 0.01171875e12L;
    long double U = 2 * sqrtl(V);
    assert_true((long double)max->U_ug >= U && (long double)max->U_ug < U + 1.1L);
    assert_int_equal(max->U_ug, 11068584);
    assert_int_equal(max->U_report_ug, 12 * G);
    /* At Min the eccentricity term nearly vanishes: (5 x 100/10000)²/3 g². */
    const struct cg18_point *min = &res.points[0];
    assert_int_equal(min->error_ug, 0);
    assert_int_equal(min->budget.terms[3].variance_ug2, INT64_C(833333334));
    cg18_free(c);
}

static void readings_refused_and_resumed(void **state)
{
    (void)state;
    struct cg18_config cfg = market_scale();
    struct cg18 *c;
    assert_int_equal(cg18_new(&cfg, &c), SC_OK);
    struct cg18_reading r = {.indication_ug = 15 * KG, .digit_ug = 10 * G, .stable = 1};
    assert_int_equal(cg18_feed(c, &r), SC_ERR_ARG); /* coarser than d */
    r.digit_ug = G;
    r.indication_ug = 15 * KG + 2 * G;
    assert_int_equal(cg18_feed(c, &r), SC_ERR_ARG); /* not on d */
    r.indication_ug = 15 * KG;
    r.stable = 0;
    assert_int_equal(cg18_feed(c, &r), SC_ERR_AGAIN);
    r.stable = 1;
    for (int i = 0; i < 7; i++) {
        struct cg18_step s;
        assert_int_equal(cg18_current(c, &s), 1);
        r.indication_ug = indication(&s);
        assert_int_equal(cg18_feed(c, &r), SC_OK);
    }
    char text[4096];
    int n = cg18_save(c, text, sizeof text);
    assert_true(n > 0 && n < (int)sizeof text);
    assert_non_null(strstr(text, "stallcheck-cg18 1\nmax 15000000000\n"));
    struct cg18 *d;
    assert_int_equal(cg18_load(text, cfg.today, &d), SC_OK);
    assert_int_equal(cg18_done(d), 7);
    run_all(c);
    run_all(d);
    struct cg18_results a, b;
    assert_int_equal(cg18_results(c, &a), SC_OK);
    assert_int_equal(cg18_results(d, &b), SC_OK);
    assert_int_equal(a.points[4].U_ug, b.points[4].U_ug);
    /* Expired by the time it resumes: refused. */
    struct cg18 *e;
    assert_int_equal(cg18_load(text, day_from_ymd(2027, 7, 1), &e), SC_ERR_EXPIRED);
    static const char *const bad[] = {"", "stallcheck-cg18 2\n", "stallcheck-cg18 1\nmax x\n",
                                      "stallcheck-cg18 1\ncolour 1\n", "stallcheck-cg18 1\nreading 0 1 1\n"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(cg18_load(bad[i], cfg.today, &e), SC_ERR_PARSE);
        assert_null(e);
    }
    cg18_free(c);
    cg18_free(d);
    /* A class not declared, a weight not in R111, a set without Max. */
    cfg.weight_class = R111_NONE;
    assert_int_equal(cg18_new(&cfg, &c), SC_ERR_ARG);
    cfg = market_scale();
    cfg.weights_ug[0] = 3 * KG;
    assert_int_equal(cg18_new(&cfg, &c), SC_ERR_RANGE);
    cfg = market_scale();
    cfg.weights_ug[0] = 20 * KG; /* left aside; 5+2+2+1... makes 10.9 kg, not 15 */
    assert_int_equal(cg18_new(&cfg, &c), SC_ERR_RANGE);
    assert_non_null(strstr(sc_error_message(), "repeatability"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plan_and_results),
        cmocka_unit_test(readings_refused_and_resumed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
