/* db/calibration: drafts resume, a commit is all or nothing and moves the
 * instrument's dates, against a real SQLite file.  A run with readings never
 * vanishes; the verification date is the bureau's; a certificate carries its
 * issuing body, applicant, reference standard, mark and seal, and the
 * checker's and approver's signatures. */
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
#include "db/internal.h"
#include "db/officer.h"
#include "db/registry.h"
#include "db/zone.h"
#include "report/certificate.h"
#include "tui/i18n.h"

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
    struct officer o2 = {.badge = "2002", .name = "核验员", .role = ROLE_METROLOGY, .active = 1};
    assert_int_equal(officer_add_hashed(db, &o2, "$argon2id$x"), 0);
    struct officer o3 = {.badge = "2003", .name = "批准人", .role = ROLE_METROLOGY, .active = 1};
    assert_int_equal(officer_add_hashed(db, &o3, "$argon2id$x"), 0);
    struct officer o4 = {.badge = "1001", .name = "执法员", .role = ROLE_OFFICER, .active = 1};
    assert_int_equal(officer_add_hashed(db, &o4, "$argon2id$x"), 0);
    assert_int_equal(db_setting_set(db, "issuing_body", "东城区市场监督管理局计量检定所"), 0);
    assert_int_equal(db_setting_set(db, "issuing_body.authorisation", "(京)法计(2024)01001号"), 0);
    assert_int_equal(db_setting_set(db, "issuing_body.phone", "010-6400 0000"), 0);
    struct weight_set kit = {.code = "W-2", .cls = "M1", .calibration_due = "2027-06-30",
                             .certificate_no = "ZL2026-0417", .standard_name = "M1级砝码标准装置",
                             .standard_cert_no = "[2024]京量标东证字第012号", .nitems = 12,
                             .items = {{10 * 1000000, 2, 0, 0}, {20 * 1000000, 2, 0, 0},
                                       {50 * 1000000, 1, 0, 0}, {100 * 1000000, 1, 0, 0},
                                       {200 * 1000000, 2, 0, 0}, {500 * 1000000, 1, 0, 0},
                                       {1000000000, 1, 0, 0}, {2000000000, 2, 0, 0},
                                       {5000000000, 1, 0, 0}, {10000000000, 1, 0, 0},
                                       {20000000000, 1, 0, 0}, {50000000000, 1, 0, 0}}};
    assert_true(registry_put_weight_set(db, &kit) >= 0);
    return db;
}

static void draft_resumes_and_commit_moves_dates(void **state)
{
    (void)state;
    struct db *db = registry();
    struct calibration c = {.instrument = "I-1", .weight_set = "W-1", .officer = "2001",
                            .temperature = "21.5", .humidity = "48", .mark_no = "M-0001",
                            .seal_no = "S-0001"};
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
    /* No certificate without the regulation it cites: a price-computing
     * scale verified on 2026-03-01 is under JJG 539-2016. */
    assert_string_equal(c.regulation, "JJG 539-2016");
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

/* A verification committed in one go, without a draft first (as a tool
 * that imports records does): its id is made before the numbers on its
 * papers, which end with it. */
static void commit_without_draft_numbers_with_its_id(void **state)
{
    (void)state;
    struct db *db = registry();
    struct calibration c = {.instrument = "I-1", .weight_set = "W-1", .officer = "2001",
                            .verdict = "fail", .humidity = "50"};
    assert_int_equal(calibration_commit(db, &c, NULL, 0, "s"), 0);
    assert_int_equal(strlen(c.id), 36);
    size_t n = strlen(c.record_no);
    assert_true(n > strlen("YS20260301-"));
    assert_true(c.record_no[n - 1] != '-');
    struct calibration back;
    assert_int_equal(calibration_load(db, c.id, &back, NULL, NULL, NULL), 0);
    assert_string_equal(back.record_no, c.record_no);
    db_close(db);
}

static void failed_is_due_at_once_and_rollback_leaves_nothing(void **state)
{
    (void)state;
    struct db *db = registry();
    struct calibration c = {.instrument = "I-1", .weight_set = "W-1", .officer = "2001",
                            .verdict = "fail", .humidity = "50"};
    assert_int_equal(calibration_save_draft(db, &c, "s"), 0);
    assert_int_equal(calibration_commit(db, &c, NULL, 0, "s"), 0);
    struct instrument in;
    assert_int_equal(registry_find_instrument(db, "I-1", &in), 0);
    assert_string_equal(in.last_verified, "2025-02-01");
    assert_string_equal(in.due, "2026-03-01");

    /* an unknown instrument: nothing written, the draft stays a draft */
    struct calibration d = {.instrument = "I-1", .officer = "2001", .verdict = "pass",
                            .humidity = "50", .mark_no = "M-2", .seal_no = "S-2"};
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

/* The push's reader of many records (audit_canonical_many) gives the
 * same text, tail or none, as audit_canonical. */
static void same_when_many(struct db *db, const char *id, const char *canon, size_t len)
{
    const char *ids[2] = {id, id};
    struct audit_canon many[2];
    assert_int_equal(audit_canonical_many(db, "calibration", ids, 2, many), 0);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(many[i].len, len);
        assert_memory_equal(many[i].p, canon, len);
        audit_canon_free(&many[i]);
    }
}

static void readings_are_recorded_with_the_state(void **state)
{
    (void)state;
    struct db *db = registry();
    struct calibration c = {.instrument = "I-1", .weight_set = "W-1", .officer = "2001",
                            .humidity = "50", .mark_no = "M-3", .seal_no = "S-3"};
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
    same_when_many(db, c.id, canon, len);
    assert_non_null(strstr(canon, "value_ug:i=100000001"));
    assert_non_null(strstr(canon, "measurement:t="));
    free(canon);
    /* A record from before certificates (schema 11): no tail at all, in
     * both readers, though its later tail tables may hold rows. */
    char sql[160];
    snprintf(sql, sizeof sql, "UPDATE calibrations SET canon = 1 WHERE id = '%s'", c.id);
    assert_int_equal(db_exec(db, sql), 0);
    assert_int_equal(audit_canonical(db, "calibration", c.id, &canon, &len), 0);
    assert_null(strstr(canon, "#4\n"));
    assert_null(strstr(canon, "#5\n"));
    same_when_many(db, c.id, canon, len);
    free(canon);
    db_close(db);
}

/* ---- whole runs through the engine -------------------------------------- */

#define E_UG 5000000 /* I-1: e = 5 g */

/* A reading of the scale in good order (no error; `bad` adds +8 g at the
 * first weighing load, beyond its ±2.5 g), answers "pass". */
static struct proc_reading reading(const struct proc_step *s, int bad)
{
    struct proc_reading r = {.stable = 1};
    if (s->answer_step) {
        r.answer = PROC_YES;
        if (s->needs_text)
            strcpy(r.text, "V1.0");
        return r;
    }
    if (s->test == PROC_PRICE) {
        r.indication_ug = s->load_ug;
        r.amount_fen = (s->load_ug * s->unit_price_fen + 500000000) / 1000000000;
        return r;
    }
    if (s->test == PROC_DISCRIMINATION) {
        r.indication_ug = s->load_ug + (s->after_extra ? E_UG : 0);
        return r;
    }
    int64_t shown = s->test == PROC_TARE ? s->net_ug : s->load_ug;
    int64_t P = shown + (bad && s->test == PROC_WEIGHING && s->k == 1 ? 8000000 : 0);
    r.indication_ug = (P + E_UG / 2) / E_UG * E_UG;
    r.added_ug = r.indication_ug + E_UG / 2 - P;
    r.digit_ug = 1000000; /* "100" g from the driver */
    return r;
}

/* Takes n steps (all when n < 0), each reading recorded with the state. */
static void take(struct db *db, struct calibration *c, struct proc *p, int n, int bad)
{
    struct proc_step s;
    while (n-- != 0 && proc_current(p, &s) == 1) {
        struct proc_reading r = reading(&s, bad);
        if (proc_feed(p, &r, NULL) != SC_OK)
            fail_msg("%s: %s", s.instruction, sc_error_message());
        char state[8192];
        assert_true(proc_save(p, state, sizeof state) < (int)sizeof state);
        if (s.answer_step) {
            assert_int_equal(calibration_save_draft(db, c, state), 0);
            continue;
        }
        struct measurement m = {.unit = "g", .driver = "typed", .has_value_ug = 1,
                                .value_ug = r.indication_ug, .stable = 1};
        snprintf(m.value, sizeof m.value, "%lld", (long long)(r.indication_ug / 1000000));
        assert_int_equal(calibration_record_reading(db, c, state, &m), 0);
    }
}

static struct proc *start(struct db *db, struct calibration *c, const char *set)
{
    char today[16];
    db_today(today, sizeof today);
    day_t d;
    assert_int_equal(day_parse(today, &d), 0);
    struct proc_config cfg;
    if (calibration_config(db, "I-1", set, PROC_SUBSEQUENT, d, &cfg) != SC_OK)
        fail_msg("config: %s", sc_error_message());
    struct proc *p;
    if (proc_new(&cfg, &p) != SC_OK)
        fail_msg("proc_new: %s", sc_error_message());
    memset(c, 0, sizeof *c);
    strcpy(c->instrument, "I-1");
    strcpy(c->weight_set, set);
    strcpy(c->officer, "2001");
    strcpy(c->temperature, "21.5");
    strcpy(c->humidity, "48");
    return p;
}

/* Pressing "discard" on a run with readings deleted them and left no
 * record, so a scale could be run again until it passed.  Now a run with a
 * reading or an answer ends as a record: its verdict, or abandoned with a
 * reason; a failing one cannot be abandoned, it is a notice of failure. */
static void a_run_with_readings_never_vanishes(void **state)
{
    (void)state;
    struct db *db = registry();
    struct calibration c;
    struct proc *p = start(db, &c, "W-2");
    take(db, &c, p, 8, 0);
    assert_int_equal(calibration_discard(db, c.id), SC_ERR_DENIED);
    assert_non_null(strstr(sc_error_message(), "never deleted"));
    assert_int_equal(calibration_abandon(db, &c, ""), SC_ERR_ARG);
    int64_t entries = audit_count(db);
    assert_int_equal(calibration_abandon(db, &c, "the scale's display went blank"), 0);
    assert_int_equal(audit_count(db), entries + 1); /* the record; the instrument is untouched */
    struct calibration back;
    struct calibration_step *steps = NULL;
    size_t n = 0;
    assert_int_equal(calibration_load(db, c.id, &back, &steps, &n, NULL), 0);
    assert_string_equal(back.status, "committed");
    assert_string_equal(back.verdict, "");
    assert_string_equal(back.abandoned, "the scale's display went blank");
    assert_int_equal(n, 8);
    assert_string_equal(steps[0].test, "general");
    assert_string_equal(steps[0].position, "appearance");
    assert_string_equal(steps[0].note, "pass");
    free(steps);
    struct instrument in;
    assert_int_equal(registry_find_instrument(db, "I-1", &in), 0);
    assert_string_equal(in.due, "2026-01-31");
    char hash[AUDIT_HASH_HEX];
    struct audit_entry e;
    assert_int_equal(audit_latest(db, "calibration", c.id, &e), 0);
    assert_int_equal(audit_content_hash(db, "calibration", c.id, hash), 0);
    assert_string_equal(hash, e.content_hash);
    proc_free(p);

    /* A run whose readings fail the scale: a notice, not an ending. */
    p = start(db, &c, "W-2");
    take(db, &c, p, 8, 1); /* the Min load reads +8 g */
    assert_int_equal(calibration_abandon(db, &c, "tired"), SC_ERR_DENIED);
    assert_non_null(strstr(sc_error_message(), "notice of failure"));
    assert_int_equal(calibration_discard(db, c.id), SC_ERR_DENIED);
    assert_int_equal(calibration_finish(db, &c, p), 0);
    assert_string_equal(c.verdict, "fail");
    assert_int_equal(strncmp(c.certificate_no, "TZ20260301-", 11), 0);
    assert_int_equal(registry_find_instrument(db, "I-1", &in), 0);
    assert_string_equal(in.due, "2026-03-01"); /* due at once */
    proc_free(p);

    /* Nothing recorded yet: the draft may go. */
    p = start(db, &c, "W-2");
    assert_int_equal(calibration_save_draft(db, &c, ""), 0);
    assert_int_equal(calibration_discard(db, c.id), 0);
    proc_free(p);
    db_close(db);
}

/* 20:38 UTC on 6 December is 04:38 on the 7th in Beijing: the set that
 * expired on the 6th is refused, and the certificate is dated the 7th. */
static void verification_date_is_the_bureaus(void **state)
{
    (void)state;
    struct db *db = registry();
    db_clock_set("2026-12-06T20:38:00Z");
    struct weight_set ws;
    assert_int_equal(registry_find_weight_set(db, "W-2", &ws), 0);
    strcpy(ws.calibration_due, "2026-12-06");
    assert_true(registry_put_weight_set(db, &ws) >= 0);
    struct proc_config cfg;
    assert_int_equal(calibration_config(db, "I-1", "W-2", PROC_SUBSEQUENT, day_from_ymd(2026, 12, 7), &cfg),
                     SC_ERR_EXPIRED);
    strcpy(ws.calibration_due, "2027-06-30");
    assert_true(registry_put_weight_set(db, &ws) >= 0);
    struct calibration c;
    struct proc *p = start(db, &c, "W-2");
    take(db, &c, p, -1, 0);
    assert_int_equal(calibration_finish(db, &c, p), SC_ERR_ARG); /* no mark and seal */
    assert_non_null(strstr(sc_error_message(), "verification mark and seal"));
    strcpy(c.mark_no, "JD-ZC-000731");
    strcpy(c.seal_no, "FY-000731");
    assert_int_equal(calibration_finish(db, &c, p), 0);
    assert_string_equal(c.verdict, "pass");
    assert_string_equal(c.ended_at, "2026-12-06T20:38:00Z");
    assert_string_equal(c.verified_on, "2026-12-07");
    assert_string_equal(c.next_due, "2027-12-06");
    assert_int_equal(strncmp(c.certificate_no, "JD20261207-", 11), 0);
    struct instrument in;
    assert_int_equal(registry_find_instrument(db, "I-1", &in), 0);
    assert_string_equal(in.last_verified, "2026-12-07");
    assert_string_equal(in.mark_no, "JD-ZC-000731");
    assert_string_equal(in.seal_no, "FY-000731");
    proc_free(p);
    db_clock_set(NULL);
    db_close(db);
}

/* What the certificate carries is recorded with the verdict, and a reprint
 * after the settings changed is the same paper. */
static void certificate_content_is_recorded(void **state)
{
    (void)state;
    struct db *db = registry();
    struct calibration c;
    struct proc *p = start(db, &c, "W-2");
    take(db, &c, p, -1, 0);
    strcpy(c.mark_no, "M-7");
    strcpy(c.seal_no, "S-7");
    strcpy(c.humidity, "");
    assert_int_equal(calibration_finish(db, &c, p), SC_ERR_ARG);
    assert_non_null(strstr(sc_error_message(), "humidity"));
    strcpy(c.humidity, "48");
    assert_int_equal(db_setting_set(db, "issuing_body.authorisation", ""), 0);
    assert_int_equal(calibration_finish(db, &c, p), SC_ERR_ARG);
    assert_non_null(strstr(sc_error_message(), "issuing_body.authorisation"));
    assert_int_equal(db_setting_set(db, "issuing_body.authorisation", "(京)法计(2024)01001号"), 0);
    assert_int_equal(calibration_finish(db, &c, p), 0);
    assert_int_equal(db_setting_set(db, "issuing_body", "another name"), 0);
    struct calibration back;
    assert_int_equal(calibration_load(db, c.id, &back, NULL, NULL, NULL), 0);
    assert_string_equal(back.kind, "subsequent");
    assert_string_equal(back.regulation, "JJG 539-2016");
    assert_string_equal(back.humidity, "48");
    assert_string_equal(back.place, "东风农贸市场（现场 on site）");
    assert_int_equal(strncmp(back.record_no, "YS20260301-", 11), 0);
    assert_string_equal(back.mark_no, "M-7");
    char v[256];
    calibration_paper_get(&back, "issuer.name", v, sizeof v);
    assert_string_equal(v, "东城区市场监督管理局计量检定所");
    calibration_paper_get(&back, "issuer.authorisation", v, sizeof v);
    assert_string_equal(v, "(京)法计(2024)01001号");
    calibration_paper_get(&back, "issuer.phone", v, sizeof v);
    assert_string_equal(v, "010-6400 0000");
    calibration_paper_get(&back, "applicant", v, sizeof v);
    assert_string_equal(v, "东风农贸市场");
    calibration_paper_get(&back, "instrument.name", v, sizeof v);
    assert_string_equal(v, "电子计价秤");
    calibration_paper_get(&back, "standard.name", v, sizeof v);
    assert_string_equal(v, "M1级砝码标准装置");
    calibration_paper_get(&back, "standard.cert", v, sizeof v);
    assert_string_equal(v, "[2024]京量标东证字第012号");
    calibration_paper_get(&back, "standard.range", v, sizeof v);
    assert_string_equal(v, "10 g – 50 kg");
    calibration_paper_get(&back, "standard.accuracy", v, sizeof v);
    assert_string_equal(v, "OIML R111 M1");
    calibration_paper_get(&back, "reference.cert", v, sizeof v);
    assert_string_equal(v, "ZL2026-0417");
    calibration_paper_get(&back, "nothing", v, sizeof v);
    assert_string_equal(v, "");
    /* The audit covers it all. */
    char *canon = NULL;
    size_t len = 0;
    assert_int_equal(audit_canonical(db, "calibration", c.id, &canon, &len), 0);
    same_when_many(db, c.id, canon, len);
    assert_non_null(strstr(canon, "#4\n"));
    assert_non_null(strstr(canon, "mark_no:t=M-7"));
    assert_non_null(strstr(canon, "issuer.name=东城区"));
    free(canon);
    proc_free(p);
    db_close(db);
}

static void checker_and_approver_sign(void **state)
{
    (void)state;
    struct db *db = registry();
    struct calibration c;
    struct proc *p = start(db, &c, "W-2");
    take(db, &c, p, -1, 0);
    strcpy(c.mark_no, "M-8");
    strcpy(c.seal_no, "S-8");
    assert_int_equal(calibration_finish(db, &c, p), 0);
    proc_free(p);
    int64_t entries = audit_count(db);
    assert_int_equal(calibration_sign(db, c.id, "checker", "2001"), SC_ERR_DENIED); /* the verifier */
    assert_int_equal(calibration_sign(db, c.id, "checker", "1001"), SC_ERR_DENIED); /* not metrology */
    assert_int_equal(calibration_sign(db, c.id, "witness", "2002"), SC_ERR_ARG);
    assert_int_equal(calibration_sign(db, c.id, "checker", "2002"), 0);
    assert_int_equal(calibration_sign(db, c.id, "checker", "2003"), SC_ERR_EXISTS);
    assert_int_equal(calibration_sign(db, c.id, "approver", "2002"), SC_ERR_DENIED);
    assert_int_equal(calibration_sign(db, c.id, "approver", "2003"), 0);
    assert_int_equal(audit_count(db), entries + 2);
    struct calibration back;
    assert_int_equal(calibration_load(db, c.id, &back, NULL, NULL, NULL), 0);
    assert_string_equal(back.checker, "2002");
    assert_string_equal(back.approver, "2003");
    char hash[AUDIT_HASH_HEX];
    struct audit_entry e;
    assert_int_equal(audit_latest(db, "calibration", c.id, &e), 0);
    assert_int_equal(audit_content_hash(db, "calibration", c.id, hash), 0);
    assert_string_equal(hash, e.content_hash);
    db_close(db);
}

/* The paper of that record, as text: everything 《计量检定印、证管理办法》,
 * JJF 1069-2012 and JJF 1002-2010 ask of a certificate is on it; the old
 * paper had no page numbers, no issuer, applicant, instrument name,
 * checker or approver, record number, standard certificate, place or
 * humidity, and its QR said "calibration". */
static char *paper_text(struct db *db, const char *id)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    if (certificate_text(db, id, f) != SC_OK)
        fail_msg("certificate: %s", sc_error_message());
    fclose(f);
    return text;
}

static void certificate_carries_what_the_rules_ask(void **state)
{
    (void)state;
    struct db *db = registry();
    struct calibration c;
    struct proc *p = start(db, &c, "W-2");
    take(db, &c, p, -1, 0);
    strcpy(c.mark_no, "JD-ZC-000731");
    strcpy(c.seal_no, "FY-000731");
    assert_int_equal(calibration_finish(db, &c, p), 0);
    proc_free(p);
    assert_int_equal(calibration_sign(db, c.id, "checker", "2002"), 0);
    assert_int_equal(calibration_sign(db, c.id, "approver", "2003"), 0);
    char *t = paper_text(db, c.id);
    static const char *const must[] = {
        "检定证书 Verification certificate",
        "第 1 页 共 2 页", "第 2 页 共 2 页",                  /* page numbers */
        "东城区市场监督管理局计量检定所",                        /* issuing body */
        "(京)法计(2024)01001号",                                /* its authorisation */
        "010-6400 0000",                                          /* its contact */
        "委托方 Applicant", "东风农贸市场",                      /* applicant */
        "电子计价秤",                                             /* instrument name */
        "检定员 Verified by: 2001 计量员 ____",                 /* signature lines */
        "核验员 Checked by: 2002 核验员 ____",
        "批准人 Approved by: 2003 批准人 ____",
        "原始记录号 Record number", "YS20260301-",
        "M1级砝码标准装置", "10 g – 50 kg", "OIML R111 M1",      /* the standard */
        "[2024]京量标东证字第012号",                             /* 计量标准考核证书号 */
        "ZL2026-0417", "2027-06-30",                              /* the weights' own cert */
        "地点 Place", "东风农贸市场（现场 on site）",
        "21.5 °C   48 %RH",                                       /* temperature, humidity */
        "JJG 539-2016 《数字指示秤检定规程》",                   /* the regulation */
        "后续检定 Subsequent verification",                        /* the kind */
        "检定结论 Conclusion Ⅲ级 合格", "有效期至 Valid until", "2027-02-28",
        "JD-ZC-000731", "FY-000731",                              /* mark and seal */
        "通用技术要求 General requirements", "appearance", "调水平 Levelling",
        "预加载 Pre-load", "计价 Price", "7500 g", "12.34 yuan/kg: 92.55 shown, 92.55 due", "back to zero", "centre",
        "以下空白",                                               /* the end mark */
    };
    for (size_t i = 0; i < sizeof must / sizeof must[0]; i++)
        if (strstr(t, must[i]) == NULL)
            fail_msg("the certificate lacks '%s' (%s)", must[i], getenv("DUMP") ? (fputs(t, stderr), "dumped") : "DUMP=1 shows it");
    assert_null(strstr(t, "calibration"));
    free(t);

    /* A notice of failure names the failed items; no validity, no mark. */
    p = start(db, &c, "W-2");
    take(db, &c, p, 8, 1);
    assert_int_equal(calibration_finish(db, &c, p), 0);
    proc_free(p);
    t = paper_text(db, c.id);
    static const char *const notice[] = {"检定结果通知书", "检定结论 Conclusion 不合格",
                                         "不合格项目 Failed items", "称量", "停止使用",
                                         "第 1 页 共 2 页"};
    for (size_t i = 0; i < sizeof notice / sizeof notice[0]; i++)
        if (strstr(t, notice[i]) == NULL)
            fail_msg("the notice lacks '%s' (%s)", notice[i], getenv("DUMP") ? (fputs(t, stderr), "dumped") : "DUMP=1 shows it");
    assert_null(strstr(t, "有效期至 Valid until"));
    assert_null(strstr(t, "检定合格标志"));
    free(t);
    /* An abandoned run has no paper. */
    p = start(db, &c, "W-2");
    take(db, &c, p, 3, 0);
    assert_int_equal(calibration_abandon(db, &c, "rain"), 0);
    proc_free(p);
    struct certificate cert;
    assert_int_equal(certificate_load(db, c.id, &cert), SC_ERR_ARG);
    assert_non_null(strstr(sc_error_message(), "abandoned"));
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
    i18n_init(NULL); /* the build tree's catalogues: a certificate is a Chinese paper */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(draft_resumes_and_commit_moves_dates, setup, teardown),
        cmocka_unit_test_setup_teardown(commit_without_draft_numbers_with_its_id, setup, teardown),
        cmocka_unit_test_setup_teardown(failed_is_due_at_once_and_rollback_leaves_nothing, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(readings_are_recorded_with_the_state, setup, teardown),
        cmocka_unit_test(next_due),
        cmocka_unit_test_setup_teardown(a_run_with_readings_never_vanishes, setup, teardown),
        cmocka_unit_test_setup_teardown(verification_date_is_the_bureaus, setup, teardown),
        cmocka_unit_test_setup_teardown(certificate_content_is_recorded, setup, teardown),
        cmocka_unit_test_setup_teardown(checker_and_approver_sign, setup, teardown),
        cmocka_unit_test_setup_teardown(certificate_carries_what_the_rules_ask, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
