/* The registry import: the example file, bad files (each rejected with its
 * FILE:LINE and the database unchanged), idempotent re-import. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cli/import.h"
#include "core/error.h"
#include "db/audit.h"
#include "db/db.h"
#include "db/registry.h"

static char dir[256], dbpath[300];
static char errors[64][1024];
static int nerrors;
static struct db *db;

static void collect(void *arg, const char *msg)
{
    (void)arg;
    if (nerrors < 64)
        snprintf(errors[nerrors++], sizeof errors[0], "%s", msg);
}

static const char *example(void)
{
    static char p[1024];
    const char *top = getenv("STALLCHECK_TOP");
    snprintf(p, sizeof p, "%s/tests/data/registry-example.csv", top ? top : ".");
    return p;
}

static int setup(void **state)
{
    (void)state;
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/stallcheck-import.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (mkdtemp(dir) == NULL)
        return -1;
    snprintf(dbpath, sizeof dbpath, "%s/t.db", dir);
    nerrors = 0;
    return db_open(dbpath, &db);
}

static int teardown(void **state)
{
    (void)state;
    db_close(db);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static int run(const char *path, struct import_result *res)
{
    struct import_options opt = {.error = collect};
    nerrors = 0;
    return import_registry(db, path, &opt, res);
}

static void imports_example_then_nothing_changes(void **state)
{
    (void)state;
    struct import_result res;
    assert_int_equal(run(example(), &res), 0);
    assert_int_equal(nerrors, 0);
    assert_int_equal(res.markets, 2);
    assert_int_equal(res.stalls, 6);
    assert_int_equal(res.operators, 5);
    assert_int_equal(res.instruments, 10);
    assert_int_equal(res.changed, 23);
    struct instrument in;
    assert_int_equal(registry_find_instrument(db, "M01-REF", &in), 0);
    assert_string_equal(in.cls, "II");
    assert_int_equal(in.e_ug, 1000000);
    assert_int_equal(in.d_ug, 100000);
    assert_string_equal(in.stall, "");
    struct stall s;
    assert_int_equal(registry_find_stall(db, "M02-002", &s), 0);
    assert_string_equal(s.name, "粮油店, 散装");
    assert_string_equal(s.category, "grain-oil");
    int64_t entries = audit_count(db);
    assert_int_equal(run(example(), &res), 0);
    assert_int_equal(res.changed, 0);
    assert_int_equal(audit_count(db), entries);
}

/* Writes text to a file under dir named name; returns its path. */
static const char *write_file(const char *name, const char *text, size_t len)
{
    static char p[400];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *fp = fopen(p, "wb");
    assert_non_null(fp);
    fwrite(text, 1, len, fp);
    fclose(fp);
    return p;
}

#define HEADER "market,market_name,stall,category,licence,operator,instrument,kind,class,max,e,due\n"
#define GOOD1 "M01,东街农贸市场,M01-001,蔬菜,92350102MA2Y00001B,张建国,S1,price-computing,III,15kg,5g,2026-09-09\n"

/* Imports text, expects it refused with an error starting "PATH:LINE: FIELD:"
 * and the database exactly as before. */
static void expect_refused(const char *name, const char *text, size_t len, int line,
                           const char *field)
{
    struct import_result res;
    assert_int_equal(run(example(), &res), 0); /* something to leave unchanged */
    int64_t entries = audit_count(db);
    int64_t stalls = registry_count(db, "stalls");
    const char *p = write_file(name, text, len);
    assert_int_equal(run(p, &res), SC_ERR_PARSE);
    assert_true(nerrors >= 1);
    char want[600];
    if (field)
        snprintf(want, sizeof want, "%s:%d: %s: ", p, line, field);
    else
        snprintf(want, sizeof want, "%s:%d: ", p, line);
    int found = 0;
    for (int i = 0; i < nerrors; i++)
        if (strncmp(errors[i], want, strlen(want)) == 0)
            found = 1;
    if (!found)
        fail_msg("no error starting '%s'; first: '%s'", want, errors[0]);
    assert_int_equal(audit_count(db), entries);
    assert_int_equal(registry_count(db, "stalls"), stalls);
    assert_int_equal(registry_count(db, "markets"), 2);
}

static void wrong_check_digit(void **state)
{
    (void)state;
    const char t[] = HEADER GOOD1
        "M01,,M01-009,肉类,92350102MA2Y00009X,某某,S9,price-computing,III,15kg,5g,2026-09-09\n";
    expect_refused("licence.csv", t, sizeof t - 1, 3, "licence");
    assert_non_null(strstr(errors[0], "check character"));
}

static void duplicate_stall_code(void **state)
{
    (void)state;
    /* The same stall code in two markets. */
    const char t[] = HEADER GOOD1
        "M02,西门市场,M01-001,蔬菜,,,S2,price-computing,III,15kg,5g,2026-09-09\n";
    expect_refused("dup.csv", t, sizeof t - 1, 3, "market");
    assert_non_null(strstr(errors[0], "on line 2"));
}

static void duplicate_instrument_code(void **state)
{
    (void)state;
    const char t[] = HEADER GOOD1
        "M01,,M01-001,,,,S1,price-computing,III,15kg,5g,2026-09-09\n";
    expect_refused("dupi.csv", t, sizeof t - 1, 3, "instrument");
}

static void max_e_inconsistent_with_class(void **state)
{
    (void)state;
    /* Class III, Max 1 kg, e = 5 g: n = 200 < 500 (R76-1 Table 3). */
    const char t[] = HEADER GOOD1
        "M01,,M01-002,肉类,,,S3,price-computing,III,1kg,5g,2026-09-09\n";
    expect_refused("r76.csv", t, sizeof t - 1, 3, "class");
    /* e = 3 g is not 1, 2 or 5 x 10^k. */
    const char u[] = HEADER GOOD1
        "M01,,M01-002,肉类,,,S3,price-computing,III,15kg,3g,2026-09-09\n";
    expect_refused("r76e.csv", u, sizeof u - 1, 3, "class");
}

static void bad_date(void **state)
{
    (void)state;
    const char t[] = HEADER GOOD1
        "M01,,M01-002,肉类,,,S3,price-computing,III,15kg,5g,2026-02-30\n";
    expect_refused("date.csv", t, sizeof t - 1, 3, "due");
}

static void non_utf8(void **state)
{
    (void)state;
    /* "东街" in GBK, not UTF-8. */
    const char t[] = HEADER GOOD1
        "M01,,M01-002,肉类,,\xb6\xab\xbd\xd6,S3,price-computing,III,15kg,5g,2026-09-09\n";
    expect_refused("gbk.csv", t, sizeof t - 1, 3, "operator");
    assert_non_null(strstr(errors[0], "UTF-8"));
    /* Strictly (RFC 3629): an overlong '/' and a surrogate are refused too. */
    const char o[] = HEADER GOOD1
        "M01,,M01-002,肉类,,a\xc0\xaf" "b,S3,price-computing,III,15kg,5g,2026-09-09\n";
    expect_refused("overlong.csv", o, sizeof o - 1, 3, "operator");
    assert_non_null(strstr(errors[0], "byte 0xC0 at offset 1"));
    const char u[] = HEADER GOOD1
        "M01,,M01-002,肉类,,\xed\xa0\x80,S3,price-computing,III,15kg,5g,2026-09-09\n";
    expect_refused("surrogate.csv", u, sizeof u - 1, 3, "operator");
    assert_non_null(strstr(errors[0], "byte 0xED at offset 0"));
}

static void truncated_last_line(void **state)
{
    (void)state;
    const char t[] = HEADER GOOD1 "M01,,M01-002,肉类,,,S3,price-comp";
    expect_refused("trunc.csv", t, sizeof t - 1, 3, NULL);
    assert_non_null(strstr(errors[0], "truncated"));
    /* Cut inside a quoted field. */
    const char u[] = HEADER GOOD1 "M01,,M01-002,\"肉";
    expect_refused("truncq.csv", u, sizeof u - 1, 3, NULL);
}

static void empty_file(void **state)
{
    (void)state;
    expect_refused("empty.csv", "", 0, 1, NULL);
    assert_non_null(strstr(errors[0], "empty"));
    expect_refused("header.csv", HEADER, sizeof HEADER - 1, 1, NULL);
}

static void all_errors_in_one_run(void **state)
{
    (void)state;
    const char t[] = HEADER GOOD1
        "M01,,M01-002,肉类,92350102MA2Y00009X,x,S3,price-computing,III,15kg,5g,2026-02-30\n"
        "M01,,M01-003,鲜花,,,S4,price-computing,III,15kg,5g,2026-09-09\n";
    expect_refused("many.csv", t, sizeof t - 1, 4, "category");
    assert_true(nerrors >= 3);
    assert_non_null(strstr(errors[0], ":3: licence:"));
}

static void unknown_column(void **state)
{
    (void)state;
    const char t[] = "market,market_name,colour\nM01,东街,red\n";
    expect_refused("col.csv", t, sizeof t - 1, 1, "colour");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(imports_example_then_nothing_changes),
        T(wrong_check_digit),
        T(duplicate_stall_code),
        T(duplicate_instrument_code),
        T(max_e_inconsistent_with_class),
        T(bad_date),
        T(non_utf8),
        T(truncated_last_line),
        T(empty_file),
        T(all_errors_in_one_run),
        T(unknown_column),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
