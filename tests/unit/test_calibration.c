/* db/calibration: drafts resume, a commit is all or nothing and moves the
 * instrument's dates, against a real SQLite file. */
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
#include "db/audit.h"
#include "db/calibration.h"
#include "db/db.h"
#include "db/officer.h"
#include "db/registry.h"

static char dir[256];
static char path[300];

static int setup(void **state)
{
    (void)state;
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/stallcheck-cal.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (mkdtemp(dir) == NULL)
        return -1;
    snprintf(path, sizeof path, "%s/t.db", dir);
    test_clock_set("2026-03-01T09:00:00Z");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static struct db *registry(void)
{
    struct db *db;
    assert_int_equal(db_open(path, &db), 0);
    struct market m = {.code = "M01", .name = "东风农贸市场"};
    assert_true(registry_put_market(db, &m) >= 0);
    struct instrument in = {.code = "I-1", .kind = "price-computing", .market = "M01",
                            .cls = "III", .max_ug = 15000000000, .min_ug = 100000000,
                            .e_ug = 5000000, .last_verified = "2025-02-01", .due = "2026-01-31",
                            .active = 1};
    assert_true(registry_put_instrument(db, &in) >= 0);
    struct weight_set ws = {.code = "W-1", .cls = "M1", .calibration_due = "2027-01-31",
                            .nitems = 1, .items = {{1000000000, 2, 0, 0}}};
    assert_true(registry_put_weight_set(db, &ws) >= 0);
    struct officer o = {.badge = "2001", .name = "计量员", .role = ROLE_METROLOGY, .active = 1};
    assert_int_equal(officer_add_hashed(db, &o, "$argon2id$x"), 0);
    return db;
}

static void draft_resumes_and_commit_moves_dates(void **state)
{
    (void)state;
    struct db *db = registry();
    struct calibration c = {.instrument = "I-1", .weight_set = "W-1", .officer = "2001",
                            .temperature = "21.5"};
    assert_int_equal(calibration_save_draft(db, &c, "state 1"), 0);
    assert_int_equal(strlen(c.id), 36);
    assert_int_equal(calibration_save_draft(db, &c, "state 2"), 0);
    struct calibration back;
    char *st = NULL;
    assert_int_equal(calibration_find_draft(db, "2001", NULL, &back, &st), 0);
    assert_string_equal(back.id, c.id);
    assert_string_equal(st, "state 2");
    assert_string_equal(back.temperature, "21.5");
    free(st);
    assert_int_equal(calibration_find_draft(db, "9999", NULL, &back, &st), SC_ERR_NOTFOUND);

    int64_t entries = audit_count(db);
    struct calibration_step steps[2] = {
        {.seq = 0, .test = "zero", .load_ug = 0, .has_indication = 1, .indication_ug = 0,
         .added_ug = -1, .error_ug = 500000, .mpe_ug = 1250000, .judged = 1, .pass = 1},
        {.seq = 1, .test = "weighing", .load_ug = 10000000000, .has_indication = 1,
         .indication_ug = 10000000000, .added_ug = 1500000, .error_ug = 500000,
         .mpe_ug = 5000000, .judged = 1, .pass = 1},
    };
    snprintf(c.verdict, sizeof c.verdict, "maybe");
    assert_int_equal(calibration_commit(db, &c, steps, 2, "s"), SC_ERR_ARG);
    snprintf(c.verdict, sizeof c.verdict, "pass");
    snprintf(c.certificate_no, sizeof c.certificate_no, "JD-1");
    assert_int_equal(calibration_commit(db, &c, steps, 2, "final"), 0);
    assert_string_equal(c.next_due, "2027-02-28");
    /* the calibration and the instrument's change: two entries */
    assert_int_equal(audit_count(db), entries + 2);
    struct instrument in;
    assert_int_equal(registry_find_instrument(db, "I-1", &in), 0);
    assert_string_equal(in.last_verified, "2026-03-01");
    assert_string_equal(in.due, "2027-02-28");

    struct calibration_step *got = NULL;
    size_t n = 0;
    assert_int_equal(calibration_load(db, c.id, &back, &got, &n, &st), 0);
    assert_string_equal(back.status, "committed");
    assert_string_equal(back.verdict, "pass");
    assert_string_equal(st, "final");
    assert_int_equal(n, 2);
    assert_int_equal(got[1].added_ug, 1500000);
    assert_int_equal(got[1].mpe_ug, 5000000);
    free(got);
    free(st);
    /* committed: no longer a draft, never changed again */
    assert_int_equal(calibration_find_draft(db, "2001", NULL, &back, &st), SC_ERR_NOTFOUND);
    assert_int_equal(calibration_save_draft(db, &c, "x"), SC_ERR_EXISTS);
    assert_int_equal(calibration_commit(db, &c, steps, 2, "x"), SC_ERR_EXISTS);
    assert_int_equal(calibration_discard(db, c.id), SC_ERR_EXISTS);
    db_close(db);
}

static void failed_is_due_at_once_and_rollback_leaves_nothing(void **state)
{
    (void)state;
    struct db *db = registry();
    struct calibration c = {.instrument = "I-1", .weight_set = "W-1", .officer = "2001",
                            .verdict = "fail"};
    assert_int_equal(calibration_save_draft(db, &c, "s"), 0);
    assert_int_equal(calibration_commit(db, &c, NULL, 0, "s"), 0);
    struct instrument in;
    assert_int_equal(registry_find_instrument(db, "I-1", &in), 0);
    assert_string_equal(in.last_verified, "2025-02-01");
    assert_string_equal(in.due, "2026-03-01");

    /* an unknown instrument: nothing written, the draft stays a draft */
    struct calibration d = {.instrument = "I-1", .officer = "2001", .verdict = "pass"};
    assert_int_equal(calibration_save_draft(db, &d, "s"), 0);
    snprintf(d.instrument, sizeof d.instrument, "NOPE");
    int64_t entries = audit_count(db);
    assert_int_equal(calibration_commit(db, &d, NULL, 0, "s"), SC_ERR_NOTFOUND);
    assert_int_equal(audit_count(db), entries);
    struct calibration back;
    assert_int_equal(calibration_load(db, d.id, &back, NULL, NULL, NULL), 0);
    assert_string_equal(back.status, "draft");
    assert_string_equal(back.instrument, "I-1");
    assert_int_equal(calibration_discard(db, d.id), 0);
    assert_int_equal(calibration_load(db, d.id, &back, NULL, NULL, NULL), SC_ERR_NOTFOUND);
    db_close(db);
}

static void readings_are_recorded_with_the_state(void **state)
{
    (void)state;
    struct db *db = registry();
    struct calibration c = {.instrument = "I-1", .weight_set = "W-1", .officer = "2001"};
    const unsigned char frame[] = "  100.0 g  \r\n";
    for (int i = 0; i < 2; i++) {
        struct measurement m = {.value = "100.0", .unit = "g", .driver = "kern",
                                .raw = frame, .raw_len = sizeof frame - 1,
                                .has_value_ug = 1, .value_ug = 100000000 + i, .stable = 1};
        char st[32];
        snprintf(st, sizeof st, "state %d", i);
        assert_int_equal(calibration_record_reading(db, &c, st, &m), 0);
        assert_int_equal(strlen(m.id), 36);
    }
    char *st = NULL;
    struct calibration back;
    assert_int_equal(calibration_find_draft(db, "2001", "I-1", &back, &st), 0);
    assert_string_equal(st, "state 1");
    free(st);
    struct calibration_step steps[2] = {
        {.seq = 0, .test = "weighing", .load_ug = 100000000, .has_indication = 1,
         .indication_ug = 100000000, .added_ug = -1, .judged = 1, .pass = 1, .mpe_ug = 2500000},
        {.seq = 1, .test = "weighing", .load_ug = 100000000, .has_indication = 1,
         .indication_ug = 100000001, .added_ug = -1, .judged = 1, .pass = 1, .mpe_ug = 2500000},
    };
    snprintf(c.verdict, sizeof c.verdict, "pass");
    assert_int_equal(calibration_commit(db, &c, steps, 2, "final"), 0);
    /* the audit entry covers the steps and their readings: verify recomputes it */
    char hash[AUDIT_HASH_HEX];
    struct audit_entry e;
    assert_int_equal(audit_latest(db, "calibration", c.id, &e), 0);
    assert_int_equal(audit_content_hash(db, "calibration", c.id, hash), 0);
    assert_string_equal(hash, e.content_hash);
    char *canon = NULL;
    size_t len = 0;
    assert_int_equal(audit_canonical(db, "calibration", c.id, &canon, &len), 0);
    assert_non_null(strstr(canon, "value_ug:i=100000001"));
    assert_non_null(strstr(canon, "measurement:t="));
    free(canon);
    db_close(db);
}

static void next_due(void **state)
{
    (void)state;
    char out[11];
    assert_int_equal(calibration_next_due("2025-09-10", 1, out, sizeof out), 0);
    assert_string_equal(out, "2026-09-09");
    assert_int_equal(calibration_next_due("2024-02-29", 1, out, sizeof out), 0);
    assert_string_equal(out, "2025-02-27");
    assert_int_equal(calibration_next_due("2025-09-10", 0, out, sizeof out), 0);
    assert_string_equal(out, "2025-09-10");
    assert_int_equal(calibration_next_due("2025-13-01", 1, out, sizeof out), SC_ERR_PARSE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(draft_resumes_and_commit_moves_dates, setup, teardown),
        cmocka_unit_test_setup_teardown(failed_is_due_at_once_and_rollback_leaves_nothing, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(readings_are_recorded_with_the_state, setup, teardown),
        cmocka_unit_test(next_due),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
