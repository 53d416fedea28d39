/* A whole verification (core/procedure.h) run against the simulated scale's
 * physics (devices/sim_scale.h) with each profile of tests/data: the scale
 * that passes passes, and the others fail on the test they were made to
 * fail (at Max, eccentricity, repeatability).  No pty, no clock: the
 * scale is read after it settles, as an operator waits for the stable
 * sign. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/error.h"
#include "core/mass.h"
#include "core/procedure.h"
#include "devices/sim_scale.h"

#define G MASS_G
#define KG MASS_KG

static void load_profile(const char *name, struct sim_profile *p)
{
    const char *top = getenv("STALLCHECK_TOP");
    char path[512];
    snprintf(path, sizeof path, "%s/tests/data/%s", top ? top : ".", name);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    static char text[8192];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    assert_int_equal(sim_profile_parse(text, p), 0);
}

/* Runs every step the way tests/e2e/verify.sh's operator does. */
static void run(const char *profile, struct proc_verdict *v, int stop_at_failure)
{
    struct sim_profile prof;
    load_profile(profile, &prof);
    struct sim_scale s;
    sim_scale_init(&s, 5 * G, 15 * KG, 1);
    sim_scale_set_profile(&s, &prof);
    s.settle_ms = 100;

    struct proc_config cfg;
    memset(&cfg, 0, sizeof cfg);
    r76_instrument_single(&cfg.instrument, R76_CLASS_III, 15 * KG, 100 * G, 5 * G, 0);
    day_t today = day_from_ymd(2026, 11, 25);
    assert_int_equal(reference_init(&cfg.reference, REFERENCE_WEIGHTS, "W-2026", today + 100, 0), 0);
    const int64_t set[] = {10 * KG, 5 * KG, 5 * KG, 2 * KG, 2 * KG, 1 * KG, 500 * G,
                           200 * G, 200 * G, 100 * G, 50 * G, 20 * G, 20 * G, 10 * G};
    for (size_t i = 0; i < sizeof set / sizeof set[0]; i++)
        cfg.weights_ug[cfg.n_weights++] = set[i];
    cfg.today = today;
    cfg.resolution_ug = prof.test_d_ug; /* the test mode: readings taken directly */
    cfg.weight_class = R111_M1;
    struct proc *p;
    assert_int_equal(proc_new(&cfg, &p), 0);

    int64_t t = 0, I = 0;
    struct sim_weight w;
    struct proc_step st;
    enum proc_test last = PROC_ZERO;
#define PUT(load) (sim_scale_load(&s, (load), t), t += 1000, sim_scale_read(&s, t, &w))
    while (proc_current(p, &st) == 1) {
        if (st.answer_step) { /* the general check, levelling, pre-load: all in order */
            struct proc_reading yes = {.answer = PROC_YES, .stable = 1};
            assert_int_equal(proc_feed(p, &yes, NULL), 0);
            continue;
        }
        if (last == PROC_TARE && st.test != PROC_TARE)
            sim_scale_tare_clear(&s);
        if (st.segment != s.segment)
            sim_scale_position(&s, st.segment, t);
        if (st.test == PROC_REPEATABILITY)
            PUT(0); /* off and on again: a new placing */
        int64_t load = st.load_ug;
        if (st.test == PROC_DISCRIMINATION) {
            sim_scale_test_mode(&s, 0); /* the normal display (R76-1 A.4.8.2) */
            if (!st.after_extra) {
                PUT(load + 10 * 500 * 1000); /* ten 0.1 d weights */
                I = w.gross_ug;
            } else {
                int64_t extra = 5 * G;
                while (extra > 0) {
                    extra -= 500 * 1000;
                    PUT(load + extra);
                    if (w.gross_ug <= I - 5 * G)
                        break;
                }
                PUT(load + extra + 500 * 1000 + 7 * G); /* one back, then 1.4 d */
            }
        } else {
            PUT(load);
            if (st.test == PROC_TARE && st.k == 1) {
                assert_true(sim_scale_tare(&s, t));
                sim_scale_read(&s, t, &w);
            }
        }
        assert_true(w.stable);
        /* The simulated scale shows its test mode's d (the discrimination
         * test, the normal e). */
        struct proc_reading r = {.indication_ug = w.net ? w.net_ug : w.gross_ug,
                                 .added_ug = PROC_DIRECT, .stable = 1,
                                 .digit_ug = st.test == PROC_DISCRIMINATION ? 5 * G : prof.test_d_ug};
        struct proc_result res;
        if (proc_feed(p, &r, &res) != 0)
            fail_msg("%s: %s", st.instruction, sc_error_message());
        last = st.test;
        if (!res.pass && stop_at_failure)
            break;
    }
#undef PUT
    assert_int_equal(proc_verdict_get(p, v), 0);
    proc_free(p);
}

static void the_good_scale_passes(void **state)
{
    (void)state;
    struct proc_verdict v;
    run("scale-pass.profile", &v, 0);
    assert_int_equal(v.outcome, PROC_PASS);
    assert_int_equal(v.done, v.total);
    assert_int_equal(v.failures, 0);
}

static void fails_at_max(void **state)
{
    (void)state;
    struct proc_verdict v;
    run("scale-fail-max.profile", &v, 1);
    assert_int_equal(v.outcome, PROC_FAIL);
    assert_int_equal(v.failed_test, PROC_WEIGHING);
    assert_non_null(strstr(v.reason, "weighing 15000 g"));
}

static void fails_on_eccentricity(void **state)
{
    (void)state;
    struct proc_verdict v;
    run("scale-fail-eccentricity.profile", &v, 0);
    assert_int_equal(v.outcome, PROC_FAIL);
    assert_int_equal(v.failed_test, PROC_ECCENTRICITY);
    assert_non_null(strstr(v.reason, "segment 3"));
    assert_int_equal(v.failures, 1); /* only there */
}

static void fails_on_repeatability(void **state)
{
    (void)state;
    struct proc_verdict v;
    run("scale-fail-repeatability.profile", &v, 0);
    assert_int_equal(v.outcome, PROC_FAIL);
    assert_int_equal(v.failed_test, PROC_REPEATABILITY);
    assert_non_null(strstr(v.reason, "results differ by"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_good_scale_passes),
        cmocka_unit_test(fails_at_max),
        cmocka_unit_test(fails_on_eccentricity),
        cmocka_unit_test(fails_on_repeatability),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
