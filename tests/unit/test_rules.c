#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <ini.h>

#include "core/error.h"
#include "core/rules.h"
#include "db/rules_file.h"

static const char *rules_ini_path(void)
{
    static char path[4096];
    const char *top = getenv("STALLCHECK_TOP");
    snprintf(path, sizeof path, "%s/data/rules.ini", top ? top : ".");
    return path;
}

/* The built-in defaults are the shipped file, value for value. */
static void defaults_equal_shipped_file(void **state)
{
    (void)state;
    struct rules def, file;
    rules_default(&def);
    memset(&file, 0x55, sizeof file);
    assert_int_equal(rules_file_load(rules_ini_path(), &file), 0);
    assert_true(rules_equal(&def, &file));
    assert_int_equal(rules_check(&def), 0);
}

/* Every key the defaults have is written in the file (so the file documents
 * every number), and the file has no key the defaults lack. */
struct keyset {
    char keys[128][64];
    int n;
};

static int collect(void *user, const char *section, const char *name, const char *value)
{
    struct keyset *ks = user;
    if (ks->n < 128)
        snprintf(ks->keys[ks->n++], 64, "%s.%s=%s", section, name, value);
    return 1;
}

static int has(const struct keyset *ks, const char *k)
{
    for (int i = 0; i < ks->n; i++)
        if (strcmp(ks->keys[i], k) == 0)
            return 1;
    return 0;
}

static void file_writes_every_key(void **state)
{
    (void)state;
    struct rules def;
    rules_default(&def);
    char text[8192];
    assert_true(rules_format(&def, text, sizeof text) < (int)sizeof text);
    struct keyset built = {0}, shipped = {0};
    assert_int_equal(ini_parse_string(text, collect, &built), 0);
    assert_int_equal(ini_parse(rules_ini_path(), collect, &shipped), 0);
    assert_true(built.n == 24);
    for (int i = 0; i < built.n; i++) {
        if (!has(&shipped, built.keys[i]))
            fail_msg("data/rules.ini lacks %s", built.keys[i]);
    }
    for (int i = 0; i < shipped.n; i++) {
        if (!has(&built, shipped.keys[i]))
            fail_msg("data/rules.ini has %s, the defaults do not", shipped.keys[i]);
    }
}

static void errors_name_file_and_line(void **state)
{
    (void)state;
    struct rules r;
    rules_default(&r);
    assert_int_equal(rules_file_parse("t.ini", "[score]\nbase = 100\nwindow_months = 1x\n", &r),
                     SC_ERR_PARSE);
    assert_string_equal(sc_error_message(),
                        "t.ini:3: [score] window_months: '1x' is not a whole number");
    assert_int_equal(rules_file_parse("t.ini", "; c\n[score]\ncolour = red\n", &r), SC_ERR_NOTFOUND);
    assert_string_equal(sc_error_message(), "t.ini:3: [score] colour: [score] has no key 'colour'");
    assert_int_equal(rules_file_parse("t.ini", "[scores]\nbase = 1\n", &r), SC_ERR_NOTFOUND);
    assert_non_null(strstr(sc_error_message(), "t.ini:2: "));
    assert_non_null(strstr(sc_error_message(), "no section [scores]"));
    assert_int_equal(rules_file_parse("t.ini", "[black]\nserious = maybe\n", &r), SC_ERR_PARSE);
    assert_string_equal(sc_error_message(), "t.ini:2: [black] serious: 'maybe' is not yes or no");
    assert_int_equal(rules_file_parse("t.ini", "[deduction]\nno-such-item = 3\n", &r),
                     SC_ERR_NOTFOUND);
    assert_int_equal(rules_file_parse("t.ini", "[market]\nsuspend_percent = 101\n", &r),
                     SC_ERR_RANGE);
    assert_string_equal(sc_error_message(),
                        "t.ini:2: [market] suspend_percent: 101 is out of range 0..100");
    assert_int_equal(rules_file_parse("t.ini", "[score]\nthis line has no equals\n", &r),
                     SC_ERR_PARSE);
    assert_non_null(strstr(sc_error_message(), "t.ini:2: "));
    /* Each key fine, together wrong: the bands out of order. */
    assert_int_equal(rules_file_parse("t.ini", "[grade]\ngreen = 95\n", &r), SC_ERR_INCONSISTENT);
    assert_non_null(strstr(sc_error_message(), "yellow <= green <= red"));
    /* A failed parse leaves the output untouched. */
    struct rules def;
    rules_default(&def);
    assert_true(rules_equal(&r, &def));
    assert_int_equal(rules_file_load("/nonexistent/rules.ini", &r), SC_ERR_IO);
    assert_non_null(strstr(sc_error_message(), "/nonexistent/rules.ini: "));
}

static void item_overrides_severity(void **state)
{
    (void)state;
    struct rules r;
    assert_int_equal(rules_file_parse("t.ini",
                                      "[deduction]\nprice-tags = 2\nmajor = 12\n"
                                      "[black]\nverification-mark = yes\nseal = no\n"
                                      "[fairscale]\ncompensation_multiple = 10\n",
                                      &r), 0);
    assert_int_equal(rules_item_deduction(&r, CHECK_PRICE_TAGS), 2);
    assert_int_equal(rules_item_deduction(&r, CHECK_LICENCE_SHOWN), 5);
    assert_int_equal(rules_item_deduction(&r, CHECK_VERIFICATION_MARK), 12);
    assert_true(rules_item_black(&r, CHECK_VERIFICATION_MARK));
    assert_false(rules_item_black(&r, CHECK_SEAL));
    assert_true(rules_item_black(&r, CHECK_CHEATING_DEVICE));
    assert_false(rules_item_black(&r, CHECK_PRICE_TAGS));
    assert_int_equal(r.fairscale_compensation_multiple, 10);
    /* And the formatted rules read back to the same. */
    char text[8192];
    rules_format(&r, text, sizeof text);
    struct rules back;
    assert_int_equal(rules_file_parse("fmt", text, &back), 0);
    assert_true(rules_equal(&r, &back));
}

/* 缺一补二: 30 元/kg pork 50 g short owes 2 x 1.50 = 3.00 元; rounding once:
 * 12.34 元/kg x 7 g x 2 = 17.276 分 -> 17 分 (not 2 x 9 = 18). */
static void fairscale_owed(void **state)
{
    (void)state;
    struct rules r;
    rules_default(&r);
    int64_t owed;
    assert_int_equal(rules_fairscale_owed(&r, 3000, 50000000, &owed), 0);
    assert_int_equal(owed, 300);
    assert_int_equal(rules_fairscale_owed(&r, 1234, 7000000, &owed), 0);
    assert_int_equal(owed, 17);
    assert_int_equal(rules_fairscale_owed(&r, 1000, 250000, &owed), 0); /* 0.5 分: half up */
    assert_int_equal(owed, 1);
    assert_int_equal(rules_fairscale_owed(&r, 3000, -5000000, &owed), 0); /* over-weight */
    assert_int_equal(owed, 0);
    r.fairscale_compensation_multiple = 10; /* 缺一赔十 */
    assert_int_equal(rules_fairscale_owed(&r, 3000, 50000000, &owed), 0);
    assert_int_equal(owed, 1500);
    assert_int_equal(rules_fairscale_owed(&r, INT64_MAX / 2, 1000000000, &owed), SC_ERR_RANGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults_equal_shipped_file),
        cmocka_unit_test(file_writes_every_key),
        cmocka_unit_test(errors_name_file_and_line),
        cmocka_unit_test(item_overrides_severity),
        cmocka_unit_test(fairscale_owed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
