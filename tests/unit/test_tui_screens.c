/* The screens as pure state machines: events in, state, effects and
 * reactions out, with no terminal (STYLE.md 1). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/error.h"
#include "core/mass.h"
#include "core/utf8.h"
#include "tui/checklist_screen.h"
#include "tui/fairscale.h"
#include "tui/misc_screens.h"
#include "tui/ghost_screen.h"
#include "tui/pick.h"
#include "tui/reweigh_screen.h"
#include "tui/signin.h"
#include "tui/stall.h"
#include "tui/summary.h"
#include "tui/team.h"
#include "tui/verify_screens.h"

#include <curses.h>
#define KEY_F5_CODE KEY_F(5)
#include "core/visit.h"

static struct session ses;

static int reset(void **state)
{
    (void)state;
    memset(&ses, 0, sizeof ses);
    snprintf(ses.today, sizeof ses.today, "2026-11-25");
    snprintf(ses.visit.id, sizeof ses.visit.id, "0b5d7e1a-0000-4000-8000-000000000001");
    snprintf(ses.visit.stall, sizeof ses.visit.stall, "S001");
    snprintf(ses.visit.officer1, sizeof ses.visit.officer1, "B001");
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

static int has_effect(const struct tui_reaction *rx, enum tui_effect_kind k)
{
    for (int i = 0; i < rx->n_effects; i++)
        if (rx->effects[i].kind == k)
            return 1;
    return 0;
}

static void signin_collects_badge_and_pin(void **state)
{
    (void)state;
    struct signin_state s;
    screen_state_init(SCR_SIGNIN, &s);
    struct tui_reaction rx;
    const char *badge = "B001";
    for (const char *p = badge; *p; p++) {
        memset(&rx, 0, sizeof rx);
        struct tui_event ev = chr((unsigned char)*p);
        signin_handle(&s, &ses, &ev, &rx);
    }
    assert_string_equal(s.badge, "B001");
    memset(&rx, 0, sizeof rx);
    struct tui_event ev = act(ACT_NEXT_FIELD);
    signin_handle(&s, &ses, &ev, &rx);
    assert_int_equal(s.field, 1);
    /* A PIN is digits only: a letter is not taken. */
    const char *typed = "12x34";
    for (const char *p = typed; *p; p++) {
        ev = chr((unsigned char)*p);
        signin_handle(&s, &ses, &ev, &rx);
    }
    assert_string_equal(s.pin, "1234");
    memset(&rx, 0, sizeof rx);
    ev = act(ACT_NEXT_FIELD); /* Enter on the PIN signs in */
    signin_handle(&s, &ses, &ev, &rx);
    assert_int_equal(rx.n_effects, 1);
    assert_int_equal(rx.effects[0].kind, EFF_SIGN_IN);
    assert_string_equal(rx.effects[0].who.badge, "B001");
    assert_string_equal(rx.effects[0].who.pin, "1234");
    /* A wrong PIN: the PIN is cleared, a message (the effect's, saying
     * the tries left: test_tui_loop), no screen change. */
    memset(&rx, 0, sizeof rx);
    ev = (struct tui_event){.kind = EV_RESULT, .effect = EFF_SIGN_IN, .status = SC_ERR_DENIED};
    signin_handle(&s, &ses, &ev, &rx);
    assert_string_equal(s.pin, "");
    assert_true(ses.message[0] != '\0');
    assert_false(rx.flags & (RX_REPLACE | RX_PUSH));
    /* Right: an officer's partner signs in next; a manager goes on to
     * today's stalls, or to the unfinished inspection. */
    ses.role = ROLES_OFFICER;
    memset(&rx, 0, sizeof rx);
    ev = (struct tui_event){.kind = EV_RESULT, .effect = EFF_SIGN_IN, .status = 0};
    signin_handle(&s, &ses, &ev, &rx);
    assert_true(rx.flags & RX_REPLACE);
    assert_int_equal(rx.screen, SCR_TEAM);
    ses.role = ROLES_MANAGER;
    ses.draft_pending = 1;
    memset(&rx, 0, sizeof rx);
    signin_handle(&s, &ses, &ev, &rx);
    assert_int_equal(rx.screen, SCR_RESUME);
}

/* The second officer signs in after the first (slot 2), or the first goes
 * alone (F5); either then goes on with the day. */
static void team_second_officer_or_alone(void **state)
{
    (void)state;
    struct team_state s;
    screen_state_init(SCR_TEAM, &s);
    assert_int_equal(s.slot, 2);
    assert_true(s.day);
    assert_int_equal(keys_lookup(screen_keys(SCR_TEAM, &s), '\n'), ACT_ENTER_NEXT);
    struct tui_reaction rx;
    memset(&rx, 0, sizeof rx);
    for (const char *p = "1002\n5678\n"; *p; p++) {
        struct tui_event ev = *p == '\n' ? act(ACT_ENTER_NEXT) : chr((unsigned char)*p);
        team_handle(&s, &ses, &ev, &rx);
    }
    assert_true(has_effect(&rx, EFF_SWAP_OFFICER));
    assert_string_equal(rx.effects[0].who.badge, "1002");
    assert_string_equal(rx.effects[0].who.pin, "5678");
    assert_int_equal(rx.effects[0].who.slot, 2);
    memset(&rx, 0, sizeof rx);
    struct tui_event res = {.kind = EV_RESULT, .effect = EFF_SWAP_OFFICER, .status = 0};
    team_handle(&s, &ses, &res, &rx);
    assert_true(rx.flags & RX_REPLACE);
    assert_int_equal(rx.screen, SCR_PICK);
    /* Alone */
    screen_state_init(SCR_TEAM, &s);
    memset(&rx, 0, sizeof rx);
    struct tui_event alone = act(ACT_ALONE);
    team_handle(&s, &ses, &alone, &rx);
    assert_true(rx.flags & RX_REPLACE);
    assert_false(has_effect(&rx, EFF_SWAP_OFFICER));
    /* Swapping the first officer later: slot 1, back when done, no F5. */
    screen_state_init(SCR_OFFICER1, &s);
    assert_int_equal(s.slot, 1);
    assert_int_not_equal(keys_lookup(screen_keys(SCR_OFFICER1, &s), KEY_F5_CODE), ACT_ALONE);
    memset(&rx, 0, sizeof rx);
    team_handle(&s, &ses, &res, &rx);
    assert_true(rx.flags & RX_POP);
}

static void signin_refuses_empty_fields(void **state)
{
    (void)state;
    struct signin_state s;
    screen_state_init(SCR_SIGNIN, &s);
    struct tui_reaction rx;
    memset(&rx, 0, sizeof rx);
    struct tui_event ev = act(ACT_OK);
    signin_handle(&s, &ses, &ev, &rx);
    assert_int_equal(rx.n_effects, 0);
    assert_string_equal(ses.message, "Type your badge number");
}

static void checklist_one_key_per_answer(void **state)
{
    (void)state;
    struct checklist_state s;
    screen_state_init(SCR_CHECKLIST, &s);
    struct tui_reaction rx;
    memset(&rx, 0, sizeof rx);
    struct tui_event ev = act(ACT_PASS);
    checklist_handle(&s, &ses, &ev, &rx);
    assert_int_equal(ses.visit.answers[CHECK_LICENCE_SHOWN], ANSWER_PASS);
    assert_true(has_effect(&rx, EFF_SAVE_DRAFT)); /* saved on every answer */
    assert_int_equal(s.sel, CHECK_PRICE_TAGS);    /* on to the next item */
    /* Fail the price tags, give a 7-day correction deadline and a note. */
    memset(&rx, 0, sizeof rx);
    ev = act(ACT_FAIL);
    checklist_handle(&s, &ses, &ev, &rx);
    assert_int_equal(ses.visit.answers[CHECK_PRICE_TAGS], ANSWER_FAIL);
    assert_int_equal(s.sel, CHECK_PRICE_TAGS); /* stays, for a note or deadline */
    ev = act(ACT_DEADLINE);
    checklist_handle(&s, &ses, &ev, &rx);
    assert_true(screen_takes_text(SCR_CHECKLIST, &s));
    ev = chr('7');
    checklist_handle(&s, &ses, &ev, &rx);
    memset(&rx, 0, sizeof rx);
    ev = act(ACT_OK);
    checklist_handle(&s, &ses, &ev, &rx);
    assert_string_equal(ses.visit.deadlines[CHECK_PRICE_TAGS], "2026-12-02");
    assert_true(has_effect(&rx, EFF_SAVE_DRAFT));
    ev = act(ACT_NOTE);
    checklist_handle(&s, &ses, &ev, &rx);
    const char *note = "无价签";
    /* typed as code points */
    ev = chr(0x65E0);
    checklist_handle(&s, &ses, &ev, &rx);
    ev = chr(0x4EF7);
    checklist_handle(&s, &ses, &ev, &rx);
    ev = chr(0x7B7E);
    checklist_handle(&s, &ses, &ev, &rx);
    ev = act(ACT_OK);
    checklist_handle(&s, &ses, &ev, &rx);
    assert_string_equal(ses.visit.notes[CHECK_PRICE_TAGS], note);
    assert_false(screen_takes_text(SCR_CHECKLIST, &s));
}

static void checklist_seal_has_its_own_keys(void **state)
{
    (void)state;
    struct checklist_state s;
    screen_state_init(SCR_CHECKLIST, &s);
    s.sel = CHECK_SEAL;
    const enum tui_scope *sc = screen_keys(SCR_CHECKLIST, &s);
    assert_int_equal(keys_lookup(sc, '2'), ACT_SEAL_BROKEN);
    struct tui_reaction rx;
    memset(&rx, 0, sizeof rx);
    struct tui_event ev = act(ACT_SEAL_BROKEN);
    checklist_handle(&s, &ses, &ev, &rx);
    assert_int_equal(ses.visit.answers[CHECK_SEAL], ANSWER_SEAL_BROKEN);
    /* Pass is no answer for the seal; and a deadline only on a failure. */
    s.sel = CHECK_PRICE_TAGS;
    ev = act(ACT_SEAL_INTACT);
    checklist_handle(&s, &ses, &ev, &rx);
    assert_int_equal(ses.visit.answers[CHECK_PRICE_TAGS], ANSWER_NONE);
    ev = act(ACT_DEADLINE);
    checklist_handle(&s, &ses, &ev, &rx);
    assert_false(screen_takes_text(SCR_CHECKLIST, &s));
}

static void deadline_dates(void **state)
{
    (void)state;
    char out[16];
    assert_int_equal(checklist_date_add("2026-12-25", 7, out, sizeof out), 0);
    assert_string_equal(out, "2027-01-01");
    assert_int_equal(checklist_date_add("2028-02-28", 1, out, sizeof out), 0);
    assert_string_equal(out, "2028-02-29"); /* leap year */
    assert_int_equal(checklist_date_add("bad", 1, out, sizeof out), -1);
}

static void reference_reading(int64_t ug, int stable)
{
    struct tui_scale *sc = &ses.scales[SCALE_REFERENCE];
    sc->configured = sc->online = 1;
    sc->last.has_value = 1;
    sc->last.stable = stable;
    sc->last.ug = ug;
    sc->last.seq++;
    snprintf(sc->last.unit, sizeof sc->last.unit, "g");
    snprintf(sc->last.text, sizeof sc->last.text, "%lld.0", (long long)(ug / MASS_G));
    /* A KERN frame as the scale sent it. */
    snprintf((char *)sc->last.raw, sizeof sc->last.raw, "    %s G S\r\n", sc->last.text);
    sc->last.raw_len = strlen((char *)sc->last.raw);
    snprintf(sc->driver, sizeof sc->driver, "kern");
}

static void reweigh_verdict_at_once(void **state)
{
    (void)state;
    struct reweigh_state s;
    screen_state_init(SCR_REWEIGH, &s);
    snprintf(ses.card.category, sizeof ses.card.category, "vegetables");
    struct tui_reaction rx;
    memset(&rx, 0, sizeof rx);
    struct tui_event ev = {.kind = EV_ENTER};
    reweigh_handle(&s, &ses, &ev, &rx);
    /* Opened ready to type the declared weight: a scanner types the label
     * "500g;12.50" and Enter, which fills both fields. */
    assert_int_equal(s.field, RW_DECLARED);
    assert_int_equal(s.row.cat, REWEIGH_GRAIN_VEG_FRUIT);
    for (const char *p = "500g;12.50"; *p; p++) {
        ev = chr((unsigned char)*p);
        reweigh_handle(&s, &ses, &ev, &rx);
    }
    ev = act(ACT_OK);
    reweigh_handle(&s, &ses, &ev, &rx);
    assert_string_equal(s.declared, "500g");
    assert_string_equal(s.price, "12.50");
    assert_int_equal(s.field, RW_NONE);
    /* Not stable yet: nothing captured. */
    reference_reading(480 * MASS_G, 0);
    ev = act(ACT_CAPTURE);
    reweigh_handle(&s, &ses, &ev, &rx);
    assert_int_equal(ses.visit.n_reweigh, 0);
    assert_string_equal(ses.message, "Wait for a stable reading");
    /* An overloaded (or underloaded) reference scale is said so, not "no
     * weight yet": the officer takes goods off, or zeroes it. */
    reference_reading(0, 1);
    ses.scales[SCALE_REFERENCE].last.has_value = 0;
    ses.scales[SCALE_REFERENCE].last.overload = 1;
    reweigh_handle(&s, &ses, &ev, &rx);
    assert_int_equal(ses.visit.n_reweigh, 0);
    assert_string_equal(ses.message, "Overload: the scale is above Max; nothing to capture");
    ses.scales[SCALE_REFERENCE].last.overload = 0;
    ses.scales[SCALE_REFERENCE].last.underload = 1;
    reweigh_handle(&s, &ses, &ev, &rx);
    assert_string_equal(ses.message, "Underload: the scale reads below zero; 5 zeroes it");
    ses.scales[SCALE_REFERENCE].last.underload = 0;
    /* Stable at 470 g: 30 g short of 500 g.  附表1 allows 20 g for
     * grain/vegetables/fruit up to 1 kg (the larger of the two rows the
     * stall's category and the 12.50 元/kg price point to); 30 g at 12.50
     * 元/kg is 37.5 分, rounded half up to 38 分.  Capturing goes back to
     * where the re-weigh was opened. */
    reference_reading(470 * MASS_G, 1);
    memset(&rx, 0, sizeof rx);
    reweigh_handle(&s, &ses, &ev, &rx);
    assert_int_equal(ses.visit.n_reweigh, 1);
    const struct visit_reweigh *w = &ses.visit.reweigh[0];
    assert_int_equal(w->verdict, REWEIGH_FAIL);
    assert_int_equal(w->method, REWEIGH_AT_REFERENCE);
    assert_int_equal(w->shortfall_ug, 30 * MASS_G);
    assert_int_equal(w->allowed_ug, 20 * MASS_G);
    assert_int_equal(w->money_short_fen, 38);
    assert_int_equal(ses.visit.answers[CHECK_REWEIGH], ANSWER_FAIL);
    assert_true(has_effect(&rx, EFF_SAVE_DRAFT));
    assert_true(rx.flags & RX_POP);
    /* The reading it was judged on, the frame's bytes as read. */
    assert_true(w->has_reading);
    assert_int_equal(w->reading.raw_len, 15);
    assert_memory_equal(w->reading.raw, "    470.0 G S\r\n", 15);
    assert_string_equal(w->reading.value, "470.0");
    assert_string_equal(w->reading.unit, "g");
    assert_string_equal(w->reading.driver, "kern");
}

static void reweigh_refuses_offline_scale(void **state)
{
    (void)state;
    struct reweigh_state s;
    screen_state_init(SCR_REWEIGH, &s);
    snprintf(s.declared, sizeof s.declared, "500");
    snprintf(s.price, sizeof s.price, "12");
    s.field = RW_NONE;
    ses.scales[SCALE_REFERENCE].configured = 1;
    ses.scales[SCALE_REFERENCE].online = 0;
    struct tui_reaction rx;
    memset(&rx, 0, sizeof rx);
    struct tui_event ev = act(ACT_CAPTURE);
    reweigh_handle(&s, &ses, &ev, &rx);
    assert_int_equal(ses.visit.n_reweigh, 0);
    assert_string_equal(ses.message, "The reference scale is offline: 4 retries");
    memset(&rx, 0, sizeof rx);
    ev = act(ACT_RETRY);
    reweigh_handle(&s, &ses, &ev, &rx);
    assert_true(has_effect(&rx, EFF_DEVICE_RETRY));
}

static void summary_confirms_only_a_complete_checklist(void **state)
{
    (void)state;
    struct summary_state s;
    screen_state_init(SCR_SUMMARY, &s);
    struct tui_reaction rx;
    memset(&rx, 0, sizeof rx);
    struct tui_event ev = act(ACT_CONFIRM);
    summary_handle(&s, &ses, &ev, &rx);
    assert_false(has_effect(&rx, EFF_COMMIT));
    for (int i = 0; i < CHECK_ITEM_COUNT; i++)
        ses.visit.answers[i] = i == CHECK_SEAL ? ANSWER_SEAL_INTACT : ANSWER_PASS;
    memset(&rx, 0, sizeof rx);
    summary_handle(&s, &ses, &ev, &rx);
    assert_true(has_effect(&rx, EFF_COMMIT));
    /* Pressing Confirm again while it commits does not commit twice. */
    memset(&rx, 0, sizeof rx);
    summary_handle(&s, &ses, &ev, &rx);
    assert_false(has_effect(&rx, EFF_COMMIT));
    memset(&rx, 0, sizeof rx);
    ev = (struct tui_event){.kind = EV_RESULT, .effect = EFF_COMMIT, .status = 0};
    summary_handle(&s, &ses, &ev, &rx);
    assert_true(rx.flags & RX_HOME);
}

/* Confirm is offered once every item is answered, not before (it was
 * offered on an empty checklist, then refused). */
static void summary_offers_confirm_when_complete(void **state)
{
    (void)state;
    struct summary_state s;
    screen_state_init(SCR_SUMMARY, &s);
    struct tui_reaction rx;
    memset(&rx, 0, sizeof rx);
    struct tui_event enter = {.kind = EV_ENTER};
    summary_handle(&s, &ses, &enter, &rx);
    assert_int_equal(keys_lookup(screen_keys(SCR_SUMMARY, &s), '1'), ACT_NONE);
    assert_int_equal(keys_lookup(screen_keys(SCR_SUMMARY, &s), '5'), ACT_OFFICER2);
    for (int i = 0; i < CHECK_ITEM_COUNT; i++)
        ses.visit.answers[i] = i == CHECK_SEAL ? ANSWER_SEAL_INTACT : ANSWER_PASS;
    summary_handle(&s, &ses, &enter, &rx);
    assert_int_equal(keys_lookup(screen_keys(SCR_SUMMARY, &s), '1'), ACT_CONFIRM);
}

/* The lock says why it is locked (F9 is not "no key for 5 minutes") and
 * whose PIN opens it; the other officer's key only when there are two. */
static void lock_says_why_and_whose_pin(void **state)
{
    (void)state;
    struct lock_state s;
    struct tui_reaction rx;
    struct tui_event enter = {.kind = EV_ENTER};
    char why[256];
    ses.lock_minutes = 5;
    snprintf(ses.badge, sizeof ses.badge, "1001");
    ses.badge2[0] = '\0';
    screen_state_init(SCR_LOCK, &s);
    memset(&rx, 0, sizeof rx);
    lock_handle(&s, &ses, &enter, &rx);
    lock_why(&s, &ses, why, sizeof why);
    assert_string_equal(why, "Locked: your PIN opens it. Nothing typed is lost.");
    assert_int_equal(keys_lookup(screen_keys(SCR_LOCK, &s), KEY_F(3)), ACT_NONE);
    snprintf(ses.badge2, sizeof ses.badge2, "1002");
    ses.lock_idle = 1;
    screen_state_init(SCR_LOCK, &s);
    lock_handle(&s, &ses, &enter, &rx);
    assert_int_equal(ses.lock_idle, 0);
    lock_why(&s, &ses, why, sizeof why);
    assert_string_equal(why, "No key for 5 minutes: the PIN of either officer opens it. "
                             "Nothing typed is lost.");
    assert_int_equal(keys_lookup(screen_keys(SCR_LOCK, &s), KEY_F(3)), ACT_OTHER_OFFICER);
}

static void pick_by_list_or_scan(void **state)
{
    (void)state;
    struct pick_state s;
    screen_state_init(SCR_PICK, &s);
    ses.day.n_stalls = 2;
    snprintf(ses.day.stalls[0].code, sizeof ses.day.stalls[0].code, "S001");
    snprintf(ses.day.stalls[1].code, sizeof ses.day.stalls[1].code, "S002");
    struct tui_reaction rx;
    memset(&rx, 0, sizeof rx);
    struct tui_event ev = act(ACT_DOWN);
    pick_handle(&s, &ses, &ev, &rx);
    ev = act(ACT_SELECT);
    pick_handle(&s, &ses, &ev, &rx);
    assert_true(has_effect(&rx, EFF_LOAD_STALL));
    assert_string_equal(rx.effects[0].stall, "S002");
    memset(&rx, 0, sizeof rx);
    ev = (struct tui_event){.kind = EV_RESULT, .effect = EFF_LOAD_STALL, .status = 0};
    pick_handle(&s, &ses, &ev, &rx);
    assert_true(rx.flags & RX_PUSH);
    assert_int_equal(rx.screen, SCR_STALL);
    /* A scanned code selects that stall. */
    memset(&rx, 0, sizeof rx);
    ev = (struct tui_event){.kind = EV_SCAN, .text = "S001"};
    pick_handle(&s, &ses, &ev, &rx);
    assert_int_equal(s.sel, 0);
    assert_string_equal(rx.effects[0].stall, "S001");
}

/* 4 on today's stalls: the history of the stall under the cursor (as 1
 * opens it), not of the last stall visited. */
static void pick_history_of_the_stall_under_the_cursor(void **state)
{
    (void)state;
    struct pick_state s;
    screen_state_init(SCR_PICK, &s);
    snprintf(ses.card.stall, sizeof ses.card.stall, "S001"); /* visited last */
    ses.day.n_stalls = 2;
    snprintf(ses.day.stalls[0].code, sizeof ses.day.stalls[0].code, "S001");
    snprintf(ses.day.stalls[1].code, sizeof ses.day.stalls[1].code, "S002");
    struct tui_reaction rx;
    memset(&rx, 0, sizeof rx);
    struct tui_event ev = act(ACT_DOWN);
    pick_handle(&s, &ses, &ev, &rx);
    ev = act(ACT_HISTORY);
    pick_handle(&s, &ses, &ev, &rx);
    assert_true(has_effect(&rx, EFF_LOAD_HISTORY));
    assert_string_equal(rx.effects[0].stall, "S002");
    assert_int_equal(rx.screen, SCR_HISTORY);
}

/* A manager may not inspect, draw or record a fair-scale check
 * (core/roles.h): today's stalls offer them no such key. */
static void pick_keys_follow_the_role(void **state)
{
    (void)state;
    struct pick_state s;
    struct tui_reaction rx;
    struct tui_event enter = {.kind = EV_ENTER};
    ses.role = ROLES_OFFICER;
    screen_state_init(SCR_PICK, &s);
    memset(&rx, 0, sizeof rx);
    pick_handle(&s, &ses, &enter, &rx);
    assert_int_equal(keys_lookup(screen_keys(SCR_PICK, &s), '3'), ACT_DRAW);
    assert_int_equal(keys_lookup(screen_keys(SCR_PICK, &s), '1'), ACT_INSPECT);
    ses.role = ROLES_MANAGER;
    screen_state_init(SCR_PICK, &s);
    pick_handle(&s, &ses, &enter, &rx);
    const enum tui_scope *k = screen_keys(SCR_PICK, &s);
    assert_int_equal(keys_lookup(k, '3'), ACT_NONE);
    assert_int_equal(keys_lookup(k, '1'), ACT_CARD);
    assert_int_equal(keys_lookup(k, '4'), ACT_HISTORY);
    assert_int_equal(keys_lookup(k, '5'), ACT_LISTS);
    /* The market's fair scale is its manager's desk. */
    assert_int_equal(keys_lookup(k, '6'), ACT_FAIRSCALE);
    memset(&rx, 0, sizeof rx);
    struct tui_event six = act(ACT_FAIRSCALE);
    pick_handle(&s, &ses, &six, &rx);
    assert_true(rx.flags & RX_PUSH);
    assert_int_equal(rx.screen, SCR_FAIRSCALE);
    /* An admin reads and makes the draw (core/roles.h); neither inspects
     * nor runs a market's fair scale. */
    ses.role = ROLES_ADMIN;
    screen_state_init(SCR_PICK, &s);
    pick_handle(&s, &ses, &enter, &rx);
    k = screen_keys(SCR_PICK, &s);
    assert_int_equal(keys_lookup(k, '6'), ACT_NONE);
    assert_int_equal(keys_lookup(k, '1'), ACT_CARD);
    assert_int_equal(keys_lookup(k, '3'), ACT_DRAW);
    memset(&rx, 0, sizeof rx);
    struct tui_event three = act(ACT_DRAW);
    pick_handle(&s, &ses, &three, &rx);
    assert_int_equal(rx.n_effects, 1);
    assert_int_equal(rx.effects[0].kind, EFF_DRAW);
}

/* A stall card offers a manager what a manager may do: its history, not
 * the checklist, re-weigh, scale, cheat check, second officer or summary
 * (each an inspection's step, core/roles.h). */
static void stall_keys_follow_the_role(void **state)
{
    (void)state;
    struct stall_state s;
    struct tui_reaction rx;
    struct tui_event enter = {.kind = EV_ENTER};
    static const int steps[] = {'1', '2', '3', '4', '5', '9'};
    ses.role = ROLES_OFFICER;
    screen_state_init(SCR_STALL, &s);
    memset(&rx, 0, sizeof rx);
    stall_handle(&s, &ses, &enter, &rx);
    const enum tui_scope *k = screen_keys(SCR_STALL, &s);
    assert_int_equal(keys_lookup(k, '1'), ACT_CHECKLIST);
    assert_int_equal(keys_lookup(k, '2'), ACT_REWEIGH);
    assert_int_equal(keys_lookup(k, '6'), ACT_HISTORY);
    ses.role = ROLES_MANAGER;
    screen_state_init(SCR_STALL, &s);
    stall_handle(&s, &ses, &enter, &rx);
    k = screen_keys(SCR_STALL, &s);
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        assert_int_equal(keys_lookup(k, steps[i]), ACT_NONE);
    assert_int_equal(keys_lookup(k, '6'), ACT_HISTORY);
    assert_int_equal(keys_lookup(k, '0'), ACT_BACK);
}

/* Today's list and the instruments to verify are the first screens after
 * signing in: 0 would go nowhere, so no Back is offered there (help and
 * quit are); a card opened from the list goes back. */
static void first_screens_offer_no_back(void **state)
{
    (void)state;
    struct pick_state p;
    struct vpick_state v;
    struct tui_reaction rx;
    struct tui_event enter = {.kind = EV_ENTER};
    memset(&rx, 0, sizeof rx);
    ses.role = ROLES_OFFICER;
    screen_state_init(SCR_PICK, &p);
    pick_handle(&p, &ses, &enter, &rx);
    screen_state_init(SCR_VERIFY_PICK, &v);
    const enum tui_scope *lists[] = {screen_keys(SCR_PICK, &p), screen_keys(SCR_VERIFY_PICK, &v)};
    for (int i = 0; i < 2; i++) {
        assert_int_equal(keys_lookup(lists[i], '0'), ACT_NONE);
        assert_int_equal(keys_lookup(lists[i], 27), ACT_NONE);
        assert_int_not_equal(keys_lookup(lists[i], '1'), ACT_NONE);
    }
    struct stall_state c;
    screen_state_init(SCR_STALL, &c);
    assert_int_equal(keys_lookup(screen_keys(SCR_STALL, &c), '0'), ACT_BACK);
}

/* 0 on the re-weigh or the fair-scale screen with no field typed is not
 * theirs: the loop goes back; while a field is typed, Esc only leaves it. */
static void weighing_screens_let_back_through(void **state)
{
    (void)state;
    struct reweigh_state r;
    struct fair_state f;
    struct tui_reaction rx;
    struct tui_event back = act(ACT_BACK);
    screen_state_init(SCR_REWEIGH, &r);
    r.field = RW_NONE;
    memset(&rx, 0, sizeof rx);
    reweigh_handle(&r, &ses, &back, &rx);
    assert_true(rx.flags & RX_UNHANDLED);
    screen_state_init(SCR_FAIRSCALE, &f);
    f.field = FAIR_NONE;
    f.opened = 1;
    memset(&rx, 0, sizeof rx);
    fair_handle(&f, &ses, &back, &rx);
    assert_true(rx.flags & RX_UNHANDLED);
    f.field = FAIR_GOODS;
    memset(&rx, 0, sizeof rx);
    fair_handle(&f, &ses, &back, &rx);
    assert_false(rx.flags & RX_UNHANDLED);
    assert_int_equal(f.field, FAIR_NONE);
}

/* "Discard" on the unfinished-inspection screen asks first, saying what
 * would be lost; only a second press drops the draft. */
static void resume_discard_asks_first(void **state)
{
    (void)state;
    struct resume_state s;
    screen_state_init(SCR_RESUME, &s);
    ses.draft_pending = 1;
    snprintf(ses.draft.stall, sizeof ses.draft.stall, "S001");
    ses.draft.answers[CHECK_LICENCE_SHOWN] = ANSWER_PASS;
    ses.draft.n_reweigh = 1;
    ses.draft.reweigh[0].captured = 1;
    ses.draft.reweigh[0].verdict = REWEIGH_FAIL;
    struct tui_reaction rx;
    memset(&rx, 0, sizeof rx);
    struct tui_event ev = act(ACT_DISCARD);
    resume_handle(&s, &ses, &ev, &rx);
    assert_false(has_effect(&rx, EFF_DISCARD_DRAFT));
    assert_non_null(strstr(ses.message, "re-weigh"));
    memset(&rx, 0, sizeof rx);
    resume_handle(&s, &ses, &ev, &rx);
    assert_true(has_effect(&rx, EFF_DISCARD_DRAFT));
}

/* The fair-scale station: the stall looked up as its code is left, its
 * category's row taken, the complaint recorded only on a stable reading of
 * the fair scale, with what was typed. */
static void fairscale_station_records_a_complaint(void **state)
{
    (void)state;
    struct fair_state s;
    screen_state_init(SCR_FAIRSCALE, &s);
    assert_int_equal(s.field, FAIR_STALL);
    struct tui_reaction rx;
    memset(&rx, 0, sizeof rx);
    struct tui_event ev = {.kind = EV_ENTER};
    fair_handle(&s, &ses, &ev, &rx);
    assert_true(has_effect(&rx, EFF_FAIR_OPEN));
    const char *typed[] = {"M01-002", "猪肉", "500", "30"};
    for (int f = 0; f < 4; f++) {
        memset(&rx, 0, sizeof rx);
        for (const char *p = typed[f]; *p;) {
            uint32_t cp;
            size_t n = utf8_decode(p, strlen(p), &cp);
            ev = chr(cp);
            fair_handle(&s, &ses, &ev, &rx);
            p += n;
        }
        ev = act(ACT_OK);
        fair_handle(&s, &ses, &ev, &rx);
        if (f == 0) {
            assert_true(has_effect(&rx, EFF_FAIR_STALL));
            assert_string_equal(rx.effects[0].stall, "M01-002");
            snprintf(ses.fair.stall, sizeof ses.fair.stall, "M01-002");
            snprintf(ses.fair.category, sizeof ses.fair.category, "meat");
            ev = (struct tui_event){.kind = EV_RESULT, .effect = EFF_FAIR_STALL, .status = 0};
            fair_handle(&s, &ses, &ev, &rx);
            assert_int_equal(s.row.cat, REWEIGH_MEAT_EGG_AQUATIC);
        }
    }
    assert_int_equal(s.field, FAIR_NONE);
    assert_string_equal(s.goods, "猪肉");
    /* No stable reading yet: nothing recorded. */
    struct tui_scale *sc = &ses.scales[SCALE_FAIR];
    sc->configured = sc->online = 1;
    sc->last = (struct tui_reading){.has_value = 1, .stable = 0, .ug = 480 * MASS_G, .seq = 1};
    memset(&rx, 0, sizeof rx);
    ev = act(ACT_CAPTURE);
    fair_handle(&s, &ses, &ev, &rx);
    assert_false(has_effect(&rx, EFF_FAIR_RECORD));
    sc->last.stable = 1;
    memset(&rx, 0, sizeof rx);
    fair_handle(&s, &ses, &ev, &rx);
    assert_true(has_effect(&rx, EFF_FAIR_RECORD));
    assert_string_equal(rx.effects[0].fair.stall, "M01-002");
    assert_int_equal(rx.effects[0].fair.declared_ug, 500 * MASS_G);
    assert_int_equal(rx.effects[0].fair.price_fen, 3000);
    assert_int_equal(rx.effects[0].fair.cat, REWEIGH_MEAT_EGG_AQUATIC);
    /* Recorded: 1 records it no second time; the keys are the next
     * customer's and the ticket's. */
    ev = (struct tui_event){.kind = EV_RESULT, .effect = EFF_FAIR_RECORD, .status = 0};
    fair_handle(&s, &ses, &ev, &rx);
    assert_true(s.shown);
    assert_int_equal(fair_keys(&s)[0], SCOPE_FAIR_DONE);
    memset(&rx, 0, sizeof rx);
    ev = act(ACT_CAPTURE);
    fair_handle(&s, &ses, &ev, &rx);
    assert_false(has_effect(&rx, EFF_FAIR_RECORD));
    /* 7 prints again; 6 clears the form for the next customer. */
    memset(&rx, 0, sizeof rx);
    ev = act(ACT_PRINT);
    fair_handle(&s, &ses, &ev, &rx);
    assert_true(has_effect(&rx, EFF_FAIR_PRINT));
    ev = act(ACT_NEW_COMPLAINT);
    fair_handle(&s, &ses, &ev, &rx);
    assert_string_equal(s.stall, "");
    assert_int_equal(s.field, FAIR_STALL);
}

static void overdue_scale_is_a_finding(void **state)
{
    (void)state;
    ses.card.n_instruments = 1;
    ses.card.instruments[0].overdue = 1;
    struct tui_reaction rx;
    memset(&rx, 0, sizeof rx);
    struct tui_event ev = {.kind = EV_ENTER};
    stall_handle(NULL, &ses, &ev, &rx);
    assert_int_equal(ses.visit.answers[CHECK_VERIFICATION_DUE], ANSWER_FAIL);
    assert_true(has_effect(&rx, EFF_SAVE_DRAFT));
}

static void visit_text_round_trip(void **state)
{
    (void)state;
    ses.visit.answers[CHECK_SEAL] = ANSWER_SEAL_MISSING;
    ses.visit.answers[CHECK_PRICE_TAGS] = ANSWER_FAIL;
    snprintf(ses.visit.notes[CHECK_PRICE_TAGS], VISIT_NOTE_MAX, "two lines\nand a \\ slash");
    snprintf(ses.visit.deadlines[CHECK_PRICE_TAGS], 12, "2026-12-02");
    ses.visit.n_reweigh = 1;
    struct visit_reweigh *w = &ses.visit.reweigh[0];
    w->category = REWEIGH_GRAIN_VEG_FRUIT;
    w->declared_ug = 500 * MASS_G;
    w->measured_ug = 480 * MASS_G;
    w->captured = 1;
    w->verdict = REWEIGH_FAIL;
    w->shortfall_ug = 20 * MASS_G;
    w->money_short_fen = 25;
    w->has_reading = 1;
    memcpy(w->reading.raw, "\x02 480.0 g\x00\xff", 12); /* bytes, not text */
    w->reading.raw_len = 12;
    snprintf(w->reading.value, sizeof w->reading.value, "480.0");
    char buf[VISIT_TEXT_MAX];
    int n = visit_encode(&ses.visit, buf, sizeof buf);
    assert_true(n > 0);
    struct visit back;
    assert_int_equal(visit_decode(buf, &back), 0);
    assert_memory_equal(&back, &ses.visit, sizeof back);
    /* A draft cut short is refused, not half-loaded. */
    buf[n / 2] = '\0';
    assert_int_equal(visit_decode(buf, &back), SC_ERR_PARSE);
    char tiny[16];
    assert_int_equal(visit_encode(&ses.visit, tiny, sizeof tiny), SC_ERR_RANGE);
}

static void both_scales(int64_t stall_ug, int64_t ref_ug)
{
    for (int i = 0; i < SCALE_COUNT; i++) {
        struct tui_scale *sc = &ses.scales[i];
        sc->configured = sc->online = 1;
        sc->last.has_value = sc->last.stable = 1;
        sc->last.ug = i == SCALE_STALL ? stall_ug : ref_ug;
        sc->last.seq++;
    }
}

static void ghost_enter(struct ghost_state *s)
{
    screen_state_init(SCR_GHOST, s);
    struct tui_reaction rx;
    memset(&rx, 0, sizeof rx);
    struct tui_event ev = {.kind = EV_ENTER};
    ghost_handle(s, &ses, &ev, &rx);
    assert_true(s->ready);
}

/* The draft as the database keeps it, and the visit read back from it: a
 * kill -9 in between loses nothing saved. */
static void kill_and_resume(void)
{
    static char text[VISIT_TEXT_MAX];
    assert_true(visit_encode(&ses.visit, text, sizeof text) > 0);
    memset(&ses.visit, 0, sizeof ses.visit);
    assert_int_equal(visit_decode(text, &ses.visit), 0);
}

/* Runs the protocol: the stall's scale reads `after_error` µg heavy once
 * the vendor has pressed their keys (a key-code cheat), true before.  With
 * kill_at > 0 the program is killed after that many observations and the
 * check goes on from the draft. */
static void run_ghost(struct ghost_state *s, int64_t after_error, int kill_at)
{
    ses.card.n_instruments = 1;
    struct session_instrument *in = &ses.card.instruments[0];
    snprintf(in->kind, sizeof in->kind, "price-computing");
    snprintf(in->cls, sizeof in->cls, "III");
    in->max_ug = 15 * MASS_KG;
    in->e_ug = in->d_ug = 5 * MASS_G;
    in->min_ug = 100 * MASS_G;
    snprintf(ses.day.reference_id, sizeof ses.day.reference_id, "REF-01");
    snprintf(ses.day.reference_due, sizeof ses.day.reference_due, "2027-01-31");
    ghost_enter(s);
    const struct visit_ghost_check *g = &ses.visit.ghost;
    assert_int_equal(g->nloads, 3);
    struct tui_reaction rx;
    for (int guard = 0; guard < 40 && !s->judged; guard++) {
        int round, at;
        enum ghost_phase phase;
        visit_ghost_position(g, &round, &phase, &at);
        /* Between the phases (the vendor's turn) no load is asked for. */
        int64_t load = g->loads_ug[g->vendor_turn ? 0 : at];
        both_scales(load + (phase == GHOST_AFTER && !g->vendor_turn ? after_error : 0), load);
        memset(&rx, 0, sizeof rx);
        struct tui_event ev = act(ACT_RECORD);
        ghost_handle(s, &ses, &ev, &rx);
        assert_true(has_effect(&rx, EFF_SAVE_DRAFT)); /* every step kept */
        if (kill_at > 0 && g->n_obs == kill_at && !g->vendor_turn) {
            kill_and_resume();
            ghost_enter(s);
            kill_at = 0;
        }
    }
    assert_true(s->judged);
    assert_int_equal(kill_at, 0); /* the kill, when asked for, took place */
    assert_int_equal(g->n_obs, 3 * 2 * GHOST_MIN_ROUNDS);
}

static void ghost_protocol_clear(void **state)
{
    (void)state;
    static struct ghost_state s;
    run_ghost(&s, 0, 0);
    assert_int_equal(s.verdict.outcome, GHOST_CLEAR);
    assert_int_equal(ses.visit.answers[CHECK_CHEATING_DEVICE], ANSWER_PASS);
    assert_int_equal(ses.visit.ghost.result, VISIT_GHOST_CLEAR);
}

static void ghost_protocol_catches_a_key_code(void **state)
{
    (void)state;
    static struct ghost_state s;
    run_ghost(&s, 50 * MASS_G, 0); /* 50 g heavy after the vendor's keys */
    assert_int_equal(s.verdict.outcome, GHOST_SUSPECT);
    assert_int_equal(ses.visit.answers[CHECK_CHEATING_DEVICE], ANSWER_FAIL);
    assert_true(ses.visit.notes[CHECK_CHEATING_DEVICE][0] != '\0');
}

/* Killed in the second round, once the vendor has had the scale: the
 * observations come back from the draft and the check ends as it would
 * have; the verdict is shown again when the screen is opened again. */
static void ghost_survives_a_kill(void **state)
{
    (void)state;
    static struct ghost_state s;
    run_ghost(&s, 50 * MASS_G, 9);
    assert_int_equal(s.verdict.outcome, GHOST_SUSPECT);
    assert_int_equal(ses.visit.answers[CHECK_CHEATING_DEVICE], ANSWER_FAIL);
    kill_and_resume();
    ghost_enter(&s);
    assert_true(s.judged);
    assert_int_equal(s.verdict.outcome, GHOST_SUSPECT);
}

static void ghost_waits_for_stable_readings(void **state)
{
    (void)state;
    static struct ghost_state s;
    ses.card.n_instruments = 1;
    snprintf(ses.card.instruments[0].kind, sizeof ses.card.instruments[0].kind, "platform");
    snprintf(ses.card.instruments[0].cls, sizeof ses.card.instruments[0].cls, "III");
    ses.card.instruments[0].max_ug = 30 * MASS_KG;
    ses.card.instruments[0].e_ug = 10 * MASS_G;
    snprintf(ses.day.reference_id, sizeof ses.day.reference_id, "REF-01");
    snprintf(ses.day.reference_due, sizeof ses.day.reference_due, "2027-01-31");
    screen_state_init(SCR_GHOST, &s);
    struct tui_reaction rx;
    memset(&rx, 0, sizeof rx);
    struct tui_event ev = {.kind = EV_ENTER};
    ghost_handle(&s, &ses, &ev, &rx);
    both_scales(MASS_KG, MASS_KG);
    ses.scales[SCALE_REFERENCE].last.stable = 0;
    ev = act(ACT_RECORD);
    ghost_handle(&s, &ses, &ev, &rx);
    assert_int_equal(ses.visit.ghost.n_obs, 0);
    ses.scales[SCALE_STALL].online = 0;
    ghost_handle(&s, &ses, &ev, &rx);
    assert_int_equal(ses.visit.ghost.n_obs, 0);
    assert_string_equal(ses.message, "Both scales must be online: 4 retries");
}

/* Every row of the screen table is whole, and a screen's keys follow its
 * state: the entry keys while a field is typed. */
static void screen_rows_are_whole(void **state)
{
    (void)state;
    for (int id = 0; id < SCR_COUNT; id++) {
        const struct screen_ops *ops = screen_ops((enum tui_screen_id)id);
        assert_non_null(ops->name);
        assert_non_null(ops->handle);
        assert_non_null(ops->draw);
        assert_non_null(ops->keys);
        int n = 0;
        while (ops->keys[n] != SCOPE_COUNT && n < SCOPE_COUNT)
            n++;
        assert_true(n >= 2 && ops->keys[n - 1] == SCOPE_GLOBAL);
    }
    assert_string_equal(screen_ops(SCR_PICK)->name, "SCR_PICK");
    assert_null(screen_ops(SCR_COUNT));
    struct pick_state p;
    screen_state_init(SCR_PICK, &p);
    assert_false(screen_takes_text(SCR_PICK, &p));
    assert_int_equal(keys_lookup(screen_keys(SCR_PICK, &p), '2'), ACT_TYPE_CODE);
    p.typing = 1;
    assert_true(screen_takes_text(SCR_PICK, &p));
    assert_int_equal(screen_keys(SCR_PICK, &p)[0], SCOPE_ENTRY);
    assert_true(screen_takes_text(SCR_SIGNIN, NULL));
    assert_false(screen_takes_text(SCR_STALL, NULL));
    struct reweigh_state r;
    memset(&r, 0xff, sizeof r);
    screen_state_init(SCR_REWEIGH, &r); /* zeroed, then its own set-up */
    assert_int_equal(r.row.cat, REWEIGH_NONE);
    assert_int_equal(r.field, RW_DECLARED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(screen_rows_are_whole),
        cmocka_unit_test_setup(signin_collects_badge_and_pin, reset),
        cmocka_unit_test_setup(signin_refuses_empty_fields, reset),
        cmocka_unit_test_setup(team_second_officer_or_alone, reset),
        cmocka_unit_test_setup(checklist_one_key_per_answer, reset),
        cmocka_unit_test_setup(checklist_seal_has_its_own_keys, reset),
        cmocka_unit_test_setup(deadline_dates, reset),
        cmocka_unit_test_setup(reweigh_verdict_at_once, reset),
        cmocka_unit_test_setup(reweigh_refuses_offline_scale, reset),
        cmocka_unit_test_setup(summary_confirms_only_a_complete_checklist, reset),
        cmocka_unit_test_setup(summary_offers_confirm_when_complete, reset),
        cmocka_unit_test_setup(lock_says_why_and_whose_pin, reset),
        cmocka_unit_test_setup(pick_by_list_or_scan, reset),
        cmocka_unit_test_setup(overdue_scale_is_a_finding, reset),
        cmocka_unit_test_setup(resume_discard_asks_first, reset),
        cmocka_unit_test_setup(pick_history_of_the_stall_under_the_cursor, reset),
        cmocka_unit_test_setup(pick_keys_follow_the_role, reset),
        cmocka_unit_test_setup(stall_keys_follow_the_role, reset),
        cmocka_unit_test_setup(first_screens_offer_no_back, reset),
        cmocka_unit_test_setup(weighing_screens_let_back_through, reset),
        cmocka_unit_test_setup(fairscale_station_records_a_complaint, reset),
        cmocka_unit_test_setup(visit_text_round_trip, reset),
        cmocka_unit_test_setup(ghost_protocol_clear, reset),
        cmocka_unit_test_setup(ghost_protocol_catches_a_key_code, reset),
        cmocka_unit_test_setup(ghost_survives_a_kill, reset),
        cmocka_unit_test_setup(ghost_waits_for_stable_readings, reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
