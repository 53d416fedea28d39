/* demo-data: reproducible from its seed, consistent, audited. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <sodium.h>
#include <sqlite3.h>

#include "cli/demo_data.h"
#include "core/error.h"
#include "core/uscc.h"
#include "db/audit.h"
#include "db/db.h"
#include "db/internal.h"
#include "db/officer.h"

static char dir[256];

static int setup(void **state)
{
    (void)state;
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/stallcheck-demo.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static struct db *generate_months(const char *name, uint64_t seed, int months,
                                  struct demo_result *res)
{
    char p[400];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    struct db *db;
    assert_int_equal(db_open(p, &db), 0);
    struct demo_options o = {.stalls = 60, .months = months, .seed = seed,
                             .today = "2026-11-25", .scores = 1};
    int rc = demo_generate(db, &o, res);
    if (rc < 0)
        fail_msg("demo_generate: %s", sc_error_message());
    return db;
}

static struct db *generate(const char *name, uint64_t seed, struct demo_result *res)
{
    return generate_months(name, seed, 3, res);
}

/* SHA-256 over every row of every table, in key order, but for the
 * device's identity: its id (random, so that two demo handhelds of one seed
 * are two devices to the district) reads as "DEVICE", record ids count
 * without the device's tag they begin with, and the audit
 * entries count by their seq, id, time, kind and record (their hashes and
 * signatures cover the device id and its key). */
static void content_hash(struct db *db, char out[65])
{
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    sqlite3 *s = db_sqlite(db);
    const char *device = db_device_id(db);
    char dtag[13];
    db_device_tag(device, dtag);
    sqlite3_stmt *tables;
    sqlite3_prepare_v2(s, "SELECT name FROM sqlite_schema WHERE type = 'table' "
                          "AND name NOT IN ('device_keys') ORDER BY name",
                       -1, &tables, NULL);
    while (sqlite3_step(tables) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(tables, 0);
        char sql[256];
        if (strcmp(name, "audit_log") == 0)
            snprintf(sql, sizeof sql, "SELECT seq, id, at, kind, record FROM audit_log "
                                      "ORDER BY 1");
        else
            snprintf(sql, sizeof sql, "SELECT * FROM \"%s\" ORDER BY 1, 2", name);
        crypto_hash_sha256_update(&h, (const unsigned char *)sql, strlen(sql));
        sqlite3_stmt *rows;
        assert_int_equal(sqlite3_prepare_v2(s, sql, -1, &rows, NULL), SQLITE_OK);
        while (sqlite3_step(rows) == SQLITE_ROW) {
            for (int c = 0; c < sqlite3_column_count(rows); c++) {
                const void *v = sqlite3_column_blob(rows, c);
                int n = sqlite3_column_bytes(rows, c);
                unsigned char tag = (unsigned char)sqlite3_column_type(rows, c);
                if (tag == SQLITE_TEXT && (size_t)n == strlen(device) &&
                    memcmp(v, device, (size_t)n) == 0) {
                    v = "DEVICE";
                    n = 6;
                } else if (tag == SQLITE_TEXT && n >= 36 && memcmp(v, dtag, 8) == 0 &&
                           memcmp((const char *)v + 9, dtag + 8, 4) == 0) {
                    /* a record id (or a key starting with one): its tag left out */
                    v = (const char *)v + 13;
                    n -= 13;
                }
                crypto_hash_sha256_update(&h, &tag, 1);
                if (v)
                    crypto_hash_sha256_update(&h, v, (unsigned long long)n);
            }
        }
        sqlite3_finalize(rows);
    }
    sqlite3_finalize(tables);
    unsigned char d[32];
    crypto_hash_sha256_final(&h, d);
    sodium_bin2hex(out, 65, d, sizeof d);
}

static int64_t count(struct db *db, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db_sqlite(db), sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

static void reproducible_from_seed(void **state)
{
    (void)state;
    struct demo_result a, b, c;
    struct db *da = generate("a.db", 7, &a), *db2 = generate("b.db", 7, &b),
              *dc = generate("c.db", 8, &c);
    assert_int_equal(a.inspections, b.inspections);
    assert_true(a.inspections > 60 * 3 / 2);
    char ha[65], hb[65], hc[65];
    content_hash(da, ha);
    content_hash(db2, hb);
    content_hash(dc, hc);
    assert_string_equal(ha, hb);
    assert_string_not_equal(ha, hc);
    /* ... made by two devices, not one. */
    assert_string_not_equal(db_device_id(da), db_device_id(db2));
    db_close(da);
    db_close(db2);
    db_close(dc);
}

struct verify {
    struct db *db;
    char prev[65];
    int64_t n, bad;
};

static int check_entry(const struct audit_entry *e, void *arg)
{
    struct verify *v = arg;
    char h[65];
    audit_chain_hash(e, h);
    if (strcmp(h, e->hash) != 0 || strcmp(v->prev, e->prev_hash) != 0)
        v->bad++;
    struct audit_entry latest;
    if (audit_latest(v->db, e->kind, e->record, &latest) == 0 && latest.seq == e->seq) {
        audit_content_hash(v->db, e->kind, e->record, h);
        if (strcmp(h, e->content_hash) != 0)
            v->bad++;
    }
    memcpy(v->prev, e->hash, sizeof v->prev);
    v->n++;
    return 0;
}

static int check_licence(const char *licence)
{
    return uscc_validate(licence);
}

static void consistent_and_audited(void **state)
{
    (void)state;
    struct demo_result r;
    struct db *db = generate("d.db", 1, &r);
    assert_int_equal(r.markets, 1); /* 60 stalls: one market */
    assert_int_equal(r.stalls, 60);
    assert_int_equal(count(db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    /* Bulk mode writes with CHECK constraints off (db_bulk): integrity_check
     * re-checks every CHECK and NOT NULL constraint on every row. */
    sqlite3_stmt *ic;
    assert_int_equal(sqlite3_prepare_v2(db_sqlite(db), "PRAGMA integrity_check", -1, &ic, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(ic), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(ic, 0), "ok");
    sqlite3_finalize(ic);
    assert_int_equal(count(db, "SELECT count(*) FROM inspections"), r.inspections);
    assert_int_equal(count(db, "SELECT count(*) FROM findings"), r.findings);
    /* Every committed record audited, and the chain holds. */
    struct verify v = {.db = db};
    memset(v.prev, '0', 64);
    assert_int_equal(audit_each(db, 0, check_entry, &v), 0);
    assert_int_equal(v.bad, 0);
    assert_true(v.n >= r.inspections + r.stalls);
    /* Every officer role; the demo officer's PIN. */
    for (int role = 0; role < 4; role++) {
        char sql[96];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM officers WHERE role = '%s'",
                 officer_role_id((enum officer_role)role));
        assert_true(count(db, sql) >= 1);
    }
    assert_int_equal(officer_check_pin(db, DEMO_BADGE_OFFICER, DEMO_PIN), 0);
    assert_int_equal(officer_check_pin(db, DEMO_BADGE_MANAGER, DEMO_PIN), 0);
    /* Valid licences; a fair scale and a reference scale; some overdue. */
    sqlite3_stmt *st;
    sqlite3_prepare_v2(db_sqlite(db), "SELECT licence FROM operators", -1, &st, NULL);
    while (sqlite3_step(st) == SQLITE_ROW)
        assert_int_equal(check_licence((const char *)sqlite3_column_text(st, 0)), 0);
    sqlite3_finalize(st);
    assert_int_equal(count(db, "SELECT count(*) FROM instruments WHERE kind = 'fair'"), 1);
    assert_int_equal(count(db, "SELECT count(*) FROM instruments WHERE kind = 'reference'"), 1);
    assert_int_equal(count(db, "SELECT count(*) FROM weight_sets"), 1);
    /* A realistic mix: passes and failures, re-weighs of both verdicts. */
    assert_true(count(db, "SELECT count(*) FROM findings WHERE answer = 'fail'") > 0);
    assert_true(count(db, "SELECT count(*) FROM reweighs WHERE verdict = 'fail'") > 0);
    assert_true(count(db, "SELECT count(*) FROM reweighs WHERE verdict = 'pass'") >
                count(db, "SELECT count(*) FROM reweighs WHERE verdict = 'fail'"));
    assert_int_equal(count(db, "SELECT count(*) FROM measurements WHERE length(raw) = 15"),
                     r.reweighs);
    assert_int_equal(count(db, "SELECT count(*) FROM stall_status"), 60);
    /* Not twice. */
    struct demo_options o = {.stalls = 10, .months = 1, .seed = 1};
    assert_int_equal(demo_generate(db, &o, &r), SC_ERR_EXISTS);
    db_close(db);
}

/* The push reads records many at a time (audit_canonical_many): its text
 * must be the one audit_canonical gives each record, byte for byte, or
 * every content hash the district checks would fail.  Every record of
 * every kind of a demo district, given in reverse key order, chunked past
 * one statement's 500, with a record twice and one that does not exist. */
static void canonical_many_is_byte_identical(void **state)
{
    (void)state;
    struct demo_result r;
    struct db *db = generate_months("m.db", 7, 12, &r);
    /* Rows whose order within a record is not the order they were written
     * in: a second measurement and re-weigh for some inspections, with ids
     * that sort first (a reader that lost a section's own ORDER BY would
     * give them in rowid order). */
    assert_int_equal(db_exec(db, "INSERT INTO measurements SELECT '00000000' || substr(id, 9),"
                                 " inspection, calibration, instrument, taken_at, driver, raw,"
                                 " value, unit, value_ug, stable FROM measurements"
                                 " WHERE inspection IS NOT NULL LIMIT 40;"
                                 "INSERT INTO reweighs SELECT '00000000' || substr(id, 9),"
                                 " inspection, seq, goods, category, declared_ug, measured_ug,"
                                 " unit_price_fen, allowed_ug, shortfall_ug, money_short_fen,"
                                 " verdict, method, reference_instrument, weight_set, NULL"
                                 " FROM reweighs LIMIT 40"),
                     0);
    size_t nkinds;
    const char *const *kinds = audit_kinds(&nkinds);
    int64_t compared = 0;
    for (size_t k = 0; k < nkinds; k++) {
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(db_sqlite(db),
                                            "SELECT DISTINCT record FROM audit_log WHERE kind = ?1 "
                                            "ORDER BY record DESC",
                                            -1, &st, NULL),
                         SQLITE_OK);
        sqlite3_bind_text(st, 1, kinds[k], -1, SQLITE_STATIC);
        size_t n = 0, cap = 16;
        char **rec = malloc(cap * sizeof *rec);
        while (sqlite3_step(st) == SQLITE_ROW) {
            if (n + 2 >= cap)
                rec = realloc(rec, (cap *= 2) * sizeof *rec);
            rec[n++] = strdup((const char *)sqlite3_column_text(st, 0));
        }
        sqlite3_finalize(st);
        if (n > 0)
            rec[n] = strdup(rec[n / 2]), n++;          /* twice */
        rec[n++] = strdup("00000000-0000-8000-8000-000000000000"); /* none such */
        struct audit_canon *many = calloc(n, sizeof *many);
        if (audit_canonical_many(db, kinds[k], (const char *const *)rec, n, many) < 0)
            fail_msg("%s: %s", kinds[k], sc_error_message());
        for (size_t i = 0; i < n; i++) {
            char *one = NULL;
            size_t len = 0;
            assert_int_equal(audit_canonical(db, kinds[k], rec[i], &one, &len), 0);
            if (len != many[i].len || memcmp(one, many[i].p, len) != 0)
                fail_msg("%s %s: the batched text differs:\n%s\n--- one by one:\n%s", kinds[k],
                         rec[i], many[i].p, one);
            free(one);
            audit_canon_free(&many[i]);
            free(rec[i]);
            compared++;
        }
        if (strcmp(kinds[k], "inspection") == 0)
            assert_true(n > 500); /* more than one statement's keys */
        free(many);
        free(rec);
    }
    assert_true(compared > r.inspections);
    db_close(db);
}

static void salted_pin_hash_verifies(void **state)
{
    (void)state;
    unsigned char salt[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    char h1[OFFICER_HASH_LEN], h2[OFFICER_HASH_LEN];
    assert_int_equal(officer_hash_pin_salted("1234", salt, h1), 0);
    assert_int_equal(officer_hash_pin_salted("1234", salt, h2), 0);
    assert_string_equal(h1, h2);
    assert_int_equal(crypto_pwhash_str_verify(h1, "1234", 4), 0);
    assert_int_not_equal(crypto_pwhash_str_verify(h1, "1235", 4), 0);
    assert_int_equal(strncmp(h1, "$argon2id$v=19$", 15), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(reproducible_from_seed, setup, teardown),
        cmocka_unit_test_setup_teardown(consistent_and_audited, setup, teardown),
        cmocka_unit_test(salted_pin_hash_verifies),
        cmocka_unit_test_setup_teardown(canonical_many_is_byte_identical, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
