/* devices/sim_scale: scale profiles (errors by load and segment, the
 * repeatability spread, the test mode), reproducible from the seed. */
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
#include "devices/sim_scale.h"

#define G MASS_G
#define KG MASS_KG

static const char *pass_text =
    "# comment\n"
    "max = 15kg\n d = 5g \ntest_d = 0.5g\nmode = test\nseed = 11\n"
    "error = 0:0 2500g:+0.5g 10kg:+1.5g 15kg:+2.5g\n"
    "segment_load = 5kg\nsegment.1 = +1.5g\nsegment.4 = -1.5g\nspread = 0\n";

static int64_t shown(struct sim_scale *s, int64_t load, int64_t *t)
{
    sim_scale_load(s, load, *t);
    *t += 10000; /* settled */
    struct sim_weight w;
    sim_scale_read(s, *t, &w);
    assert_true(w.stable);
    return w.gross_ug;
}

static void parses_and_errs_by_load_and_segment(void **state)
{
    (void)state;
    struct sim_profile p;
    assert_int_equal(sim_profile_parse(pass_text, &p), 0);
    assert_int_equal(p.max_ug, 15 * KG);
    assert_int_equal(p.n_points, 4);
    assert_int_equal(p.error_ug[3], 2500000);
    assert_int_equal(p.segment_ug[4], -1500000);
    struct sim_scale s;
    sim_scale_init(&s, 10000, 6 * KG, 1);
    sim_scale_set_profile(&s, &p);
    assert_int_equal(s.max_ug, 15 * KG);
    int64_t t = 0;
    /* test mode: 0.5 g display; linear between the points */
    assert_int_equal(shown(&s, 10 * KG, &t), 10 * KG + 1500000);
    assert_int_equal(shown(&s, 15 * KG, &t), 15 * KG + 2500000);
    /* 6 250 g: 0.5 + 1.0 x 3750/7500 = 1.0 g */
    assert_int_equal(shown(&s, 6250 * G, &t), 6250 * G + 1000000);
    /* the segment's error scales with the load: +1.5 g at 5 kg is +0.75 g at 2.5 kg */
    sim_scale_position(&s, 1, t);
    assert_int_equal(shown(&s, 5 * KG, &t), 5 * KG + 2500000); /* 0.83 + 1.5 rounded to 0.5 */
    sim_scale_position(&s, 0, t);
    /* the normal display rounds to d = 5 g */
    assert_true(sim_scale_test_mode(&s, 0));
    /* 15 002.5 g rounds up to 15 005; 14 997.499 g down to 14 995 */
    assert_int_equal(shown(&s, 15 * KG, &t), 15 * KG + 5 * G);
    assert_int_equal(shown(&s, 14995 * G, &t), 14995 * G);
}

static void spread_is_reproducible(void **state)
{
    (void)state;
    struct sim_profile p;
    assert_int_equal(sim_profile_parse("d = 5g\ntest_d = 0.5g\nmode = test\nseed = 14\n"
                                       "spread = 4g\n",
                                       &p),
                     0);
    int64_t a[10], b[10], lo = INT64_MAX, hi = INT64_MIN;
    for (int run = 0; run < 2; run++) {
        struct sim_scale s;
        sim_scale_init(&s, 5 * G, 15 * KG, 1);
        sim_scale_set_profile(&s, &p);
        int64_t t = 0;
        for (int i = 0; i < 10; i++) {
            (run ? b : a)[i] = shown(&s, 7500 * G, &t);
            assert_int_equal(shown(&s, 0, &t), 0); /* back to zero between */
        }
    }
    for (int i = 0; i < 10; i++) {
        assert_int_equal(a[i], b[i]);
        assert_true(a[i] >= 7496 * G && a[i] <= 7504 * G);
        lo = a[i] < lo ? a[i] : lo;
        hi = a[i] > hi ? a[i] : hi;
    }
    assert_true(hi - lo > 5 * G); /* more than the MPE at 7.5 kg: a failing scale */
}

static void refuses_bad_profiles(void **state)
{
    (void)state;
    struct sim_profile p;
    assert_int_equal(sim_profile_parse("max = 15\n", &p), SC_ERR_PARSE);
    assert_string_equal(sc_error_message(), "line 1: max = 15: want a mass with its unit");
    assert_int_equal(sim_profile_parse("d = 5g\nwobble = 1\n", &p), SC_ERR_PARSE);
    assert_non_null(strstr(sc_error_message(), "line 2: unknown key 'wobble'"));
    assert_int_equal(sim_profile_parse("error = 5kg:0 1kg:+1g\n", &p), SC_ERR_PARSE);
    assert_int_equal(sim_profile_parse("segment.9 = +1g\n", &p), SC_ERR_PARSE);
    assert_int_equal(sim_profile_parse("mode = test\n", &p), SC_ERR_PARSE);
    assert_int_equal(sim_profile_parse("no equals sign\n", &p), SC_ERR_PARSE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_and_errs_by_load_and_segment),
        cmocka_unit_test(spread_is_reproducible),
        cmocka_unit_test(refuses_bad_profiles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
