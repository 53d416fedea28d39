/* The key table: every action reachable by a digit or F-key, no key mapped
 * twice in one scope, the help line generated from it. */
#include <curses.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "tui/keys.h"

/* One key of a handheld's keypad, pressed alone (gloves: no chords): a
 * digit, a function key, Enter, an arrow, a page key. */
static int is_keypad_key(int key)
{
    return (key >= '0' && key <= '9') || (key >= KEY_F(1) && key <= KEY_F(12)) || key == '\n' ||
           key == KEY_LEFT || key == KEY_RIGHT || key == KEY_UP || key == KEY_DOWN ||
           key == KEY_NPAGE || key == KEY_PPAGE;
}

static void no_key_twice_in_a_scope(void **state)
{
    (void)state;
    size_t n;
    const struct tui_key_row *t = keys_table(&n);
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (t[i].scope == t[j].scope && t[i].key == t[j].key)
                fail_msg("key %d twice in scope %d", t[i].key, t[i].scope);
}

static void every_shown_key_is_one_keypad_key(void **state)
{
    (void)state;
    size_t n;
    const struct tui_key_row *t = keys_table(&n);
    for (size_t i = 0; i < n; i++)
        if (t[i].shown)
            assert_true(is_keypad_key(t[i].key));
    /* ... and every action bound anywhere has at least one shown key in its
     * scope or the list scope's Enter (gloves: no chords). */
    /* (A refusal is the exception: the key a role may not use, kept off
     * the line, answers why when pressed; the help names it so.) */
    for (size_t i = 0; i < n; i++) {
        if (t[i].action == ACT_REFRESH_REFUSED) {
            assert_false(t[i].shown);
            continue;
        }
        if (t[i].shown || t[i].scope == SCOPE_LIST || t[i].action == ACT_ERASE)
            continue;
        int found = 0;
        for (size_t j = 0; j < n; j++)
            found |= t[j].shown && t[j].action == t[i].action &&
                     (t[j].scope == t[i].scope || t[j].scope == SCOPE_GLOBAL);
        if (!found)
            fail_msg("action %s in scope %d has no digit or F-key",
                     keys_action_name(t[i].action), t[i].scope);
    }
}

static void lookup_follows_scope_order(void **state)
{
    (void)state;
    enum tui_scope checklist[] = {SCOPE_CHECKLIST, SCOPE_LIST, SCOPE_GLOBAL, SCOPE_COUNT};
    enum tui_scope seal[] = {SCOPE_SEAL, SCOPE_CHECKLIST, SCOPE_LIST, SCOPE_GLOBAL, SCOPE_COUNT};
    enum tui_scope stall[] = {SCOPE_STALL, SCOPE_GLOBAL, SCOPE_COUNT};
    assert_int_equal(keys_lookup(checklist, '1'), ACT_PASS);
    assert_int_equal(keys_lookup(seal, '1'), ACT_SEAL_INTACT);
    assert_int_equal(keys_lookup(seal, '5'), ACT_NOTE);      /* falls to the checklist scope */
    assert_int_equal(keys_lookup(stall, '1'), ACT_CHECKLIST);
    assert_int_equal(keys_lookup(checklist, 'j'), ACT_DOWN);
    assert_int_equal(keys_lookup(stall, 'j'), ACT_NONE);    /* no list on the card */
    assert_int_equal(keys_lookup(stall, '0'), ACT_BACK);
    assert_int_equal(keys_lookup(stall, KEY_F(1)), ACT_HELP);
}

static void help_line_from_the_table(void **state)
{
    (void)state;
    enum tui_scope seal[] = {SCOPE_SEAL, SCOPE_CHECKLIST, SCOPE_LIST, SCOPE_GLOBAL, SCOPE_COUNT};
    const char *labels[32];
    int keys[32];
    size_t n = keys_help_items(seal, 0, NULL, labels, keys, 32);
    /* 1-4 are the seal's answers (the checklist's Pass/Fail/N/A are shadowed). */
    assert_true(n >= 8);
    assert_int_equal(keys[0], '1');
    assert_string_equal(labels[0], "Intact");
    for (size_t i = 0; i < n; i++) {
        assert_string_not_equal(labels[i], "Pass");
        for (size_t j = i + 1; j < n; j++)
            assert_int_not_equal(keys[i], keys[j]);
    }
    /* While typing, digits are text: only keys that type nothing are
     * offered, Enter first (it ends the field). */
    enum tui_scope entry[] = {SCOPE_ENTRY, SCOPE_GLOBAL, SCOPE_COUNT};
    n = keys_help_items(entry, 1, NULL, labels, keys, 32);
    assert_int_equal(keys[0], '\n');
    for (size_t i = 0; i < n; i++)
        assert_false(keys[i] > ' ' && keys[i] < 127);
    char buf[16];
    assert_string_equal(keys_key_name(KEY_F(10), buf, sizeof buf), "F10");
    assert_string_equal(keys_key_name('7', buf, sizeof buf), "7");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(no_key_twice_in_a_scope),
        cmocka_unit_test(every_shown_key_is_one_keypad_key),
        cmocka_unit_test(lookup_follows_scope_order),
        cmocka_unit_test(help_line_from_the_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
