/* db/visit.h against real SQLite files: a visit commits whole (inspection,
 * findings, re-weighs with the frames read, audit entry, draft deleted,
 * the stall's list) or not at all; and every path that records a visit
 * writes the same rows as db/visit's direct commit of the same visit: the
 * TUI (its screens and effect handlers), the fair-scale command (run in
 * this process, PIN on standard input) and the demo generator.  The rows
 * are compared with tests/unit/visit_rows.h.
 * The clock is pinned (db_clock_set) to 2026-03-01. */
#include <fcntl.h>
#include <getopt.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "cli/cli.h" /* cmd_fairscale, cli_set_db_path */
#include "cli/demo_data.h"
#include "core/error.h"
#include "db/audit.h"
#include "db/draft.h"
#include "db/internal.h"
#include "db/lists.h"
#include "db/officer.h"
#include "db/registry.h"
#include "db/visit.h"
#include "tests/unit/visit_rows.h"
#include "tui/fx.h"
#include "tui/reweigh_screen.h"
#include "tui/text.h"

#define NOW "2026-03-01T09:00:00Z"

static char dir[256];
static struct rules rules;
static char pin_hash[OFFICER_HASH_LEN];

static int64_t count(struct db *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db_sqlite(db), sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

static void path_of(const char *name, char *out, size_t size)
{
    snprintf(out, size, "%s/%s.db", dir, name);
}

/* A market with its fair scale, one stall, officers 1001 and 1002 (PIN
 * 1234). */
static struct db *district(const char *name)
{
    char path[320];
    path_of(name, path, sizeof path);
    struct db *db;
    assert_int_equal(db_open(path, &db), 0);
    struct market m = {.code = "M01", .name = "城东农贸市场"};
    assert_true(registry_put_market(db, &m) >= 0);
    struct stall s = {.code = "M01-001", .market = "M01", .name = "张记蔬菜",
                      .category = "vegetables", .active = 1};
    assert_true(registry_put_stall(db, &s) >= 0);
    struct instrument fair = {.code = "FAIR-1", .kind = "fair", .market = "M01", .cls = "III",
                              .due = "2026-12-31", .active = 1};
    assert_true(registry_put_instrument(db, &fair) >= 0);
    struct officer a = {.badge = "1001", .name = "李明", .role = ROLE_OFFICER, .active = 1};
    struct officer b = {.badge = "1002", .name = "王芳", .role = ROLE_OFFICER, .active = 1};
    assert_int_equal(officer_add_hashed(db, &a, pin_hash), 0);
    assert_int_equal(officer_add_hashed(db, &b, pin_hash), 0);
    return db;
}

static int setup(void **state)
{
    (void)state;
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/stallcheck-visit.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (mkdtemp(dir) == NULL)
        return -1;
    unsetenv("STALLCHECK_RULES");
    db_clock_set(NOW);
    rules_default(&rules);
    static const unsigned char salt[16] = "stallcheck-test";
    return officer_hash_pin_salted("1234", salt, pin_hash);
}

static int teardown(void **state)
{
    (void)state;
    db_clock_set(NULL);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static day_t today(void)
{
    day_t d;
    assert_int_equal(day_parse("2026-03-01", &d), 0);
    return d;
}

/* An inspection by two officers: a failed item with a note and a
 * deadline, a broken seal, and a re-weigh on the reference scale read as
 * a KERN frame (附表1 row 1: up to 1 kg 20 g allowed, 470 g for 500 g is
 * 30 g short). */
static void sample(struct visit *v)
{
    visit_clear(v);
    db_uuid_new(v->id);
    strcpy(v->stall, "M01-001");
    strcpy(v->officer1, "1001");
    strcpy(v->officer2, "1002");
    strcpy(v->started_at, "2026-03-01T08:40:00Z");
    assert_int_equal(visit_answer(v, CHECK_PRICE_TAGS, ANSWER_FAIL), 0);
    strcpy(v->notes[CHECK_PRICE_TAGS], "价签缺失\n两处");
    assert_int_equal(visit_set_deadline(v, CHECK_PRICE_TAGS, "2026-03-08"), 0);
    assert_int_equal(visit_answer(v, CHECK_SEAL, ANSWER_SEAL_BROKEN), 0);
    assert_int_equal(visit_answer(v, CHECK_LICENCE_SHOWN, ANSWER_PASS), 0);
    struct visit_reweigh *w = &v->reweigh[v->n_reweigh++];
    struct reweigh_input in = {.cat = REWEIGH_GRAIN_VEG_FRUIT, .charged_ug = 500000000,
                               .measured_ug = 470000000, .price_fen_per_kg = 600};
    assert_int_equal(visit_reweigh_judge(w, &in, REWEIGH_AT_REFERENCE, NULL), 0);
    strcpy(w->goods, "青菜");
    w->has_reading = 1;
    memcpy(w->reading.raw, "    470.0 G S\r\n", 15);
    w->reading.raw_len = 15;
    strcpy(w->reading.value, "470.0");
    strcpy(w->reading.unit, "g");
    strcpy(w->reading.driver, "kern");
    strcpy(w->reading.taken_at, "2026-03-01T08:45:00Z");
    w->reading.stable = 1;
    visit_reweigh_answer(v);
    /* A second re-weigh typed and never judged: not recorded. */
    v->reweigh[v->n_reweigh++].declared_ug = 1000000000;
}

static void commits_whole(void **state)
{
    (void)state;
    struct db *db = district("whole");
    static struct visit v;
    sample(&v);
    static char body[VISIT_TEXT_MAX];
    assert_true(visit_encode(&v, body, sizeof body) > 0);
    assert_int_equal(draft_save(db, v.id, v.officer1, v.stall, body), 0);
    struct visit_committed out;
    assert_int_equal(visit_commit(db, &rules, &v, today(), &out), 0);
    assert_string_equal(out.id, v.id);
    char *rows = visit_rows(db, v.id);
    assert_non_null(rows);
    /* The record, its evidence, its audit entry, no draft, the list. */
    static const char *const want[] = {
        "inspection: id=<uuid 1> stall='M01-001' market='M01' officer1='1001' officer2='1002'",
        "finding: inspection=<uuid 1> item='price-tags' answer='fail' note='价签缺失\\n两处' "
        "deadline='2026-03-08' followup='open'",
        "finding: inspection=<uuid 1> item='seal' answer='broken'",
        "reweigh: id=<uuid 3> inspection=<uuid 1> seq=1 goods='青菜' category='grain-veg-fruit' "
        "declared_ug=500000000 measured_ug=470000000 unit_price_fen=600 allowed_ug=20000000 "
        "shortfall_ug=30000000 money_short_fen=18 verdict='fail' method='reference' "
        "reference_instrument=NULL weight_set=NULL measurement=<uuid 4>",
        "measurement: id=<uuid 4> inspection=<uuid 1> calibration=NULL instrument=NULL "
        "taken_at='2026-03-01T08:45:00Z' driver='kern' raw=x'202020203437302e30204720530d0a' "
        "value='470.0' unit='g' value_ug=470000000 stable=1",
        "audit: content matches the rows",
        "draft: drafts=0",
        "stall_status: stall='M01-001'",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        if (strstr(rows, want[i]) == NULL) {
            fprintf(stderr, "missing: %s\nin:\n%s", want[i], rows);
            fail();
        }
    }
    assert_int_equal(count(db, "SELECT count(*) FROM reweighs"), 1);
    free(rows);
    db_close(db);
}

/* Any part failing leaves nothing: not the inspection, not its audit
 * entry, not the list; the draft stays to be resumed. */
static void nothing_half_written(void **state)
{
    (void)state;
    struct db *db = district("half");
    static struct visit v;
    sample(&v);
    strcpy(v.officer2, "9999"); /* no such officer */
    assert_int_equal(draft_save(db, v.id, v.officer1, v.stall, "draft"), 0);
    int64_t audits = audit_count(db);
    assert_true(visit_commit(db, &rules, &v, today(), NULL) < 0);
    assert_non_null(strstr(sc_error_message(), "9999"));
    assert_int_equal(count(db, "SELECT count(*) FROM inspections"), 0);
    assert_int_equal(count(db, "SELECT count(*) FROM measurements"), 0);
    assert_int_equal(count(db, "SELECT count(*) FROM stall_status"), 0);
    assert_int_equal(count(db, "SELECT count(*) FROM drafts"), 1);
    assert_int_equal(audit_count(db), audits);
    /* A captured re-weigh with no category is refused before anything. */
    sample(&v);
    v.reweigh[0].category = REWEIGH_NONE;
    assert_int_equal(visit_commit(db, &rules, &v, today(), NULL), SC_ERR_ARG);
    /* Inside a caller's transaction it is part of it: rolled back with it. */
    sample(&v);
    assert_int_equal(db_begin(db), 0);
    assert_int_equal(visit_commit(db, &rules, &v, today(), NULL), 0);
    assert_int_equal(db_rollback(db), 0);
    assert_int_equal(count(db, "SELECT count(*) FROM inspections"), 0);
    assert_int_equal(count(db, "SELECT count(*) FROM stall_status"), 0);
    db_close(db);
}

/* Runs `stallcheck fairscale ARGS` in this process on database name, the
 * PIN on standard input, its output thrown away; the exit code. */
static int fairscale(const char *name, char **argv, int argc)
{
    char path[320], pin[320];
    path_of(name, path, sizeof path);
    snprintf(pin, sizeof pin, "%s/pin", dir);
    FILE *f = fopen(pin, "w");
    assert_non_null(f);
    fputs("1234\n", f);
    fclose(f);
    assert_non_null(freopen(pin, "r", stdin));
    cli_set_db_path(path);
    fflush(stdout);
    int saved = dup(STDOUT_FILENO), null = open("/dev/null", O_WRONLY);
    assert_true(saved >= 0 && null >= 0);
    dup2(null, STDOUT_FILENO);
    optind = 0; /* GNU getopt: start over */
    int rc = cmd_fairscale(argc, argv);
    fflush(stdout);
    dup2(saved, STDOUT_FILENO);
    close(saved);
    close(null);
    cli_set_db_path(NULL);
    return rc;
}

static char *only_inspection(struct db *db, char *id)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db_sqlite(db), "SELECT id FROM inspections", -1, &st,
                                        NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    snprintf(id, DB_UUID_LEN, "%s", (const char *)sqlite3_column_text(st, 0));
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    return id;
}

/* A complaint at the fair scale: 1 kg of greens charged, 960 g weighed
 * (附表1 row 1: 1 kg allows 20 g, 40 g short), typed in. */
static void fairscale_writes_what_visit_commit_writes(void **state)
{
    (void)state;
    struct db *a = district("fair-cli");
    db_close(a);
    static char a0[] = "fairscale", a1[] = "--stall", a2[] = "M01-001", a3[] = "--badge",
                a4[] = "1001", a5[] = "--stated", a6[] = "1kg", a7[] = "--measured",
                a8[] = "960g", a9[] = "--goods", a10[] = "青菜", a11[] = "--price",
                a12[] = "6元/kg";
    char *argv[] = {a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, NULL};
    assert_int_equal(fairscale("fair-cli", argv, 13), CLI_EXIT_FAILED); /* short: exit 3 */
    char path[320];
    path_of("fair-cli", path, sizeof path);
    assert_int_equal(db_open(path, &a), 0);

    /* The same check committed directly. */
    struct db *b = district("fair-direct");
    static struct visit v;
    visit_clear(&v);
    strcpy(v.stall, "M01-001");
    strcpy(v.officer1, "1001");
    strcpy(v.started_at, NOW);
    strcpy(v.place, "公平秤 fair scale FAIR-1");
    strcpy(v.note, "fair-scale complaint");
    struct visit_reweigh *w = &v.reweigh[v.n_reweigh++];
    struct reweigh_input in = {.charged_ug = 1000000000, .measured_ug = 960000000,
                               .price_fen_per_kg = 600};
    assert_int_equal(visit_reweigh_judge(w, &in, REWEIGH_AT_FAIR, NULL), 0);
    strcpy(w->goods, "青菜");
    strcpy(w->reference, "FAIR-1");
    struct visit_committed out;
    assert_int_equal(visit_commit(b, &rules, &v, today(), &out), 0);

    char id[DB_UUID_LEN];
    char *got = visit_rows(a, only_inspection(a, id));
    char *want = visit_rows(b, out.id);
    assert_non_null(got);
    assert_non_null(want);
    assert_string_equal(got, want);
    assert_non_null(strstr(got, "method='fair' reference_instrument='FAIR-1'"));
    assert_non_null(strstr(got, "stall_status: stall='M01-001'"));
    free(got);
    free(want);
    db_close(a);
    db_close(b);
}

/* The TUI's effects, performed as its main loop performs them.  0 or
 * SC_ERR_*. */
static int tui_effect(struct fx *fx, struct session *ses, enum tui_effect_kind kind,
                      const char *badge, const char *pin)
{
    struct tui_effect e = {.kind = kind};
    if (kind == EFF_LOAD_STALL)
        text_copy(e.stall, sizeof e.stall, badge);
    else if (badge != NULL) {
        text_copy(e.who.badge, sizeof e.who.badge, badge);
        text_copy(e.who.pin, sizeof e.who.pin, pin);
        e.who.slot = 2; /* EFF_SWAP_OFFICER: the second officer */
    }
    return fx_perform(fx, ses, &e);
}

/* The TUI: officer 1001 signs in, picks the stall, answers, re-weighs 500 g
 * of greens at 6 元/kg on the reference scale, which sends the KERN frame
 * "470.0 G S", adds officer 1002 and confirms, through the screens' own
 * operations and the TUI's effect handlers (tui/fx.h).  The same visit
 * committed directly writes the same rows. */
static void tui_writes_what_visit_commit_writes(void **state)
{
    (void)state;
    struct db *a = district("tui");
    db_close(a);
    char path[320];
    path_of("tui", path, sizeof path);
    static struct session ses;
    memset(&ses, 0, sizeof ses);
    struct tui_options opt = {.db_path = path};
    struct scales *scales;
    struct fx *fx;
    assert_int_equal(scales_open(opt.scale_conn, &ses, &scales), 0);
    assert_int_equal(fx_open(&opt, &ses, scales, &fx), 0);
    assert_int_equal(tui_effect(fx, &ses, EFF_SIGN_IN, "1001", "1234"), 0);
    assert_int_equal(tui_effect(fx, &ses, EFF_LOAD_STALL, "M01-001", NULL), 0);
    struct visit *v = &ses.visit;
    assert_string_equal(v->stall, "M01-001");
    assert_int_equal(visit_answer(v, CHECK_PRICE_TAGS, ANSWER_FAIL), 0);
    strcpy(v->notes[CHECK_PRICE_TAGS], "价签缺失\n两处");
    assert_int_equal(visit_set_deadline(v, CHECK_PRICE_TAGS, "2026-03-08"), 0);
    assert_int_equal(visit_answer(v, CHECK_SEAL, ANSWER_SEAL_BROKEN), 0);
    assert_int_equal(visit_answer(v, CHECK_LICENCE_SHOWN, ANSWER_PASS), 0);
    assert_int_equal(tui_effect(fx, &ses, EFF_SAVE_DRAFT, NULL, NULL), 0);

    /* The re-weigh screen: a label scanned, the reference scale's reading
     * captured when stable. */
    struct tui_scale *ref = &ses.scales[SCALE_REFERENCE];
    ref->configured = ref->online = 1;
    strcpy(ref->driver, "kern");
    ref->last = (struct tui_reading){.has_value = 1, .stable = 1, .ug = 470000000, .seq = 1,
                                     .text = "470.0", .unit = "g", .raw_len = 15};
    memcpy(ref->last.raw, "    470.0 G S\r\n", 15);
    static struct reweigh_state rw;
    screen_state_init(SCR_REWEIGH, &rw);
    struct tui_reaction rx;
    memset(&rx, 0, sizeof rx);
    struct tui_event ev = {.kind = EV_SCAN, .text = "500g;6"};
    reweigh_handle(&rw, &ses, &ev, &rx);
    ev = (struct tui_event){.kind = EV_ACTION, .action = ACT_CAPTURE};
    reweigh_handle(&rw, &ses, &ev, &rx);
    assert_int_equal(v->n_reweigh, 1);
    assert_int_equal(v->reweigh[0].verdict, REWEIGH_FAIL);
    strcpy(v->reweigh[0].goods, "青菜");
    assert_int_equal(tui_effect(fx, &ses, EFF_SWAP_OFFICER, "1002", "1234"), 0);
    assert_string_equal(v->officer2, "1002");
    static struct visit same;
    same = *v;
    assert_int_equal(db_open(path, &a), 0);
    assert_int_equal(draft_count(a), 1); /* the draft of every step */
    db_close(a);
    assert_int_equal(tui_effect(fx, &ses, EFF_COMMIT, NULL, NULL), 0);
    assert_string_equal(ses.visit.id, ""); /* committed: a new visit next */
    fx_close(fx);
    scales_close(scales);

    struct db *b = district("tui-direct");
    struct visit_committed out;
    assert_int_equal(visit_commit(b, &rules, &same, today(), &out), 0);
    assert_int_equal(db_open(path, &a), 0);
    char *got = visit_rows(a, same.id);
    char *want = visit_rows(b, out.id);
    assert_non_null(got);
    assert_non_null(want);
    assert_string_equal(got, want);
    assert_non_null(strstr(got, "raw=x'202020203437302e30204720530d0a'"));
    assert_non_null(strstr(got, "draft: drafts=0"));
    free(got);
    free(want);
    db_close(a);
    db_close(b);
}

struct captured {
    struct visit *v;
    size_t n, cap;
};

static void keep_visit(const struct visit *v, void *arg)
{
    struct captured *c = arg;
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 64;
        c->v = realloc(c->v, c->cap * sizeof *c->v);
        assert_non_null(c->v);
    }
    c->v[c->n++] = *v;
}

static char *table(struct db *db, const char *sql)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db_sqlite(db), sql, -1, &st, NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int c = 0; c < sqlite3_column_count(st); c++)
            fprintf(out, "%s|", sqlite3_column_text(st, c) ? (const char *)sqlite3_column_text(st, c)
                                                            : "NULL");
        fputc('\n', out);
    }
    sqlite3_finalize(st);
    fclose(out);
    return text;
}

/* The generator's bulk path against db/visit's direct commit: the same
 * district (seed 7), its visits captured as they are committed, then
 * committed one by one into a copy of the district with no history.  The
 * rows of each are the same; the lists, which the generator computes once
 * at the end, are the same after the same recompute. */
static void demo_data_writes_what_visit_commit_writes(void **state)
{
    (void)state;
    char path[320];
    struct captured cap = {0};
    struct demo_options opt = {.stalls = 6, .months = 2, .seed = 7, .today = "2026-03-01",
                               .scores = 1, .on_visit = keep_visit, .on_visit_arg = &cap};
    struct demo_result res;
    struct db *a, *b;
    path_of("demo-bulk", path, sizeof path);
    assert_int_equal(db_open(path, &a), 0);
    assert_int_equal(demo_generate(a, &opt, &res), 0);
    assert_true(cap.n >= 5);
    assert_int_equal((int64_t)cap.n, res.inspections);

    struct demo_options none = opt;
    none.months = 0;
    none.scores = 0;
    none.on_visit = NULL;
    path_of("demo-direct", path, sizeof path);
    assert_int_equal(db_open(path, &b), 0);
    assert_int_equal(demo_generate(b, &none, &res), 0);
    assert_int_equal(res.inspections, 0);
    struct rules r;
    assert_int_equal(lists_rules(b, NULL, &r), 0);
    for (size_t i = 0; i < cap.n; i++) {
        db_clock_set(cap.v[i].ended_at);
        assert_int_equal(visit_commit(b, &r, &cap.v[i], today(), NULL), 0);
    }
    for (size_t i = 0; i < cap.n; i++) {
        char *got = visit_rows(a, cap.v[i].id), *want = visit_rows(b, cap.v[i].id);
        assert_non_null(got);
        assert_non_null(want);
        /* Up to the lists: the generator leaves them to the recompute. */
        char *cut_got = strstr(got, "stall_status:"), *cut_want = strstr(want, "stall_status:");
        if (cut_got)
            *cut_got = '\0';
        if (cut_want)
            *cut_want = '\0';
        assert_string_equal(got, want);
        assert_non_null(strstr(got, "audit: content matches the rows"));
        free(got);
        free(want);
    }
    db_clock_set("2026-03-01T23:00:00Z"); /* the generator's recompute time */
    assert_true(lists_recompute(b, &r, NULL, today()) >= 0);
    /* Every column but updated_at: a recompute leaves a line that did not
     * change as it was written (db/lists.c), here at each commit. */
    static const char q[] = "SELECT stall, score, list, since, until, last_inspection, rules,"
                            " reason, inspections, followups, as_of, valid_until"
                            " FROM stall_status ORDER BY stall";
    char *sa = table(a, q);
    char *sb = table(b, q);
    assert_string_equal(sa, sb);
    free(sa);
    free(sb);
    db_clock_set(NOW);
    free(cap.v);
    db_close(a);
    db_close(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(commits_whole),
        cmocka_unit_test(nothing_half_written),
        cmocka_unit_test(fairscale_writes_what_visit_commit_writes),
        cmocka_unit_test(tui_writes_what_visit_commit_writes),
        cmocka_unit_test(demo_data_writes_what_visit_commit_writes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
