/* The verification procedure engine: whole verifications from scripted
 * readings, for a scale that passes and for ones that fail on eccentricity,
 * on repeatability and at Max; loads limited to the weight set; resuming
 * from saved state; the reference's calibration date. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/day.h"
#include "core/error.h"
#include "core/mass.h"
#include "core/procedure.h"

#define G(x) ((int64_t)((x) * 1e6 + 0.5))
#define KG(x) ((int64_t)((x) * 1e9 + 0.5))

/* An M1 set for a 15 kg scale. */
static const int64_t m1_set[] = {KG(10), KG(5), KG(2), KG(2), KG(1), G(500), G(200), G(200),
                                 G(100), G(50), G(20), G(20), G(10), G(5), G(2), G(2), G(1)};

static struct proc_config market_scale(const int64_t *set, size_t n)
{
    struct proc_config cfg;
    memset(&cfg, 0, sizeof cfg);
    r76_instrument_single(&cfg.instrument, R76_CLASS_III, KG(15), G(100), G(5), 0);
    cfg.stage = R76_VERIFICATION;
    if (reference_init(&cfg.reference, REFERENCE_WEIGHTS, "M1-2026-017", day_from_ymd(2027, 3, 31), 0) < 0)
        fail_msg("reference_init: %s", sc_error_message());
    for (size_t i = 0; i < n; i++)
        cfg.weights_ug[i] = set[i];
    cfg.n_weights = n;
    cfg.today = day_from_ymd(2026, 11, 25);
    return cfg;
}

/* A simulated scale: the true indication before rounding is P = L + err;
 * it shows I = P rounded to e (half up), and the error weights that make it
 * step up are ΔL = I + ½ e − P, so the error-point method finds err. */
typedef int64_t (*error_fn)(const struct proc_step *s);

static struct proc_reading simulate(const struct proc_step *s, error_fn err, int64_t e)
{
    struct proc_reading r = {0, 0, 1};
    int64_t shown = s->test == PROC_TARE ? s->net_ug : s->load_ug;
    if (s->test == PROC_DISCRIMINATION) {
        /* At a changeover point, +1.4 d steps the indication up by d. */
        r.indication_ug = s->load_ug + (s->after_extra ? e : 0);
        r.added_ug = 0;
        return r;
    }
    int64_t P = shown + err(s);
    int64_t I = (P + e / 2) >= 0 ? (P + e / 2) / e * e : -((-(P + e / 2) + e - 1) / e) * e;
    r.indication_ug = I;
    r.added_ug = I + e / 2 - P;
    return r;
}

static int64_t err_good(const struct proc_step *s)
{
    (void)s;
    return G(0.5); /* a constant offset: E0 = 0.5 g, every Ec 0 */
}

static int64_t err_eccentric(const struct proc_step *s)
{
    if (s->test == PROC_ECCENTRICITY && s->segment == 3)
        return G(8); /* Ec +8 g at 5 kg, MPE ±5 g */
    return 0;
}

static int64_t err_unrepeatable(const struct proc_step *s)
{
    if (s->test == PROC_REPEATABILITY && s->series == 1)
        return s->k % 2 ? -G(2.5) : G(3); /* each within ±5 g, spread 5.5 g */
    return 0;
}

static int64_t err_at_max(const struct proc_step *s)
{
    if (s->load_ug - s->tare_ug >= KG(14.5))
        return G(8); /* MPE at Max ±7.5 g */
    return 0;
}

static struct proc_verdict run(struct proc *p, error_fn err)
{
    struct proc_step s;
    int guard = 0;
    while (proc_current(p, &s) == 1) {
        struct proc_reading r = simulate(&s, err, G(5));
        struct proc_result res;
        int rc = proc_feed(p, &r, &res);
        if (rc != SC_OK)
            fail_msg("step %d (%s): %s", s.index, s.instruction, sc_error_message());
        if (++guard > PROC_MAX_STEPS)
            fail_msg("runaway");
    }
    struct proc_verdict v;
    assert_int_equal(proc_verdict_get(p, &v), SC_OK);
    return v;
}

static void plan_of_a_market_scale(void **state)
{
    (void)state;
    struct proc_config cfg = market_scale(m1_set, sizeof m1_set / sizeof m1_set[0]);
    struct proc *p;
    assert_int_equal(proc_new(&cfg, &p), SC_OK);
    int counts[PROC_TEST_COUNT] = {0};
    int64_t up[16];
    int nup = 0;
    struct proc_step s;
    for (int i = 0; i < proc_total(p); i++) {
        assert_int_equal(proc_step_get(p, i, &s), SC_OK);
        assert_int_equal(s.index, i);
        counts[s.test]++;
        assert_true(s.load_ug <= KG(15));
        assert_true(strlen(s.instruction) > 0);
        if (s.test == PROC_WEIGHING && !s.unloading)
            up[nup++] = s.load_ug;
    }
    assert_int_equal(counts[PROC_ZERO], 1);
    /* Min 100 g, 2 500 g, 7 500 g, 10 000 g, 15 kg up; 4 down. */
    assert_int_equal(counts[PROC_WEIGHING], 9);
    assert_int_equal(nup, 5);
    int64_t want[] = {G(100), G(2500), G(7500), G(10000), KG(15)};
    for (int i = 0; i < 5; i++)
        assert_int_equal(up[i], want[i]);
    assert_int_equal(counts[PROC_ECCENTRICITY], 4);
    assert_int_equal(counts[PROC_REPEATABILITY], 20); /* Max < 1 000 kg: 10 each */
    assert_int_equal(counts[PROC_TARE], 6); /* net zero + 5 net loads */
    assert_int_equal(counts[PROC_DISCRIMINATION], 6);
    /* Step 3: loading 2 500 g, made of 2 kg + 500 g. */
    assert_int_equal(proc_step_get(p, 2, &s), SC_OK);
    assert_int_equal(s.test, PROC_WEIGHING);
    assert_int_equal(s.load_ug, G(2500));
    assert_string_equal(s.weights, "2 kg + 500 g");
    assert_non_null(strstr(s.instruction, "place 2500 g (2 kg + 500 g) at the centre"));
    /* Eccentricity at 5 kg on segment 2. */
    assert_int_equal(proc_step_get(p, 11, &s), SC_OK);
    assert_int_equal(s.test, PROC_ECCENTRICITY);
    assert_int_equal(s.segment, 2);
    assert_int_equal(s.load_ug, KG(5));
    /* Discrimination: the extra load is 1.4 d = 7 g. */
    assert_int_equal(proc_step_get(p, proc_total(p) - 1, &s), SC_OK);
    assert_int_equal(s.test, PROC_DISCRIMINATION);
    assert_int_equal(s.extra_ug, G(7));
    assert_true(s.after_extra);
    assert_int_equal(proc_step_get(p, proc_total(p), &s), SC_ERR_RANGE);
    proc_free(p);
}

static void passing_scale(void **state)
{
    (void)state;
    struct proc_config cfg = market_scale(m1_set, sizeof m1_set / sizeof m1_set[0]);
    struct proc *p;
    assert_int_equal(proc_new(&cfg, &p), SC_OK);
    struct proc_verdict v = run(p, err_good);
    assert_int_equal(v.outcome, PROC_PASS);
    assert_int_equal(v.failures, 0);
    assert_int_equal(v.done, v.total);
    assert_string_equal(v.reference_id, "M1-2026-017");
    assert_non_null(strstr(v.reason, "passes"));
    assert_non_null(strstr(v.reason, "M1-2026-017"));
    struct proc_result r;
    assert_int_equal(proc_result_get(p, 0, &r), SC_OK);
    assert_int_equal(r.error_ug, G(0.5)); /* E0 */
    assert_int_equal(r.limit_ug, G(1.25));
    assert_int_equal(proc_result_get(p, 2, &r), SC_OK);
    assert_int_equal(r.corrected_ug, 0);  /* Ec = E − E0 */
    assert_int_equal(r.limit_ug, G(2.5)); /* 2 500 g = 500 e */
    struct proc_step s;
    assert_int_equal(proc_current(p, &s), 0);
    struct proc_reading more = {0, 0, 1};
    assert_int_equal(proc_feed(p, &more, NULL), SC_ERR_RANGE);
    proc_free(p);
}

static void fails_on_eccentricity(void **state)
{
    (void)state;
    struct proc_config cfg = market_scale(m1_set, sizeof m1_set / sizeof m1_set[0]);
    struct proc *p;
    assert_int_equal(proc_new(&cfg, &p), SC_OK);
    struct proc_verdict v = run(p, err_eccentric);
    assert_int_equal(v.outcome, PROC_FAIL);
    assert_int_equal(v.failed_test, PROC_ECCENTRICITY);
    assert_int_equal(v.failures, 1);
    assert_non_null(strstr(v.reason, "eccentricity 5000 g on segment 3: Ec = +8 g exceeds MPE \xc2\xb1" "5 g"));
    proc_free(p);
}

static void fails_on_repeatability(void **state)
{
    (void)state;
    struct proc_config cfg = market_scale(m1_set, sizeof m1_set / sizeof m1_set[0]);
    struct proc *p;
    assert_int_equal(proc_new(&cfg, &p), SC_OK);
    struct proc_verdict v = run(p, err_unrepeatable);
    assert_int_equal(v.outcome, PROC_FAIL);
    assert_int_equal(v.failed_test, PROC_REPEATABILITY);
    assert_int_equal(v.failures, 1);
    assert_non_null(strstr(v.reason, "series 1 at 7500 g: results differ by 5.5 g, more than MPE"));
    proc_free(p);
}

static void fails_at_max(void **state)
{
    (void)state;
    struct proc_config cfg = market_scale(m1_set, sizeof m1_set / sizeof m1_set[0]);
    struct proc *p;
    assert_int_equal(proc_new(&cfg, &p), SC_OK);
    struct proc_verdict v = run(p, err_at_max);
    assert_int_equal(v.outcome, PROC_FAIL);
    assert_int_equal(v.failed_test, PROC_WEIGHING);
    assert_non_null(strstr(v.reason, "weighing 15000 g: Ec = +8 g exceeds MPE \xc2\xb1" "7.5 g"));
    assert_true(v.failures > 1); /* Max again in repeatability and discrimination loads */
    proc_free(p);
    /* In service the MPE doubles: the same scale passes an in-service check. */
    cfg.stage = R76_IN_SERVICE;
    assert_int_equal(proc_new(&cfg, &p), SC_OK);
    v = run(p, err_at_max);
    assert_int_equal(v.outcome, PROC_PASS);
    proc_free(p);
}

static void loads_follow_the_set(void **state)
{
    (void)state;
    /* With no weight below 200 g, 2 500 g becomes 2 400 g (at or below the
     * change point: the stricter band), and Min 100 g becomes 200 g. */
    static const int64_t no500[] = {KG(10), KG(5), KG(2), KG(2), KG(1), G(200), G(200)};
    struct proc_config cfg = market_scale(no500, sizeof no500 / sizeof no500[0]);
    struct proc *p;
    assert_int_equal(proc_new(&cfg, &p), SC_OK);
    struct proc_step s;
    assert_int_equal(proc_step_get(p, 2, &s), SC_OK);
    assert_int_equal(s.target_ug, G(2500));
    assert_true(s.load_ug <= G(2500) && s.load_ug >= G(2250));
    assert_int_equal(s.load_ug, G(2400));
    assert_string_equal(s.weights, "2 kg + 200 g + 200 g");
    assert_non_null(strstr(s.instruction, "place 2400 g (2 kg + 200 g + 200 g; 2500 g asked, the set makes this)"));
    assert_int_equal(proc_step_get(p, 1, &s), SC_OK);
    assert_int_equal(s.load_ug, G(200));
    proc_free(p);
    /* Without the 10 kg weight the set cannot reach Max: refused, saying so. */
    static const int64_t small[] = {KG(5), KG(2), KG(2), KG(1), G(500), G(200), G(200), G(100)};
    cfg = market_scale(small, sizeof small / sizeof small[0]);
    assert_int_equal(proc_new(&cfg, &p), SC_ERR_RANGE);
    assert_null(p);
    assert_non_null(strstr(sc_error_message(), "cannot make a load for the weighing test (Max)"));
    /* An expired set is refused. */
    cfg = market_scale(m1_set, sizeof m1_set / sizeof m1_set[0]);
    cfg.today = day_from_ymd(2027, 4, 1);
    assert_int_equal(proc_new(&cfg, &p), SC_ERR_EXPIRED);
    assert_non_null(strstr(sc_error_message(), "weight set 'M1-2026-017': its calibration was valid until 2027-03-31"));
    cfg.today = day_from_ymd(2027, 3, 31); /* the last valid day */
    assert_int_equal(proc_new(&cfg, &p), SC_OK);
    proc_free(p);
    /* A multi-interval scale (6/15 kg, e = 2/5 g) is refused, saying why. */
    cfg.instrument.scheme = R76_MULTI_INTERVAL;
    cfg.instrument.parts = 2;
    cfg.instrument.max_ug[0] = KG(6);
    cfg.instrument.e_ug[0] = G(2);
    cfg.instrument.max_ug[1] = KG(15);
    cfg.instrument.e_ug[1] = G(5);
    cfg.instrument.min_ug = G(40);
    assert_int_equal(proc_new(&cfg, &p), SC_ERR_UNSUPPORTED);
    assert_non_null(strstr(sc_error_message(), "single-interval instruments"));
}

static void readings_refused(void **state)
{
    (void)state;
    struct proc_config cfg = market_scale(m1_set, sizeof m1_set / sizeof m1_set[0]);
    struct proc *p;
    assert_int_equal(proc_new(&cfg, &p), SC_OK);
    struct proc_reading r = {0, G(2.5), 0};
    assert_int_equal(proc_feed(p, &r, NULL), SC_ERR_AGAIN);
    r.stable = 1;
    r.added_ug = PROC_DIRECT; /* the display is e: no direct method */
    assert_int_equal(proc_feed(p, &r, NULL), SC_ERR_ARG);
    r.added_ug = G(6); /* more than e */
    assert_int_equal(proc_feed(p, &r, NULL), SC_ERR_ARG);
    assert_int_equal(proc_done(p), 0);
    /* Zero error at ±¼ e passes, beyond fails. */
    r.added_ug = G(1.25); /* E0 = 0 + 2.5 − 1.25 = +1.25 g */
    struct proc_result res;
    assert_int_equal(proc_feed(p, &r, &res), SC_OK);
    assert_true(res.pass);
    assert_int_equal(res.error_ug, G(1.25));
    proc_free(p);
    assert_int_equal(proc_new(&cfg, &p), SC_OK);
    r.added_ug = G(1.25) - 1;
    assert_int_equal(proc_feed(p, &r, &res), SC_OK);
    assert_false(res.pass);
    struct proc_verdict v;
    assert_int_equal(proc_verdict_get(p, &v), SC_OK);
    assert_int_equal(v.outcome, PROC_FAIL);
    assert_non_null(strstr(v.reason, "procedure not finished"));
    proc_free(p);
    /* A test mode at 1 g (0.2 e) takes direct readings. */
    cfg.resolution_ug = G(1);
    assert_int_equal(proc_new(&cfg, &p), SC_OK);
    r.indication_ug = 0;
    r.added_ug = PROC_DIRECT;
    assert_int_equal(proc_feed(p, &r, &res), SC_OK);
    assert_int_equal(res.error_ug, 0);
    struct proc_step s;
    assert_int_equal(proc_current(p, &s), 1);
    assert_non_null(strstr(s.instruction, "test mode"));
    r.indication_ug = G(101);
    assert_int_equal(proc_feed(p, &r, &res), SC_OK); /* Min 100 g reads 101 g */
    assert_int_equal(res.corrected_ug, G(1));
    proc_free(p);
}

static void resume_from_saved_state(void **state)
{
    (void)state;
    struct proc_config cfg = market_scale(m1_set, sizeof m1_set / sizeof m1_set[0]);
    struct proc *a, *b;
    assert_int_equal(proc_new(&cfg, &a), SC_OK);
    /* Take 17 readings, save, "lose the battery", resume, finish. */
    struct proc_step s;
    for (int i = 0; i < 17; i++) {
        assert_int_equal(proc_current(a, &s), 1);
        struct proc_reading r = simulate(&s, err_eccentric, G(5));
        assert_int_equal(proc_feed(a, &r, NULL), SC_OK);
    }
    int need = proc_save(a, NULL, 0);
    assert_true(need > 0);
    char *text = malloc((size_t)need + 1);
    assert_int_equal(proc_save(a, text, (size_t)need + 1), need);
    assert_non_null(strstr(text, "stallcheck-procedure 1\nclass III\n"));
    assert_int_equal(proc_load(text, cfg.today, &b), SC_OK);
    assert_int_equal(proc_done(b), 17);
    assert_int_equal(proc_total(b), proc_total(a));
    /* The same state saves to the same text. */
    char *again = malloc((size_t)need + 1);
    assert_int_equal(proc_save(b, again, (size_t)need + 1), need);
    assert_string_equal(text, again);
    struct proc_verdict va = run(a, err_eccentric), vb = run(b, err_eccentric);
    assert_int_equal(vb.outcome, PROC_FAIL);
    assert_int_equal(va.outcome, vb.outcome);
    assert_string_equal(va.reason, vb.reason);
    /* Resuming after the set expired is refused. */
    struct proc *c;
    assert_int_equal(proc_load(text, day_from_ymd(2028, 1, 1), &c), SC_ERR_EXPIRED);
    /* Truncated or damaged state is refused with the line. */
    static const char *const bad[] = {
        "", "stallcheck-procedure 2\n", "stallcheck-procedure 1\nclass III\n",
        "stallcheck-procedure 1\nclass IX\n", "stallcheck-procedure 1\nmax -5\n",
        "stallcheck-procedure 1\ncolour blue\n", "stallcheck-procedure 1\nclass III\nclass III\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(proc_load(bad[i], cfg.today, &c), SC_ERR_PARSE);
        assert_null(c);
        assert_non_null(strstr(sc_error_message(), "procedure state, line"));
    }
    /* A reading out of order. */
    char *hacked = malloc(strlen(text) + 64);
    strcpy(hacked, text);
    char *r5 = strstr(hacked, "reading 5 ");
    assert_non_null(r5);
    r5[8] = '6';
    assert_int_equal(proc_load(hacked, cfg.today, &c), SC_ERR_PARSE);
    free(hacked);
    free(text);
    free(again);
    proc_free(a);
    proc_free(b);
}

static void balance_with_finer_d(void **state)
{
    (void)state;
    /* Class II, Max 200 g, e = 10 mg, d = 1 mg, an F1 set: Min defaults to
     * 20 d (R76-1 3.4.3), readings at d = 0.1 e are direct, and no
     * discrimination test is planned (d < 5 mg, 3.8.2). */
    static const int64_t f1[] = {G(100), G(50), G(20), G(20), G(10), G(5), G(2), G(2), G(1),
                                 G(0.5), G(0.2), G(0.2), G(0.1), G(0.05), G(0.02), G(0.02), G(0.01)};
    struct proc_config cfg = market_scale(f1, sizeof f1 / sizeof f1[0]);
    r76_instrument_single(&cfg.instrument, R76_CLASS_II, G(200), 0, G(0.01), G(0.001));
    struct proc *p;
    assert_int_equal(proc_new(&cfg, &p), SC_OK);
    struct proc_step s;
    for (int i = 0; i < proc_total(p); i++) {
        assert_int_equal(proc_step_get(p, i, &s), SC_OK);
        assert_int_not_equal(s.test, PROC_DISCRIMINATION);
        if (i == 1) {
            assert_int_equal(s.test, PROC_WEIGHING);
            assert_int_equal(s.load_ug, G(0.02)); /* Min = 20 d */
        }
    }
    assert_int_equal(proc_current(p, &s), 1);
    assert_non_null(strstr(s.instruction, "test mode"));
    struct proc_reading r = {G(0.001), PROC_DIRECT, 1};
    struct proc_result res;
    assert_int_equal(proc_feed(p, &r, &res), SC_OK);
    assert_int_equal(res.error_ug, G(0.001));
    assert_true(res.pass); /* ±¼ e = 2.5 mg */
    proc_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plan_of_a_market_scale),
        cmocka_unit_test(passing_scale),
        cmocka_unit_test(fails_on_eccentricity),
        cmocka_unit_test(fails_on_repeatability),
        cmocka_unit_test(fails_at_max),
        cmocka_unit_test(loads_follow_the_set),
        cmocka_unit_test(readings_refused),
        cmocka_unit_test(resume_from_saved_state),
        cmocka_unit_test(balance_with_finer_d),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
