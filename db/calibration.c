#include "db/calibration.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/day.h"
#include "core/error.h"
#include "core/mass.h"
#include "core/r111.h"
#include "core/roles.h"
#include "core/utf8.h"
#include "db/audit.h"
#include "db/internal.h"
#include "db/kit.h"
#include "db/officer.h"
#include "db/paper.h"
#include "db/registry.h"
#include "db/zone.h"

#define CAL_COLS                                                                               \
    "id, instrument, coalesce(weight_set, ''), officer, started_at, coalesce(ended_at, ''), "  \
    "status, temperature, coalesce(verdict, ''), certificate_no, coalesce(next_due, ''), note, " \
    "state, kind, regulation, coalesce(verified_on, ''), humidity, place, record_no, mark_no, "  \
    "seal_no, abandoned, paper"

/* Reads a row of CAL_COLS; *state gets a malloc'd copy when state != NULL. */
static int read_row(sqlite3_stmt *st, struct calibration *c, char **state)
{
    memset(c, 0, sizeof *c);
    db_col_text(st, 0, c->id, sizeof c->id);
    db_col_text(st, 1, c->instrument, sizeof c->instrument);
    db_col_text(st, 2, c->weight_set, sizeof c->weight_set);
    db_col_text(st, 3, c->officer, sizeof c->officer);
    db_col_text(st, 4, c->started_at, sizeof c->started_at);
    db_col_text(st, 5, c->ended_at, sizeof c->ended_at);
    db_col_text(st, 6, c->status, sizeof c->status);
    db_col_text(st, 7, c->temperature, sizeof c->temperature);
    db_col_text(st, 8, c->verdict, sizeof c->verdict);
    db_col_text(st, 9, c->certificate_no, sizeof c->certificate_no);
    db_col_text(st, 10, c->next_due, sizeof c->next_due);
    db_col_text(st, 11, c->note, sizeof c->note);
    db_col_text(st, 13, c->kind, sizeof c->kind);
    db_col_text(st, 14, c->regulation, sizeof c->regulation);
    db_col_text(st, 15, c->verified_on, sizeof c->verified_on);
    db_col_text(st, 16, c->humidity, sizeof c->humidity);
    db_col_text(st, 17, c->place, sizeof c->place);
    db_col_text(st, 18, c->record_no, sizeof c->record_no);
    db_col_text(st, 19, c->mark_no, sizeof c->mark_no);
    db_col_text(st, 20, c->seal_no, sizeof c->seal_no);
    db_col_text(st, 21, c->abandoned, sizeof c->abandoned);
    db_col_text(st, 22, c->paper, sizeof c->paper);
    if (state != NULL) {
        const unsigned char *t = sqlite3_column_text(st, 12);
        *state = strdup(t != NULL ? (const char *)t : "");
        if (*state == NULL)
            return SC_ERR_NOMEM;
    }
    return 0;
}

static int read_listed(sqlite3_stmt *st, void *row)
{
    return read_row(st, row, NULL);
}

static const char SQL_STATUS[] = "SELECT status FROM calibrations WHERE id = ?1";

static int status_of(struct db *db, const char *id, char *out, size_t size)
{
    return db_text_of(db, SQL_STATUS, id, out, size, "calibration");
}

int calibration_save_draft(struct db *db, struct calibration *c, const char *state)
{
    int rc = db_draft_start(db, SQL_STATUS, c->id, c->started_at, sizeof c->started_at);
    if (rc < 0)
        return rc;
    utf8_copy(c->status, sizeof c->status, "draft");
    char now[24];
    db_now(now, sizeof now);
    if (c->kind[0] == '\0')
        utf8_copy(c->kind, sizeof c->kind, "subsequent");
    sqlite3_stmt *st = db_stmt(
        db, "INSERT INTO calibrations (id, instrument, weight_set, officer, started_at, status, "
            "temperature, device, note, state, updated_at, kind, humidity, place) "
            "VALUES (?1, ?2, ?3, ?4, ?5, 'draft', ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) "
            "ON CONFLICT (id) DO UPDATE SET instrument = ?2, weight_set = ?3, officer = ?4, "
            "temperature = ?6, note = ?8, state = ?9, updated_at = ?10, kind = ?11, "
            "humidity = ?12, place = ?13");
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, c->id);
    db_bind_text(st, 2, c->instrument);
    db_bind_text_or_null(st, 3, c->weight_set);
    db_bind_text(st, 4, c->officer);
    db_bind_text(st, 5, c->started_at);
    db_bind_text(st, 6, c->temperature);
    db_bind_text(st, 7, db_device_id(db));
    db_bind_text(st, 8, c->note);
    db_bind_text(st, 9, state != NULL ? state : "");
    db_bind_text(st, 10, now);
    db_bind_text(st, 11, c->kind);
    db_bind_text(st, 12, c->humidity);
    db_bind_text(st, 13, c->place);
    return db_step_done(db, st, "calibration draft");
}

static int insert_measurement(struct db *db, const char *cal_id, const char *instrument,
                              struct measurement *m)
{
    if (m->id[0] == '\0')
        db_record_id(db, m->id);
    char now[24];
    db_now(now, sizeof now);
    /* A reading without bytes has none (NULL), not an empty one. */
    struct measurement row = *m;
    if (row.raw_len == 0)
        row.raw = NULL;
    return db_measurement_put(db, "calibration", cal_id,
                              m->instrument[0] ? m->instrument : instrument, &row, now);
}

int calibration_record_reading(struct db *db, struct calibration *c, const char *state,
                               struct measurement *m)
{
    int rc = db_begin(db);
    if (rc < 0)
        return rc;
    if ((rc = calibration_save_draft(db, c, state)) < 0 ||
        (rc = insert_measurement(db, c->id, c->instrument, m)) < 0)
        return db_rollback_keep(db, rc);
    return db_commit(db);
}

int calibration_find_draft(struct db *db, const char *officer, const char *instrument,
                           struct calibration *c, char **state)
{
    *state = NULL;
    sqlite3_stmt *st = db_stmt(db, "SELECT " CAL_COLS " FROM calibrations WHERE status = 'draft' "
                                   "AND (?1 IS NULL OR officer = ?1) "
                                   "AND (?2 IS NULL OR instrument = ?2) "
                                   "ORDER BY updated_at DESC, id LIMIT 1");
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, officer);
    db_bind_text(st, 2, instrument);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        rc = read_row(st, c, state);
        db_done(st);
        return rc;
    }
    db_done(st);
    if (rc != SQLITE_DONE)
        return db_fail(db, "calibration");
    return sc_error_set(SC_ERR_NOTFOUND, _("no unfinished verification"));
}

int calibration_discard(struct db *db, const char *id)
{
    int rc = db_draft_only(db, SQL_STATUS, id);
    if (rc < 0)
        return rc;
    /* A run with a reading or an answer must end as a record, or it could be
     * run again until it passes. */
    sqlite3_stmt *st = db_stmt(db, "SELECT (SELECT count(*) FROM measurements WHERE calibration = ?1) "
                                   "+ (SELECT count(*) FROM calibrations WHERE id = ?1 AND "
                                   "(state LIKE '%' || char(10) || 'reading %' OR state LIKE '%' || "
                                   "char(10) || 'answer %' OR state LIKE '%' || char(10) || 'price %'))");
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, id);
    rc = sqlite3_step(st);
    int64_t recorded = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    db_done(st);
    if (recorded < 0)
        return db_fail(db, "calibration");
    if (recorded > 0)
        return sc_error_set(SC_ERR_DENIED, _("calibration %s has readings: it ends with its verdict "
                            "(a certificate or a notice of failure) or abandoned with a reason, "
                            "never deleted"), id);
    st = db_stmt(db, "DELETE FROM calibrations WHERE id = ?1 AND status = 'draft'");
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, id);
    return db_step_done(db, st, "calibration");
}

int calibration_next_due(const char *day, int pass, char *out, size_t size)
{
    day_t d;
    if (day_parse(day, &d) < 0)
        return sc_error_set(SC_ERR_PARSE, _("not a date: '%s'"), day);
    /* JJG 539-2016: the verification period is at most one year; the
     * certificate is valid to the day before the anniversary.  A failed
     * instrument is due at once. */
    if (pass)
        d = day_add_months(d, 12) - 1;
    day_format(d, out, size);
    return 0;
}

static int insert_step(struct db *db, const char *id, const struct calibration_step *s)
{
    sqlite3_stmt *st = db_stmt(
        db, "INSERT INTO calibration_steps (calibration, seq, test, position, load_ug, "
            "indication_ug, added_ug, error_ug, mpe_ug, pass, note) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, id);
    sqlite3_bind_int(st, 2, s->seq);
    db_bind_text(st, 3, s->test);
    db_bind_text(st, 4, s->position);
    sqlite3_bind_int64(st, 5, s->load_ug);
    if (s->has_indication)
        sqlite3_bind_int64(st, 6, s->indication_ug);
    sqlite3_bind_int64(st, 7, s->added_ug);
    sqlite3_bind_int64(st, 8, s->error_ug);
    /* A step recorded only (discrimination's first reading) has no bound
     * and no verdict of its own. */
    if (s->judged) {
        sqlite3_bind_int64(st, 9, s->mpe_ug);
        sqlite3_bind_int(st, 10, s->pass ? 1 : 0);
    }
    db_bind_text(st, 11, s->note);
    return db_step_done(db, st, "calibration step");
}

/* ---- the paper's snapshot (db/paper.h) ---------------------------------- */

void calibration_paper_get(const struct calibration *c, const char *key, char *buf, size_t size)
{
    paper_get(c->paper, key, buf, size);
}

const char *calibration_instrument_name(const char *kind)
{
    return paper_instrument_name(kind);
}

void calibration_number(const char *prefix, const char *day, const char *id, char *buf, size_t size)
{
    paper_number(prefix, day, id, buf, size);
}

static int build_paper(struct db *db, struct calibration *c, const struct instrument *in)
{
    return paper_snapshot(db, in, c->weight_set, c->paper, sizeof c->paper, c->place, sizeof c->place);
}

/* Each step that read the scale gets its reading as read, when every such
 * reading was recorded: the k-th measurement is the k-th step with an
 * indication (answers have none). */
static int link_readings(struct db *db, const char *id, const struct calibration_step *steps,
                         size_t nsteps)
{
    size_t readings = 0;
    for (size_t i = 0; i < nsteps; i++)
        readings += steps[i].has_indication != 0;
    sqlite3_stmt *st = db_stmt(db, "SELECT id FROM measurements WHERE calibration = ?1 ORDER BY rowid");
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, id);
    char(*ids)[DB_UUID_LEN] = calloc(readings ? readings : 1, sizeof *ids);
    if (ids == NULL) {
        db_done(st);
        return SC_ERR_NOMEM;
    }
    size_t n = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n < readings)
            db_col_text(st, 0, ids[n], sizeof ids[n]);
        n++;
    }
    db_done(st);
    if (rc != SQLITE_DONE) {
        free(ids);
        return db_fail(db, "measurements");
    }
    rc = SC_OK;
    if (n == readings && n > 0) {
        size_t k = 0;
        for (size_t i = 0; i < nsteps && rc == SC_OK; i++) {
            if (!steps[i].has_indication)
                continue;
            st = db_stmt(db, "UPDATE calibration_steps SET measurement = ?3 WHERE calibration = ?1 "
                             "AND seq = ?2");
            if (st == NULL) {
                rc = SC_ERR_DB;
                break;
            }
            db_bind_text(st, 1, id);
            sqlite3_bind_int(st, 2, steps[i].seq);
            db_bind_text(st, 3, ids[k++]);
            rc = db_step_done(db, st, "calibration steps");
        }
    }
    free(ids);
    return rc;
}

static int commit_rows(struct db *db, struct calibration *c, const struct calibration_step *steps,
                       size_t nsteps, const char *state)
{
    /* A record committed without a draft gets its id now: the numbers on
     * its papers are made from it. */
    if (c->id[0] == '\0')
        db_record_id(db, c->id);
    /* The verification date is a legal date: the bureau's, not UTC's. */
    struct instrument in;
    int rc = kit_commit_check(db, SQL_STATUS, c->id, c->instrument, &in, c->ended_at,
                              c->verified_on, sizeof c->verified_on);
    if (rc < 0)
        return rc;
    int pass = strcmp(c->verdict, "pass") == 0;
    int abandoned = c->abandoned[0] != '\0';
    if (abandoned)
        c->next_due[0] = '\0';
    else if ((rc = calibration_next_due(c->verified_on, pass, c->next_due, sizeof c->next_due)) < 0)
        return rc;
    if (c->record_no[0] == '\0')
        calibration_number("YS", c->verified_on, c->id, c->record_no, sizeof c->record_no);
    if (c->regulation[0] == '\0') {
        /* Every paper cites its regulation: the one the law names for this
         * kind of scale on its verification day (core/procedure.h). */
        day_t day;
        if (day_parse(c->verified_on, &day) < 0)
            return sc_error_set(SC_ERR_ARG, _("calibration %s: verification date '%s'"), c->id,
                                c->verified_on);
        utf8_copy(c->regulation, sizeof c->regulation,
             proc_regulation_for(strcmp(in.kind, "price-computing") == 0, day)->code);
    }
    if ((rc = build_paper(db, c, &in)) < 0)
        return rc;
    if ((rc = calibration_save_draft(db, c, state)) < 0)
        return rc;
    sqlite3_stmt *st = db_stmt(db, "DELETE FROM calibration_steps WHERE calibration = ?1");
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, c->id);
    if ((rc = db_step_done(db, st, "calibration steps")) < 0)
        return rc;
    for (size_t i = 0; i < nsteps; i++)
        if ((rc = insert_step(db, c->id, &steps[i])) < 0)
            return rc;
    if ((rc = link_readings(db, c->id, steps, nsteps)) < 0)
        return rc;
    utf8_copy(c->status, sizeof c->status, "committed");
    char now[24];
    db_now(now, sizeof now);
    st = db_stmt(db, "UPDATE calibrations SET status = 'committed', ended_at = ?2, verdict = ?3, "
                     "certificate_no = ?4, next_due = ?5, updated_at = ?6, regulation = ?7, "
                     "verified_on = ?8, record_no = ?9, mark_no = ?10, seal_no = ?11, "
                     "abandoned = ?12, paper = ?13, canon = 2 WHERE id = ?1");
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, c->id);
    db_bind_text(st, 2, c->ended_at);
    db_bind_text_or_null(st, 3, abandoned ? "" : c->verdict);
    db_bind_text(st, 4, c->certificate_no);
    db_bind_text_or_null(st, 5, c->next_due);
    db_bind_text(st, 6, now);
    db_bind_text(st, 7, c->regulation);
    db_bind_text(st, 8, c->verified_on);
    db_bind_text(st, 9, c->record_no);
    db_bind_text(st, 10, c->mark_no);
    db_bind_text(st, 11, c->seal_no);
    db_bind_text(st, 12, c->abandoned);
    db_bind_text(st, 13, c->paper);
    if ((rc = db_step_done(db, st, "calibration")) < 0)
        return rc;
    /* The instrument's dates and, on a pass, its new mark and seal
     * (registry_put_instrument audits its change in this same transaction).
     * An abandoned run moves nothing. */
    if (!abandoned) {
        if (pass) {
            utf8_copy(in.last_verified, sizeof in.last_verified, c->verified_on);
            utf8_copy(in.mark_no, sizeof in.mark_no, c->mark_no);
            utf8_copy(in.seal_no, sizeof in.seal_no, c->seal_no);
        }
        utf8_copy(in.due, sizeof in.due, c->next_due);
        if ((rc = registry_put_instrument(db, &in)) < 0)
            return rc;
    }
    int64_t seq = audit_append(db, "calibration", c->id);
    return seq < 0 ? (int)seq : 0;
}

int calibration_commit(struct db *db, struct calibration *c, const struct calibration_step *steps,
                       size_t nsteps, const char *state)
{
    if (c->abandoned[0] == '\0' && strcmp(c->verdict, "pass") != 0 && strcmp(c->verdict, "fail") != 0)
        return sc_error_set(SC_ERR_ARG, _("verdict '%s': want pass or fail"), c->verdict);
    if (c->abandoned[0] == '\0' && c->humidity[0] == '\0')
        return sc_error_set(SC_ERR_ARG, _("the relative humidity is not recorded: a certificate "
                            "carries the conditions of the verification (temperature, humidity)"));
    if (strcmp(c->verdict, "pass") == 0 && (c->mark_no[0] == '\0' || c->seal_no[0] == '\0'))
        return sc_error_set(SC_ERR_ARG, _("a passed scale gets a new verification mark and seal: "
                            "record their numbers"));
    if (c->ended_at[0] == '\0')
        db_now(c->ended_at, sizeof c->ended_at);
    int rc = db_begin(db);
    if (rc < 0)
        return rc;
    rc = commit_rows(db, c, steps, nsteps, state);
    if (rc < 0) {
        utf8_copy(c->status, sizeof c->status, "draft");
        return db_rollback_keep(db, rc);
    }
    return db_commit(db);
}

/* ---- from the engine ------------------------------------------------------ */

int calibration_config(struct db *db, const char *instrument, const char *weight_set,
                       enum proc_kind kind, day_t today, struct proc_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    struct instrument in;
    if (registry_find_instrument(db, instrument, &in) < 0)
        return sc_error_set(SC_ERR_NOTFOUND, _("no instrument %s"), instrument);
    if (in.cls[0] == '\0' || strcmp(in.kind, "meter") == 0)
        return sc_error_set(SC_ERR_UNSUPPORTED, _("%s is not a weighing instrument"), instrument);
    struct weight_set ws;
    if (registry_find_weight_set(db, weight_set, &ws) < 0)
        return sc_error_set(SC_ERR_NOTFOUND, _("no weight set %s"), weight_set);
    enum r76_class cls;
    int rc = r76_class_parse(in.cls, &cls);
    if (rc < 0)
        return rc;
    r76_instrument_single(&cfg->instrument, cls, in.max_ug, in.min_ug, in.e_ug, in.d_ug);
    cfg->kind = kind;
    cfg->stage = kind == PROC_IN_SERVICE ? R76_IN_SERVICE : R76_VERIFICATION;
    cfg->price_computing = strcmp(in.kind, "price-computing") == 0;
    cfg->today = today;
    return kit_weights(&ws, today, PROC_MAX_WEIGHTS, &cfg->weight_class, &cfg->reference,
                       cfg->weights_ug, &cfg->n_weights);
}

static void position_of(const struct proc_step *st, char *buf, size_t size)
{
    if (st->test == PROC_GENERAL)
        snprintf(buf, size, "%s", st->item);
    else if (st->centre)
        snprintf(buf, size, "centre");
    else if (st->segment > 0)
        snprintf(buf, size, "segment %d", st->segment);
    else if (st->series > 0)
        snprintf(buf, size, "series %d", st->series);
    else if (st->zero_return)
        snprintf(buf, size, "back to zero");
    else if (st->unloading)
        snprintf(buf, size, "unloading");
    else if (st->test == PROC_TARE && st->k == 1) {
        char g[32];
        mass_format(st->tare_ug, MASS_G, g, sizeof g);
        snprintf(buf, size, "tare %.14s g", g);
    } else if (st->test == PROC_TARE)
        snprintf(buf, size, "net");
    else if (st->after_extra)
        snprintf(buf, size, "+1.4 d");
    else
        buf[0] = '\0';
}

/* The engine's steps as stored rows (calibration_steps). */
static int steps_of(const struct proc *p, struct calibration_step **out, size_t *n)
{
    int done = proc_done(p);
    struct calibration_step *steps = calloc((size_t)(done > 0 ? done : 1), sizeof *steps);
    if (steps == NULL)
        return SC_ERR_NOMEM;
    for (int i = 0; i < done; i++) {
        struct proc_result r;
        struct proc_step st;
        proc_result_get(p, i, &r);
        proc_step_get(p, i, &st);
        struct calibration_step *s = &steps[i];
        s->seq = i;
        utf8_copy(s->test, sizeof s->test, proc_test_name(r.test));
        position_of(&st, s->position, sizeof s->position);
        s->load_ug = st.load_ug;
        s->judged = r.judged;
        s->pass = r.pass;
        if (st.answer_step) {
            snprintf(s->note, sizeof s->note, "%s%s%s", r.answer == PROC_YES ? "pass" : "fail",
                     r.text[0] ? ": " : "", r.text);
            continue;
        }
        s->has_indication = 1;
        s->indication_ug = r.indication_ug;
        s->added_ug = r.added_ug;
        s->error_ug = r.corrected_ug;
        s->mpe_ug = r.limit_ug;
        if (r.test == PROC_PRICE)
            snprintf(s->note, sizeof s->note, "%lld.%02lld yuan/kg: %lld.%02lld shown, %lld.%02lld due",
                     (long long)(st.unit_price_fen / 100), (long long)(st.unit_price_fen % 100),
                     (long long)(r.amount_fen / 100), (long long)(r.amount_fen % 100),
                     (long long)(r.expected_fen / 100), (long long)(r.expected_fen % 100));
    }
    *out = steps;
    *n = (size_t)done;
    return SC_OK;
}

static int save_state_text(const struct proc *p, char **out)
{
    int need = proc_save(p, NULL, 0);
    if (need < 0)
        return need;
    *out = malloc((size_t)need + 1);
    if (*out == NULL)
        return SC_ERR_NOMEM;
    proc_save(p, *out, (size_t)need + 1);
    return SC_OK;
}

int calibration_finish(struct db *db, struct calibration *c, const struct proc *p)
{
    struct proc_verdict v;
    proc_verdict_get(p, &v);
    if (v.outcome == PROC_INCOMPLETE)
        return sc_error_set(SC_ERR_ARG, _("steps remain and none failed: the verification goes on"));
    int pass = v.outcome == PROC_PASS;
    utf8_copy(c->verdict, sizeof c->verdict, pass ? "pass" : "fail");
    utf8_copy(c->note, sizeof c->note, v.reason);
    utf8_copy(c->kind, sizeof c->kind, proc_kind_name(proc_config_get(p)->kind));
    utf8_copy(c->regulation, sizeof c->regulation, v.regulation->code);
    c->abandoned[0] = '\0';
    struct calibration_step *steps = NULL;
    size_t n = 0;
    char *state = NULL;
    int rc = steps_of(p, &steps, &n);
    if (rc == SC_OK)
        rc = save_state_text(p, &state);
    if (rc == SC_OK) {
        int stamped = c->ended_at[0] == '\0';
        if (stamped)
            db_now(c->ended_at, sizeof c->ended_at);
        char day[16];
        if ((rc = zone_date_of(c->ended_at, day, sizeof day)) == SC_OK) {
            calibration_number(pass ? "JD" : "TZ", day, c->id, c->certificate_no, sizeof c->certificate_no);
            rc = calibration_commit(db, c, steps, n, state);
        }
        if (rc < 0 && stamped)
            c->ended_at[0] = '\0';
    }
    free(steps);
    free(state);
    return rc;
}

int calibration_abandon(struct db *db, struct calibration *c, const char *reason)
{
    if (reason == NULL || reason[0] == '\0')
        return sc_error_set(SC_ERR_ARG, _("say why the verification ends without a verdict"));
    char status[16];
    int rc = status_of(db, c->id, status, sizeof status);
    if (rc <= 0)
        return rc < 0 ? rc : sc_error_set(SC_ERR_NOTFOUND, _("no calibration %s"), c->id);
    char *state = NULL;
    struct calibration cur;
    if ((rc = calibration_load(db, c->id, &cur, NULL, NULL, &state)) < 0)
        return rc;
    /* Readings that already fail the scale make a notice, not an ending. */
    char today[16];
    db_today(today, sizeof today);
    day_t d = 0;
    day_parse(today, &d);
    struct proc *p = NULL;
    if (state[0] != '\0' && proc_load(state, d, &p) == SC_OK) {
        struct proc_verdict v;
        proc_verdict_get(p, &v);
        if (v.outcome == PROC_FAIL) {
            proc_free(p);
            free(state);
            return sc_error_set(SC_ERR_DENIED, _("the readings taken fail the scale (%s): issue the "
                                "notice of failure instead"), v.reason);
        }
    }
    struct calibration_step *steps = NULL;
    size_t n = 0;
    if (p != NULL && (rc = steps_of(p, &steps, &n)) < 0) {
        proc_free(p);
        free(state);
        return rc;
    }
    proc_free(p);
    snprintf(c->abandoned, sizeof c->abandoned, "%s", reason);
    c->verdict[0] = '\0';
    c->ended_at[0] = '\0';
    rc = calibration_commit(db, c, steps, n, state);
    free(steps);
    free(state);
    return rc;
}

int calibration_sign(struct db *db, const char *id, const char *role, const char *badge)
{
    if (strcmp(role, "checker") != 0 && strcmp(role, "approver") != 0)
        return sc_error_set(SC_ERR_ARG, _("role '%s': want checker or approver"), role);
    struct calibration c;
    int rc = calibration_load(db, id, &c, NULL, NULL, NULL);
    if (rc < 0)
        return rc;
    if (strcmp(c.status, "committed") != 0 || c.abandoned[0] != '\0')
        return sc_error_set(SC_ERR_DENIED, _("calibration %s has no verdict to sign"), id);
    struct officer o;
    if (officer_find(db, badge, &o) < 0 || !o.active)
        return sc_error_set(SC_ERR_NOTFOUND, _("no active officer %s"), badge);
    if (o.role != ROLE_METROLOGY && o.role != ROLE_ADMIN)
        return sc_error_set(SC_ERR_DENIED, _("%s is not metrology staff"), badge);
    if (strcmp(badge, c.officer) == 0)
        return sc_error_set(SC_ERR_DENIED, _("%s verified the scale: another officer checks and "
                            "approves"), badge);
    if (strcmp(badge, strcmp(role, "checker") == 0 ? c.approver : c.checker) == 0)
        return sc_error_set(SC_ERR_DENIED,
                            strcmp(role, "checker") == 0 ? _("%s already signed as the approver")
                                                         : _("%s already signed as the checker"),
                            badge);
    if ((strcmp(role, "checker") == 0 ? c.checker : c.approver)[0] != '\0')
        return sc_error_set(SC_ERR_EXISTS,
                            strcmp(role, "checker") == 0
                                ? _("calibration %s already has its checker")
                                : _("calibration %s already has its approver"),
                            id);
    if ((rc = db_begin(db)) < 0)
        return rc;
    char now[24];
    db_now(now, sizeof now);
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO calibration_signatures (calibration, role, officer, "
                                   "signed_at) VALUES (?1, ?2, ?3, ?4)");
    if (st == NULL) {
        db_rollback(db);
        return SC_ERR_DB;
    }
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, role);
    db_bind_text(st, 3, badge);
    db_bind_text(st, 4, now);
    int64_t seq = 0;
    if ((rc = db_step_done(db, st, "signature")) < 0 || (seq = audit_append(db, "calibration", id)) < 0)
        return db_rollback_keep(db, rc < 0 ? rc : (int)seq);
    return db_commit(db);
}

int calibration_load(struct db *db, const char *id, struct calibration *c,
                     struct calibration_step **steps, size_t *nsteps, char **state)
{
    if (steps != NULL)
        *steps = NULL;
    if (nsteps != NULL)
        *nsteps = 0;
    if (state != NULL)
        *state = NULL;
    sqlite3_stmt *st = db_stmt(db, "SELECT " CAL_COLS " FROM calibrations WHERE id = ?1");
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        db_done(st);
        return rc == SQLITE_DONE ? sc_error_set(SC_ERR_NOTFOUND, _("no calibration %s"), id)
                                 : db_fail(db, "calibration");
    }
    rc = read_row(st, c, state);
    db_done(st);
    if (rc < 0)
        return rc;
    st = db_stmt(db, "SELECT role, officer FROM calibration_signatures WHERE calibration = ?1");
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *role = sqlite3_column_text(st, 0);
        int checker = role != NULL && strcmp((const char *)role, "checker") == 0;
        db_col_text(st, 1, checker ? c->checker : c->approver, sizeof c->checker);
    }
    db_done(st);
    if (rc != SQLITE_DONE)
        return db_fail(db, "signatures");
    if (steps == NULL)
        return 0;
    st = db_stmt(db, "SELECT seq, test, position, load_ug, indication_ug, added_ug, error_ug, "
                     "mpe_ug, pass, note FROM calibration_steps WHERE calibration = ?1 ORDER BY seq");
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, id);
    size_t n = 0, cap = 0;
    struct calibration_step *v = NULL;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            struct calibration_step *nv = realloc(v, cap * sizeof *v);
            if (nv == NULL) {
                free(v);
                db_done(st);
                return SC_ERR_NOMEM;
            }
            v = nv;
        }
        struct calibration_step *s = &v[n++];
        memset(s, 0, sizeof *s);
        s->seq = sqlite3_column_int(st, 0);
        db_col_text(st, 1, s->test, sizeof s->test);
        db_col_text(st, 2, s->position, sizeof s->position);
        s->load_ug = sqlite3_column_int64(st, 3);
        s->has_indication = sqlite3_column_type(st, 4) != SQLITE_NULL;
        s->indication_ug = sqlite3_column_int64(st, 4);
        s->added_ug = sqlite3_column_int64(st, 5);
        s->error_ug = sqlite3_column_int64(st, 6);
        s->judged = sqlite3_column_type(st, 8) != SQLITE_NULL;
        s->mpe_ug = sqlite3_column_int64(st, 7);
        s->pass = sqlite3_column_int(st, 8);
        db_col_text(st, 9, s->note, sizeof s->note);
    }
    db_done(st);
    if (rc != SQLITE_DONE) {
        free(v);
        return db_fail(db, "calibration steps");
    }
    *steps = v;
    if (nsteps != NULL)
        *nsteps = n;
    return 0;
}

int calibration_list(struct db *db, const char *instrument,
                     int (*fn)(const struct calibration *, void *), void *arg)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT " CAL_COLS " FROM calibrations WHERE status = "
                                   "'committed' AND (?1 IS NULL OR instrument = ?1) "
                                   "ORDER BY ended_at DESC, id");
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, instrument);
    /* Rows are copied out before the callback, which may use the db. */
    struct calibration *rows;
    size_t n;
    int rc = db_rows(db, st, sizeof *rows, read_listed, (void **)&rows, &n, "calibrations");
    if (rc < 0)
        return rc;
    int r = 0;
    for (size_t i = 0; i < n && r == 0; i++)
        r = fn(&rows[i], arg);
    free(rows);
    return r;
}
