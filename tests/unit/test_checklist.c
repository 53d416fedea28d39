#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/checklist.h"

static void ids_round_trip(void **state)
{
    (void)state;
    size_t n;
    const struct checklist_item_info *items = checklist_items(&n);
    assert_int_equal(n, CHECK_ITEM_COUNT);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(items[i].item, (int)i);
        assert_ptr_equal(checklist_item_by_id(items[i].id), &items[i]);
    }
    assert_null(checklist_item_by_id("no-such-item"));
    for (int a = ANSWER_PASS; a < ANSWER_COUNT; a++)
        assert_int_equal(checklist_answer_from_id(checklist_answer_id(a)), a);
    assert_int_equal(checklist_answer_from_id("maybe"), ANSWER_NONE);
}

static void seal_has_its_own_answers(void **state)
{
    (void)state;
    assert_true(checklist_answer_valid(CHECK_SEAL, ANSWER_SEAL_BROKEN));
    assert_false(checklist_answer_valid(CHECK_SEAL, ANSWER_PASS));
    assert_false(checklist_answer_valid(CHECK_PRICE_TAGS, ANSWER_SEAL_INTACT));
    assert_true(checklist_answer_valid(CHECK_PRICE_TAGS, ANSWER_NA));
    assert_true(checklist_answer_failed(ANSWER_SEAL_MISSING));
    assert_false(checklist_answer_failed(ANSWER_SEAL_NOT_SEALABLE));
    assert_false(checklist_answer_failed(ANSWER_NA));
    assert_int_equal(checklist_item_by_id("cheating-device")->severity, SEVERITY_SERIOUS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ids_round_trip),
        cmocka_unit_test(seal_has_its_own_answers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
