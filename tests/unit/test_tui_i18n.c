/* Every label on screen has a Chinese translation in the built catalogue
 * (po/zh_CN.po -> build/locale), and the list of checklist msgids matches
 * core's checklist. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/checklist.h"
#include "tui/checklist_screen.h"
#include "tui/i18n.h"
#include "tui/keys.h"

static int setup(void **state)
{
    (void)state;
    setlocale(LC_ALL, "");
    i18n_init("zh_CN");
    return 0;
}

static int translated(const char *msgid)
{
    const char *t = gettext(msgid);
    return t != msgid && strcmp(t, msgid) != 0;
}

static void checklist_msgids_match_core(void **state)
{
    (void)state;
    size_t n;
    const struct checklist_item_info *items = checklist_items(&n);
    assert_int_equal(checklist_title_msgid_count, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(checklist_title_msgids[i], items[i].title);
}

static void every_label_is_chinese(void **state)
{
    (void)state;
    if (setlocale(LC_MESSAGES, NULL) == NULL ||
        strncmp(setlocale(LC_MESSAGES, NULL), "zh_CN", 5) != 0)
        skip(); /* no zh_CN.UTF-8 locale on this machine (scripts/deps.sh makes it) */
    for (int a = ACT_NONE + 1; a < ACT_COUNT; a++)
        if (!translated(keys_action_label((enum tui_action)a)))
            fail_msg("no zh_CN for action label '%s'", keys_action_label((enum tui_action)a));
    for (int s = 0; s < SCOPE_COUNT; s++)
        if (!translated(keys_scope_label((enum tui_scope)s)))
            fail_msg("no zh_CN for scope '%s'", keys_scope_label((enum tui_scope)s));
    for (unsigned i = 0; i < checklist_title_msgid_count; i++)
        if (!translated(checklist_title_msgids[i]))
            fail_msg("no zh_CN for item '%s'", checklist_title_msgids[i]);
    assert_string_equal(gettext("Re-weigh"), "复秤");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(checklist_msgids_match_core),
        cmocka_unit_test(every_label_is_chinese),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
