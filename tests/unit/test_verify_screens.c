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
#include "tui/cal_screens.h"
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
    assert_string_equal(s.form.set, "W-2026"); /* the first set in date */
    ev = act(ACT_OK);
    HANDLE(vsetup_handle, &s, &ev);
    assert_null(effect(&rx, EFF_VERIFY_START));
    assert_int_equal(s.form.field, COND_TEMP);
    assert_true(ses.message_is_error);
    for (const char *p = "2x1.5"; *p; p++) { /* letters are not a temperature */
        ev = chr((unsigned char)*p);
        HANDLE(vsetup_handle, &s, &ev);
    }
    assert_string_equal(s.form.temp, "21.5");
    ev = act(ACT_OK); /* the humidity is asked for next */
    HANDLE(vsetup_handle, &s, &ev);
    assert_null(effect(&rx, EFF_VERIFY_START));
    assert_int_equal(s.form.field, COND_HUMIDITY);
    for (const char *p = "4x8"; *p; p++) {
        ev = chr((unsigned char)*p);
        HANDLE(vsetup_handle, &s, &ev);
    }
    assert_string_equal(s.form.humidity, "48");
    ev = act(ACT_KIND); /* F7: first verification */
    HANDLE(vsetup_handle, &s, &ev);
    ev = act(ACT_ZERO_TRACKING); /* F8: the scale tracks zero */
    HANDLE(vsetup_handle, &s, &ev);
    ev = act(ACT_NEXT_FIELD);
    HANDLE(vsetup_handle, &s, &ev);
    for (const char *p = "0.5g"; *p; p++) {
        ev = chr((unsigned char)*p);
        HANDLE(vsetup_handle, &s, &ev);
    }
    ev = act(ACT_UP); /* another set, from any field */
    HANDLE(vsetup_handle, &s, &ev);
    assert_string_equal(s.form.set, "W-OLD");
    ev = act(ACT_OK);
    HANDLE(vsetup_handle, &s, &ev);
    struct tui_effect e = must(&rx, EFF_VERIFY_START);
    assert_string_equal(e.start.weight_set, "W-OLD");
    assert_int_equal(e.start.temperature.mant, 215); /* 21.5 °C, as typed */
    assert_int_equal(e.start.temperature.scale, 1);
    assert_int_equal(e.start.display_ug, 500000);   /* 0.5 g */
    assert_int_equal(e.start.humidity.mant, 48);
    assert_int_equal(e.start.kind, PROC_FIRST);
    assert_true(e.start.zero_tracking);
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
    assert_int_equal(screen_keys(SCR_VERIFY_STEP, &s)[0], SCOPE_ENTRY); /* F2 takes it */
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

/* The verdict screen is reached at any time; a run ends there with its
 * verdict (a pass needs the new mark and seal), or without one, with a
 * reason and kept; a failing run cannot be dropped: it is a notice. */
static void verdict_commits_or_abandons_with_a_reason(void **state)
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
    /* Ending it without a verdict: a reason, then it is kept, abandoned. */
    ev = act(ACT_ABANDON);
    HANDLE(vdone_handle, &d, &ev);
    assert_null(effect(&rx, EFF_VERIFY_DISCARD));
    assert_true(screen_takes_text(SCR_VERIFY_DONE, &d));
    ev = act(ACT_OK);
    HANDLE(vdone_handle, &d, &ev);
    assert_null(effect(&rx, EFF_VERIFY_DISCARD)); /* no reason yet */
    for (const char *p = "display failed"; *p; p++) {
        ev = chr((unsigned char)*p);
        HANDLE(vdone_handle, &d, &ev);
    }
    ev = act(ACT_OK);
    HANDLE(vdone_handle, &d, &ev);
    assert_string_equal(must(&rx, EFF_VERIFY_DISCARD).reason, "display failed");
    /* A failing run: 2 does not drop it; 1 issues the notice. */
    screen_state_init(SCR_VERIFY_DONE, &d);
    ses.verify.verdict.outcome = PROC_FAIL;
    ev = act(ACT_ABANDON);
    HANDLE(vdone_handle, &d, &ev);
    assert_false(screen_takes_text(SCR_VERIFY_DONE, &d));
    assert_true(ses.message_is_error);
    assert_non_null(strstr(ses.message, "notice of failure"));
    ev = act(ACT_CONFIRM);
    HANDLE(vdone_handle, &d, &ev);
    assert_non_null(effect(&rx, EFF_VERIFY_COMMIT));
    HANDLE(vdone_handle, &d, &ev);
    assert_null(effect(&rx, EFF_VERIFY_COMMIT)); /* busy: not twice */
    /* A pass: the new mark and seal are typed (or scanned) first. */
    screen_state_init(SCR_VERIFY_DONE, &d);
    ses.verify.verdict.outcome = PROC_PASS;
    ev = act(ACT_CONFIRM);
    HANDLE(vdone_handle, &d, &ev);
    assert_null(effect(&rx, EFF_VERIFY_COMMIT));
    assert_int_equal(d.typing, VDONE_MARK);
    assert_int_equal(screen_keys(SCR_VERIFY_DONE, &d)[0], SCOPE_ENTRY);
    ev = (struct tui_event){.kind = EV_SCAN, .text = "JD-ZC-000731"};
    HANDLE(vdone_handle, &d, &ev);
    ev = act(ACT_OK);
    HANDLE(vdone_handle, &d, &ev);
    assert_int_equal(d.typing, VDONE_SEAL);
    for (const char *p = "FY-731"; *p; p++) {
        ev = chr((unsigned char)*p);
        HANDLE(vdone_handle, &d, &ev);
    }
    ev = act(ACT_OK);
    HANDLE(vdone_handle, &d, &ev);
    struct tui_effect e = must(&rx, EFF_VERIFY_COMMIT);
    assert_string_equal(e.commit.mark, "JD-ZC-000731");
    assert_string_equal(e.commit.seal, "FY-731");
}

/* The general check and levelling are answered 1 pass / 2 fail on their own
 * keys; the software identification is typed before it passes. */
static void checks_are_answered(void **state)
{
    (void)state;
    struct vstep_state s;
    screen_state_init(SCR_VERIFY_STEP, &s);
    struct tui_reaction rx;
    ses.verify.running = 1;
    ses.verify.has_step = 1;
    memset(&ses.verify.step, 0, sizeof ses.verify.step);
    ses.verify.step.test = PROC_GENERAL;
    ses.verify.step.answer_step = 1;
    strcpy(ses.verify.step.item, "appearance");
    struct tui_event ev = {.kind = EV_ENTER};
    HANDLE(vstep_handle, &s, &ev);
    assert_int_equal(vstep_keys(&s)[0], SCOPE_VERIFY_CHECK);
    ev = act(ACT_FAIL);
    HANDLE(vstep_handle, &s, &ev);
    assert_int_equal(must(&rx, EFF_VERIFY_FEED).feed.answer, PROC_NO);
    ev = result(EFF_VERIFY_FEED, 0);
    HANDLE(vstep_handle, &s, &ev);
    /* the software identification */
    ses.verify.step.needs_text = 1;
    strcpy(ses.verify.step.item, "software");
    ev = act(ACT_PASS);
    HANDLE(vstep_handle, &s, &ev);
    assert_null(effect(&rx, EFF_VERIFY_FEED));
    assert_true(screen_takes_text(SCR_VERIFY_STEP, &s));
    for (const char *p = "V2.01 CRC 9C1E"; *p; p++) {
        ev = chr((unsigned char)*p);
        HANDLE(vstep_handle, &s, &ev);
    }
    ev = act(ACT_OK);
    HANDLE(vstep_handle, &s, &ev);
    struct tui_effect e = must(&rx, EFF_VERIFY_FEED);
    assert_int_equal(e.feed.answer, PROC_YES);
    assert_string_equal(e.feed.text, "V2.01 CRC 9C1E");
    /* a reading step again: the readings' keys */
    ses.verify.step.answer_step = 0;
    ses.verify.step.test = PROC_ZERO;
    ev = result(EFF_VERIFY_FEED, 0);
    HANDLE(vstep_handle, &s, &ev);
    assert_int_equal(vstep_keys(&s)[0], SCOPE_VERIFY_STEP);
}

/* A captured reading carries the digits the driver gave it: "10005" g is
 * read to 1 g, so a declared 0.5 g test mode refuses it (core/procedure.h). */
static void a_capture_carries_its_digits(void **state)
{
    (void)state;
    struct vstep_state s;
    screen_state_init(SCR_VERIFY_STEP, &s);
    struct tui_reaction rx;
    ses.verify.running = 1;
    ses.verify.has_step = 1;
    memset(&ses.verify.step, 0, sizeof ses.verify.step);
    ses.verify.step.test = PROC_WEIGHING;
    ses.verify.direct = 1;
    scale_reads(10005 * MASS_G, 1);
    strcpy(ses.scales[SCALE_STALL].last.text, "10005");
    strcpy(ses.scales[SCALE_STALL].last.unit, "g");
    struct tui_event ev = act(ACT_CAPTURE);
    HANDLE(vstep_handle, &s, &ev);
    assert_int_equal(must(&rx, EFF_VERIFY_FEED).feed.digit_ug, MASS_G);
    ev = result(EFF_VERIFY_FEED, 0);
    HANDLE(vstep_handle, &s, &ev);
    strcpy(ses.scales[SCALE_STALL].last.text, "10.0055");
    strcpy(ses.scales[SCALE_STALL].last.unit, "kg");
    scale_reads(10005500000, 1);
    ev = act(ACT_CAPTURE);
    HANDLE(vstep_handle, &s, &ev);
    assert_int_equal(must(&rx, EFF_VERIFY_FEED).feed.digit_ug, 100000); /* 0.1 g */
    ev = result(EFF_VERIFY_FEED, 0);
    HANDLE(vstep_handle, &s, &ev);
    /* A price step: the weight captured, then the price to pay typed. */
    ses.verify.step.test = PROC_PRICE;
    ses.verify.step.unit_price_fen = 1234;
    ev = result(EFF_VERIFY_FEED, 0);
    HANDLE(vstep_handle, &s, &ev);
    strcpy(ses.scales[SCALE_STALL].last.text, "7.500");
    scale_reads(7500 * MASS_G, 1);
    ev = act(ACT_CAPTURE);
    HANDLE(vstep_handle, &s, &ev);
    assert_null(effect(&rx, EFF_VERIFY_FEED));
    for (const char *p = "92.55"; *p; p++) {
        ev = chr((unsigned char)*p);
        HANDLE(vstep_handle, &s, &ev);
    }
    ev = act(ACT_OK);
    HANDLE(vstep_handle, &s, &ev);
    struct tui_effect e = must(&rx, EFF_VERIFY_FEED);
    assert_int_equal(e.feed.indication_ug, 7500 * MASS_G);
    assert_int_equal(e.feed.amount_fen, 9255);
}

/* Calibration (校准) from the same list: 3 loads the instrument picked and
 * opens the calibration's set-up, not the verification's. */
static void pick_3_calibrates(void **state)
{
    (void)state;
    struct vpick_state s;
    screen_state_init(SCR_VERIFY_PICK, &s);
    struct tui_reaction rx;
    struct tui_event ev = act(ACT_CALIBRATE);
    HANDLE(vpick_handle, &s, &ev);
    assert_string_equal(must(&rx, EFF_VERIFY_LOAD).instrument, "M01-002-S1");
    ev = result(EFF_VERIFY_LOAD, 0);
    HANDLE(vpick_handle, &s, &ev);
    assert_true(rx.flags & RX_PUSH);
    assert_int_equal(rx.screen, SCR_CAL_SETUP);
    /* the next pick (1 or Enter) verifies again */
    ev = act(ACT_VERIFY);
    HANDLE(vpick_handle, &s, &ev);
    ev = result(EFF_VERIFY_LOAD, 0);
    HANDLE(vpick_handle, &s, &ev);
    assert_int_equal(rx.screen, SCR_VERIFY_SETUP);
}

/* The calibration's set-up: a current set proposed, temperature and
 * humidity required, a test mode's interval optional. */
static void cal_setup_needs_the_conditions(void **state)
{
    (void)state;
    struct csetup_state s;
    screen_state_init(SCR_CAL_SETUP, &s);
    struct tui_reaction rx;
    struct tui_event ev = {.kind = EV_ENTER};
    HANDLE(csetup_handle, &s, &ev);
    assert_string_equal(s.form.set, "W-2026"); /* W-OLD is expired */
    ev = act(ACT_OK);
    HANDLE(csetup_handle, &s, &ev);
    assert_null(effect(&rx, EFF_CAL_START));
    assert_int_equal(s.form.field, COND_TEMP);
    for (const char *p = "21.5"; *p; p++) {
        ev = chr((unsigned char)*p);
        HANDLE(csetup_handle, &s, &ev);
    }
    ev = act(ACT_OK);
    HANDLE(csetup_handle, &s, &ev);
    assert_null(effect(&rx, EFF_CAL_START));
    assert_int_equal(s.form.field, COND_HUMIDITY);
    for (const char *p = "101"; *p; p++) {
        ev = chr((unsigned char)*p);
        HANDLE(csetup_handle, &s, &ev);
    }
    ev = act(ACT_OK);
    HANDLE(csetup_handle, &s, &ev);
    assert_null(effect(&rx, EFF_CAL_START)); /* above 100 %RH */
    ev = act(ACT_ERASE);
    HANDLE(csetup_handle, &s, &ev);
    ev = act(ACT_ERASE);
    HANDLE(csetup_handle, &s, &ev);
    ev = chr('5');
    HANDLE(csetup_handle, &s, &ev); /* "15" */
    ev = act(ACT_NEXT_FIELD);
    HANDLE(csetup_handle, &s, &ev);
    for (const char *p = "0.1"; *p; p++) {
        ev = chr((unsigned char)*p);
        HANDLE(csetup_handle, &s, &ev);
    }
    ev = act(ACT_OK);
    HANDLE(csetup_handle, &s, &ev);
    struct tui_effect e = must(&rx, EFF_CAL_START);
    assert_string_equal(e.start.weight_set, "W-2026");
    assert_int_equal(e.start.display_ug, 100000);
    HANDLE(csetup_handle, &s, &ev);
    assert_null(effect(&rx, EFF_CAL_START)); /* busy: not twice */
    ev = result(EFF_CAL_START, 0);
    HANDLE(csetup_handle, &s, &ev);
    assert_true(rx.flags & RX_REPLACE);
    assert_int_equal(rx.screen, SCR_CAL_STEP);
}

/* Each reading: only a stable one, with the digits the driver gave; after
 * the last, the results. */
static void cal_step_takes_stable_readings(void **state)
{
    (void)state;
    struct cstep_state s;
    screen_state_init(SCR_CAL_STEP, &s);
    struct tui_reaction rx;
    struct tui_event ev = {.kind = EV_ENTER};
    HANDLE(cstep_handle, &s, &ev);
    assert_true(rx.flags & RX_POP); /* nothing running */
    ses.cal.running = 1;
    ses.cal.has_step = 1;
    ses.cal.step.test = CG18_ERROR;
    ses.cal.step.load_ug = 10000 * MASS_G;
    HANDLE(cstep_handle, &s, &ev);
    assert_false(rx.flags & RX_POP);
    scale_reads(10001 * MASS_G, 0);
    ev = act(ACT_CAPTURE);
    HANDLE(cstep_handle, &s, &ev);
    assert_null(effect(&rx, EFF_CAL_FEED));
    assert_true(ses.message_is_error);
    scale_reads(10001 * MASS_G, 1);
    strcpy(ses.scales[SCALE_STALL].last.text, "10.001");
    strcpy(ses.scales[SCALE_STALL].last.unit, "kg");
    HANDLE(cstep_handle, &s, &ev);
    struct tui_effect e = must(&rx, EFF_CAL_FEED);
    assert_int_equal(e.feed.indication_ug, 10001 * MASS_G);
    assert_int_equal(e.feed.digit_ug, MASS_G);
    HANDLE(cstep_handle, &s, &ev);
    assert_null(effect(&rx, EFF_CAL_FEED)); /* busy: not twice */
    ses.cal.has_step = 0; /* that was the last */
    ev = result(EFF_CAL_FEED, 0);
    HANDLE(cstep_handle, &s, &ev);
    assert_true(rx.flags & RX_PUSH);
    assert_int_equal(rx.screen, SCR_CAL_DONE);
    ev = act(ACT_CAPTURE);
    HANDLE(cstep_handle, &s, &ev);
    assert_null(effect(&rx, EFF_CAL_FEED));
}

/* The results: 1 saves them and issues the 校准证书 once every reading is
 * taken; 2 ends the run without results, with a reason, keeping it. */
static void cal_done_commits_or_ends(void **state)
{
    (void)state;
    struct cdone_state d;
    screen_state_init(SCR_CAL_DONE, &d);
    struct tui_reaction rx;
    ses.cal.running = 1;
    struct tui_event ev = {.kind = EV_ENTER};
    HANDLE(cdone_handle, &d, &ev);
    ev = act(ACT_CONFIRM);
    HANDLE(cdone_handle, &d, &ev);
    assert_null(effect(&rx, EFF_CAL_COMMIT));
    assert_non_null(strstr(ses.message, "Readings remain"));
    ses.cal.has_results = 1;
    HANDLE(cdone_handle, &d, &ev);
    assert_non_null(effect(&rx, EFF_CAL_COMMIT));
    HANDLE(cdone_handle, &d, &ev);
    assert_null(effect(&rx, EFF_CAL_COMMIT)); /* busy */
    ses.cal.committed = 1;
    ev = result(EFF_CAL_COMMIT, 0);
    HANDLE(cdone_handle, &d, &ev);
    assert_int_not_equal(keys_lookup(screen_keys(SCR_CAL_DONE, &d), '1'), ACT_CONFIRM); /* saved */
    ev = act(ACT_CONFIRM);
    HANDLE(cdone_handle, &d, &ev);
    assert_null(effect(&rx, EFF_CAL_COMMIT)); /* issued once */
    /* ending without results asks why */
    screen_state_init(SCR_CAL_DONE, &d);
    ses.cal.committed = 0;
    ev = act(ACT_ABANDON);
    HANDLE(cdone_handle, &d, &ev);
    assert_true(cdone_typing(&d));
    ev = act(ACT_OK);
    HANDLE(cdone_handle, &d, &ev);
    assert_null(effect(&rx, EFF_CAL_END)); /* no reason yet */
    for (const char *p = "scale unstable"; *p; p++) {
        ev = chr((unsigned char)*p);
        HANDLE(cdone_handle, &d, &ev);
    }
    ev = act(ACT_OK);
    HANDLE(cdone_handle, &d, &ev);
    assert_string_equal(must(&rx, EFF_CAL_END).reason, "scale unstable");
    ev = result(EFF_CAL_END, 0);
    HANDLE(cdone_handle, &d, &ev);
    assert_true(rx.flags & RX_POP);
}

/* Once the verdict is saved, its footer offers only what still works:
 * neither Confirm nor Abandon (both would do nothing). */
static void saved_verdict_offers_no_confirm(void **state)
{
    (void)state;
    struct tui_reaction rx;
    struct vdone_state d;
    screen_state_init(SCR_VERIFY_DONE, &d);
    ses.verify.verdict.outcome = PROC_FAIL; /* a notice: no mark to type first */
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
    assert_int_not_equal(keys_lookup(after, '2'), ACT_ABANDON);
    const char *labels[16];
    int keys[16];
    size_t n = keys_help_items(after, 0, NULL, labels, keys, 16);
    for (size_t i = 0; i < n; i++)
        assert_true(strcmp(labels[i], "Confirm") != 0 && strcmp(labels[i], "Abandon") != 0);
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

/* A step's result in the screen's words, not the engine's English reason
 * (the status line and the "Last" line of a Chinese screen had "general
 * check: appearance fails (JJG 539-2016)"). */
static void result_in_the_screens_words(void **state)
{
    (void)state;
    struct proc_result r;
    memset(&r, 0, sizeof r);
    r.test = PROC_GENERAL;
    r.judged = 1;
    r.pass = 0;
    snprintf(r.reason, sizeof r.reason, "general check: appearance fails (JJG 539-2016)");
    char buf[160];
    verify_result_words(&r, buf, sizeof buf);
    assert_string_equal(buf, "general FAIL");
    snprintf(r.text, sizeof r.text, "V1.02");
    r.pass = 1;
    verify_result_words(&r, buf, sizeof buf);
    assert_string_equal(buf, "general PASS [V1.02]");
    memset(&r, 0, sizeof r);
    r.test = PROC_PRELOAD;
    r.pass = 1;
    verify_result_words(&r, buf, sizeof buf);
    assert_string_equal(buf, "pre-load (recorded)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(result_in_the_screens_words),
        cmocka_unit_test_setup(signin_sends_metrology_to_the_instruments, reset),
        cmocka_unit_test_setup(pick_searches_and_loads, reset),
        cmocka_unit_test_setup(setup_needs_set_and_temperature, reset),
        cmocka_unit_test_setup(step_captures_only_stable_readings, reset),
        cmocka_unit_test_setup(step_error_point_asks_for_the_small_weights, reset),
        cmocka_unit_test_setup(verdict_commits_or_abandons_with_a_reason, reset),
        cmocka_unit_test_setup(checks_are_answered, reset),
        cmocka_unit_test_setup(a_capture_carries_its_digits, reset),
        cmocka_unit_test_setup(pick_3_calibrates, reset),
        cmocka_unit_test_setup(cal_setup_needs_the_conditions, reset),
        cmocka_unit_test_setup(cal_step_takes_stable_readings, reset),
        cmocka_unit_test_setup(cal_done_commits_or_ends, reset),
        cmocka_unit_test_setup(saved_verdict_offers_no_confirm, reset),
        cmocka_unit_test(mpe_bar),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
