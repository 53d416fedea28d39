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
        enum role r;
        enum role_action a;
        int ok;
    } cases[] = {
        {ROLE_OFFICER, ACTION_INSPECT, 1},    {ROLE_METROLOGY, ACTION_INSPECT, 0},
        {ROLE_MANAGER, ACTION_INSPECT, 0},    {ROLE_ADMIN, ACTION_INSPECT, 0},
        {ROLE_OFFICER, ACTION_CALIBRATE, 0},  {ROLE_METROLOGY, ACTION_CALIBRATE, 1},
        {ROLE_MANAGER, ACTION_CALIBRATE, 0},  {ROLE_ADMIN, ACTION_CALIBRATE, 0},
        {ROLE_OFFICER, ACTION_REGISTRY, 0},   {ROLE_METROLOGY, ACTION_REGISTRY, 0},
        {ROLE_MANAGER, ACTION_REGISTRY, 0},   {ROLE_ADMIN, ACTION_REGISTRY, 1},
        {ROLE_OFFICER, ACTION_USERS, 0},      {ROLE_METROLOGY, ACTION_USERS, 0},
        {ROLE_MANAGER, ACTION_USERS, 0},      {ROLE_ADMIN, ACTION_USERS, 1},
        {ROLE_OFFICER, ACTION_DRAW, 1},       {ROLE_METROLOGY, ACTION_DRAW, 0},
        {ROLE_MANAGER, ACTION_DRAW, 0},       {ROLE_ADMIN, ACTION_DRAW, 1},
        {ROLE_OFFICER, ACTION_SYNC, 1},       {ROLE_MANAGER, ACTION_SYNC, 0},
        {ROLE_OFFICER, ACTION_READ, 1},       {ROLE_ADMIN, ACTION_READ, 1},
        {ROLE_MANAGER, ACTION_VERIFY, 1},     {ROLE_METROLOGY, ACTION_DUE, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc = role_check(cases[i].r, NULL, cases[i].a, "M1");
        if (cases[i].ok)
            assert_int_equal(rc, 0);
        else {
            assert_int_equal(rc, SC_ERR_DENIED);
            assert_int_equal(role_may(cases[i].r, cases[i].a), 0);
        }
    }
    assert_int_equal(role_check(ROLE_METROLOGY, NULL, ACTION_INSPECT, NULL), SC_ERR_DENIED);
    assert_string_equal(sc_error_message(), "the metrology role may not record inspections");
    assert_int_equal(role_check(ROLE_NONE, NULL, ACTION_VERIFY, NULL), SC_ERR_DENIED);
}

static void manager_own_market_only(void **state)
{
    (void)state;
    assert_int_equal(role_check(ROLE_MANAGER, "M1", ACTION_READ, "M1"), 0);
    assert_int_equal(role_check(ROLE_MANAGER, "M1", ACTION_DUE, "M1"), 0);
    assert_int_equal(role_check(ROLE_MANAGER, "M1", ACTION_READ, "M2"), SC_ERR_DENIED);
    assert_string_equal(sc_error_message(), "a manager of market M1 may not read market M2");
    /* Every market at once is not their own market. */
    assert_int_equal(role_check(ROLE_MANAGER, "M1", ACTION_READ, NULL), SC_ERR_DENIED);
    assert_int_equal(role_check(ROLE_MANAGER, NULL, ACTION_READ, "M1"), SC_ERR_DENIED);
    /* Other roles read every market. */
    assert_int_equal(role_check(ROLE_OFFICER, NULL, ACTION_READ, NULL), 0);
    assert_int_equal(role_check(ROLE_ADMIN, NULL, ACTION_READ, "M2"), 0);
}

static void ids_round_trip(void **state)
{
    (void)state;
    for (int r = 0; r < ROLE_COUNT; r++)
        assert_int_equal(role_from_id(role_id((enum role)r)), r);
    assert_int_equal(role_from_id("root"), ROLE_NONE);
    assert_int_equal(role_from_id(NULL), ROLE_NONE);
    assert_string_equal(role_action_id(ACTION_CALIBRATE), "calibrate");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_role_each_action),
        cmocka_unit_test(manager_own_market_only),
        cmocka_unit_test(ids_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
