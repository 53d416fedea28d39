/* The managers' screen as a pure state machine: loading, filters, moving,
 * opening a stall. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/error.h"
#include "tui/managers.h"

static struct session ses;

static void row(const char *code, int score, enum score_list list, int followups)
{
    struct session_list_row *r = &ses.lists.rows[ses.lists.n++];
    memset(r, 0, sizeof *r);
    snprintf(r->code, sizeof r->code, "%s", code);
    r->score = score;
    r->list = list;
    r->followups = followups;
}

static int reset(void **state)
{
    (void)state;
    memset(&ses, 0, sizeof ses);
    snprintf(ses.day.market, sizeof ses.day.market, "M01");
    return 0;
}

static struct tui_reaction handle(struct managers_state *s, struct tui_event ev)
{
    struct tui_reaction rx;
    memset(&rx, 0, sizeof rx);
    managers_handle(s, &ses, &ev, &rx);
    return rx;
}

static struct tui_event act(enum tui_action a)
{
    return (struct tui_event){.kind = EV_ACTION, .action = a};
}

static void loads_on_enter(void **state)
{
    (void)state;
    struct managers_state s;
    screen_state_init(SCR_MANAGERS, &s);
    struct tui_reaction rx = handle(&s, (struct tui_event){.kind = EV_ENTER});
    assert_int_equal(rx.n_effects, 1);
    assert_int_equal(rx.effects[0].kind, EFF_LOAD_LISTS);
    assert_string_equal(rx.effects[0].lists.market, "M01");
    assert_int_equal(rx.effects[0].lists.recompute, 0);
    assert_true(s.loading);
    /* A second enter while loading asks nothing more. */
    rx = handle(&s, (struct tui_event){.kind = EV_ENTER});
    assert_int_equal(rx.n_effects, 0);
    row("M01-001", 100, SCORE_LIST_RED, 0);
    rx = handle(&s, (struct tui_event){.kind = EV_RESULT, .effect = EFF_LOAD_LISTS, .status = 0});
    assert_false(s.loading);
    assert_string_equal(ses.message, "");
    /* A failure says so. */
    s.loading = 1;
    handle(&s, (struct tui_event){.kind = EV_RESULT, .effect = EFF_LOAD_LISTS,
                                  .status = SC_ERR_DB});
    assert_true(ses.message_is_error);
}

/* Whether the help line of scopes offers key. */
static int offers(const enum tui_scope *scopes, int key)
{
    const char *labels[32];
    int keys[32];
    size_t n = keys_help_items(scopes, 0, NULL, labels, keys, 32);
    for (size_t i = 0; i < n; i++)
        if (keys[i] == key)
            return 1;
    return 0;
}

/* Recomputing stores every stall's status: an officer may, a manager reads
 * and prints only (core/roles.h): 2 is not offered and, pressed, says why
 * and asks nothing of the database. */
static void manager_never_recomputes(void **state)
{
    (void)state;
    struct managers_state s;
    screen_state_init(SCR_MANAGERS, &s);
    ses.role = ROLES_OFFICER;
    handle(&s, (struct tui_event){.kind = EV_ENTER});
    handle(&s, (struct tui_event){.kind = EV_RESULT, .effect = EFF_LOAD_LISTS, .status = 0});
    assert_true(offers(managers_keys(&s), '2'));
    struct tui_reaction rx = handle(&s, act(ACT_REFRESH));
    assert_int_equal(rx.n_effects, 1);
    assert_int_equal(rx.effects[0].lists.recompute, 1);

    screen_state_init(SCR_MANAGERS, &s);
    ses.role = ROLES_MANAGER;
    handle(&s, (struct tui_event){.kind = EV_ENTER});
    handle(&s, (struct tui_event){.kind = EV_RESULT, .effect = EFF_LOAD_LISTS, .status = 0});
    const enum tui_scope *keys = managers_keys(&s);
    assert_false(offers(keys, '2'));
    assert_true(offers(keys, '1')); /* the filter still is */
    assert_int_equal(keys_lookup(keys, '2'), ACT_REFRESH_REFUSED);
    rx = handle(&s, act(ACT_REFRESH_REFUSED));
    assert_int_equal(rx.n_effects, 0);
    assert_true(ses.message_is_error);
    assert_non_null(strstr(ses.message, "may not recompute and store the red/black lists"));
    ses.message[0] = '\0';
    rx = handle(&s, act(ACT_REFRESH));
    assert_int_equal(rx.n_effects, 0);
    assert_true(ses.message_is_error);
    assert_non_null(strstr(ses.message, "may not recompute and store the red/black lists"));
}

static void filters_and_moves(void **state)
{
    (void)state;
    row("M01-001", 100, SCORE_LIST_RED, 0);
    row("M01-002", 20, SCORE_LIST_BLACK, 2);
    row("M01-003", 80, SCORE_LIST_NONE, 1);
    row("M01-004", 95, SCORE_LIST_RED, 0);
    struct managers_state s;
    screen_state_init(SCR_MANAGERS, &s);
    assert_int_equal(managers_count(&s, &ses), 4);
    handle(&s, act(ACT_DOWN));
    handle(&s, act(ACT_DOWN));
    handle(&s, act(ACT_DOWN));
    handle(&s, act(ACT_DOWN)); /* stops at the last */
    assert_int_equal(s.sel, 3);
    handle(&s, act(ACT_FILTER));
    assert_int_equal(s.filter, MANAGERS_RED);
    assert_int_equal(s.sel, 0);
    assert_int_equal(managers_count(&s, &ses), 2);
    assert_int_equal(managers_row(&s, &ses, 1), 3);
    handle(&s, act(ACT_FILTER));
    assert_int_equal(s.filter, MANAGERS_BLACK);
    assert_int_equal(managers_count(&s, &ses), 1);
    assert_int_equal(managers_row(&s, &ses, 0), 1);
    assert_int_equal(managers_row(&s, &ses, 1), -1);
    handle(&s, act(ACT_FILTER));
    assert_int_equal(s.filter, MANAGERS_FOLLOWUP);
    assert_int_equal(managers_count(&s, &ses), 2);
    handle(&s, act(ACT_UP)); /* stays at 0 */
    assert_int_equal(s.sel, 0);
    handle(&s, act(ACT_DOWN));
    /* Enter opens the selected stall's card: M01-003. */
    struct tui_reaction rx = handle(&s, act(ACT_SELECT));
    assert_int_equal(rx.n_effects, 1);
    assert_int_equal(rx.effects[0].kind, EFF_LOAD_STALL);
    assert_string_equal(rx.effects[0].stall, "M01-003");
    assert_true(rx.flags & RX_PUSH);
    assert_int_equal(rx.screen, SCR_STALL);
    handle(&s, act(ACT_FILTER));
    assert_int_equal(s.filter, MANAGERS_ALL);
    /* Recompute asks the loop to store every status first. */
    rx = handle(&s, act(ACT_REFRESH));
    assert_int_equal(rx.effects[0].kind, EFF_LOAD_LISTS);
    assert_int_equal(rx.effects[0].lists.recompute, 1);
    /* Keys it does not use go to the global table. */
    rx = handle(&s, act(ACT_HELP));
    assert_true(rx.flags & RX_UNHANDLED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(loads_on_enter, reset),
        cmocka_unit_test_setup(filters_and_moves, reset),
        cmocka_unit_test_setup(manager_never_recomputes, reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
