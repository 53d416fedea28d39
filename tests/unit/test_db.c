/* The database layer against real SQLite files in a private temp dir. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "tests/unit/clock_fake.h"

#include <sqlite3.h>

#include "core/error.h"
#include "db/audit.h"
#include "db/db.h"
#include "db/device.h"
#include "db/identity.h"
#include "db/inspection.h"
#include "db/internal.h"
#include "db/officer.h"
#include "db/registry.h"
#include "db/zone.h"

static char dir[256];
static char path[300];

static int setup(void **state)
{
    (void)state;
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/stallcheck-db.XXXXXX", tmp && *tmp ? tmp : "/tmp");
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

static int64_t count(struct db *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db_sqlite(db), sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

static void opens_new_file_private_wal_fk(void **state)
{
    (void)state;
    struct db *db = NULL;
    assert_int_equal(db_open(path, &db), 0);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_int_equal(db_schema_version(db), db_schema_latest());
    sqlite3_stmt *st;
    sqlite3_prepare_v2(db_sqlite(db), "PRAGMA journal_mode", -1, &st, NULL);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    assert_int_equal(count(db, "PRAGMA foreign_keys"), 1);
    assert_int_equal(count(db, "PRAGMA synchronous"), 2); /* FULL */
    assert_int_equal(strlen(db_device_id(db)), 36);
    char device[DB_UUID_LEN];
    snprintf(device, sizeof device, "%s", db_device_id(db));
    assert_int_equal(db_close(db), 0);
    /* The device id is made once. */
    assert_int_equal(db_open(path, &db), 0);
    assert_string_equal(db_device_id(db), device);
    /* A foreign key is enforced. */
    assert_int_not_equal(db_exec(db, "INSERT INTO stalls (code, market, category, updated_at) "
                                     "VALUES ('S1', 'NOPE', 'meat', 'x')"),
                         0);
    db_close(db);
}

/* Every migration from every earlier version: open at version v, then with
 * this build; the schema ends the same as a fresh database's. */
static void migrates_from_each_version(void **state)
{
    (void)state;
    char fresh_schema[1 << 16] = "";
    {
        struct db *db;
        char p[320];
        snprintf(p, sizeof p, "%s/fresh.db", dir);
        assert_int_equal(db_open(p, &db), 0);
        sqlite3_stmt *st;
        sqlite3_prepare_v2(db_sqlite(db), "SELECT group_concat(sql, ';') FROM "
                           "(SELECT sql FROM sqlite_schema ORDER BY name)", -1, &st, NULL);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        snprintf(fresh_schema, sizeof fresh_schema, "%s", sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
        db_close(db);
    }
    for (int v = 0; v < db_schema_latest(); v++) {
        char p[320];
        snprintf(p, sizeof p, "%s/from%d.db", dir, v);
        struct db *db;
        assert_int_equal(db_open_version(p, v, &db), 0);
        assert_int_equal(db_schema_version(db), v);
        db_close(db);
        assert_int_equal(db_open(p, &db), 0);
        assert_int_equal(db_schema_version(db), db_schema_latest());
        sqlite3_stmt *st;
        sqlite3_prepare_v2(db_sqlite(db), "SELECT group_concat(sql, ';') FROM "
                           "(SELECT sql FROM sqlite_schema ORDER BY name)", -1, &st, NULL);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_string_equal((const char *)sqlite3_column_text(st, 0), fresh_schema);
        sqlite3_finalize(st);
        db_close(db);
    }
    /* Data survives the upgrades: a finding written at version 1 gets its
     * stall (migration 5) and keeps its answer. */
    {
        char p1[320];
        snprintf(p1, sizeof p1, "%s/data1.db", dir);
        struct db *db;
        assert_int_equal(db_open_version(p1, 1, &db), 0);
        assert_int_equal(
            db_exec(db, "INSERT INTO markets (code, name, updated_at) VALUES ('M1', 'm', 't');"
                        "INSERT INTO stalls (code, market, category, updated_at) "
                        "VALUES ('S1', 'M1', 'meat', 't');"
                        "INSERT INTO officers (badge, name, role, pin_hash, updated_at) "
                        "VALUES ('1', 'o', 'officer', 'x', 't');"
                        "INSERT INTO inspections (id, stall, market, officer1, started_at, "
                        "status, updated_at) VALUES ('i1', 'S1', 'M1', '1', 't', "
                        "'committed', 't');"
                        "INSERT INTO findings (inspection, item, answer, deadline, followup) "
                        "VALUES ('i1', 'price-tags', 'fail', '2026-01-01', 'open');"),
            0);
        db_close(db);
        assert_int_equal(db_open(p1, &db), 0);
        assert_int_equal(count(db, "SELECT count(*) FROM findings WHERE stall = 'S1' "
                                   "AND answer = 'fail' AND followup = 'open'"),
                         1);
        db_close(db);
    }
    /* A database from a newer stallcheck is refused, untouched. */
    char p[320];
    snprintf(p, sizeof p, "%s/newer.db", dir);
    sqlite3 *raw;
    sqlite3_open(p, &raw);
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", db_schema_latest() + 1);
    sqlite3_exec(raw, sql, NULL, NULL, NULL);
    sqlite3_close(raw);
    struct db *db;
    assert_int_equal(db_open(p, &db), SC_ERR_UNSUPPORTED);
    assert_non_null(strstr(sc_error_message(), "newer"));
}

static void transactions_nest_and_remember(void **state)
{
    (void)state;
    struct db *db;
    assert_int_equal(db_open(path, &db), 0);
    assert_int_equal(db_begin(db), 0);
    assert_int_equal(db_setting_set(db, "a", "1"), 0);
    assert_int_equal(db_begin(db), 0);
    assert_int_equal(db_setting_set(db, "b", "2"), 0);
    assert_int_equal(db_rollback(db), 0); /* only b */
    assert_int_equal(db_depth(db), 1);
    assert_int_equal(db_commit(db), 0);
    char v[8];
    assert_int_equal(db_setting_get(db, "a", v, sizeof v), 0);
    assert_string_equal(v, "1");
    assert_int_equal(db_setting_get(db, "b", v, sizeof v), SC_ERR_NOTFOUND);
    /* A forgotten transaction is rolled back at close and named. */
    assert_int_equal(db_begin(db), 0);
    int line = __LINE__ - 1;
    db_setting_set(db, "c", "3");
    assert_int_equal(db_close(db), SC_ERR_ARG);
    char where[64];
    snprintf(where, sizeof where, "test_db.c:%d", line);
    assert_non_null(strstr(sc_error_message(), where));
    assert_int_equal(db_open(path, &db), 0);
    assert_int_equal(db_setting_get(db, "c", v, sizeof v), SC_ERR_NOTFOUND);
    assert_int_equal(db_commit(db), SC_ERR_ARG);
    db_close(db);
}

static void uuids_are_v4(void **state)
{
    (void)state;
    char a[DB_UUID_LEN], b[DB_UUID_LEN];
    db_uuid_new(a);
    db_uuid_new(b);
    assert_int_equal(strlen(a), 36);
    assert_string_not_equal(a, b);
    assert_int_equal(a[14], '4');
    assert_non_null(strchr("89ab", a[19]));
    assert_int_equal(a[8], '-');
    assert_int_equal(a[23], '-');
}

static void put_registry(struct db *db)
{
    struct market m = {.code = "M01", .name = "东风农贸市场", .district = "城关区"};
    assert_int_equal(registry_put_market(db, &m), 1);
    struct stall_operator o = {.licence = "91350100M000100Y43", .name = "张三"};
    assert_int_equal(registry_put_operator(db, &o), 1);
    struct stall s = {.code = "M01-001", .market = "M01", .name = "张记蔬菜",
                      .category = "vegetables", .operator_licence = "91350100M000100Y43",
                      .active = 1};
    assert_int_equal(registry_put_stall(db, &s), 1);
    struct instrument in = {.code = "I-0001", .kind = "price-computing", .market = "M01",
                            .stall = "M01-001", .cls = "III", .max_ug = 15000000000,
                            .min_ug = 100000000, .e_ug = 5000000, .d_ug = 5000000,
                            .due = "2026-06-30", .active = 1};
    assert_int_equal(registry_put_instrument(db, &in), 1);
    struct officer a = {.badge = "1001", .name = "李明", .role = ROLE_OFFICER};
    assert_int_equal(officer_add(db, &a, "1234"), 0);
    struct officer b = {.badge = "1002", .name = "王芳", .role = ROLE_OFFICER};
    assert_int_equal(officer_add(db, &b, "5678"), 0);
}

static int count_stall(const struct stall *s, void *arg)
{
    (void)s;
    ++*(int *)arg;
    return 0;
}

static void registry_upserts_only_changes(void **state)
{
    (void)state;
    struct db *db;
    assert_int_equal(db_open(path, &db), 0);
    put_registry(db);
    int64_t entries = audit_count(db);
    assert_int_equal(entries, 7); /* the device's key, then six records */
    /* The same again: nothing written, nothing audited. */
    struct market m = {.code = "M01", .name = "东风农贸市场", .district = "城关区"};
    assert_int_equal(registry_put_market(db, &m), 0);
    assert_int_equal(audit_count(db), entries);
    /* A change is written and audited. */
    snprintf(m.address, sizeof m.address, "东风路1号");
    assert_int_equal(registry_put_market(db, &m), 1);
    assert_int_equal(audit_count(db), entries + 1);
    struct market got;
    assert_int_equal(registry_find_market(db, "M01", &got), 0);
    assert_string_equal(got.address, "东风路1号");
    assert_int_equal(registry_find_market(db, "M99", &got), SC_ERR_NOTFOUND);
    struct instrument in;
    assert_int_equal(registry_find_instrument(db, "I-0001", &in), 0);
    assert_int_equal(in.e_ug, 5000000);
    assert_string_equal(in.stall, "M01-001");
    int n = 0;
    assert_int_equal(registry_list_stalls(db, "M01", count_stall, &n), 0);
    assert_int_equal(n, 1);
    /* A weight set with its weights; the same set again changes nothing. */
    struct weight_set ws = {.code = "W-M01", .name = "M01 砝码", .cls = "F2", .market = "M01",
                            .calibration_due = "2027-01-31", .nitems = 3,
                            .items = {{1000000, 1, 0, 0}, {2000000, 2, 0, 0},
                                      {5000000000, 1, 1, 12000}}};
    assert_int_equal(registry_put_weight_set(db, &ws), 1);
    assert_int_equal(registry_put_weight_set(db, &ws), 0);
    ws.items[1].count = 1;
    assert_int_equal(registry_put_weight_set(db, &ws), 1);
    struct weight_set back;
    assert_int_equal(registry_find_weight_set(db, "W-M01", &back), 0);
    assert_int_equal(back.nitems, 3);
    assert_int_equal(back.items[2].error_ug, 12000);
    assert_int_equal(back.items[1].count, 1);
    db_close(db);
}

static void pin_lockout(void **state)
{
    (void)state;
    struct db *db;
    assert_int_equal(db_open(path, &db), 0);
    put_registry(db);
    assert_int_equal(officer_check_pin(db, "1001", "1234"), 0);
    /* An unknown badge gets the words a known one gets, and locks alike. */
    assert_int_equal(officer_check_pin(db, "9999", "1234"), SC_ERR_DENIED);
    assert_string_equal(sc_error_message(), "wrong badge or PIN (4 tries left)");
    for (int i = 2; i < OFFICER_MAX_FAILED; i++)
        assert_int_equal(officer_check_pin(db, "9999", "1234"), SC_ERR_DENIED);
    assert_int_equal(officer_check_pin(db, "9999", "1234"), SC_ERR_LOCKED);
    assert_string_equal(sc_error_message(),
                        "wrong badge or PIN; badge 9999 is locked until 2026-03-01T09:15:00Z");
    assert_int_equal(officer_check_pin(db, "9999", "1234"), SC_ERR_LOCKED);
    assert_string_equal(sc_error_message(),
                        "badge 9999 is locked after 5 wrong PINs until 2026-03-01T09:15:00Z");
    /* Not inside a transaction: the attempt must be seen by the others. */
    assert_int_equal(db_begin(db), 0);
    assert_int_equal(officer_check_pin(db, "1001", "1234"), SC_ERR_ARG);
    assert_int_equal(db_rollback(db), 0);
    for (int i = 1; i < OFFICER_MAX_FAILED; i++) {
        assert_int_equal(officer_check_pin(db, "1001", "0000"), SC_ERR_DENIED);
        assert_non_null(strstr(sc_error_message(), "tries left"));
        struct officer o;
        assert_int_equal(officer_find(db, "1001", &o), 0);
        assert_int_equal(o.failed_pins, i);
    }
    assert_int_equal(officer_check_pin(db, "1001", "0000"), SC_ERR_LOCKED);
    /* Locked: even the right PIN is refused until the lock runs out. */
    assert_int_equal(officer_check_pin(db, "1001", "1234"), SC_ERR_LOCKED);
    assert_non_null(strstr(sc_error_message(), "2026-03-01T09:15:00Z"));
    test_clock_set("2026-03-01T09:15:01Z");
    assert_int_equal(officer_check_pin(db, "1001", "1234"), 0);
    struct officer o;
    assert_int_equal(officer_find(db, "1001", &o), 0);
    assert_int_equal(o.failed_pins, 0);
    assert_string_equal(o.locked_until, "");
    /* A new PIN works, the old one does not. */
    assert_int_equal(officer_set_pin(db, "1001", "4321"), 0);
    assert_int_equal(officer_check_pin(db, "1001", "1234"), SC_ERR_DENIED);
    assert_int_equal(officer_check_pin(db, "1001", "4321"), 0);
    assert_int_equal(officer_set_pin(db, "1001", "12a4"), SC_ERR_ARG);
    /* A taken badge. */
    struct officer dup = {.badge = "1002", .name = "x", .role = ROLE_ADMIN};
    assert_int_equal(officer_add(db, &dup, "1111"), SC_ERR_EXISTS);
    test_clock_set("2026-03-01T09:00:00Z");
    db_close(db);
}

static void inspection_is_all_or_nothing(void **state)
{
    (void)state;
    struct db *db;
    assert_int_equal(db_open(path, &db), 0);
    put_registry(db);
    struct finding f[] = {
        {.item = "price-tags", .answer = "fail", .deadline = "2026-03-08"},
        {.item = "seal", .answer = "intact"},
    };
    static const unsigned char raw[] = "ST,GS,+001.000kg\r\n";
    struct measurement m[] = {{.instrument = "I-0001", .driver = "acs", .raw = raw,
                               .raw_len = sizeof raw - 1, .value = "1.000", .unit = "kg",
                               .has_value_ug = 1, .value_ug = 1000000000, .stable = 1}};
    struct reweigh r[] = {{.goods = "青菜", .category = "grain-veg-fruit",
                           .declared_ug = 1000000000, .measured_ug = 979000000,
                           .unit_price_fen = 600, .has_allowed = 1, .allowed_ug = 20000000,
                           .shortfall_ug = 21000000, .money_short_fen = 13, .verdict = REWEIGH_FAIL,
                           .method = REWEIGH_AT_REFERENCE}};
    struct inspection in = {.stall = "M01-001", .officer1 = "1001", .officer2 = "1002",
                            .started_at = "2026-03-01T08:30:00Z", .findings = f, .nfindings = 2,
                            .measurements = m, .nmeasurements = 1, .reweighs = r,
                            .nreweighs = 1};
    int64_t before = audit_count(db);
    /* A re-weigh whose verdict disagrees with its numbers: nothing stored. */
    r[0].verdict = REWEIGH_PASS;
    assert_int_equal(inspection_commit(db, &in), SC_ERR_INCONSISTENT);
    r[0].verdict = REWEIGH_FAIL;
    /* A bad row late in the transaction (unknown instrument on the
     * measurement, a foreign key): nothing stored either. */
    snprintf(m[0].instrument, sizeof m[0].instrument, "NO-SUCH");
    in.id[0] = '\0';
    assert_true(inspection_commit(db, &in) < 0);
    assert_int_equal(count(db, "SELECT count(*) FROM inspections"), 0);
    assert_int_equal(count(db, "SELECT count(*) FROM findings"), 0);
    assert_int_equal(count(db, "SELECT count(*) FROM measurements"), 0);
    assert_int_equal(count(db, "SELECT count(*) FROM reweighs"), 0);
    assert_int_equal(audit_count(db), before);
    /* Good: everything, with one audit entry. */
    snprintf(m[0].instrument, sizeof m[0].instrument, "I-0001");
    in.id[0] = '\0';
    m[0].id[0] = '\0';
    r[0].id[0] = '\0';
    assert_int_equal(inspection_commit(db, &in), 0);
    assert_string_equal(in.market, "M01");
    assert_int_equal(count(db, "SELECT count(*) FROM findings"), 2);
    assert_int_equal(count(db, "SELECT count(*) FROM findings WHERE followup = 'open'"), 1);
    assert_int_equal(audit_count(db), before + 1);
    /* Committed is final. */
    assert_int_equal(inspection_commit(db, &in), SC_ERR_EXISTS);
    struct inspection *back;
    assert_int_equal(inspection_load(db, in.id, &back), 0);
    assert_int_equal(back->nfindings, 2);
    assert_int_equal(back->measurements[0].raw_len, sizeof raw - 1);
    assert_memory_equal(back->measurements[0].raw, raw, sizeof raw - 1);
    assert_int_equal(back->reweighs[0].verdict, REWEIGH_FAIL);
    inspection_free(back);
    /* A follow-up a week later closes the open finding. */
    struct finding f2[] = {{.item = "price-tags", .answer = "pass"}};
    struct inspection next = {.stall = "M01-001", .officer1 = "1002",
                              .started_at = "2026-03-08T08:30:00Z", .findings = f2,
                              .nfindings = 1};
    assert_int_equal(inspection_commit(db, &next), 0);
    assert_int_equal(count(db, "SELECT count(*) FROM findings WHERE followup = 'corrected'"), 1);
    /* The content hashed from memory at commit equals the rebuild from the
     * rows, for NULLs, escapes, no raw bytes and an 'outside' verdict too. */
    struct finding f3[] = {{.item = "seal", .answer = "broken", .note = "线\\断\n了"},
                           {.item = "cheating-device", .answer = "pass"}};
    struct measurement m3[] = {{.value = "12", .unit = "kWh", .driver = "dlt645"},
                               {.value = "0.0", .unit = "g", .raw = raw, .raw_len = 0}};
    struct reweigh r3[] = {{.goods = "大米", .category = "grain-veg-fruit",
                            .declared_ug = INT64_C(30000000000), .measured_ug = INT64_C(29900000000),
                            .shortfall_ug = 100000000, .verdict = REWEIGH_OUTSIDE}};
    struct inspection third = {.stall = "M01-001", .officer1 = "1001", .note = "a\nb",
                               .started_at = "2026-03-09T08:30:00Z", .findings = f3,
                               .nfindings = 2, .measurements = m3, .nmeasurements = 2,
                               .reweighs = r3, .nreweighs = 1};
    assert_int_equal(inspection_commit(db, &third), 0);
    struct audit_entry e3;
    assert_int_equal(audit_latest(db, "inspection", third.id, &e3), 0);
    char h3[AUDIT_HASH_HEX];
    assert_int_equal(audit_content_hash(db, "inspection", third.id, h3), 0);
    assert_string_equal(h3, e3.content_hash);
    /* Tampering shows: the stored content no longer hashes to the entry's. */
    struct audit_entry e;
    assert_int_equal(audit_latest(db, "inspection", in.id, &e), 0);
    char h[AUDIT_HASH_HEX];
    assert_int_equal(audit_content_hash(db, "inspection", in.id, h), 0);
    assert_string_equal(h, e.content_hash);
    char recomputed[AUDIT_HASH_HEX];
    audit_chain_hash(&e, recomputed);
    assert_string_equal(recomputed, e.hash);
    assert_int_equal(db_exec(db, "UPDATE reweighs SET measured_ug = 999000000"), 0);
    assert_int_equal(audit_content_hash(db, "inspection", in.id, h), 0);
    assert_string_not_equal(h, e.content_hash);
    db_close(db);
}

struct chain {
    char prev[AUDIT_HASH_HEX];
    int n;
};

static int check_link(const struct audit_entry *e, void *arg)
{
    struct chain *c = arg;
    char h[AUDIT_HASH_HEX];
    audit_chain_hash(e, h);
    if (strcmp(h, e->hash) != 0 || strcmp(c->prev, e->prev_hash) != 0)
        return -1;
    snprintf(c->prev, sizeof c->prev, "%s", e->hash);
    c->n++;
    return 0;
}

static void audit_chain_links(void **state)
{
    (void)state;
    struct db *db;
    assert_int_equal(db_open(path, &db), 0);
    assert_true(audit_append(db, "market", "M01") < 0); /* outside a transaction */
    put_registry(db);
    struct chain c = {.n = 0};
    memset(c.prev, '0', 64);
    c.prev[64] = '\0';
    assert_int_equal(audit_each(db, 0, check_link, &c), 0);
    assert_int_equal(c.n, 7); /* the device's key, then six records */
    char *text;
    size_t len;
    assert_int_equal(audit_canonical(db, "market", "M01", &text, &len), 0);
    assert_non_null(strstr(text, "name:t=东风农贸市场\n"));
    free(text);
    db_close(db);
}

/* The day an inspection counts on: its UTC start's legal date, the same
 * through the per-day offsets remembered (forgotten when the zone
 * changes), and the first moment of a legal day for spans of days. */
static void an_instants_legal_day(void **state)
{
    (void)state;
    day_t d;
    char start[24];
    assert_int_equal(zone_set("Asia/Shanghai"), 0);
    assert_int_equal(zone_day_of("2026-05-31T15:59:59Z", &d), 0);
    assert_int_equal(d, day_from_ymd(2026, 5, 31));
    assert_int_equal(zone_day_of("2026-05-31T16:30:00Z", &d), 0); /* 00:30 on 1 June */
    assert_int_equal(d, day_from_ymd(2026, 6, 1));
    assert_int_equal(zone_day_of("2026-05-31", &d), 0);
    assert_int_equal(d, day_from_ymd(2026, 5, 31));
    assert_int_equal(zone_day_of("2026-02-30T01:00:00Z", &d), SC_ERR_PARSE);
    assert_int_equal(zone_day_of("2026-05-31T16:30:00", &d), SC_ERR_PARSE);
    /* Digits where digits belong, and nothing else. */
    assert_int_equal(zone_day_of("2026-05- 3", &d), SC_ERR_PARSE);
    assert_int_equal(zone_day_of("2026-05-+3", &d), SC_ERR_PARSE);
    assert_int_equal(zone_day_of("2026-05-31T24:00:00Z", &d), SC_ERR_PARSE);
    assert_int_equal(zone_day_of("2026-05-31T16:60:00Z", &d), SC_ERR_PARSE);
    assert_int_equal(zone_day_of("2026-05-31 16:30:00Z", &d), SC_ERR_PARSE);
    assert_int_equal(zone_day_of("2026-13-01", &d), SC_ERR_PARSE);
    assert_int_equal(zone_day_of("", &d), SC_ERR_PARSE);
    assert_int_equal(zone_day_start(day_from_ymd(2026, 6, 1), start, sizeof start), 0);
    assert_string_equal(start, "2026-05-31T16:00:00Z");
    assert_int_equal(zone_set("UTC"), 0);
    assert_int_equal(zone_day_of("2026-05-31T16:30:00Z", &d), 0);
    assert_int_equal(d, day_from_ymd(2026, 5, 31));
    assert_int_equal(zone_day_start(day_from_ymd(2026, 6, 1), start, sizeof start), 0);
    assert_string_equal(start, "2026-06-01T00:00:00Z");
    assert_int_equal(zone_set("Asia/Shanghai"), 0);
}

/* Summer time (where tzdata has the zones): a UTC day whose offset changes
 * is judged moment by moment, and a day whose midnight is skipped starts
 * at the change. */
static void a_legal_day_across_summer_time(void **state)
{
    (void)state;
    if (access("/usr/share/zoneinfo/America/New_York", R_OK) != 0 ||
        access("/usr/share/zoneinfo/America/Santiago", R_OK) != 0)
        skip(); /* no tzdata here: only the built-in fixed zones */
    day_t d;
    char start[24];
    /* New York springs forward at 07:00 UTC on 8 March 2026. */
    assert_int_equal(zone_set("America/New_York"), 0);
    assert_int_equal(zone_day_of("2026-03-08T04:59:59Z", &d), 0);
    assert_int_equal(d, day_from_ymd(2026, 3, 7));
    assert_int_equal(zone_day_of("2026-03-08T05:00:00Z", &d), 0);
    assert_int_equal(d, day_from_ymd(2026, 3, 8));
    assert_int_equal(zone_day_of("2026-03-09T03:59:59Z", &d), 0);
    assert_int_equal(d, day_from_ymd(2026, 3, 8));
    assert_int_equal(zone_day_of("2026-03-09T04:00:00Z", &d), 0);
    assert_int_equal(d, day_from_ymd(2026, 3, 9));
    assert_int_equal(zone_day_start(day_from_ymd(2026, 3, 9), start, sizeof start), 0);
    assert_string_equal(start, "2026-03-09T04:00:00Z");
    /* Santiago's clocks go from 24:00 to 01:00 on 6 September 2026. */
    assert_int_equal(zone_set("America/Santiago"), 0);
    assert_int_equal(zone_day_start(day_from_ymd(2026, 9, 6), start, sizeof start), 0);
    assert_string_equal(start, "2026-09-06T04:00:00Z");
    assert_int_equal(zone_set("Asia/Shanghai"), 0);
}

/* 04:38 in Beijing on 7 December is 20:38 UTC on the 6th: today, for a
 * verification date, a due date or a weight set's expiry, is the 7th.  The
 * zone is the bureau's setting; timestamps stay UTC. */
static void legal_date_is_the_bureaus(void **state)
{
    (void)state;
    struct db *db;
    assert_int_equal(db_open(path, &db), 0);
    db_clock_set("2026-12-06T20:38:00Z");
    char today[16], now[32];
    db_today(today, sizeof today);
    assert_string_equal(today, "2026-12-07");
    db_now(now, sizeof now);
    assert_string_equal(now, "2026-12-06T20:38:00Z");
    assert_string_equal(zone_name(), "Asia/Shanghai");
    /* The setting moves it; a later open reads it. */
    assert_int_equal(db_setting_set(db, ZONE_SETTING, "UTC"), 0);
    db_close(db);
    assert_int_equal(db_open(path, &db), 0);
    db_today(today, sizeof today);
    assert_string_equal(today, "2026-12-06");
    assert_int_equal(db_setting_set(db, ZONE_SETTING, "Asia/Urumqi"), 0); /* UTC+6 */
    assert_int_equal(db_zone_load(db), 0);
    assert_int_equal(zone_date_of("2026-12-06T17:59:59Z", today, sizeof today), 0);
    assert_string_equal(today, "2026-12-06");
    assert_int_equal(zone_date_of("2026-12-06T18:00:00Z", today, sizeof today), 0);
    assert_string_equal(today, "2026-12-07");
    assert_int_equal(zone_set("Asia/Shanghai"), 0);
    assert_int_equal(zone_date_of("2026-12-31T16:00:00Z", today, sizeof today), 0);
    assert_string_equal(today, "2027-01-01"); /* a year turns */
    assert_int_equal(zone_date_of("2026-12-31", today, sizeof today), 0);
    assert_string_equal(today, "2026-12-31");
    assert_int_equal(zone_date_of("2026-12-31 16:00", today, sizeof today), SC_ERR_PARSE);
    assert_int_equal(zone_set("Mars/Olympus"), SC_ERR_ARG);
    assert_int_equal(zone_set("../etc/passwd"), SC_ERR_ARG);
    assert_string_equal(zone_name(), "Asia/Shanghai");
    /* A zone the database names but this machine does not know: it still
     * opens (to be corrected), and writers of legal dates are refused. */
    assert_int_equal(zone_check(), SC_OK);
    assert_int_equal(db_setting_set(db, ZONE_SETTING, "Mars/Olympus"), 0);
    db_close(db);
    assert_int_equal(db_open(path, &db), 0);
    assert_int_equal(zone_check(), SC_ERR_ARG);
    assert_non_null(strstr(sc_error_message(), "Mars/Olympus"));
    assert_int_equal(db_setting_set(db, ZONE_SETTING, "Asia/Shanghai"), 0);
    assert_int_equal(db_zone_load(db), 0);
    assert_int_equal(zone_check(), SC_OK);
    db_close(db);
    db_clock_set(NULL);
}

/* A database written by a stallcheck older than device keys (schema 6):
 * its first write after the upgrade makes the key, signs the entries it
 * had, enters the key in the chain, adopts the follow-up it closed without
 * an entry, and only then appends its own entry. */
static void older_database_gets_its_key(void **state)
{
    (void)state;
    struct db *db;
    assert_int_equal(db_open_version(path, 6, &db), 0);
    assert_int_equal(
        db_exec(db, "INSERT INTO markets (code, name, updated_at) VALUES ('M1', 'm', 't');"
                    "INSERT INTO stalls (code, market, category, updated_at) "
                    "VALUES ('S1', 'M1', 'meat', 't');"
                    "INSERT INTO officers (badge, name, role, pin_hash, updated_at) "
                    "VALUES ('1', 'o', 'officer', 'x', 't');"
                    "INSERT INTO inspections (id, stall, market, officer1, started_at, "
                    "status, updated_at) VALUES ('i1', 'S1', 'M1', '1', 't', 'committed', "
                    "'t'), ('i2', 'S1', 'M1', '1', 't', 'committed', 't');"
                    "INSERT INTO findings (inspection, item, answer, deadline, followup, "
                    "followup_inspection, stall) VALUES ('i1', 'price-tags', 'fail', "
                    "'2026-01-01', 'corrected', 'i2', 'S1');"),
        0);
    struct audit_entry old = {.seq = 1, .id = "00000000-0000-4000-8000-000000000001",
                              .at = "2026-02-01T08:00:00Z", .kind = "market", .record = "M1"};
    snprintf(old.device, sizeof old.device, "%s", db_device_id(db));
    assert_int_equal(audit_content_hash(db, "market", "M1", old.content_hash), 0);
    memset(old.prev_hash, '0', 64);
    audit_chain_hash(&old, old.hash);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db_sqlite(db),
                                        "INSERT INTO audit_log (seq, id, at, device, kind, "
                                        "record, content_hash, prev_hash, hash) VALUES "
                                        "(1, ?1, ?2, ?3, 'market', 'M1', ?4, ?5, ?6)",
                                        -1, &st, NULL),
                     SQLITE_OK);
    const char *vals[] = {old.id, old.at, old.device, old.content_hash, old.prev_hash, old.hash};
    for (int i = 0; i < 6; i++)
        sqlite3_bind_text(st, i + 1, vals[i], -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    db_close(db);

    assert_int_equal(db_open(path, &db), 0);
    char pk[DEVICE_KEY_HEX];
    assert_int_equal(device_key_recorded(db, pk), 0); /* no key yet */
    struct market m = {.code = "M2", .name = "n"};
    assert_int_equal(registry_put_market(db, &m), 1);
    assert_int_equal(device_key_recorded(db, pk), 1);
    const char *want[][2] = {{"market", "M1"},
                             {"device", db_device_id(db)},
                             {"followup", "i1/price-tags"},
                             {"market", "M2"}};
    assert_int_equal(audit_count(db), 4);
    for (int64_t seq = 1; seq <= 4; seq++) {
        struct audit_entry e;
        assert_int_equal(audit_entry_at(db, seq, &e), 0);
        assert_string_equal(e.kind, want[seq - 1][0]);
        assert_string_equal(e.record, want[seq - 1][1]);
        assert_true(device_verify_entry(pk, e.hash, e.sig));
    }
    struct chain c = {.n = 0};
    memset(c.prev, '0', 64);
    c.prev[64] = '\0';
    assert_int_equal(audit_each(db, 0, check_link, &c), 0);
    assert_int_equal(c.n, 4);
    /* Showing the key again writes nothing. */
    char shown[DEVICE_KEY_HEX];
    assert_int_equal(identity_public_key(db, shown), 0);
    assert_string_equal(shown, pk);
    assert_int_equal(audit_count(db), 4);

    /* A new identity: a new key, named by one "device" entry that names
     * the device it replaces; nothing adopted again. */
    char was[DB_UUID_LEN], fresh[DB_UUID_LEN];
    snprintf(was, sizeof was, "%s", db_device_id(db));
    assert_int_equal(identity_new(db, fresh), 0);
    assert_string_equal(db_device_id(db), fresh);
    assert_int_equal(audit_count(db), 5);
    struct audit_entry e5;
    assert_int_equal(audit_entry_at(db, 5, &e5), 0);
    assert_string_equal(e5.kind, "device");
    assert_string_equal(e5.record, fresh);
    assert_string_equal(e5.device, fresh);
    char pk2[DEVICE_KEY_HEX];
    assert_int_equal(identity_public_key(db, pk2), 0);
    assert_string_not_equal(pk2, pk);
    assert_true(device_verify_entry(pk2, e5.hash, e5.sig));
    char sql[200];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM device_keys WHERE device = '%s' AND predecessor = '%s'",
             fresh, was);
    assert_int_equal(count(db, sql), 1);
    db_close(db);
}

/* Showing the key of a database that has written nothing makes the key
 * and its one "device" entry, in a transaction of its own. */
static void shown_key_enters_the_chain(void **state)
{
    (void)state;
    struct db *db;
    assert_int_equal(db_open(path, &db), 0);
    int64_t before = audit_count(db);
    char pk[DEVICE_KEY_HEX];
    assert_int_equal(device_key_recorded(db, pk), 0);
    assert_int_equal(identity_public_key(db, pk), 0);
    assert_int_equal(audit_count(db), before + 1);
    struct audit_entry e;
    assert_int_equal(audit_latest(db, "device", db_device_id(db), &e), 0);
    assert_true(device_verify_entry(pk, e.hash, e.sig));
    char again[DEVICE_KEY_HEX];
    assert_int_equal(device_key_recorded(db, again), 1);
    assert_string_equal(again, pk);
    db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(opens_new_file_private_wal_fk, setup, teardown),
        cmocka_unit_test_setup_teardown(migrates_from_each_version, setup, teardown),
        cmocka_unit_test_setup_teardown(transactions_nest_and_remember, setup, teardown),
        cmocka_unit_test(uuids_are_v4),
        cmocka_unit_test_setup_teardown(registry_upserts_only_changes, setup, teardown),
        cmocka_unit_test_setup_teardown(pin_lockout, setup, teardown),
        cmocka_unit_test_setup_teardown(inspection_is_all_or_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(audit_chain_links, setup, teardown),
        cmocka_unit_test_setup_teardown(legal_date_is_the_bureaus, setup, teardown),
        cmocka_unit_test(an_instants_legal_day),
        cmocka_unit_test(a_legal_day_across_summer_time),
        cmocka_unit_test_setup_teardown(older_database_gets_its_key, setup, teardown),
        cmocka_unit_test_setup_teardown(shown_key_enters_the_chain, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
