/* The verification screens as pure state machines (no terminal): picking,
 * set-up, the procedure's capture rules, finishing, and the MPE bar. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/mass.h"
#include "tui/signin.h"
#include "tui/verify_screens.h"

static struct session ses;

static int reset(void **state)
{
    (void)state;
    memset(&ses, 0, sizeof ses);
    snprintf(ses.today, sizeof ses.today, "2026-11-25");
    struct verify_data *v = &ses.verify;
    v->n_instruments = 3;
    snprintf(v->instruments[0].code, VERIFY_CODE, "M01-002-S1");
    snprintf(v->instruments[0].serial, 64, "T2024002");
    snprintf(v->instruments[1].code, VERIFY_CODE, "M01-001-S1");
    snprintf(v->instruments[1].serial, 64, "T2024001");
    snprintf(v->instruments[2].code, VERIFY_CODE, "M02-FAIR");
    snprintf(v->instruments[2].serial, 64, "T2024100");
    v->n_sets = 2;
    snprintf(v->sets[0].code, VERIFY_CODE, "W-OLD");
    v->sets[0].expired = 1;
    snprintf(v->sets[1].code, VERIFY_CODE, "W-2026");
    return 0;
}

static struct tui_event act(enum tui_action a)
{
    return (struct tui_event){.kind = EV_ACTION, .action = a};
}

static struct tui_event chr(unsigned c)
{
    return (struct tui_event){.kind = EV_CHAR, .ch = c};
}

static struct tui_event result(enum tui_effect_kind k, int status)
{
    return (struct tui_event){.kind = EV_RESULT, .effect = k, .status = status};
}

static const struct tui_effect *effect(const struct tui_reaction *rx, enum tui_effect_kind k)
{
    for (int i = 0; i < rx->n_effects; i++)
        if (rx->effects[i].kind == k)
            return &rx->effects[i];
    return NULL;
}

/* The effect of kind k, which must be there. */
static struct tui_effect must(const struct tui_reaction *rx, enum tui_effect_kind k)
{
    const struct tui_effect *e = effect(rx, k);
    assert_non_null(e);
    return e != NULL ? *e : (struct tui_effect){.kind = EFF_NONE};
}

#define HANDLE(fn, s, ev) (memset(&rx, 0, sizeof rx), fn(s, &ses, ev, &rx))

static void signin_sends_metrology_to_the_instruments(void **state)
{
    (void)state;
    struct signin_state s;
    screen_state_init(SCR_SIGNIN, &s);
    struct tui_reaction rx;
    ses.role = ROLES_METROLOGY;
    struct tui_event ev = result(EFF_SIGN_IN, 0);
    HANDLE(signin_handle, &s, &ev);
    assert_true(rx.flags & RX_REPLACE);
    assert_int_equal(rx.screen, SCR_VERIFY_PICK);
    ses.role = ROLES_MANAGER;
    HANDLE(signin_handle, &s, &ev);
    assert_int_equal(rx.screen, SCR_PICK);
}

static void pick_searches_and_loads(void **state)
{
    (void)state;
    struct vpick_state s;
    screen_state_init(SCR_VERIFY_PICK, &s);
    struct tui_reaction rx;
    struct tui_event ev = {.kind = EV_ENTER};
    HANDLE(vpick_handle, &s, &ev);
    assert_non_null(effect(&rx, EFF_VERIFY_LIST));
    /* 2: search; the serial's digits select the matching row */
    ev = act(ACT_TYPE_CODE);
    HANDLE(vpick_handle, &s, &ev);
    assert_true(screen_takes_text(SCR_VERIFY_PICK, &s));
    for (const char *p = "t2024001"; *p; p++) {
        ev = chr((unsigned char)*p);
        HANDLE(vpick_handle, &s, &ev);
    }
    assert_int_equal(s.sel, 1);
    assert_false(vpick_matches(&s, &ses.verify.instruments[0]));
    ev = act(ACT_OK);
    HANDLE(vpick_handle, &s, &ev);
    const struct tui_effect *e = effect(&rx, EFF_VERIFY_LOAD);
    assert_non_null(e);
    assert_string_equal(e->instrument, "M01-001-S1");
    /* loaded, nothing running: the set-up; a draft resumed: the steps */
    ev = result(EFF_VERIFY_LOAD, 0);
    HANDLE(vpick_handle, &s, &ev);
    assert_true(rx.flags & RX_PUSH);
    assert_int_equal(rx.screen, SCR_VERIFY_SETUP);
    assert_false(screen_takes_text(SCR_VERIFY_PICK, &s));
    ses.verify.running = 1;
    HANDLE(vpick_handle, &s, &ev);
    assert_int_equal(rx.screen, SCR_VERIFY_STEP);
    /* a scanned code goes straight to the backend */
    ev = (struct tui_event){.kind = EV_SCAN, .text = "M02-FAIR"};
    HANDLE(vpick_handle, &s, &ev);
    assert_string_equal(effect(&rx, EFF_VERIFY_LOAD)->instrument, "M02-FAIR");
    /* a load that fails stays on the list */
    ev = result(EFF_VERIFY_LOAD, -4);
    HANDLE(vpick_handle, &s, &ev);
    assert_false(rx.flags & RX_PUSH);
}

static void setup_needs_set_and_temperature(void **state)
{
    (void)state;
    struct vsetup_state s;
    screen_state_init(SCR_VERIFY_SETUP, &s);
    struct tui_reaction rx;
    struct tui_event ev = {.kind = EV_ENTER};
    HANDLE(vsetup_handle, &s, &ev);
    assert_string_equal(s.set, "W-2026"); /* the first set in date */
    ev = act(ACT_OK);
    HANDLE(vsetup_handle, &s, &ev);
    assert_null(effect(&rx, EFF_VERIFY_START));
    assert_int_equal(s.field, VSETUP_TEMP);
    assert_true(ses.message_is_error);
    for (const char *p = "2x1.5"; *p; p++) { /* letters are not a temperature */
        ev = chr((unsigned char)*p);
        HANDLE(vsetup_handle, &s, &ev);
    }
    assert_string_equal(s.temp, "21.5");
    ev = act(ACT_NEXT_FIELD);
    HANDLE(vsetup_handle, &s, &ev);
    for (const char *p = "0.5g"; *p; p++) {
        ev = chr((unsigned char)*p);
        HANDLE(vsetup_handle, &s, &ev);
    }
    ev = act(ACT_UP); /* another set, from any field */
    HANDLE(vsetup_handle, &s, &ev);
    assert_string_equal(s.set, "W-OLD");
    ev = act(ACT_OK);
    HANDLE(vsetup_handle, &s, &ev);
    struct tui_effect e = must(&rx, EFF_VERIFY_START);
    assert_string_equal(e.start.weight_set, "W-OLD");
    assert_int_equal(e.start.temperature.mant, 215); /* 21.5 °C, as typed */
    assert_int_equal(e.start.temperature.scale, 1);
    assert_int_equal(e.start.display_ug, 500000);   /* 0.5 g */
    /* refused (expired): stays; accepted: the steps replace it */
    ev = result(EFF_VERIFY_START, -15);
    HANDLE(vsetup_handle, &s, &ev);
    assert_false(rx.flags & RX_REPLACE);
    ev = result(EFF_VERIFY_START, 0);
    HANDLE(vsetup_handle, &s, &ev);
    assert_true(rx.flags & RX_REPLACE);
    assert_int_equal(rx.screen, SCR_VERIFY_STEP);
}

static void scale_reads(int64_t ug, int stable)
{
    struct tui_scale *sc = &ses.scales[SCALE_STALL];
    sc->configured = sc->online = 1;
    sc->last.seq++;
    sc->last.has_value = 1;
    sc->last.stable = stable;
    sc->last.ug = ug;
}

static void step_captures_only_stable_readings(void **state)
{
    (void)state;
    struct vstep_state s;
    screen_state_init(SCR_VERIFY_STEP, &s);
    struct tui_reaction rx;
    ses.verify.running = 1;
    ses.verify.has_step = 1;
    ses.verify.direct = 1;
    ses.verify.step.test = PROC_WEIGHING;
    struct tui_event ev = act(ACT_CAPTURE);
    HANDLE(vstep_handle, &s, &ev);
    assert_null(effect(&rx, EFF_VERIFY_FEED)); /* offline */
    scale_reads(10001500000, 0);
    HANDLE(vstep_handle, &s, &ev);
    assert_null(effect(&rx, EFF_VERIFY_FEED)); /* moving */
    assert_string_equal(ses.message, "Wait for the stable sign, then capture");
    scale_reads(10001500000, 1);
    HANDLE(vstep_handle, &s, &ev);
    struct tui_effect e = must(&rx, EFF_VERIFY_FEED);
    assert_int_equal(e.feed.indication_ug, 10001500000);
    assert_true(e.feed.direct);
    /* the last step done: the verdict screen */
    ses.verify.has_step = 0;
    ev = result(EFF_VERIFY_FEED, 0);
    HANDLE(vstep_handle, &s, &ev);
    assert_true(rx.flags & RX_PUSH);
    assert_int_equal(rx.screen, SCR_VERIFY_DONE);
}

static void step_error_point_asks_for_the_small_weights(void **state)
{
    (void)state;
    struct vstep_state s;
    screen_state_init(SCR_VERIFY_STEP, &s);
    struct tui_reaction rx;
    ses.verify.running = 1;
    ses.verify.has_step = 1;
    ses.verify.direct = 0;
    ses.verify.step.test = PROC_WEIGHING;
    scale_reads(10000 * MASS_G, 1);
    struct tui_event ev = act(ACT_CAPTURE);
    HANDLE(vstep_handle, &s, &ev);
    assert_null(effect(&rx, EFF_VERIFY_FEED));
    assert_true(screen_takes_text(SCR_VERIFY_STEP, &s));
    ev = act(ACT_OK);
    HANDLE(vstep_handle, &s, &ev);
    assert_null(effect(&rx, EFF_VERIFY_FEED)); /* nothing typed */
    for (const char *p = "1.5"; *p; p++) {
        ev = chr((unsigned char)*p);
        HANDLE(vstep_handle, &s, &ev);
    }
    ev = act(ACT_OK);
    HANDLE(vstep_handle, &s, &ev);
    struct tui_effect e = must(&rx, EFF_VERIFY_FEED);
    assert_int_equal(e.feed.indication_ug, 10000000000);
    assert_false(e.feed.direct);
    assert_int_equal(e.feed.added_ug, 1500000); /* ΔL = 1.5 g (R76-1 A.4.4.3) */
}

static void finish_only_when_done_or_failed(void **state)
{
    (void)state;
    struct vstep_state s;
    screen_state_init(SCR_VERIFY_STEP, &s);
    struct tui_reaction rx;
    ses.verify.running = 1;
    ses.verify.has_step = 1;
    ses.verify.verdict.outcome = PROC_INCOMPLETE;
    struct tui_event ev = act(ACT_FINISH);
    HANDLE(vstep_handle, &s, &ev);
    assert_false(rx.flags & RX_PUSH);
    ses.verify.verdict.outcome = PROC_FAIL;
    HANDLE(vstep_handle, &s, &ev);
    assert_true(rx.flags & RX_PUSH);
    assert_int_equal(rx.screen, SCR_VERIFY_DONE);
    /* back from a committed verdict: the step screen leaves too */
    ses.verify.running = 0;
    ev = (struct tui_event){.kind = EV_ENTER};
    HANDLE(vstep_handle, &s, &ev);
    assert_true(rx.flags & RX_POP);

    struct vdone_state d;
    screen_state_init(SCR_VERIFY_DONE, &d);
    ses.verify.verdict.outcome = PROC_INCOMPLETE;
    ev = act(ACT_CONFIRM);
    HANDLE(vdone_handle, &d, &ev);
    assert_null(effect(&rx, EFF_VERIFY_COMMIT));
    ses.verify.verdict.outcome = PROC_FAIL;
    HANDLE(vdone_handle, &d, &ev);
    assert_non_null(effect(&rx, EFF_VERIFY_COMMIT));
    HANDLE(vdone_handle, &d, &ev);
    assert_null(effect(&rx, EFF_VERIFY_COMMIT)); /* busy: not twice */
    /* dropping takes two presses */
    screen_state_init(SCR_VERIFY_DONE, &d);
    ev = act(ACT_DISCARD);
    HANDLE(vdone_handle, &d, &ev);
    assert_null(effect(&rx, EFF_VERIFY_DISCARD));
    HANDLE(vdone_handle, &d, &ev);
    assert_non_null(effect(&rx, EFF_VERIFY_DISCARD));
}

/* Once the verdict is saved, its footer offers only what still works:
 * neither Confirm nor Discard (both would do nothing). */
static void saved_verdict_offers_no_confirm(void **state)
{
    (void)state;
    struct tui_reaction rx;
    struct vdone_state d;
    screen_state_init(SCR_VERIFY_DONE, &d);
    ses.verify.verdict.outcome = PROC_PASS;
    const enum tui_scope *before = screen_keys(SCR_VERIFY_DONE, &d);
    assert_int_equal(keys_lookup(before, '1'), ACT_CONFIRM);
    struct tui_event ev = act(ACT_CONFIRM);
    HANDLE(vdone_handle, &d, &ev);
    assert_non_null(effect(&rx, EFF_VERIFY_COMMIT));
    ses.verify.committed = 1;
    ev = (struct tui_event){.kind = EV_RESULT, .effect = EFF_VERIFY_COMMIT, .status = 0};
    HANDLE(vdone_handle, &d, &ev);
    const enum tui_scope *after = screen_keys(SCR_VERIFY_DONE, &d);
    assert_int_not_equal(keys_lookup(after, '1'), ACT_CONFIRM);
    assert_int_not_equal(keys_lookup(after, '2'), ACT_DISCARD);
    const char *labels[16];
    int keys[16];
    size_t n = keys_help_items(after, 0, NULL, labels, keys, 16);
    for (size_t i = 0; i < n; i++)
        assert_true(strcmp(labels[i], "Confirm") != 0 && strcmp(labels[i], "Discard") != 0);
}

static void mpe_bar(void **state)
{
    (void)state;
    char b[64];
    verify_bar(0, 5 * MASS_G, 11, b, sizeof b);
    assert_string_equal(b, "[----*----]");
    verify_bar(5 * MASS_G, 5 * MASS_G, 11, b, sizeof b);
    assert_string_equal(b, "[----|---*]");
    verify_bar(-2500000, 5 * MASS_G, 11, b, sizeof b);
    assert_string_equal(b, "[--*-|----]");
    verify_bar(5000001, 5 * MASS_G, 11, b, sizeof b); /* beyond +MPE */
    assert_string_equal(b, "[----|---->");
    verify_bar(-7500000, 5 * MASS_G, 11, b, sizeof b);
    assert_string_equal(b, "<----|----]");
    char m[32];
    verify_signed(-500000, m, sizeof m);
    assert_string_equal(m, "-0.5 g");
    verify_signed(1500000, m, sizeof m);
    assert_string_equal(m, "+1.5 g");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(signin_sends_metrology_to_the_instruments, reset),
        cmocka_unit_test_setup(pick_searches_and_loads, reset),
        cmocka_unit_test_setup(setup_needs_set_and_temperature, reset),
        cmocka_unit_test_setup(step_captures_only_stable_readings, reset),
        cmocka_unit_test_setup(step_error_point_asks_for_the_small_weights, reset),
        cmocka_unit_test_setup(finish_only_when_done_or_failed, reset),
        cmocka_unit_test_setup(saved_verdict_offers_no_confirm, reset),
        cmocka_unit_test(mpe_bar),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
