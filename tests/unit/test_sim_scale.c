/* The simulated scale's model: settling, noise, overload, zero and tare. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/mass.h"
#include "devices/sim_scale.h"

static void settles_to_the_load(void **state)
{
    (void)state;
    struct sim_scale s;
    sim_scale_init(&s, 10 * MASS_MG, 6200 * MASS_G, 1);
    s.settle_ms = 1000;
    sim_scale_load(&s, 500 * MASS_G, 0);
    struct sim_weight w;
    sim_scale_read(&s, 100, &w);
    assert_false(w.stable);
    int swung_past = 0;
    for (int t = 0; t < 1000; t += 50) {
        sim_scale_read(&s, t, &w);
        swung_past |= w.gross_ug > 500 * MASS_G;
        assert_false(w.stable);
    }
    assert_true(swung_past); /* an overshooting approach */
    sim_scale_read(&s, 1000, &w);
    assert_true(w.stable);
    assert_int_equal(w.gross_ug, 500 * MASS_G);
    assert_int_equal(w.status, SIM_SCALE_OK);
}

static void rounds_to_d_with_noise(void **state)
{
    (void)state;
    struct sim_scale s;
    sim_scale_init(&s, 5 * MASS_G, 15000 * MASS_G, 42);
    s.noise_d = 2;
    sim_scale_load(&s, 1234 * MASS_G, -10000);
    int seen[5] = {0};
    for (int i = 0; i < 500; i++) {
        struct sim_weight w;
        sim_scale_read(&s, 0, &w);
        assert_int_equal(w.gross_ug % (5 * MASS_G), 0);
        int64_t k = (w.gross_ug - 1235 * MASS_G) / (5 * MASS_G); /* 1234 g shows as 1235 g */
        assert_true(k >= -2 && k <= 2);
        seen[k + 2] = 1;
    }
    for (int k = 0; k < 5; k++)
        assert_true(seen[k]);
}

static void overload_zero_tare(void **state)
{
    (void)state;
    struct sim_scale s;
    sim_scale_init(&s, MASS_G, 1000 * MASS_G, 1);
    s.settle_ms = 0;
    struct sim_weight w;
    sim_scale_load(&s, 1009 * MASS_G, 0);
    sim_scale_read(&s, 0, &w);
    assert_int_equal(w.status, SIM_SCALE_OK); /* Max + 9 d still shows */
    sim_scale_load(&s, 1010 * MASS_G, 0);
    sim_scale_read(&s, 0, &w);
    assert_int_equal(w.status, SIM_SCALE_OVERLOAD);
    /* zero-setting only within 4 % of Max */
    sim_scale_load(&s, 50 * MASS_G, 0);
    assert_false(sim_scale_zero(&s, 0));
    sim_scale_load(&s, 30 * MASS_G, 0);
    assert_true(sim_scale_zero(&s, 0));
    sim_scale_read(&s, 0, &w);
    assert_int_equal(w.gross_ug, 0);
    /* tare: net goes to zero, gross stays */
    sim_scale_load(&s, 230 * MASS_G, 0);
    assert_true(sim_scale_tare(&s, 0));
    sim_scale_load(&s, 330 * MASS_G, 0);
    sim_scale_read(&s, 0, &w);
    assert_true(w.net);
    assert_int_equal(w.gross_ug, 300 * MASS_G);
    assert_int_equal(w.net_ug, 100 * MASS_G);
    sim_scale_tare_clear(&s);
    sim_scale_read(&s, 0, &w);
    assert_false(w.net);
    /* no tare on a moving display */
    s.settle_ms = 500;
    sim_scale_load(&s, 400 * MASS_G, 0);
    assert_false(sim_scale_tare(&s, 10));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(settles_to_the_load),
        cmocka_unit_test(rounds_to_d_with_noise),
        cmocka_unit_test(overload_zero_tare),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
