/* The cheating-scale (鬼秤) check: a clean scale, one switched by the
 * vendor's keys, one inconsistent within a phase, one out of tolerance, one
 * drifted from its verification; the protocol's completeness; the
 * reference's calibration and accuracy. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/day.h"
#include "core/error.h"
#include "core/ghost.h"
#include "core/mass.h"

#define G(x) ((int64_t)((x) * 1e6 + 0.5))
#define KG(x) ((int64_t)((x) * 1e9 + 0.5))

static const int64_t loads[3] = {G(500), G(2500), G(10000)};

static struct ghost_check base(void)
{
    struct ghost_check c;
    memset(&c, 0, sizeof c);
    r76_instrument_single(&c.instrument, R76_CLASS_III, KG(15), G(100), G(5), 0);
    if (reference_init(&c.reference, REFERENCE_WEIGHTS, "M1-2026-017", day_from_ymd(2027, 3, 31), 0) < 0)
        fail_msg("%s", sc_error_message());
    c.today = day_from_ymd(2026, 11, 25);
    return c;
}

/* Two rounds, both phases, the three loads; err(load, phase, round). */
static void script(struct ghost_check *c, int64_t (*err)(int, int, int))
{
    c->n_obs = 0;
    for (int round = 1; round <= 2; round++)
        for (int ph = 0; ph < 2; ph++)
            for (int l = 0; l < 3; l++)
                c->obs[c->n_obs++] = (struct ghost_obs){l, (enum ghost_phase)ph, round,
                                                        loads[l] + err(l, ph, round), loads[l]};
}

static int64_t honest(int l, int ph, int round)
{
    (void)l, (void)ph;
    return round == 1 ? 0 : G(5); /* within ±5 g in service at 500 g */
}

static int64_t key_switched(int l, int ph, int round)
{
    (void)round;
    return ph == GHOST_AFTER && l == 1 ? G(15) : 0; /* +15 g after the keys */
}

static int64_t jittery(int l, int ph, int round)
{
    (void)ph;
    return l == 2 && round == 2 ? G(10.000001) : 0; /* 10 g + 1 µg apart, MPE ±10 g */
}

static int64_t heavy(int l, int ph, int round)
{
    (void)ph, (void)round;
    return l == 0 ? G(5) + 1 : 0; /* 1 µg beyond ±5 g at 500 g */
}

static void clear_scale(void **state)
{
    (void)state;
    struct ghost_check c = base();
    script(&c, honest);
    struct ghost_verdict v;
    assert_int_equal(ghost_judge(&c, &v), SC_OK);
    assert_int_equal(v.outcome, GHOST_CLEAR);
    assert_int_equal(v.flags, 0);
    assert_int_equal(v.loads, 3);
    assert_int_equal(v.rounds, 2);
    assert_int_equal(v.worst_error_ug, G(5));
    assert_string_equal(v.reference_id, "M1-2026-017");
    assert_non_null(strstr(v.reason, "weight set M1-2026-017 valid until 2027-03-31"));
}

static void switched_by_keys(void **state)
{
    (void)state;
    struct ghost_check c = base();
    script(&c, key_switched);
    struct ghost_verdict v;
    assert_int_equal(ghost_judge(&c, &v), SC_OK);
    assert_int_equal(v.outcome, GHOST_SUSPECT);
    assert_true(v.flags & GHOST_SWITCHED);
    assert_false(v.flags & GHOST_INCONSISTENT);
    assert_true(v.flags & GHOST_OUT_OF_TOLERANCE); /* +15 g at 2.5 kg, MPE ±5 g */
    assert_non_null(strstr(v.reason, "at 2500 g its error changed after the vendor's key presses"));
    assert_non_null(strstr(v.reason, "the buyer is short"));
}

static void inconsistent_within_a_phase(void **state)
{
    (void)state;
    struct ghost_check c = base();
    script(&c, jittery);
    struct ghost_verdict v;
    assert_int_equal(ghost_judge(&c, &v), SC_OK);
    assert_int_equal(v.outcome, GHOST_SUSPECT);
    assert_int_equal(v.flags, GHOST_INCONSISTENT | GHOST_OUT_OF_TOLERANCE);
    assert_non_null(strstr(v.reason, "at 10000 g its readings disagree by 10.000001 g before"));
    /* Exactly at the MPE: consistent (and within tolerance). */
    for (size_t i = 0; i < c.n_obs; i++)
        if (c.obs[i].load == 2 && c.obs[i].round == 2)
            c.obs[i].stall_ug -= 1;
    assert_int_equal(ghost_judge(&c, &v), SC_OK);
    assert_int_equal(v.outcome, GHOST_CLEAR);
}

static void out_of_tolerance(void **state)
{
    (void)state;
    struct ghost_check c = base();
    script(&c, heavy);
    struct ghost_verdict v;
    assert_int_equal(ghost_judge(&c, &v), SC_OK);
    assert_int_equal(v.flags, GHOST_OUT_OF_TOLERANCE);
    assert_non_null(strstr(v.reason, "at 500 g the error in use +5.000001 g exceeds the in-service MPE"));
}

static void drifted_from_verification(void **state)
{
    (void)state;
    struct ghost_check c = base();
    script(&c, honest); /* errors 0 and +5 g at 500 g */
    c.has_verified[0] = 1;
    c.verified_error_ug[0] = -G(0.5); /* +5 g is 5.5 g away, verification MPE ±2.5 g */
    struct ghost_verdict v;
    assert_int_equal(ghost_judge(&c, &v), SC_OK);
    assert_int_equal(v.flags, GHOST_DRIFTED);
    assert_non_null(strstr(v.reason, "differs from its error at verification -0.5 g"));
    c.verified_error_ug[0] = G(2.5); /* 0 and +5 g are both 2.5 g away: at the limit */
    assert_int_equal(ghost_judge(&c, &v), SC_OK);
    assert_int_equal(v.outcome, GHOST_CLEAR);
}

static void incomplete_protocol(void **state)
{
    (void)state;
    struct ghost_check c = base();
    script(&c, honest);
    c.n_obs = 9; /* round 2 has no "after" */
    struct ghost_verdict v;
    assert_int_equal(ghost_judge(&c, &v), SC_OK);
    assert_int_equal(v.outcome, GHOST_INCOMPLETE);
    assert_int_equal(v.rounds, 1);
    assert_non_null(strstr(v.reason, "incomplete"));
    /* Evidence is evidence: a switch in one round still makes it suspect. */
    script(&c, key_switched);
    c.n_obs = 6;
    assert_int_equal(ghost_judge(&c, &v), SC_OK);
    assert_int_equal(v.outcome, GHOST_SUSPECT);
    int64_t sug[3];
    assert_int_equal(ghost_suggest_loads(&c.instrument, sug), 3);
    assert_int_equal(sug[0], G(500));
    assert_int_equal(sug[2], G(10000));
}

static void references(void **state)
{
    (void)state;
    struct ghost_check c = base();
    script(&c, honest);
    struct ghost_verdict v;
    c.today = day_from_ymd(2027, 4, 1);
    assert_int_equal(ghost_judge(&c, &v), SC_ERR_EXPIRED);
    assert_non_null(strstr(sc_error_message(), "valid until 2027-03-31 and today is 2027-04-01"));
    c = base();
    script(&c, honest);
    /* A reference scale with MPE 2 g checks ±5 g: more than 1/3. */
    assert_int_equal(reference_init(&c.reference, REFERENCE_SCALE, "fair scale 3", day_from_ymd(2027, 1, 1), G(2)), SC_OK);
    assert_int_equal(ghost_judge(&c, &v), SC_ERR_INCONSISTENT);
    assert_non_null(strstr(sc_error_message(), "reference scale 'fair scale 3': its MPE 2 g is more than 1/3"));
    c.reference.mpe_ug = G(5) / 3 - 1; /* 1.666665 g: 3 × it < 5 g */
    assert_int_equal(ghost_judge(&c, &v), SC_OK);
    assert_int_equal(v.reference_kind, REFERENCE_SCALE);
    assert_int_equal(reference_init(&c.reference, REFERENCE_SCALE, "", 0, 0), SC_ERR_ARG);
    assert_int_equal(reference_init(&c.reference, REFERENCE_SCALE, "bad\nid", 0, 0), SC_ERR_ARG);
    assert_int_equal(reference_init(&c.reference, REFERENCE_SCALE, " padded", 0, 0), SC_ERR_ARG);
    /* Observations out of range. */
    c = base();
    script(&c, honest);
    c.obs[0].reference_ug = KG(16);
    assert_int_equal(ghost_judge(&c, &v), SC_ERR_RANGE);
    c.obs[0].reference_ug = 0;
    assert_int_equal(ghost_judge(&c, &v), SC_ERR_ARG);
    c.obs[0].reference_ug = G(500);
    c.obs[0].load = GHOST_MAX_LOADS;
    assert_int_equal(ghost_judge(&c, &v), SC_ERR_ARG);
}

static void multi_interval_scale(void **state)
{
    (void)state;
    /* A 6/15 kg, e = 2/5 g scale: at 5 kg (partial range 1, 2500 e1) the
     * in-service MPE is 2 × 3 g = 6 g; at 10 kg (range 2, 2000 e2) 2 × 5 g. */
    struct ghost_check c = base();
    r76_instrument_single(&c.instrument, R76_CLASS_III, KG(6), G(40), G(2), 0);
    c.instrument.scheme = R76_MULTI_INTERVAL;
    c.instrument.parts = 2;
    c.instrument.max_ug[1] = KG(15);
    c.instrument.e_ug[1] = G(5);
    c.n_obs = 0;
    static const int64_t at[3] = {G(500), KG(5), KG(10)};
    for (int round = 1; round <= 2; round++)
        for (int ph = 0; ph < 2; ph++)
            for (int l = 0; l < 3; l++)
                c.obs[c.n_obs++] = (struct ghost_obs){l, (enum ghost_phase)ph, round,
                                                      at[l] + (l == 1 ? G(6) : l == 2 ? G(10) : 0), at[l]};
    struct ghost_verdict v;
    assert_int_equal(ghost_judge(&c, &v), SC_OK);
    assert_int_equal(v.outcome, GHOST_CLEAR);
    c.obs[1].stall_ug += 1; /* 6 g + 1 µg at 5 kg: beyond, but 1 µg from the others */
    assert_int_equal(ghost_judge(&c, &v), SC_OK);
    assert_int_equal(v.flags, GHOST_OUT_OF_TOLERANCE);
    assert_non_null(strstr(v.reason, "at 5000 g the error in use +6.000001 g exceeds the in-service MPE \xc2\xb1" "6 g"));
    int64_t sug[3];
    assert_int_equal(ghost_suggest_loads(&c.instrument, sug), 3); /* below the last Max */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(clear_scale),
        cmocka_unit_test(switched_by_keys),
        cmocka_unit_test(inconsistent_within_a_phase),
        cmocka_unit_test(out_of_tolerance),
        cmocka_unit_test(drifted_from_verification),
        cmocka_unit_test(incomplete_protocol),
        cmocka_unit_test(references),
        cmocka_unit_test(multi_interval_scale),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
