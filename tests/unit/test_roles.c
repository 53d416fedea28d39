/* core/roles: every role against every action, and a manager's market. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/error.h"
#include "core/roles.h"

static void each_role_each_action(void **state)
{
    (void)state;
    /* The words: officer inspects; metrology verifies instruments;
     * manager reads the lists and scorecards of their own market only;
     * admin: registry and users. */
    static const struct {
        enum roles_role r;
        enum roles_action a;
        int ok;
    } cases[] = {
        {ROLES_OFFICER, ROLE_ACT_INSPECT, 1},    {ROLES_METROLOGY, ROLE_ACT_INSPECT, 0},
        {ROLES_MANAGER, ROLE_ACT_INSPECT, 0},    {ROLES_ADMIN, ROLE_ACT_INSPECT, 0},
        {ROLES_OFFICER, ROLE_ACT_CALIBRATE, 0},  {ROLES_METROLOGY, ROLE_ACT_CALIBRATE, 1},
        {ROLES_MANAGER, ROLE_ACT_CALIBRATE, 0},  {ROLES_ADMIN, ROLE_ACT_CALIBRATE, 0},
        {ROLES_OFFICER, ROLE_ACT_REGISTRY, 0},   {ROLES_METROLOGY, ROLE_ACT_REGISTRY, 0},
        {ROLES_MANAGER, ROLE_ACT_REGISTRY, 0},   {ROLES_ADMIN, ROLE_ACT_REGISTRY, 1},
        {ROLES_OFFICER, ROLE_ACT_USERS, 0},      {ROLES_METROLOGY, ROLE_ACT_USERS, 0},
        {ROLES_MANAGER, ROLE_ACT_USERS, 0},      {ROLES_ADMIN, ROLE_ACT_USERS, 1},
        {ROLES_OFFICER, ROLE_ACT_DRAW, 1},       {ROLES_METROLOGY, ROLE_ACT_DRAW, 0},
        {ROLES_MANAGER, ROLE_ACT_DRAW, 0},       {ROLES_ADMIN, ROLE_ACT_DRAW, 1},
        {ROLES_OFFICER, ROLE_ACT_SYNC, 1},       {ROLES_MANAGER, ROLE_ACT_SYNC, 0},
        {ROLES_OFFICER, ROLE_ACT_READ, 1},       {ROLES_ADMIN, ROLE_ACT_READ, 1},
        {ROLES_MANAGER, ROLE_ACT_VERIFY, 1},     {ROLES_METROLOGY, ROLE_ACT_DUE, 1},
        {ROLES_OFFICER, ROLE_ACT_FAIRSCALE, 1},  {ROLES_METROLOGY, ROLE_ACT_FAIRSCALE, 0},
        {ROLES_ADMIN, ROLE_ACT_FAIRSCALE, 0},
        /* Recomputing the lists stores statuses: managers read, never change */
        {ROLES_OFFICER, ROLE_ACT_LISTS, 1},      {ROLES_METROLOGY, ROLE_ACT_LISTS, 0},
        {ROLES_MANAGER, ROLE_ACT_LISTS, 0},      {ROLES_ADMIN, ROLE_ACT_LISTS, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc = roles_check(cases[i].r, NULL, cases[i].a, "M1");
        if (cases[i].ok)
            assert_int_equal(rc, 0);
        else {
            assert_int_equal(rc, SC_ERR_DENIED);
            assert_int_equal(roles_may(cases[i].r, cases[i].a), 0);
        }
    }
    assert_int_equal(roles_check(ROLES_METROLOGY, NULL, ROLE_ACT_INSPECT, NULL), SC_ERR_DENIED);
    assert_string_equal(sc_error_message(), "the metrology role may not record inspections");
    assert_int_equal(roles_check(ROLES_NONE, NULL, ROLE_ACT_VERIFY, NULL), SC_ERR_DENIED);
}

static void manager_own_market_only(void **state)
{
    (void)state;
    assert_int_equal(roles_check(ROLES_MANAGER, "M1", ROLE_ACT_READ, "M1"), 0);
    assert_int_equal(roles_check(ROLES_MANAGER, "M1", ROLE_ACT_DUE, "M1"), 0);
    assert_int_equal(roles_check(ROLES_MANAGER, "M1", ROLE_ACT_READ, "M2"), SC_ERR_DENIED);
    assert_string_equal(sc_error_message(), "a manager of market M1 may not read market M2");
    /* Every market at once is not their own market. */
    assert_int_equal(roles_check(ROLES_MANAGER, "M1", ROLE_ACT_READ, NULL), SC_ERR_DENIED);
    assert_int_equal(roles_check(ROLES_MANAGER, NULL, ROLE_ACT_READ, "M1"), SC_ERR_DENIED);
    /* Other roles read every market. */
    assert_int_equal(roles_check(ROLES_OFFICER, NULL, ROLE_ACT_READ, NULL), 0);
    assert_int_equal(roles_check(ROLES_ADMIN, NULL, ROLE_ACT_READ, "M2"), 0);
}

/* The fair scale (公平秤) is the market's: its operator provides it and
 * its checker signs the ticket (《集贸市场计量监督管理办法》), so a manager
 * records its checks, at their own market's desk only. */
static void manager_runs_own_fair_scale(void **state)
{
    (void)state;
    assert_int_equal(roles_may(ROLES_MANAGER, ROLE_ACT_FAIRSCALE), 1);
    assert_int_equal(roles_check(ROLES_MANAGER, "M1", ROLE_ACT_FAIRSCALE, "M1"), 0);
    assert_int_equal(roles_check(ROLES_MANAGER, "M1", ROLE_ACT_FAIRSCALE, "M2"), SC_ERR_DENIED);
    assert_string_equal(sc_error_message(),
                        "a manager of market M1 may not record fair-scale checks in market M2");
    assert_int_equal(roles_check(ROLES_MANAGER, NULL, ROLE_ACT_FAIRSCALE, "M1"), SC_ERR_DENIED);
    /* Still no inspection, no draw. */
    assert_int_equal(roles_check(ROLES_MANAGER, "M1", ROLE_ACT_INSPECT, "M1"), SC_ERR_DENIED);
    assert_int_equal(roles_check(ROLES_OFFICER, NULL, ROLE_ACT_FAIRSCALE, "M2"), 0);
    assert_string_equal(roles_action_id(ROLE_ACT_FAIRSCALE), "fairscale");
}

static void ids_round_trip(void **state)
{
    (void)state;
    for (int r = 0; r < ROLES_COUNT; r++)
        assert_int_equal(roles_from_id(roles_id((enum roles_role)r)), r);
    assert_int_equal(roles_from_id("root"), ROLES_NONE);
    assert_int_equal(roles_from_id(NULL), ROLES_NONE);
    assert_string_equal(roles_action_id(ROLE_ACT_CALIBRATE), "calibrate");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_role_each_action),
        cmocka_unit_test(manager_own_market_only),
        cmocka_unit_test(manager_runs_own_fair_scale),
        cmocka_unit_test(ids_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
