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
#include "core/ghost.h"
#include "core/procedure.h"
#include "tui/checklist_screen.h"
#include "tui/ghost_screen.h"
#include "tui/i18n.h"
#include "tui/keys.h"
#include "tui/verify.h"

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

static int zh_cn(void)
{
    const char *m = setlocale(LC_MESSAGES, NULL);
    return m != NULL && strncmp(m, "zh_CN", 5) == 0;
}

/* An English word left in a Chinese text: a run of three or more ASCII
 * letters that is not a unit, a symbol or a standard's code the Chinese
 * screens keep ("MPE", "Max", "JJG"). */
static const char *english_word(const char *t)
{
    static const char *const kept[] = {"MPE", "Max", "Min", "JJG", "OIML", "kg", NULL};
    static char word[64];
    for (const char *p = t; *p;) {
        size_t n = 0;
        while ((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z'))
            n++;
        if (n == 0) {
            p++;
            continue;
        }
        int ok = n < 3;
        for (int i = 0; !ok && kept[i]; i++)
            ok = strlen(kept[i]) == n && strncmp(kept[i], p, n) == 0;
        if (!ok) {
            snprintf(word, sizeof word, "%.*s", (int)(n < 63 ? n : 63), p);
            return word;
        }
        p += n;
    }
    return NULL;
}

#define assert_chinese(text)                                                          \
    do {                                                                              \
        const char *w_ = english_word(text);                                          \
        if (w_ != NULL)                                                               \
            fail_msg("English '%s' in zh_CN text '%s'", w_, (text));                  \
    } while (0)

/* What core and devices refuse reaches the screens by its code
 * (tui/i18n.h): every code of core/error.h, in every context, says it in
 * Chinese. */
static void core_refusals_on_screen_are_chinese(void **state)
{
    (void)state;
    if (!zh_cn())
        skip(); /* no zh_CN.UTF-8 locale on this machine (scripts/deps.sh makes it) */
    static const int codes[] = {
#define SC_ERROR_CODE(name, value, msg) name,
        SC_ERROR_LIST(SC_ERROR_CODE)
#undef SC_ERROR_CODE
    };
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        assert_chinese(i18n_feed_refusal(codes[i]));
        assert_chinese(i18n_start_refusal(codes[i], 0));
        assert_chinese(i18n_start_refusal(codes[i], 1));
        assert_chinese(i18n_port_error(codes[i]));
        assert_chinese(i18n_draw_refusal(codes[i]));
        assert_chinese(i18n_printer_error(codes[i]));
    }
    assert_string_equal(i18n_feed_refusal(SC_ERR_AGAIN), "读数不稳定:请等待稳定标志");
    assert_string_equal(i18n_start_refusal(SC_ERR_EXPIRED, 0), "砝码组校准已过期:请选其他砝码组");
}

/* The verdict screen of a verification says its grounds in Chinese: a
 * failed weighing, a failed general check, a pass, a run not finished
 * (core/procedure.c's reason is English). */
static void verdict_words_are_chinese(void **state)
{
    (void)state;
    if (!zh_cn())
        skip(); /* no zh_CN.UTF-8 locale on this machine (scripts/deps.sh makes it) */
    static struct verify_data v;
    memset(&v, 0, sizeof v);
    struct proc_regulation reg = {.code = "JJG 539-2016"};
    char buf[400];
    v.verdict = (struct proc_verdict){.outcome = PROC_FAIL, .done = 30, .total = 56, .failures = 3,
                                      .first_failure = 20, .failed_test = PROC_WEIGHING,
                                      .reference_id = "M001-W1", .regulation = &reg};
    v.has_failed = 1;
    v.failed_step = (struct proc_step){.test = PROC_WEIGHING, .load_ug = 15000000000LL};
    v.failed = (struct proc_result){.test = PROC_WEIGHING, .corrected_ug = 12000000,
                                    .limit_ug = 7500000, .judged = 1};
    verify_verdict_words(&v, buf, sizeof buf);
    assert_chinese(buf);
    assert_string_equal(buf, "称量不合格:在 15000 g 处,误差 +12 g 超出 ±7.5 g"
                             "(另有 2 步不合格);检定未做完;砝码组 M001-W1");
    v.failed_step = (struct proc_step){.test = PROC_GENERAL, .item = "markings"};
    v.failed = (struct proc_result){.test = PROC_GENERAL, .judged = 1};
    v.verdict.failed_test = PROC_GENERAL;
    verify_verdict_words(&v, buf, sizeof buf);
    assert_chinese(buf);
    assert_non_null(strstr(buf, gettext(verify_item_label("markings"))));
    v.failed_step = (struct proc_step){.test = PROC_REPEATABILITY, .load_ug = 7500000000LL};
    v.failed = (struct proc_result){.test = PROC_REPEATABILITY, .corrected_ug = -2000000,
                                    .limit_ug = 5000000, .judged = 1};
    verify_verdict_words(&v, buf, sizeof buf);
    assert_chinese(buf);
    assert_non_null(strstr(buf, "该组结果之差超过 5 g"));
    v.verdict.outcome = PROC_PASS;
    v.verdict.done = v.verdict.total;
    v.verdict.failures = 0;
    verify_verdict_words(&v, buf, sizeof buf);
    assert_chinese(buf);
    assert_non_null(strstr(buf, "符合 JJG 539-2016:全部 56 步"));
    v.verdict.outcome = PROC_INCOMPLETE;
    verify_verdict_words(&v, buf, sizeof buf);
    assert_chinese(buf);
    /* Every general-check item core plans has a Chinese label. */
    static const char *const items[] = {"appearance", "markings", "security", "no-cheating",
                                        "type-approval", "identity", "software", "self-lock"};
    for (size_t i = 0; i < sizeof items / sizeof items[0]; i++)
        assert_chinese(verify_item_label(items[i]));
}

/* The cheating-scale check's verdict, each outcome and every finding. */
static void ghost_words_are_chinese(void **state)
{
    (void)state;
    if (!zh_cn())
        skip(); /* no zh_CN.UTF-8 locale on this machine (scripts/deps.sh makes it) */
    struct ghost_verdict g;
    memset(&g, 0, sizeof g);
    snprintf(g.reference_id, sizeof g.reference_id, "R-01");
    char buf[640];
    g.outcome = GHOST_SUSPECT;
    g.flags = GHOST_OUT_OF_TOLERANCE | GHOST_INCONSISTENT | GHOST_SWITCHED | GHOST_DRIFTED;
    ghost_verdict_words(&g, buf, sizeof buf);
    assert_chinese(buf);
    assert_non_null(strstr(buf, "摊主按键后误差改变"));
    g.outcome = GHOST_INCOMPLETE;
    ghost_verdict_words(&g, buf, sizeof buf);
    assert_chinese(buf);
    g.outcome = GHOST_CLEAR;
    ghost_verdict_words(&g, buf, sizeof buf);
    assert_chinese(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(checklist_msgids_match_core),
        cmocka_unit_test(every_label_is_chinese),
        cmocka_unit_test(db_errors_on_screen_are_chinese),
        cmocka_unit_test(role_refusals_on_screen_are_chinese),
        cmocka_unit_test(core_refusals_on_screen_are_chinese),
        cmocka_unit_test(verdict_words_are_chinese),
        cmocka_unit_test(ghost_words_are_chinese),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
