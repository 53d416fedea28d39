/* Every label on screen has a Chinese translation in the built catalogue
 * (po/zh_CN.po -> build/locale), and the list of checklist msgids matches
 * core's checklist. */
#include <locale.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/checklist.h"
#include "core/error.h"
#include "core/roles.h"
#include "db/db.h"
#include "db/calibration.h"
#include "db/draft.h"
#include "db/draw.h"
#include "db/inspection.h"
#include "db/zone.h"
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

/* Errors from the database that the screens show on their status line are
 * in the screen's language too: a day with no draw, a zone this machine
 * does not know. */
static void db_errors_on_screen_are_chinese(void **state)
{
    (void)state;
    if (setlocale(LC_MESSAGES, NULL) == NULL ||
        strncmp(setlocale(LC_MESSAGES, NULL), "zh_CN", 5) != 0)
        skip(); /* no zh_CN.UTF-8 locale on this machine (scripts/deps.sh makes it) */
    char dir[] = "/tmp/stallcheck-i18n.XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/t.db", dir);
    struct db *db;
    assert_int_equal(db_open(path, &db), 0);
    struct draw_record rec;
    assert_int_equal(draw_today(db, "M01", &rec), SC_ERR_NOTFOUND);
    assert_non_null(strstr(sc_error_message(), "市场 M01 在 "));
    assert_non_null(strstr(sc_error_message(), " 没有抽取"));
    /* An inspection, a verification's signature, a draft. */
    struct inspection in;
    memset(&in, 0, sizeof in);
    assert_int_equal(inspection_commit(db, &in), SC_ERR_ARG);
    assert_string_equal(sc_error_message(), "检查:未指定摊位");
    assert_int_equal(calibration_sign(db, "C1", "boss", "B1"), SC_ERR_ARG);
    assert_string_equal(sc_error_message(), "角色“boss”:应为核验员(checker)或批准人(approver)");
    assert_int_equal(calibration_sign(db, "C1", "checker", "B1"), SC_ERR_NOTFOUND);
    assert_string_equal(sc_error_message(), "没有记录 C1");
    struct draw_request req = {.market = "M01", .made_by = "B1", .want_stalls = 2};
    assert_int_equal(draw_make(db, &req, &rec), SC_ERR_NOTFOUND);
    assert_string_equal(sc_error_message(), "没有市场 M01");
    char *body = NULL;
    assert_int_equal(draft_load(db, "D1", &body), SC_ERR_NOTFOUND);
    assert_string_equal(sc_error_message(), "没有草稿 D1");
    /* The role signed in whole sentences, never an English word inside. */
    assert_string_equal(gettext("%s already signed as the checker"), "%s 已作为核验员签署");
    db_close(db);
    unlink(path);
    rmdir(dir);
    assert_int_equal(zone_use("Mars/Olympus"), SC_ERR_ARG);
    assert_non_null(strstr(sc_error_message(), "本机不认识此时区"));
    assert_int_equal(zone_use(NULL), SC_OK);
}

/* A role refused on a screen says why in the screen's language: core's
 * reasons (core/roles.h) are English for the command line. */
static void role_refusals_on_screen_are_chinese(void **state)
{
    (void)state;
    for (int a = 0; a < ROLE_ACT_COUNT; a++)
        assert_string_equal(i18n_role_action_msgids[a], roles_action_text((enum roles_action)a));
    if (setlocale(LC_MESSAGES, NULL) == NULL ||
        strncmp(setlocale(LC_MESSAGES, NULL), "zh_CN", 5) != 0)
        skip(); /* no zh_CN.UTF-8 locale on this machine (scripts/deps.sh makes it) */
    for (int a = 0; a < ROLE_ACT_COUNT; a++)
        if (!translated(i18n_role_action_msgids[a]))
            fail_msg("no zh_CN for '%s'", i18n_role_action_msgids[a]);
    assert_int_equal(i18n_roles_check(ROLES_METROLOGY, NULL, ROLE_ACT_INSPECT, "M1"),
                     SC_ERR_DENIED);
    assert_string_equal(sc_error_message(), "计量检定人员不得记录检查");
    assert_int_equal(i18n_roles_check(ROLES_MANAGER, "M1", ROLE_ACT_READ, "M2"), SC_ERR_DENIED);
    assert_string_equal(sc_error_message(), "市场 M1 的市场管理方不得查看市场 M2");
    assert_int_equal(i18n_roles_check(ROLES_MANAGER, "M1", ROLE_ACT_READ, NULL), SC_ERR_DENIED);
    assert_non_null(strstr(sc_error_message(), "只能查看本市场"));
    assert_int_equal(i18n_roles_check(ROLES_MANAGER, NULL, ROLE_ACT_READ, "M1"), SC_ERR_DENIED);
    assert_non_null(strstr(sc_error_message(), "市场管理方"));
    assert_int_equal(i18n_roles_check(ROLES_NONE, NULL, ROLE_ACT_READ, "M1"), SC_ERR_DENIED);
    assert_string_equal(sc_error_message(), "请先登录");
    assert_int_equal(i18n_roles_check(ROLES_MANAGER, "M1", ROLE_ACT_READ, "M1"), 0);
    assert_int_equal(i18n_roles_check(ROLES_ADMIN, NULL, ROLE_ACT_USERS, NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(checklist_msgids_match_core),
        cmocka_unit_test(every_label_is_chinese),
        cmocka_unit_test(db_errors_on_screen_are_chinese),
        cmocka_unit_test(role_refusals_on_screen_are_chinese),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
