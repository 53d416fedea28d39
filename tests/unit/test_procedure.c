/* The verification procedure engine: whole verifications from scripted
 * readings, for a scale that passes and for ones that fail on eccentricity,
 * on repeatability and at Max; loads limited to the weight set; resuming
 * from saved state; the reference's calibration date.  Then the rules a
 * signed certificate rests on: readings at the resolution declared, weights
 * within a third of the MPE (R76-1 3.7.1), the general technical check,
 * levelling and pre-load, zero-tracking (E0 near 10 e), a kit heavier than
 * Max, the return to zero, the centre in eccentricity, the price test and
 * the regulation by date and kind. */
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
    cfg.weight_class = R111_M1;
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
    struct proc_reading r = {.stable = 1};
    if (s->answer_step) {
        r.answer = PROC_YES;
        if (s->needs_text)
            strcpy(r.text, "V1.02 CRC 5A3F");
        return r;
    }
    if (s->test == PROC_PRICE) {
        /* 分: weight (µg) x 分/kg, nearest, halves up */
        r.indication_ug = s->load_ug;
        r.amount_fen = (s->load_ug * s->unit_price_fen + KG(1) / 2) / KG(1);
        return r;
    }
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
        struct proc_reading r = simulate(&s, err, proc_config_get(p)->instrument.e_ug[0]);
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

/* The index of the n-th (0-based) step of a test; fails when there is none. */
static int nth(struct proc *p, enum proc_test t, int n)
{
    struct proc_step s;
    for (int i = 0; i < proc_total(p); i++) {
        assert_int_equal(proc_step_get(p, i, &s), SC_OK);
        if (s.test == t && n-- == 0)
            return i;
    }
    fail_msg("no step %d of %s", n, proc_test_name(t));
    return -1;
}

/* Feeds simulated readings until the current step is index `to`. */
static void run_to(struct proc *p, int to, error_fn err)
{
    struct proc_step s;
    while (proc_done(p) < to) {
        assert_int_equal(proc_current(p, &s), 1);
        struct proc_reading r = simulate(&s, err, proc_config_get(p)->instrument.e_ug[0]);
        if (proc_feed(p, &r, NULL) != SC_OK)
            fail_msg("step %d (%s): %s", s.index, s.instruction, sc_error_message());
    }
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
    assert_int_equal(counts[PROC_GENERAL], 4); /* JJG 539-2016 */
    assert_int_equal(counts[PROC_LEVELLING], 1);
    assert_int_equal(counts[PROC_PRELOAD], 1);
    assert_int_equal(counts[PROC_ZERO], 1);
    /* Min 100 g, 2 500 g, 7 500 g, 10 000 g, 15 kg up; 4 down; back to zero. */
    assert_int_equal(counts[PROC_WEIGHING], 10);
    assert_int_equal(nup, 5);
    int64_t want[] = {G(100), G(2500), G(7500), G(10000), KG(15)};
    for (int i = 0; i < 5; i++)
        assert_int_equal(up[i], want[i]);
    assert_int_equal(counts[PROC_ECCENTRICITY], 5); /* the centre and 4 quarters */
    assert_int_equal(counts[PROC_REPEATABILITY], 20); /* Max < 1 000 kg: 10 each */
    assert_int_equal(counts[PROC_TARE], 6); /* net zero + 5 net loads */
    assert_int_equal(counts[PROC_DISCRIMINATION], 6);
    assert_int_equal(counts[PROC_PRICE], 0); /* not a price-computing scale */
    assert_string_equal(proc_regulation(p)->code, "JJG 539-2016");
    /* The second weighing step: loading 2 500 g, made of 2 kg + 500 g. */
    assert_int_equal(proc_step_get(p, nth(p, PROC_WEIGHING, 1), &s), SC_OK);
    assert_int_equal(s.test, PROC_WEIGHING);
    assert_int_equal(s.load_ug, G(2500));
    assert_string_equal(s.weights, "2 kg + 500 g");
    assert_non_null(strstr(s.instruction, "place 2500 g (2 kg + 500 g) at the centre"));
    /* Eccentricity at 5 kg on segment 2, after the centre and segment 1. */
    assert_int_equal(proc_step_get(p, nth(p, PROC_ECCENTRICITY, 2), &s), SC_OK);
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
    assert_int_equal(proc_result_get(p, nth(p, PROC_ZERO, 0), &r), SC_OK);
    assert_int_equal(r.error_ug, G(0.5)); /* E0 */
    assert_int_equal(r.limit_ug, G(1.25));
    assert_int_equal(proc_result_get(p, nth(p, PROC_WEIGHING, 1), &r), SC_OK);
    assert_int_equal(r.corrected_ug, 0);  /* Ec = E − E0 */
    assert_int_equal(r.limit_ug, G(2.5)); /* 2 500 g = 500 e */
    struct proc_step s;
    assert_int_equal(proc_current(p, &s), 0);
    struct proc_reading more = {.stable = 1};
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
    cfg.kind = PROC_IN_SERVICE;
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
    assert_int_equal(proc_step_get(p, nth(p, PROC_WEIGHING, 1), &s), SC_OK);
    assert_int_equal(s.target_ug, G(2500));
    assert_true(s.load_ug <= G(2500) && s.load_ug >= G(2250));
    assert_int_equal(s.load_ug, G(2400));
    assert_string_equal(s.weights, "2 kg + 200 g + 200 g");
    assert_non_null(strstr(s.instruction, "place 2400 g (2 kg + 200 g + 200 g; 2500 g asked, the set makes this)"));
    assert_int_equal(proc_step_get(p, nth(p, PROC_WEIGHING, 0), &s), SC_OK);
    assert_int_equal(s.load_ug, G(200));
    proc_free(p);
    /* Without the 10 kg weight the set cannot reach Max: refused, saying so. */
    static const int64_t small[] = {KG(5), KG(2), KG(2), KG(1), G(500), G(200), G(200), G(100)};
    cfg = market_scale(small, sizeof small / sizeof small[0]);
    assert_int_equal(proc_new(&cfg, &p), SC_ERR_RANGE);
    assert_null(p);
    assert_non_null(strstr(sc_error_message(), "cannot make a load for the pre-load test (Max)"));
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
    int zero = nth(p, PROC_ZERO, 0);
    run_to(p, zero, err_good);
    struct proc_reading r = {.added_ug = G(2.5)};
    assert_int_equal(proc_feed(p, &r, NULL), SC_ERR_AGAIN);
    r.stable = 1;
    r.added_ug = PROC_DIRECT; /* the display is e: no direct method */
    assert_int_equal(proc_feed(p, &r, NULL), SC_ERR_ARG);
    r.added_ug = G(6); /* more than e */
    assert_int_equal(proc_feed(p, &r, NULL), SC_ERR_ARG);
    r.added_ug = 0;
    r.answer = PROC_YES; /* a reading step takes no answer */
    assert_int_equal(proc_feed(p, &r, NULL), SC_ERR_ARG);
    r.answer = 0;
    assert_int_equal(proc_done(p), zero);
    /* Zero error at ±¼ e passes, beyond fails. */
    r.added_ug = G(1.25); /* E0 = 0 + 2.5 − 1.25 = +1.25 g */
    struct proc_result res;
    assert_int_equal(proc_feed(p, &r, &res), SC_OK);
    assert_true(res.pass);
    assert_int_equal(res.error_ug, G(1.25));
    proc_free(p);
    assert_int_equal(proc_new(&cfg, &p), SC_OK);
    run_to(p, zero, err_good);
    r.added_ug = G(1.25) - 1;
    assert_int_equal(proc_feed(p, &r, &res), SC_OK);
    assert_false(res.pass);
    struct proc_verdict v;
    assert_int_equal(proc_verdict_get(p, &v), SC_OK);
    assert_int_equal(v.outcome, PROC_FAIL);
    assert_non_null(strstr(v.reason, "procedure not finished"));
    proc_free(p);
    /* A test mode at 1 g (0.2 e) takes direct readings, given to 1 g. */
    cfg.resolution_ug = G(1);
    assert_int_equal(proc_new(&cfg, &p), SC_OK);
    run_to(p, zero, err_good);
    r.indication_ug = 0;
    r.added_ug = PROC_DIRECT;
    r.digit_ug = G(1);
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
    /* Take 17 readings and answers, save, "lose the battery", resume, finish. */
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
    assert_non_null(strstr(text, "stallcheck-procedure 2\nclass III\n"));
    assert_non_null(strstr(text, "\nkind subsequent\n"));
    assert_non_null(strstr(text, "\nweight-class M1\n"));
    assert_non_null(strstr(text, "\nregulation JJG 539-2016\n"));
    assert_non_null(strstr(text, "\nanswer 0 yes\n"));
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
        "", "stallcheck-procedure 3\n", "stallcheck-procedure 2\nclass III\n",
        "stallcheck-procedure 2\nclass IX\n", "stallcheck-procedure 2\nmax -5\n",
        "stallcheck-procedure 2\ncolour blue\n", "stallcheck-procedure 2\nclass III\nclass III\n",
        "stallcheck-procedure 2\nweight-class M4\n", "stallcheck-procedure 2\nkind second\n",
        "stallcheck-procedure 2\nregulation JJG 1-2000\n", "stallcheck-procedure 2\nzero-tracking 2\n",
        /* a state saved before the weight class and the general check */
        "stallcheck-procedure 1\nclass III\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(proc_load(bad[i], cfg.today, &c), SC_ERR_PARSE);
        assert_null(c);
        assert_non_null(strstr(sc_error_message(), "procedure state, line"));
    }
    /* A reading out of order. */
    char *hacked = malloc(strlen(text) + 64);
    strcpy(hacked, text);
    char *r5 = strstr(hacked, "answer 5 ");
    assert_non_null(r5);
    r5[7] = '6';
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
    cfg.weight_class = R111_F1; /* M1 would not be within 1/3 of its MPE */
    struct proc *p;
    assert_int_equal(proc_new(&cfg, &p), SC_OK);
    struct proc_step s;
    for (int i = 0; i < proc_total(p); i++) {
        assert_int_equal(proc_step_get(p, i, &s), SC_OK);
        assert_int_not_equal(s.test, PROC_DISCRIMINATION);
    }
    assert_int_equal(proc_step_get(p, nth(p, PROC_WEIGHING, 0), &s), SC_OK);
    assert_int_equal(s.load_ug, G(0.02)); /* Min = 20 d */
    run_to(p, nth(p, PROC_ZERO, 0), err_good);
    assert_int_equal(proc_current(p, &s), 1);
    assert_non_null(strstr(s.instruction, "test mode"));
    struct proc_reading r = {.indication_ug = G(0.001), .added_ug = PROC_DIRECT, .stable = 1};
    assert_int_equal(proc_feed(p, &r, NULL), SC_ERR_ARG); /* digits not known */
    r.digit_ug = G(0.001);
    struct proc_result res;
    assert_int_equal(proc_feed(p, &r, &res), SC_OK);
    assert_int_equal(res.error_ug, G(0.001));
    assert_true(res.pass); /* ±¼ e = 2.5 mg */
    proc_free(p);
}


/* ---- the rules a signed certificate rests on ---------------------------- */

/* A scale with a true error of +6 g at 10 kg (MPE ±5 g), still showing
 * whole 5 g steps while a 0.5 g test mode was declared: read "directly", the
 * 10 kg reading 10005 g gives Ec +5 g and the scale passed.  The reading
 * came with 1 g digits (as the driver reports "10005"), coarser than the
 * 0.5 g declared: refused.  Read by the error-point method, it fails. */
static int64_t err_six_at_10kg(const struct proc_step *s)
{
    return s->load_ug - s->tare_ug == KG(10) && !s->answer_step ? G(6) : 0;
}

static void direct_readings_need_the_declared_digits(void **state)
{
    (void)state;
    struct proc_config cfg = market_scale(m1_set, sizeof m1_set / sizeof m1_set[0]);
    cfg.resolution_ug = G(0.5);
    struct proc *p;
    assert_int_equal(proc_new(&cfg, &p), SC_OK);
    run_to(p, nth(p, PROC_ZERO, 0), err_six_at_10kg);
    /* Whole e shown: zero reads 0 g, "0" from the driver: 1 g digits. */
    struct proc_reading r = {.indication_ug = 0, .added_ug = PROC_DIRECT, .stable = 1, .digit_ug = G(1)};
    assert_int_equal(proc_feed(p, &r, NULL), SC_ERR_ARG);
    assert_non_null(strstr(sc_error_message(), "came with 1 g digits, coarser than the 0.5 g interval"));
    assert_non_null(strstr(sc_error_message(), "not in its test mode"));
    /* Typed without its digits: refused too. */
    r.digit_ug = 0;
    assert_int_equal(proc_feed(p, &r, NULL), SC_ERR_ARG);
    assert_non_null(strstr(sc_error_message(), "without its digits"));
    /* The error-point method on the same scale: not a direct reading at all,
     * and the truth comes out at 10 kg. */
    r.added_ug = G(0.25);
    r.digit_ug = G(1);
    assert_int_equal(proc_feed(p, &r, NULL), SC_ERR_ARG); /* still declared 0.5 g */
    proc_free(p);
    cfg.resolution_ug = 0;
    assert_int_equal(proc_new(&cfg, &p), SC_OK);
    struct proc_verdict v = run(p, err_six_at_10kg);
    assert_int_equal(v.outcome, PROC_FAIL);
    assert_non_null(strstr(v.reason, "weighing 10000 g: Ec = +6 g exceeds MPE \xc2\xb1" "5 g"));
    proc_free(p);
    /* A real test mode at 0.5 g, its readings given to 0.1 g, finds it too. */
    cfg.resolution_ug = G(0.5);
    assert_int_equal(proc_new(&cfg, &p), SC_OK);
    struct proc_step st;
    while (proc_current(p, &st) == 1) {
        struct proc_reading d = simulate(&st, err_six_at_10kg, G(5));
        if (!st.answer_step && st.test != PROC_DISCRIMINATION) {
            int64_t shown = st.test == PROC_TARE ? st.net_ug : st.load_ug;
            d.indication_ug = shown + err_six_at_10kg(&st);
            d.added_ug = PROC_DIRECT;
            d.digit_ug = G(0.1);
        }
        assert_int_equal(proc_feed(p, &d, NULL), SC_OK);
    }
    assert_int_equal(proc_verdict_get(p, &v), SC_OK);
    assert_int_equal(v.outcome, PROC_FAIL);
    assert_non_null(strstr(v.reason, "weighing 10000 g: Ec = +6 g"));
    proc_free(p);
    /* The digit of what a driver or a person gave. */
    int64_t dg;
    assert_int_equal(proc_digit_of("10005", MASS_G, &dg), SC_OK);
    assert_int_equal(dg, G(1));
    assert_int_equal(proc_digit_of("10005.0", MASS_G, &dg), SC_OK);
    assert_int_equal(dg, G(0.1));
    assert_int_equal(proc_digit_of(" -10.005 ", MASS_KG, &dg), SC_OK);
    assert_int_equal(dg, G(1));
    assert_int_equal(proc_digit_of("1e3", MASS_G, &dg), SC_ERR_PARSE);
    assert_int_equal(proc_digit_of("0.0000001", MASS_G, &dg), SC_ERR_PARSE);
}

/* R76-1 3.7.1: an M3 set on a class III 15 kg scale: at 2 500 g its 2 kg +
 * 500 g weights (±1.25 g together) exceed 1/3 of ±2.5 g; and its 5 kg
 * weight (±2.5 g) is above 1/3 of ±5 g at 5 kg.  Refused, naming the load
 * and the class that would do; M2 and M1 are accepted. */
static void weights_within_a_third_of_the_mpe(void **state)
{
    (void)state;
    struct proc_config cfg = market_scale(m1_set, sizeof m1_set / sizeof m1_set[0]);
    struct proc *p;
    cfg.weight_class = R111_M3;
    assert_int_equal(proc_new(&cfg, &p), SC_ERR_RANGE);
    assert_null(p);
    const char *m = sc_error_message();
    assert_non_null(strstr(m, "'M1-2026-017' (class M3) is not accurate enough for the weighing test at 2500 g"));
    assert_non_null(strstr(m, "add up to \xc2\xb1" "1.25 g, more than 1/3 of the scale's MPE \xc2\xb1" "2.5 g"));
    assert_non_null(strstr(m, "R76-1 3.7.1"));
    assert_non_null(strstr(m, "use class M2 or better"));
    cfg.weight_class = R111_M2;
    assert_int_equal(proc_new(&cfg, &p), SC_OK);
    proc_free(p);
    /* The eccentricity load alone: 5 kg, M3 ±2.5 g > ±5 g / 3. */
    static const int64_t five[] = {KG(10), KG(5), KG(2), KG(2), KG(1), G(500), G(200), G(200),
                                   G(100), G(50), G(20), G(20), G(10)};
    cfg = market_scale(five, sizeof five / sizeof five[0]);
    cfg.weight_class = R111_M3;
    assert_int_equal(proc_new(&cfg, &p), SC_ERR_RANGE);
    cfg.weight_class = R111_NONE; /* not declared */
    assert_int_equal(proc_new(&cfg, &p), SC_ERR_ARG);
    assert_non_null(strstr(sc_error_message(), "OIML R111 class"));
    /* A weight that is not an R111 nominal value cannot be judged. */
    static const int64_t odd[] = {KG(10), KG(5), G(2500), KG(2), KG(1), G(500), G(200), G(200), G(100)};
    cfg = market_scale(odd, sizeof odd / sizeof odd[0]);
    if (proc_new(&cfg, &p) == SC_OK) {
        /* only when the 2 500 g weight is never used */
        proc_free(p);
    } else {
        assert_non_null(strstr(sc_error_message(), "not a nominal value of OIML R111"));
    }
}

/* JJG 539-2016's general technical check, levelling and the pre-load come
 * before any reading; a failed item fails the scale and is printed. */
static void general_check_levelling_and_preload_first(void **state)
{
    (void)state;
    struct proc_config cfg = market_scale(m1_set, sizeof m1_set / sizeof m1_set[0]);
    struct proc *p;
    assert_int_equal(proc_new(&cfg, &p), SC_OK);
    static const char *const items[] = {"appearance", "markings", "security", "no-cheating"};
    struct proc_step s;
    for (int i = 0; i < 4; i++) {
        assert_int_equal(proc_step_get(p, i, &s), SC_OK);
        assert_int_equal(s.test, PROC_GENERAL);
        assert_true(s.answer_step);
        assert_string_equal(s.item, items[i]);
        assert_non_null(strstr(s.instruction, "JJG 539-2016"));
    }
    assert_int_equal(proc_step_get(p, 4, &s), SC_OK);
    assert_int_equal(s.test, PROC_LEVELLING);
    assert_int_equal(proc_step_get(p, 5, &s), SC_OK);
    assert_int_equal(s.test, PROC_PRELOAD);
    assert_int_equal(s.load_ug, KG(15));
    assert_non_null(strstr(s.instruction, "15000 g (10 kg + 5 kg)"));
    assert_int_equal(proc_step_get(p, 6, &s), SC_OK);
    assert_int_equal(s.test, PROC_ZERO);
    /* A reading where an answer is due is refused. */
    struct proc_reading r = {.indication_ug = 0, .stable = 1};
    assert_int_equal(proc_feed(p, &r, NULL), SC_ERR_ARG);
    r.answer = PROC_YES;
    struct proc_result res;
    assert_int_equal(proc_feed(p, &r, &res), SC_OK);
    assert_true(res.pass);
    assert_int_equal(proc_feed(p, &r, &res), SC_OK);
    r.answer = PROC_NO; /* the seal is broken */
    strcpy(r.text, "seal 3 broken");
    assert_int_equal(proc_feed(p, &r, &res), SC_OK);
    assert_false(res.pass);
    assert_non_null(strstr(res.reason, "general check: security fails [seal 3 broken]"));
    struct proc_verdict v;
    assert_int_equal(proc_verdict_get(p, &v), SC_OK);
    assert_int_equal(v.outcome, PROC_FAIL);
    assert_int_equal(v.failed_test, PROC_GENERAL);
    /* Kept across a save and a load, with its text. */
    char text[8192];
    assert_true(proc_save(p, text, sizeof text) > 0);
    assert_non_null(strstr(text, "\nanswer 2 no seal 3 broken\n"));
    struct proc *q;
    assert_int_equal(proc_load(text, cfg.today, &q), SC_OK);
    assert_int_equal(proc_result_get(q, 2, &res), SC_OK);
    assert_string_equal(res.text, "seal 3 broken");
    assert_false(res.pass);
    proc_free(q);
    /* The pre-load cannot be answered "not done". */
    r.answer = PROC_YES;
    r.text[0] = '\0';
    assert_int_equal(proc_feed(p, &r, NULL), SC_OK); /* no-cheating */
    assert_int_equal(proc_feed(p, &r, NULL), SC_OK); /* levelled */
    r.answer = PROC_NO;
    assert_int_equal(proc_feed(p, &r, NULL), SC_ERR_ARG);
    assert_non_null(strstr(sc_error_message(), "R76-1 A.4.3"));
    r.answer = 7;
    assert_int_equal(proc_feed(p, &r, NULL), SC_ERR_ARG);
    r.answer = PROC_YES;
    strcpy(r.text, "bad\nline");
    assert_int_equal(proc_feed(p, &r, NULL), SC_ERR_ARG);
    proc_free(p);
}

/* Automatic zero-tracking follows small weights at zero: E0 is found at
 * about 10 e (R76-1 A.4.2.3.2).  The worked example of JJG 539's zero error
 * with zero-tracking: e = 5 g, 50 g placed, I = 50 g, 2 g of 0.5 g weights
 * until 55 g: P = 50 + 2.5 − 2 = 50.5 g, E0 = +0.5 g. */
static void zero_tracking_e0_near_10e(void **state)
{
    (void)state;
    struct proc_config cfg = market_scale(m1_set, sizeof m1_set / sizeof m1_set[0]);
    cfg.zero_tracking = 1;
    struct proc *p;
    assert_int_equal(proc_new(&cfg, &p), SC_OK);
    int zero = nth(p, PROC_ZERO, 0);
    struct proc_step s;
    assert_int_equal(proc_step_get(p, zero, &s), SC_OK);
    assert_int_equal(s.load_ug, G(50));
    assert_string_equal(s.weights, "50 g");
    assert_non_null(strstr(s.instruction, "out of its zero-tracking range"));
    /* The return to zero and the tare's net zero are taken there too. */
    int last_weighing = nth(p, PROC_WEIGHING, 9);
    assert_int_equal(proc_step_get(p, last_weighing, &s), SC_OK);
    assert_true(s.zero_return);
    assert_int_equal(s.load_ug, G(50));
    assert_int_equal(proc_step_get(p, nth(p, PROC_TARE, 0), &s), SC_OK);
    assert_int_equal(s.net_ug, G(50));
    run_to(p, zero, err_good);
    struct proc_reading r = {.indication_ug = G(50), .added_ug = G(2), .stable = 1};
    struct proc_result res;
    assert_int_equal(proc_feed(p, &r, &res), SC_OK);
    assert_int_equal(res.error_ug, G(0.5));
    assert_true(res.pass);
    proc_free(p);
    /* Saved and loaded with it. */
    assert_int_equal(proc_new(&cfg, &p), SC_OK);
    char text[4096];
    assert_true(proc_save(p, text, sizeof text) > 0);
    assert_non_null(strstr(text, "\nzero-tracking 1\n"));
    struct proc *q;
    assert_int_equal(proc_load(text, cfg.today, &q), SC_OK);
    assert_int_equal(proc_step_get(q, zero, &s), SC_OK);
    assert_int_equal(s.load_ug, G(50));
    proc_free(q);
    proc_free(p);
}

/* The usual kit (with its 10 kg) on 6 kg and 3 kg scales: the weights
 * above Max stay aside and the others make every load. */
static int64_t err_none(const struct proc_step *s)
{
    (void)s;
    return 0;
}

static void kit_heavier_than_max(void **state)
{
    (void)state;
    static const struct {
        int64_t max, min, e;
    } scales[] = {{KG(6), G(40), G(2)}, {KG(3), G(20), G(1)}};
    for (size_t k = 0; k < 2; k++) {
        struct proc_config cfg = market_scale(m1_set, sizeof m1_set / sizeof m1_set[0]);
        r76_instrument_single(&cfg.instrument, R76_CLASS_III, scales[k].max, scales[k].min, scales[k].e, 0);
        struct proc *p;
        if (proc_new(&cfg, &p) != SC_OK)
            fail_msg("Max %lld: %s", (long long)scales[k].max, sc_error_message());
        struct proc_step s;
        for (int i = 0; i < proc_total(p); i++) {
            assert_int_equal(proc_step_get(p, i, &s), SC_OK);
            assert_true(s.load_ug <= scales[k].max);
            assert_null(strstr(s.weights, "10 kg"));
        }
        assert_int_equal(proc_step_get(p, nth(p, PROC_PRELOAD, 0), &s), SC_OK);
        assert_int_equal(s.load_ug, scales[k].max);
        struct proc_verdict v = run(p, err_none);
        if (v.outcome != PROC_PASS)
            fail_msg("Max %lld: %s", (long long)scales[k].max, v.reason);
        proc_free(p);
    }
    /* A set with nothing below Max is refused, saying so. */
    static const int64_t heavy[] = {KG(20), KG(50)};
    struct proc_config cfg = market_scale(heavy, 2);
    struct proc *p;
    assert_int_equal(proc_new(&cfg, &p), SC_ERR_RANGE);
    assert_non_null(strstr(sc_error_message(), "heavier than Max"));
}

/* R76-1 A.4.4.1: the weighing test ends back at zero, judged as a load of
 * 0 (±½ e); a scale that does not come back by +3 g fails there. */
static int64_t err_no_return(const struct proc_step *s)
{
    return s->zero_return ? G(3) : 0;
}

static void weighing_ends_back_at_zero(void **state)
{
    (void)state;
    struct proc_config cfg = market_scale(m1_set, sizeof m1_set / sizeof m1_set[0]);
    struct proc *p;
    assert_int_equal(proc_new(&cfg, &p), SC_OK);
    struct proc_step s;
    assert_int_equal(proc_step_get(p, nth(p, PROC_WEIGHING, 9), &s), SC_OK);
    assert_true(s.zero_return);
    assert_true(s.unloading);
    assert_int_equal(s.load_ug, 0);
    assert_int_equal(s.k, 10);
    assert_int_equal(s.of, 10);
    assert_non_null(strstr(s.instruction, "back to zero"));
    struct proc_verdict v = run(p, err_no_return);
    assert_int_equal(v.outcome, PROC_FAIL);
    assert_int_equal(v.failed_test, PROC_WEIGHING);
    assert_non_null(strstr(v.reason, "weighing 0 g: Ec = +3 g exceeds MPE \xc2\xb1" "2.5 g"));
    proc_free(p);
}

/* Eccentricity: the centre first, then the four quarters (R76-1 A.4.7;
 * JJG 539's positions 1 to 5); with more than 4 support points, each. */
static int64_t err_off_centre(const struct proc_step *s)
{
    return s->test == PROC_ECCENTRICITY && s->centre ? G(6) : 0;
}

static void eccentricity_at_the_centre_too(void **state)
{
    (void)state;
    struct proc_config cfg = market_scale(m1_set, sizeof m1_set / sizeof m1_set[0]);
    struct proc *p;
    assert_int_equal(proc_new(&cfg, &p), SC_OK);
    struct proc_step s;
    int first = nth(p, PROC_ECCENTRICITY, 0);
    assert_int_equal(proc_step_get(p, first, &s), SC_OK);
    assert_true(s.centre);
    assert_int_equal(s.segment, 0);
    assert_int_equal(s.k, 1);
    assert_int_equal(s.of, 5);
    assert_non_null(strstr(s.instruction, "Eccentricity 1/5: place 5000 g (5 kg) at the centre"));
    assert_int_equal(proc_step_get(p, first + 4, &s), SC_OK);
    assert_int_equal(s.segment, 4);
    assert_false(s.centre);
    struct proc_verdict v = run(p, err_off_centre);
    assert_int_equal(v.outcome, PROC_FAIL);
    assert_int_equal(v.failed_test, PROC_ECCENTRICITY);
    proc_free(p);
    cfg.segments = 6; /* 6 support points: Max / 5 on each, no centre */
    assert_int_equal(proc_new(&cfg, &p), SC_OK);
    assert_int_equal(proc_step_get(p, nth(p, PROC_ECCENTRICITY, 0), &s), SC_OK);
    assert_false(s.centre);
    assert_int_equal(s.segment, 1);
    assert_int_equal(s.of, 6);
    proc_free(p);
}

/* First verification, subsequent verification, in-service inspection. */
static void kinds_of_verification(void **state)
{
    (void)state;
    struct proc_config cfg = market_scale(m1_set, sizeof m1_set / sizeof m1_set[0]);
    cfg.kind = PROC_FIRST;
    struct proc *p;
    assert_int_equal(proc_new(&cfg, &p), SC_OK);
    char text[4096];
    assert_true(proc_save(p, text, sizeof text) > 0);
    assert_non_null(strstr(text, "\nkind first\n"));
    proc_free(p);
    cfg.kind = PROC_IN_SERVICE; /* without the in-service MPE: refused */
    assert_int_equal(proc_new(&cfg, &p), SC_ERR_ARG);
    cfg.stage = R76_IN_SERVICE;
    assert_int_equal(proc_new(&cfg, &p), SC_OK);
    proc_free(p);
    cfg.kind = PROC_SUBSEQUENT;
    assert_int_equal(proc_new(&cfg, &p), SC_ERR_ARG);
    enum proc_kind k;
    assert_int_equal(proc_kind_parse("in-service", &k), SC_OK);
    assert_int_equal(k, PROC_IN_SERVICE);
    assert_string_equal(proc_kind_name(PROC_FIRST), "first");
    assert_int_equal(proc_kind_parse("second", &k), SC_ERR_PARSE);
}

/* A price-computing scale verified on or after 2027-01-08 follows
 * JJG 1204-2025: its clause 6 check (with the software identification
 * recorded) and the price test; before that day, and for any other scale,
 * JJG 539-2016. */
static void price_computing_scale(void **state)
{
    (void)state;
    struct proc_config cfg = market_scale(m1_set, sizeof m1_set / sizeof m1_set[0]);
    cfg.price_computing = 1;
    cfg.today = day_from_ymd(2027, 1, 7);
    struct proc *p;
    assert_int_equal(proc_new(&cfg, &p), SC_OK);
    assert_string_equal(proc_regulation(p)->code, "JJG 539-2016");
    proc_free(p);
    assert_string_equal(proc_regulation_for(1, day_from_ymd(2027, 1, 8))->code, "JJG 1204-2025");
    assert_string_equal(proc_regulation_for(0, day_from_ymd(2027, 1, 8))->code, "JJG 539-2016");
    assert_string_equal(proc_regulation_for(1, day_from_ymd(2027, 1, 8))->title_zh, "电子计价秤检定规程");
    cfg.today = day_from_ymd(2027, 1, 8);
    assert_int_equal(proc_new(&cfg, &p), SC_OK);
    assert_string_equal(proc_regulation(p)->code, "JJG 1204-2025");
    struct proc_step s;
    static const char *const items[] = {"type-approval", "identity", "software", "self-lock", "security",
                                        "markings"};
    for (int i = 0; i < 6; i++) {
        assert_int_equal(proc_step_get(p, i, &s), SC_OK);
        assert_int_equal(s.test, PROC_GENERAL);
        assert_string_equal(s.item, items[i]);
        assert_int_equal(s.needs_text, i == 2);
    }
    assert_non_null(strstr(s.instruction, "JJG 1204-2025 6.13"));
    /* The software identification must be typed in when it passes. */
    struct proc_reading r = {.answer = PROC_YES, .stable = 1};
    assert_int_equal(proc_feed(p, &r, NULL), SC_OK);
    assert_int_equal(proc_feed(p, &r, NULL), SC_OK);
    assert_int_equal(proc_feed(p, &r, NULL), SC_ERR_ARG);
    assert_non_null(strstr(sc_error_message(), "software identification"));
    strcpy(r.text, "V2.01 CRC 9C1E");
    struct proc_result res;
    assert_int_equal(proc_feed(p, &r, &res), SC_OK);
    assert_string_equal(res.text, "V2.01 CRC 9C1E");
    /* The price test: at 7 500 g and 15 kg, 12.34 yuan/kg. */
    int price = nth(p, PROC_PRICE, 0);
    assert_int_equal(proc_step_get(p, price, &s), SC_OK);
    assert_int_equal(s.load_ug, G(7500));
    assert_int_equal(s.unit_price_fen, 1234);
    assert_non_null(strstr(s.instruction, "key in the unit price 12.34 yuan/kg"));
    run_to(p, price, err_good);
    struct proc_reading pr = {.indication_ug = G(7500), .amount_fen = 9256, .stable = 1};
    assert_int_equal(proc_feed(p, &pr, &res), SC_OK);
    assert_false(res.pass);
    assert_int_equal(res.expected_fen, 9255); /* 7.5 kg x 12.34 = 92.55 */
    assert_non_null(strstr(res.reason, "shows 92.56 yuan, should be 92.55 yuan"));
    pr.indication_ug = KG(15);
    pr.amount_fen = 18510;
    assert_int_equal(proc_feed(p, &pr, &res), SC_OK);
    assert_true(res.pass);
    struct proc_verdict v;
    assert_int_equal(proc_verdict_get(p, &v), SC_OK);
    assert_int_equal(v.outcome, PROC_FAIL);
    assert_int_equal(v.failed_test, PROC_PRICE);
    assert_string_equal(v.regulation->code, "JJG 1204-2025");
    /* The state keeps the regulation it started under: resumed a year
     * later it is still JJG 1204-2025, and the price readings replay. */
    char text[8192];
    assert_true(proc_save(p, text, sizeof text) > 0);
    assert_non_null(strstr(text, "\nprice-computing 1\n"));
    assert_non_null(strstr(text, "\nanswer 2 yes V2.01 CRC 9C1E\n"));
    assert_non_null(strstr(text, "\nprice "));
    struct proc *q;
    assert_int_equal(proc_load(text, day_from_ymd(2027, 3, 1), &q), SC_OK);
    assert_int_equal(proc_done(q), proc_done(p));
    assert_string_equal(proc_regulation(q)->code, "JJG 1204-2025");
    proc_free(q);
    proc_free(p);
    /* Rounding to the nearest 分, halves up: 7.5 kg at 0.01 yuan/kg is
     * 7.5 分, shown 8 分. */
    cfg.unit_price_fen = 1;
    assert_int_equal(proc_new(&cfg, &p), SC_OK);
    run_to(p, nth(p, PROC_PRICE, 0), err_good);
    pr.indication_ug = G(7500);
    pr.amount_fen = 8;
    assert_int_equal(proc_feed(p, &pr, &res), SC_OK);
    assert_true(res.pass);
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
        cmocka_unit_test(direct_readings_need_the_declared_digits),
        cmocka_unit_test(weights_within_a_third_of_the_mpe),
        cmocka_unit_test(general_check_levelling_and_preload_first),
        cmocka_unit_test(zero_tracking_e0_near_10e),
        cmocka_unit_test(kit_heavier_than_max),
        cmocka_unit_test(weighing_ends_back_at_zero),
        cmocka_unit_test(eccentricity_at_the_centre_too),
        cmocka_unit_test(kinds_of_verification),
        cmocka_unit_test(price_computing_scale),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
