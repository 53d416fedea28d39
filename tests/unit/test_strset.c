#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "core/strset.h"

static void add_and_find(void **state)
{
    (void)state;
    struct strset s = {0};
    assert_int_equal(strset_has(&s, "x"), 0); /* empty, never allocated */
    assert_int_equal(strset_add(&s, "inspections/a"), 1);
    assert_int_equal(strset_add(&s, "inspections/a"), 0);
    assert_int_equal(strset_add(&s, "findings/a"), 1);
    assert_int_equal(strset_has(&s, "inspections/a"), 1);
    assert_int_equal(strset_has(&s, "findings/a"), 1);
    assert_int_equal(strset_has(&s, "inspections/"), 0);
    assert_int_equal(strset_has(&s, ""), 0);
    strset_free(&s);
    assert_int_equal(strset_has(&s, "inspections/a"), 0);
}

/* Many more keys than the first table holds: every one is kept through
 * the growths, and none is added twice. */
static void grows(void **state)
{
    (void)state;
    struct strset s = {0};
    char key[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(key, sizeof key, "id-%d", i);
        assert_int_equal(strset_add(&s, key), 1);
    }
    assert_int_equal(s.n, 5000);
    for (int i = 0; i < 5000; i++) {
        snprintf(key, sizeof key, "id-%d", i);
        assert_int_equal(strset_has(&s, key), 1);
        assert_int_equal(strset_add(&s, key), 0);
    }
    assert_int_equal(strset_has(&s, "id-5000"), 0);
    assert_int_equal(s.n, 5000);
    strset_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(add_and_find),
        cmocka_unit_test(grows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
