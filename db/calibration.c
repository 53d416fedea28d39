#include "db/calibration.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/day.h"
#include "core/error.h"
#include "db/audit.h"
#include "db/internal.h"
#include "db/registry.h"

#define CAL_COLS                                                                               \
    "id, instrument, coalesce(weight_set, ''), officer, started_at, coalesce(ended_at, ''), "  \
    "status, temperature, coalesce(verdict, ''), certificate_no, coalesce(next_due, ''), note, " \
    "state"

static void copy(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src != NULL ? src : "");
}

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
    if (state != NULL) {
        const unsigned char *t = sqlite3_column_text(st, 12);
        *state = strdup(t != NULL ? (const char *)t : "");
        if (*state == NULL)
            return SC_ERR_NOMEM;
    }
    return 0;
}

static int status_of(struct db *db, const char *id, char *out, size_t size)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT status FROM calibrations WHERE id = ?1");
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        db_col_text(st, 0, out, size);
        db_done(st);
        return 1;
    }
    db_done(st);
    return rc == SQLITE_DONE ? 0 : db_fail(db, "calibration");
}

int calibration_save_draft(struct db *db, struct calibration *c, const char *state)
{
    if (c->id[0] == '\0')
        db_record_id(db, c->id);
    if (c->started_at[0] == '\0')
        db_now(c->started_at, sizeof c->started_at);
    char status[16];
    int rc = status_of(db, c->id, status, sizeof status);
    if (rc < 0)
        return rc;
    if (rc == 1 && strcmp(status, "committed") == 0)
        return sc_error_set(SC_ERR_EXISTS, "calibration %s is already committed", c->id);
    copy(c->status, sizeof c->status, "draft");
    char now[24];
    db_now(now, sizeof now);
    sqlite3_stmt *st = db_stmt(
        db, "INSERT INTO calibrations (id, instrument, weight_set, officer, started_at, status, "
            "temperature, device, note, state, updated_at) "
            "VALUES (?1, ?2, ?3, ?4, ?5, 'draft', ?6, ?7, ?8, ?9, ?10) "
            "ON CONFLICT (id) DO UPDATE SET instrument = ?2, weight_set = ?3, officer = ?4, "
            "temperature = ?6, note = ?8, state = ?9, updated_at = ?10");
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
    return db_step_done(db, st, "calibration draft");
}

static int insert_measurement(struct db *db, const char *cal_id, const char *instrument,
                              struct measurement *m)
{
    if (m->id[0] == '\0')
        db_record_id(db, m->id);
    char now[24];
    db_now(now, sizeof now);
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO measurements (id, calibration, instrument, "
                                   "taken_at, driver, raw, value, unit, value_ug, stable) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, m->id);
    db_bind_text(st, 2, cal_id);
    db_bind_text_or_null(st, 3, m->instrument[0] ? m->instrument : instrument);
    db_bind_text(st, 4, m->taken_at[0] ? m->taken_at : now);
    db_bind_text(st, 5, m->driver);
    if (m->raw != NULL && m->raw_len > 0)
        sqlite3_bind_blob(st, 6, m->raw, (int)m->raw_len, SQLITE_TRANSIENT);
    db_bind_text(st, 7, m->value);
    db_bind_text(st, 8, m->unit);
    if (m->has_value_ug)
        sqlite3_bind_int64(st, 9, m->value_ug);
    sqlite3_bind_int(st, 10, m->stable ? 1 : 0);
    return db_step_done(db, st, "measurement");
}

int calibration_record_reading(struct db *db, struct calibration *c, const char *state,
                               struct measurement *m)
{
    int rc = db_begin(db);
    if (rc < 0)
        return rc;
    if ((rc = calibration_save_draft(db, c, state)) < 0 ||
        (rc = insert_measurement(db, c->id, c->instrument, m)) < 0) {
        char why[256];
        copy(why, sizeof why, sc_error_message());
        db_rollback(db);
        return sc_error_set(rc, "%s", why);
    }
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
    return sc_error_set(SC_ERR_NOTFOUND, "no unfinished verification");
}

int calibration_discard(struct db *db, const char *id)
{
    char status[16];
    int rc = status_of(db, id, status, sizeof status);
    if (rc <= 0)
        return rc < 0 ? rc : sc_error_set(SC_ERR_NOTFOUND, "no calibration %s", id);
    if (strcmp(status, "draft") != 0)
        return sc_error_set(SC_ERR_EXISTS, "calibration %s is committed: it stays", id);
    sqlite3_stmt *st = db_stmt(db, "DELETE FROM calibrations WHERE id = ?1 AND status = 'draft'");
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, id);
    return db_step_done(db, st, "calibration");
}

int calibration_next_due(const char *day, int pass, char *out, size_t size)
{
    day_t d;
    if (day_parse(day, &d) < 0)
        return sc_error_set(SC_ERR_PARSE, "not a date: '%s'", day);
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
            "indication_ug, added_ug, error_ug, mpe_ug, pass) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
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
    return db_step_done(db, st, "calibration step");
}

static int commit_rows(struct db *db, struct calibration *c, const struct calibration_step *steps,
                       size_t nsteps, const char *state)
{
    char status[16];
    int rc = status_of(db, c->id, status, sizeof status);
    if (rc < 0)
        return rc;
    if (rc == 1 && strcmp(status, "committed") == 0)
        return sc_error_set(SC_ERR_EXISTS, "calibration %s is already committed", c->id);
    struct instrument in;
    if ((rc = registry_find_instrument(db, c->instrument, &in)) < 0)
        return sc_error_set(SC_ERR_NOTFOUND, "no instrument %s", c->instrument);
    int pass = strcmp(c->verdict, "pass") == 0;
    char day[11];
    snprintf(day, sizeof day, "%.10s", c->ended_at);
    if ((rc = calibration_next_due(day, pass, c->next_due, sizeof c->next_due)) < 0)
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
    /* Each step its reading as read, when every accepted reading was
     * recorded (the i-th measurement is step i's). */
    st = db_stmt(db, "UPDATE calibration_steps SET measurement = (SELECT x.id FROM (SELECT id, "
                     "row_number() OVER (ORDER BY rowid) - 1 AS n FROM measurements WHERE "
                     "calibration = ?1) x WHERE x.n = calibration_steps.seq) WHERE calibration = "
                     "?1 AND (SELECT count(*) FROM measurements WHERE calibration = ?1) = ?2");
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, c->id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)nsteps);
    if ((rc = db_step_done(db, st, "calibration steps")) < 0)
        return rc;
    copy(c->status, sizeof c->status, "committed");
    char now[24];
    db_now(now, sizeof now);
    st = db_stmt(db, "UPDATE calibrations SET status = 'committed', ended_at = ?2, verdict = ?3, "
                     "certificate_no = ?4, next_due = ?5, updated_at = ?6 WHERE id = ?1");
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, c->id);
    db_bind_text(st, 2, c->ended_at);
    db_bind_text(st, 3, c->verdict);
    db_bind_text(st, 4, c->certificate_no);
    db_bind_text(st, 5, c->next_due);
    db_bind_text(st, 6, now);
    if ((rc = db_step_done(db, st, "calibration")) < 0)
        return rc;
    /* The instrument's dates (registry_put_instrument audits its change in
     * this same transaction). */
    if (pass)
        copy(in.last_verified, sizeof in.last_verified, day);
    copy(in.due, sizeof in.due, c->next_due);
    if ((rc = registry_put_instrument(db, &in)) < 0)
        return rc;
    int64_t seq = audit_append(db, "calibration", c->id);
    return seq < 0 ? (int)seq : 0;
}

int calibration_commit(struct db *db, struct calibration *c, const struct calibration_step *steps,
                       size_t nsteps, const char *state)
{
    if (strcmp(c->verdict, "pass") != 0 && strcmp(c->verdict, "fail") != 0)
        return sc_error_set(SC_ERR_ARG, "verdict '%s': want pass or fail", c->verdict);
    if (c->ended_at[0] == '\0')
        db_now(c->ended_at, sizeof c->ended_at);
    int rc = db_begin(db);
    if (rc < 0)
        return rc;
    rc = commit_rows(db, c, steps, nsteps, state);
    if (rc < 0) {
        char why[256];
        copy(why, sizeof why, sc_error_message());
        db_rollback(db);
        copy(c->status, sizeof c->status, "draft");
        return sc_error_set(rc, "%s", why);
    }
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
        return rc == SQLITE_DONE ? sc_error_set(SC_ERR_NOTFOUND, "no calibration %s", id)
                                 : db_fail(db, "calibration");
    }
    rc = read_row(st, c, state);
    db_done(st);
    if (rc < 0 || steps == NULL)
        return rc;
    st = db_stmt(db, "SELECT seq, test, position, load_ug, indication_ug, added_ug, error_ug, "
                     "mpe_ug, pass FROM calibration_steps WHERE calibration = ?1 ORDER BY seq");
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
    int rc;
    /* Rows are copied out before the callback, which may use the db. */
    struct calibration *rows = NULL;
    size_t n = 0, cap = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            struct calibration *nr = realloc(rows, cap * sizeof *rows);
            if (nr == NULL) {
                free(rows);
                db_done(st);
                return SC_ERR_NOMEM;
            }
            rows = nr;
        }
        read_row(st, &rows[n++], NULL);
    }
    db_done(st);
    if (rc != SQLITE_DONE) {
        free(rows);
        return db_fail(db, "calibrations");
    }
    int r = 0;
    for (size_t i = 0; i < n && r == 0; i++)
        r = fn(&rows[i], arg);
    free(rows);
    return r;
}
