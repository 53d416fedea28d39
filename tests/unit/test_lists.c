/* db/lists against a real SQLite file: statuses stored incrementally,
 * the full recompute, the explanation, follow-ups, fair-scale checks and the
 * markets' ranking.  Today is 2026-03-01 (the test clock). */
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

#include <sqlite3.h>

#include "core/error.h"
#include "db/db.h"
#include "db/inspection.h"
#include "db/internal.h"
#include "db/lists.h"
#include "db/officer.h"
#include "db/registry.h"

static char dir[256];
static char path[300];
static struct db *db;
static struct rules rules;

static day_t D(const char *s)
{
    day_t d = 0;
    assert_int_equal(day_parse(s, &d), 0);
    return d;
}

static int64_t count(const char *sql)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db_sqlite(db), sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

static void text(const char *sql, char *buf, size_t size)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db_sqlite(db), sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    snprintf(buf, size, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
}

static void market(const char *code)
{
    struct market m = {0};
    snprintf(m.code, sizeof m.code, "%s", code);
    snprintf(m.name, sizeof m.name, "市场 %s", code);
    assert_true(registry_put_market(db, &m) >= 0);
}

static void stall(const char *code, const char *mk)
{
    struct stall s = {.active = 1};
    snprintf(s.code, sizeof s.code, "%s", code);
    snprintf(s.market, sizeof s.market, "%s", mk);
    snprintf(s.name, sizeof s.name, "摊位 %s", code);
    snprintf(s.category, sizeof s.category, "vegetables");
    assert_true(registry_put_stall(db, &s) >= 0);
}

/* A committed inspection of stall on day with the given findings
 * ("item=answer" pairs, NULL-terminated); its id goes to id_out. */
static void inspect(const char *stall_code, const char *day, char *id_out, ...)
{
    struct finding f[CHECK_ITEM_COUNT];
    size_t n = 0;
    va_list ap;
    va_start(ap, id_out);
    for (const char *s; (s = va_arg(ap, const char *)) != NULL && n < CHECK_ITEM_COUNT; n++) {
        memset(&f[n], 0, sizeof f[n]);
        const char *eq = strchr(s, '=');
        snprintf(f[n].item, sizeof f[n].item, "%.*s", (int)(eq - s), s);
        /* "item=answer@YYYY-MM-DD": with a correction deadline. */
        const char *at = strchr(eq, '@');
        snprintf(f[n].answer, sizeof f[n].answer, "%.*s",
                 (int)(at != NULL ? at - eq - 1 : (long)strlen(eq + 1)), eq + 1);
        if (at != NULL)
            snprintf(f[n].deadline, sizeof f[n].deadline, "%s", at + 1);
    }
    va_end(ap);
    struct inspection in = {.findings = f, .nfindings = n};
    snprintf(in.stall, sizeof in.stall, "%s", stall_code);
    snprintf(in.officer1, sizeof in.officer1, "1001");
    snprintf(in.started_at, sizeof in.started_at, "%sT09:00:00Z", day);
    assert_int_equal(inspection_commit(db, &in), 0);
    if (id_out != NULL)
        strcpy(id_out, in.id);
}

/* A fair-scale check: a complaint re-weighed at the fair scale. */
static void fairscale(const char *stall_code, const char *day, int64_t declared, int64_t measured)
{
    struct reweigh r = {.declared_ug = declared, .measured_ug = measured, .has_allowed = 1,
                        .allowed_ug = 10000000, .shortfall_ug = declared - measured};
    snprintf(r.category, sizeof r.category, "grain-veg-fruit");
    r.method = REWEIGH_AT_FAIR;
    r.verdict = declared - measured <= 10000000 ? REWEIGH_PASS : REWEIGH_FAIL;
    struct inspection in = {.reweighs = &r, .nreweighs = 1};
    snprintf(in.stall, sizeof in.stall, "%s", stall_code);
    snprintf(in.officer1, sizeof in.officer1, "1001");
    snprintf(in.started_at, sizeof in.started_at, "%sT10:00:00Z", day);
    assert_int_equal(inspection_commit(db, &in), 0);
}

#define CLEAN "licence-shown=pass", "price-tags=pass", "verification-mark=pass", \
    "verification-due=pass", "seal=intact", "fair-scale=pass", "cheating-device=pass"

static char seal_inspection[DB_UUID_LEN];

static int setup(void **state)
{
    (void)state;
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/stallcheck-lists.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (mkdtemp(dir) == NULL)
        return -1;
    snprintf(path, sizeof path, "%s/t.db", dir);
    test_clock_set("2026-03-01T09:00:00Z");
    unsetenv("STALLCHECK_RULES");
    if (db_open(path, &db) < 0)
        return -1;
    rules_default(&rules);
    struct officer o = {.badge = "1001", .name = "李明", .role = ROLE_OFFICER, .active = 1};
    if (officer_add_hashed(db, &o, "$argon2id$v=19$m=65536,t=2,p=1$x$y") < 0)
        return -1;
    market("M01");
    market("M02");
    stall("M01-A", "M01"); /* clean twice: red */
    stall("M01-B", "M01"); /* broken seal: black */
    stall("M01-C", "M01"); /* fair-scale complaint found short */
    stall("M02-D", "M02"); /* clean once: neither */
    inspect("M01-A", "2026-01-05", NULL, CLEAN, NULL);
    inspect("M01-A", "2026-02-10", NULL, CLEAN, NULL);
    inspect("M01-B", "2026-02-01", seal_inspection, "seal=broken@2026-02-08", "price-tags=pass",
            NULL);
    fairscale("M01-C", "2026-02-20", 1000000000, 950000000);
    inspect("M02-D", "2026-02-15", NULL, CLEAN, NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    db_close(db);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

struct rows {
    struct lists_row v[16];
    int n;
};

static int collect(const struct lists_row *row, void *arg)
{
    struct rows *r = arg;
    if (r->n < 16)
        r->v[r->n++] = *row;
    return 0;
}

static void recompute_stores_every_stall(void **state)
{
    (void)state;
    int counts[3];
    assert_int_equal(lists_recompute(db, &rules, NULL, D("2026-03-01")), 4);
    char buf[64];
    text("SELECT list FROM stall_status WHERE stall = 'M01-A'", buf, sizeof buf);
    assert_string_equal(buf, "red");
    text("SELECT list || ' ' || score || ' ' || since || ' ' || until FROM stall_status"
         " WHERE stall = 'M01-B'", buf, sizeof buf);
    assert_string_equal(buf, "black 60 2026-02-01 2027-02-01");
    text("SELECT list || ' ' || score FROM stall_status WHERE stall = 'M01-C'", buf, sizeof buf);
    assert_string_equal(buf, "none 90");
    /* History: A entered red, B entered black; C and D start at none. */
    assert_int_equal(count("SELECT count(*) FROM list_entries"), 2);
    text("SELECT inspection FROM list_entries WHERE stall = 'M01-B'", buf, sizeof buf);
    assert_string_equal(buf, seal_inspection);
    /* Again: nothing changes, no new history. */
    assert_int_equal(lists_recompute_counts(db, &rules, "M01", D("2026-03-01"), counts), 3);
    assert_int_equal(counts[SCORE_LIST_RED], 1);
    assert_int_equal(counts[SCORE_LIST_BLACK], 1);
    assert_int_equal(counts[SCORE_LIST_NONE], 1);
    assert_int_equal(count("SELECT count(*) FROM list_entries"), 2);

    struct rows rows = {0};
    assert_int_equal(lists_each(db, &rules, NULL, D("2026-03-01"), D("2026-03-01"), collect,
                                &rows), 4);
    assert_int_equal(rows.n, 4);
    assert_string_equal(rows.v[0].stall, "M01-A");
    assert_int_equal(rows.v[0].list, SCORE_LIST_RED);
    assert_int_equal(rows.v[1].list, SCORE_LIST_BLACK);
    assert_int_equal(rows.v[1].black_reason, SCORE_BLACK_ITEM);
    assert_int_equal(rows.v[2].score, 90);
    assert_int_equal(rows.v[3].list, SCORE_LIST_NONE);
    assert_string_equal(rows.v[3].market, "M02");
    /* The district pass (tables scanned and joined in memory) and the
     * per-market pass (the indexed walk) agree row for row. */
    struct rows m1 = {0}, m2 = {0};
    assert_int_equal(lists_each(db, &rules, "M01", D("2026-03-01"), D("2026-03-01"), collect,
                                &m1), 3);
    assert_int_equal(lists_each(db, &rules, "M02", D("2026-03-01"), D("2026-03-01"), collect,
                                &m2), 1);
    assert_memory_equal(&rows.v[0], &m1.v[0], 3 * sizeof rows.v[0]);
    assert_memory_equal(&rows.v[3], &m2.v[0], sizeof rows.v[0]);
    /* The list at the end of January: A had one inspection, B was clean. */
    rows.n = 0;
    lists_each(db, &rules, "M01", D("2026-01-31"), D("2026-03-01"), collect, &rows);
    assert_int_equal(rows.n, 3);
    assert_int_equal(rows.v[0].list, SCORE_LIST_NONE);
    assert_int_equal(rows.v[1].list, SCORE_LIST_NONE);
    assert_int_equal(rows.v[1].score, 100);
}

/* Committing one inspection updates that stall only. */
static void incremental_touches_one_stall(void **state)
{
    (void)state;
    assert_int_equal(lists_recompute(db, &rules, NULL, D("2026-03-01")), 4);
    /* A marker in B's row: a district recompute would overwrite it. */
    assert_int_equal(db_exec(db, "UPDATE stall_status SET score = 7 WHERE stall = 'M01-B'"), 0);
    inspect("M01-A", "2026-03-01", NULL, "price-tags=fail", NULL);
    assert_int_equal(lists_after_commit(db, "M01-A"), 1); /* red -> none */
    char buf[64];
    text("SELECT list || ' ' || score FROM stall_status WHERE stall = 'M01-A'", buf, sizeof buf);
    assert_string_equal(buf, "none 95");
    assert_int_equal(count("SELECT score FROM stall_status WHERE stall = 'M01-B'"), 7);
    assert_int_equal(count("SELECT count(*) FROM list_entries WHERE stall = 'M01-A'"), 2);
    assert_int_equal(lists_after_commit(db, "M01-A"), 0); /* the same again: no change */
}

static void explains_one_stall(void **state)
{
    (void)state;
    struct lists_stall s;
    assert_int_equal(lists_stall_score(db, &rules, "M01-B", D("2026-03-01"), &s), 0);
    assert_string_equal(s.market.code, "M01");
    assert_int_equal(s.res.score, 60);
    assert_int_equal(s.res.n_deductions, 1);
    assert_string_equal(s.res.deductions[0].event_id, seal_inspection);
    assert_int_equal(s.res.deductions[0].item, CHECK_SEAL);
    assert_int_equal(s.res.deductions[0].day, D("2026-02-01"));
    assert_string_equal(s.res.black_event, seal_inspection);
    lists_stall_free(&s);
    assert_int_equal(lists_stall_score(db, &rules, "M01-C", D("2026-03-01"), &s), 0);
    assert_int_equal(s.res.n_deductions, 1);
    assert_int_equal(s.res.deductions[0].rule, SCORE_RULE_FAIRSCALE_SHORT);
    assert_int_equal(s.res.inspections, 0); /* a fair-scale check is not an inspection */
    lists_stall_free(&s);
    assert_int_equal(lists_stall_score(db, &rules, "NO-SUCH", D("2026-03-01"), &s),
                     SC_ERR_NOTFOUND);
}

struct fus {
    struct lists_followup v[8];
    int n;
};

static int fu_collect(const struct lists_followup *f, void *arg)
{
    struct fus *c = arg;
    if (c->n < 8)
        c->v[c->n++] = *f;
    return 0;
}

static void followups_due_and_overdue(void **state)
{
    (void)state;
    struct fus c = {0};
    assert_int_equal(lists_followups(db, &rules, NULL, D("2026-03-01"), 0, fu_collect, &c), 0);
    assert_int_equal(c.n, 1);
    assert_string_equal(c.v[0].stall, "M01-B");
    assert_int_equal(c.v[0].item, CHECK_SEAL);
    assert_int_equal(c.v[0].due, D("2026-02-08"));
    assert_int_equal(c.v[0].status, LISTS_FOLLOWUP_OVERDUE);
    assert_string_equal(c.v[0].inspection, seal_inspection);
    c.n = 0;
    assert_int_equal(lists_followups(db, &rules, NULL, D("2026-02-08"), 0, fu_collect, &c), 0);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.v[0].status, LISTS_FOLLOWUP_DUE);
    c.n = 0;
    assert_int_equal(lists_followups(db, &rules, NULL, D("2026-02-05"), 0, fu_collect, &c), 0);
    assert_int_equal(c.n, 0);
    assert_int_equal(lists_followups(db, &rules, NULL, D("2026-02-05"), 1, fu_collect, &c), 0);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.v[0].status, LISTS_FOLLOWUP_PENDING);
}

static void markets_ranked(void **state)
{
    (void)state;
    struct instrument in = {.kind = "fair", .market = "M01", .active = 1};
    snprintf(in.code, sizeof in.code, "FAIR-1");
    assert_true(registry_put_instrument(db, &in) >= 0);
    struct instrument sc = {.kind = "price-computing", .market = "M02", .stall = "M02-D",
                            .cls = "III", .due = "2026-06-30", .active = 1};
    snprintf(sc.code, sizeof sc.code, "SC-1");
    assert_true(registry_put_instrument(db, &sc) >= 0);
    /* Never verified (no due date): not a verified scale (core/due.h). */
    struct instrument nv = {.kind = "price-computing", .market = "M01", .stall = "M01-A",
                            .cls = "III", .active = 1};
    snprintf(nv.code, sizeof nv.code, "SC-NV");
    assert_true(registry_put_instrument(db, &nv) >= 0);
    struct lists_market *m;
    size_t n;
    assert_int_equal(lists_markets(db, &rules, D("2026-03-01"), D("2026-03-01"), &m, &n), 0);
    assert_int_equal(n, 2);
    /* M02 has no black stall: first.  M01: 1 black of 3 = 33 % >= 30 %. */
    assert_string_equal(m[0].code, "M02");
    assert_int_equal(m[0].rank, 1);
    assert_int_equal(m[0].fig.scales, 1);
    assert_int_equal(m[0].fig.scales_verified, 1);
    assert_int_equal(m[0].status, MARKET_OK);
    assert_string_equal(m[1].code, "M01");
    assert_int_equal(m[1].fig.stalls, 3);
    assert_int_equal(m[1].fig.black, 1);
    assert_int_equal(m[1].fig.scales, 1);
    assert_int_equal(m[1].fig.scales_verified, 0);
    assert_int_equal(m[1].fig.fair_scales, 1);
    assert_int_equal(m[1].fig.reweighs, 1);
    assert_int_equal(m[1].fig.reweighs_pass, 0);
    assert_int_equal(m[1].status, MARKET_SUSPEND);
    free(m);
    assert_int_equal(lists_permille(1, 3), 333);
    assert_int_equal(lists_permille(2, 3), 667);
}

/* An inspection of stall at started ("YYYY-MM-DDTHH:MM:SSZ") with one
 * re-weigh made at the fair scale and the given findings (as inspect()). */
static void inspect_fair(const char *stall_code, const char *started, ...)
{
    struct finding f[CHECK_ITEM_COUNT];
    size_t n = 0;
    va_list ap;
    va_start(ap, started);
    for (const char *s; (s = va_arg(ap, const char *)) != NULL && n < CHECK_ITEM_COUNT; n++) {
        memset(&f[n], 0, sizeof f[n]);
        const char *eq = strchr(s, '=');
        snprintf(f[n].item, sizeof f[n].item, "%.*s", (int)(eq - s), s);
        snprintf(f[n].answer, sizeof f[n].answer, "%s", eq + 1);
    }
    va_end(ap);
    struct reweigh r = {.declared_ug = 1000000000, .measured_ug = 1000000000, .has_allowed = 1,
                        .allowed_ug = 10000000, .verdict = REWEIGH_PASS,
                        .method = REWEIGH_AT_FAIR};
    snprintf(r.category, sizeof r.category, "grain-veg-fruit");
    struct inspection in = {.findings = f, .nfindings = n, .reweighs = &r, .nreweighs = 1};
    snprintf(in.stall, sizeof in.stall, "%s", stall_code);
    snprintf(in.officer1, sizeof in.officer1, "1001");
    snprintf(in.started_at, sizeof in.started_at, "%s", started);
    assert_int_equal(inspection_commit(db, &in), 0);
}

/* The district pass (each table scanned once, passes looked up only where
 * they can close a follow-up) and the per-market pass (every row of every
 * inspection) give the same lines on records made to tell them apart. */
static void district_pass_equals_market_pass(void **state)
{
    (void)state;
    market("M03");
    /* E: a follow-up not answered, then n/a, then found fixed: red. */
    stall("M03-E", "M03");
    inspect("M03-E", "2025-11-01", NULL, "price-tags=fail@2025-11-08", NULL);
    inspect("M03-E", "2025-12-20", NULL, "licence-shown=pass", NULL);
    inspect("M03-E", "2026-01-20", NULL, "price-tags=na", "licence-shown=pass", NULL);
    inspect("M03-E", "2026-02-10", NULL, CLEAN, NULL);
    inspect("M03-E", "2026-02-25", NULL, CLEAN, NULL);
    /* F: a failure and its fix at the same minute: the engine orders them
     * by id, both passes must too. */
    stall("M03-F", "M03");
    inspect("M03-F", "2026-02-01", NULL, "price-tags=fail@2026-02-05", NULL);
    inspect("M03-F", "2026-02-01", NULL, "price-tags=pass", NULL);
    inspect("M03-F", "2026-02-01", NULL, "price-tags=fail@2026-02-05", NULL);
    /* G: inspections whose re-weigh was made at the fair scale and whose
     * answers all passed: inspections, not fair-scale checks: red. */
    stall("M03-G", "M03");
    inspect_fair("M03-G", "2026-01-10T09:00:00Z", CLEAN, NULL);
    inspect_fair("M03-G", "2026-02-10T09:00:00Z", CLEAN, NULL);
    /* H: three short complaints at the fair scale: black. */
    stall("M03-H", "M03");
    fairscale("M03-H", "2025-12-01", 1000000000, 950000000);
    fairscale("M03-H", "2026-01-01", 1000000000, 950000000);
    fairscale("M03-H", "2026-02-01", 1000000000, 950000000);
    /* J: an item failed with no deadline, then fixed: a follow-up only
     * when the rules give every failure a deadline. */
    stall("M03-J", "M03");
    inspect("M03-J", "2025-11-20", NULL, "price-tags=fail", NULL);
    inspect("M03-J", "2026-01-25", NULL, CLEAN, NULL);
    inspect("M03-J", "2026-02-20", NULL, CLEAN, NULL);
    /* I: the seal broken and never re-inspected clean: black until then. */
    stall("M03-I", "M03");
    inspect("M03-I", "2025-01-10", NULL, "seal=broken", NULL);
    inspect("M03-I", "2025-06-10", NULL, "seal=missing@2025-06-20", NULL);

    assert_int_equal(lists_recompute(db, &rules, NULL, D("2026-03-01")), 10);
    char buf[64];
    text("SELECT list || ' ' || score FROM stall_status WHERE stall = 'M03-E'", buf, sizeof buf);
    assert_string_equal(buf, "red 95");
    text("SELECT list FROM stall_status WHERE stall = 'M03-G'", buf, sizeof buf);
    assert_string_equal(buf, "red");
    text("SELECT list || ' ' || reason FROM stall_status WHERE stall = 'M03-H'", buf, sizeof buf);
    assert_string_equal(buf, "black fairscale");
    text("SELECT list || ' ' || since || ' ' || until FROM stall_status WHERE stall = 'M03-I'",
         buf, sizeof buf);
    assert_string_equal(buf, "black 2025-01-10 2026-06-10");

    /* Computed again the other way (a day not today is never read from
     * stall_status): the per-market pass, row for row. */
    struct rows all = {0}, m3 = {0};
    assert_int_equal(lists_each(db, &rules, NULL, D("2026-03-01"), D("2026-03-02"), collect,
                                &all), 10);
    assert_int_equal(lists_each(db, &rules, "M03", D("2026-03-01"), D("2026-03-02"), collect,
                                &m3), 6);
    assert_int_equal(all.n, 10);
    assert_memory_equal(&all.v[4], &m3.v[0], 6 * sizeof m3.v[0]);
    /* Under rules that give every failure 30 days, J's fix closes a
     * follow-up the officer never set: both passes see it. */
    struct rules month = rules;
    month.followup_deadline_days = 30;
    struct rows mall = {.n = 0}, mm3 = {.n = 0};
    assert_int_equal(lists_each(db, &month, NULL, D("2026-03-01"), D("2026-03-02"), collect,
                                &mall), 10);
    assert_int_equal(lists_each(db, &month, "M03", D("2026-03-01"), D("2026-03-02"), collect,
                                &mm3), 6);
    assert_memory_equal(&mall.v[4], &mm3.v[0], 6 * sizeof mm3.v[0]);
    assert_string_equal(mm3.v[5].stall, "M03-J");
    assert_int_equal(mm3.v[5].list, SCORE_LIST_RED);
    assert_int_equal(mm3.v[5].followups, 0);
    /* And what was stored is what is read today. */
    struct rows today = {0};
    assert_int_equal(lists_each(db, &rules, NULL, D("2026-03-01"), D("2026-03-01"), collect,
                                &today), 10);
    for (int i = 0; i < 10; i++) {
        assert_string_equal(today.v[i].stall, all.v[i].stall);
        assert_int_equal(today.v[i].score, all.v[i].score);
        assert_int_equal(today.v[i].list, all.v[i].list);
        assert_int_equal(today.v[i].since, all.v[i].since);
        assert_int_equal(today.v[i].until, all.v[i].until);
        assert_int_equal(today.v[i].black_reason, all.v[i].black_reason);
        assert_int_equal(today.v[i].inspections, all.v[i].inspections);
        assert_int_equal(today.v[i].followups, all.v[i].followups);
    }
}

/* A verdict's day is the bureau's (Asia/Shanghai by default): 16:30 UTC on
 * 31 January is 00:30 on 1 February in Beijing, so that inspection counts
 * from 1 February on, for the score, the black listing's start and the
 * window's re-weighs alike, in every pass. */
static void an_inspection_counts_on_the_bureaus_day(void **state)
{
    (void)state;
    market("M05");
    stall("M05-K", "M05");
    inspect_fair("M05-K", "2026-01-31T16:30:00Z", "cheating-device=fail", NULL);

    struct lists_stall eve, day;
    assert_int_equal(lists_stall_score(db, &rules, "M05-K", D("2026-01-31"), &eve), 0);
    assert_int_equal(eve.res.inspections, 0);
    assert_int_equal(eve.res.score, 100);
    assert_int_not_equal(eve.res.list, SCORE_LIST_BLACK);
    lists_stall_free(&eve);
    assert_int_equal(lists_stall_score(db, &rules, "M05-K", D("2026-02-01"), &day), 0);
    assert_int_equal(day.res.inspections, 1);
    assert_int_equal(day.res.list, SCORE_LIST_BLACK);
    assert_int_equal(day.res.black_since, D("2026-02-01"));
    lists_stall_free(&day);

    /* The stored line (the district pass) and the market's pass agree. */
    assert_true(lists_recompute(db, &rules, NULL, D("2026-03-01")) > 0);
    char buf[64];
    text("SELECT list || ' ' || since FROM stall_status WHERE stall = 'M05-K'", buf, sizeof buf);
    assert_string_equal(buf, "black 2026-02-01");
    struct rows all = {0}, m5 = {0};
    assert_true(lists_each(db, &rules, NULL, D("2026-01-31"), D("2026-03-01"), collect,
                           &all) > 0);
    assert_int_equal(lists_each(db, &rules, "M05", D("2026-01-31"), D("2026-03-01"), collect,
                                &m5), 1);
    assert_int_equal(m5.v[0].inspections, 0);
    for (int i = 0; i < all.n; i++)
        if (strcmp(all.v[i].stall, "M05-K") == 0)
            assert_memory_equal(&all.v[i], &m5.v[0], sizeof m5.v[0]);

    /* The market's re-weighs in the window: none on the 31st, one on the 1st. */
    struct lists_market *mk;
    size_t n;
    for (int k = 0; k < 2; k++) {
        assert_int_equal(lists_markets(db, &rules, D(k ? "2026-02-01" : "2026-01-31"),
                                       D("2026-03-01"), &mk, &n), 0);
        for (size_t i = 0; i < n; i++)
            if (strcmp(mk[i].code, "M05") == 0)
                assert_int_equal(mk[i].fig.reweighs, k);
        free(mk);
    }
}

static void preview_before_commit(void **state)
{
    (void)state;
    const struct score_finding f[] = {{CHECK_CHEATING_DEVICE, ANSWER_FAIL, 0}};
    struct score_event visit = {"draft", D("2026-03-01"), SCORE_EVENT_INSPECTION, f, 1, 0, 0};
    struct lists_preview p;
    assert_int_equal(lists_preview(db, &rules, "M01-A", &visit, &p), 0);
    assert_int_equal(p.score_before, 100);
    assert_int_equal(p.list_before, SCORE_LIST_RED);
    assert_int_equal(p.score_after, 60);
    assert_int_equal(p.deduction, 40);
    assert_int_equal(p.list_after, SCORE_LIST_BLACK);
    /* Nothing stored. */
    assert_int_equal(count("SELECT count(*) FROM stall_status"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(recompute_stores_every_stall, setup, teardown),
        cmocka_unit_test_setup_teardown(incremental_touches_one_stall, setup, teardown),
        cmocka_unit_test_setup_teardown(explains_one_stall, setup, teardown),
        cmocka_unit_test_setup_teardown(followups_due_and_overdue, setup, teardown),
        cmocka_unit_test_setup_teardown(markets_ranked, setup, teardown),
        cmocka_unit_test_setup_teardown(preview_before_commit, setup, teardown),
        cmocka_unit_test_setup_teardown(district_pass_equals_market_pass, setup, teardown),
        cmocka_unit_test_setup_teardown(an_inspection_counts_on_the_bureaus_day, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
