/* db/draft: saved whole, replaced whole, the newest offered first, gone
 * with the inspection's commit in the same transaction. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "tests/unit/clock_fake.h"

#include "core/error.h"
#include "db/db.h"
#include "db/draft.h"

static char path[64];

static int open_db(void **state)
{
    snprintf(path, sizeof path, "/tmp/sc-draft-XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    close(fd);
    unlink(path);
    struct db *db;
    if (db_open(path, &db) < 0)
        return -1;
    *state = db;
    return 0;
}

static int close_db(void **state)
{
    db_close(*state);
    char p[80];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
    return 0;
}

static void save_load_replace(void **state)
{
    struct db *db = *state;
    assert_int_equal(draft_count(db), 0);
    assert_int_equal(draft_save(db, "a1", "1001", "S001", "visit 1\nend 1\n"), 0);
    assert_int_equal(draft_save(db, "a1", "1001", "S001", "visit 1\nanswer x\nend 1\n"), 0);
    assert_int_equal(draft_count(db), 1);
    char *body;
    assert_int_equal(draft_load(db, "a1", &body), 0);
    assert_string_equal(body, "visit 1\nanswer x\nend 1\n");
    free(body);
    assert_int_equal(draft_load(db, "zz", &body), SC_ERR_NOTFOUND);
    assert_null(body);
}

static void latest_per_officer_and_stall(void **state)
{
    struct db *db = *state;
    test_clock_set("2026-11-25T08:00:00Z");
    assert_int_equal(draft_save(db, "a1", "1001", "S001", "x"), 0);
    test_clock_set("2026-11-25T09:00:00Z");
    assert_int_equal(draft_save(db, "a2", "1001", "S002", "y"), 0);
    assert_int_equal(draft_save(db, "b1", "1002", "S003", "z"), 0);
    test_clock_set(NULL);
    struct draft_info di;
    assert_int_equal(draft_latest(db, "1001", NULL, &di), 0);
    assert_string_equal(di.id, "a2");
    assert_int_equal(draft_latest(db, "1001", "S001", &di), 0);
    assert_string_equal(di.id, "a1");
    assert_int_equal(draft_latest(db, "1003", NULL, &di), SC_ERR_NOTFOUND);
}

static void deleted_with_the_transaction(void **state)
{
    struct db *db = *state;
    assert_int_equal(draft_save(db, "a1", "1001", "S001", "x"), 0);
    /* A rolled-back commit keeps the draft: nothing is lost. */
    assert_int_equal(db_begin(db), 0);
    assert_int_equal(draft_delete(db, "a1"), 0);
    assert_int_equal(db_rollback(db), 0);
    assert_int_equal(draft_count(db), 1);
    assert_int_equal(db_begin(db), 0);
    assert_int_equal(draft_delete(db, "a1"), 0);
    assert_int_equal(db_commit(db), 0);
    assert_int_equal(draft_count(db), 0);
    assert_int_equal(draft_delete(db, "a1"), 0); /* none: no error */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(save_load_replace, open_db, close_db),
        cmocka_unit_test_setup_teardown(latest_per_officer_and_stall, open_db, close_db),
        cmocka_unit_test_setup_teardown(deleted_with_the_transaction, open_db, close_db),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
