#include "db/nawical.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/utf8.h"
#include "db/audit.h"
#include "db/internal.h"
#include "db/kit.h"
#include "db/paper.h"
#include "db/registry.h"

#define COLS                                                                                 \
    "id, instrument, coalesce(weight_set, ''), officer, started_at, coalesce(ended_at, ''), " \
    "status, temperature, humidity, place, coalesce(calibrated_on, ''), certificate_no, "    \
    "record_no, abandoned, paper, state"

static int read_row(sqlite3_stmt *st, struct nawical *c, char **state)
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
    db_col_text(st, 8, c->humidity, sizeof c->humidity);
    db_col_text(st, 9, c->place, sizeof c->place);
    db_col_text(st, 10, c->calibrated_on, sizeof c->calibrated_on);
    db_col_text(st, 11, c->certificate_no, sizeof c->certificate_no);
    db_col_text(st, 12, c->record_no, sizeof c->record_no);
    db_col_text(st, 13, c->abandoned, sizeof c->abandoned);
    db_col_text(st, 14, c->paper, sizeof c->paper);
    if (state != NULL) {
        const unsigned char *t = sqlite3_column_text(st, 15);
        if ((*state = strdup(t != NULL ? (const char *)t : "")) == NULL)
            return SC_ERR_NOMEM;
    }
    return SC_OK;
}

static int read_listed(sqlite3_stmt *st, void *row)
{
    return read_row(st, row, NULL);
}

int nawical_config(struct db *db, const char *instrument, const char *weight_set, int64_t display_ug,
                   day_t today, struct cg18_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    struct instrument in;
    if (registry_find_instrument(db, instrument, &in) < 0)
        return sc_error_set(SC_ERR_NOTFOUND, _("no instrument %s"), instrument);
    if (in.max_ug <= 0 || strcmp(in.kind, "meter") == 0)
        return sc_error_set(SC_ERR_UNSUPPORTED, _("%s is not a weighing instrument"), instrument);
    struct weight_set ws;
    if (registry_find_weight_set(db, weight_set, &ws) < 0)
        return sc_error_set(SC_ERR_NOTFOUND, _("no weight set %s"), weight_set);
    cfg->max_ug = in.max_ug;
    cfg->min_ug = in.min_ug;
    cfg->d_ug = display_ug > 0 ? display_ug : in.d_ug > 0 ? in.d_ug : in.e_ug;
    cfg->today = today;
    return kit_weights(&ws, today, CG18_MAX_WEIGHTS, &cfg->weight_class, &cfg->reference,
                       cfg->weights_ug, &cfg->n_weights);
}

static const char SQL_STATUS[] = "SELECT status FROM nawi_calibrations WHERE id = ?1";

int nawical_save_draft(struct db *db, struct nawical *c, const char *state)
{
    int rc = db_draft_start(db, SQL_STATUS, c->id, c->started_at, sizeof c->started_at);
    if (rc < 0)
        return rc;
    utf8_copy(c->status, sizeof c->status, "draft");
    char now[24];
    db_now(now, sizeof now);
    sqlite3_stmt *st = db_stmt(
        db, "INSERT INTO nawi_calibrations (id, instrument, weight_set, officer, started_at, status, "
            "temperature, humidity, place, state, device, updated_at) "
            "VALUES (?1, ?2, ?3, ?4, ?5, 'draft', ?6, ?7, ?8, ?9, ?10, ?11) "
            "ON CONFLICT (id) DO UPDATE SET temperature = ?6, humidity = ?7, place = ?8, state = ?9, "
            "updated_at = ?11");
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, c->id);
    db_bind_text(st, 2, c->instrument);
    db_bind_text_or_null(st, 3, c->weight_set);
    db_bind_text(st, 4, c->officer);
    db_bind_text(st, 5, c->started_at);
    db_bind_text(st, 6, c->temperature);
    db_bind_text(st, 7, c->humidity);
    db_bind_text(st, 8, c->place);
    db_bind_text(st, 9, state != NULL ? state : "");
    db_bind_text(st, 10, db_device_id(db));
    db_bind_text(st, 11, now);
    return db_step_done(db, st, "calibration draft");
}

int nawical_find_draft(struct db *db, const char *officer, const char *instrument, struct nawical *c,
                       char **state)
{
    *state = NULL;
    sqlite3_stmt *st = db_stmt(db, "SELECT " COLS " FROM nawi_calibrations WHERE status = 'draft' "
                                   "AND (?1 IS NULL OR officer = ?1) AND (?2 IS NULL OR instrument = ?2) "
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
    return rc == SQLITE_DONE ? sc_error_set(SC_ERR_NOTFOUND, _("no unfinished calibration"))
                             : db_fail(db, "calibration");
}

static int insert_row(struct db *db, const char *id, const struct nawical_row *r)
{
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO nawi_calibration_rows (calibration, seq, test, position, "
                                   "load_ug, indication_ug, error_ug, u_ug, expanded_ug, k) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, id);
    sqlite3_bind_int(st, 2, r->seq);
    db_bind_text(st, 3, r->test);
    sqlite3_bind_int(st, 4, r->position);
    sqlite3_bind_int64(st, 5, r->load_ug);
    sqlite3_bind_int64(st, 6, r->indication_ug);
    sqlite3_bind_int64(st, 7, r->error_ug);
    if (r->k > 0) {
        sqlite3_bind_int64(st, 8, r->u_ug);
        sqlite3_bind_int64(st, 9, r->expanded_ug);
        sqlite3_bind_int(st, 10, r->k);
    }
    return db_step_done(db, st, "calibration row");
}

/* The rows of a finished engine: every reading; the errors with u and U. */
static int rows_of(const struct cg18 *e, const struct cg18_results *res, struct nawical_row *rows)
{
    int n = 0, point = 0;
    for (int i = 0; i < cg18_total(e); i++) {
        struct cg18_step st;
        struct cg18_reading rd;
        cg18_step_get(e, i, &st);
        cg18_reading_get(e, i, &rd);
        struct nawical_row *r = &rows[n++];
        memset(r, 0, sizeof *r);
        r->seq = i;
        utf8_copy(r->test, sizeof r->test, cg18_test_name(st.test));
        r->position = st.position;
        r->load_ug = st.load_ug;
        r->indication_ug = rd.indication_ug;
        r->error_ug = st.test == CG18_ECCENTRICITY ? res->ecc_ug[st.position] : rd.indication_ug - st.load_ug;
        if (st.test == CG18_ERROR) {
            const struct cg18_point *p = &res->points[point++];
            r->error_ug = p->error_ug;
            r->u_ug = p->u_ug;
            r->expanded_ug = p->U_report_ug;
            r->k = res->k;
        }
    }
    return n;
}

static int commit(struct db *db, struct nawical *c, const struct nawical_row *rows, int n,
                  const struct cg18_results *res, const char *state)
{
    /* A record committed without a draft gets its id now: the numbers on
     * its papers are made from it. */
    if (c->id[0] == '\0')
        db_record_id(db, c->id);
    struct instrument in;
    int rc = kit_commit_check(db, SQL_STATUS, c->id, c->instrument, &in, c->ended_at,
                              c->calibrated_on, sizeof c->calibrated_on);
    if (rc < 0)
        return rc;
    if (c->abandoned[0] == '\0')
        paper_number("JZ", c->calibrated_on, c->id, c->certificate_no, sizeof c->certificate_no);
    if (c->record_no[0] == '\0')
        paper_number("YS", c->calibrated_on, c->id, c->record_no, sizeof c->record_no);
    if ((rc = paper_snapshot(db, &in, c->weight_set, c->paper, sizeof c->paper, c->place, sizeof c->place)) < 0)
        return rc;
    if ((rc = nawical_save_draft(db, c, state)) < 0)
        return rc;
    for (int i = 0; i < n; i++)
        if ((rc = insert_row(db, c->id, &rows[i])) < 0)
            return rc;
    char now[24];
    db_now(now, sizeof now);
    sqlite3_stmt *st = db_stmt(db, "UPDATE nawi_calibrations SET status = 'committed', ended_at = ?2, "
                                   "calibrated_on = ?3, certificate_no = ?4, record_no = ?5, "
                                   "repeat_s_ug = ?6, ecc_max_ug = ?7, abandoned = ?8, paper = ?9, "
                                   "place = ?10, updated_at = ?11 WHERE id = ?1");
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, c->id);
    db_bind_text(st, 2, c->ended_at);
    db_bind_text(st, 3, c->calibrated_on);
    db_bind_text(st, 4, c->certificate_no);
    db_bind_text(st, 5, c->record_no);
    if (res != NULL) {
        sqlite3_bind_int64(st, 6, res->s_ug);
        sqlite3_bind_int64(st, 7, res->ecc_max_ug);
    }
    db_bind_text(st, 8, c->abandoned);
    db_bind_text(st, 9, c->paper);
    db_bind_text(st, 10, c->place);
    db_bind_text(st, 11, now);
    if ((rc = db_step_done(db, st, "calibration")) < 0)
        return rc;
    utf8_copy(c->status, sizeof c->status, "committed");
    int64_t seq = audit_append(db, "nawi_calibration", c->id);
    return seq < 0 ? (int)seq : SC_OK;
}

static int in_transaction(struct db *db, struct nawical *c, const struct nawical_row *rows, int n,
                          const struct cg18_results *res, const char *state)
{
    int stamped = c->ended_at[0] == '\0';
    if (stamped)
        db_now(c->ended_at, sizeof c->ended_at);
    int rc = db_begin(db);
    if (rc < 0)
        return rc;
    if ((rc = commit(db, c, rows, n, res, state)) < 0) {
        if (stamped)
            c->ended_at[0] = '\0';
        utf8_copy(c->status, sizeof c->status, "draft");
        return db_rollback_keep(db, rc);
    }
    return db_commit(db);
}

static char *state_of(const struct cg18 *e)
{
    int need = cg18_save(e, NULL, 0);
    char *text = need >= 0 ? malloc((size_t)need + 1) : NULL;
    if (text != NULL)
        cg18_save(e, text, (size_t)need + 1);
    return text;
}

int nawical_finish(struct db *db, struct nawical *c, const struct cg18 *engine)
{
    if (c->humidity[0] == '\0' || c->temperature[0] == '\0')
        return sc_error_set(SC_ERR_ARG, _("the temperature and the relative humidity are not recorded: "
                            "a calibration certificate gives the conditions (cg-18 clause 8)"));
    struct cg18_results res;
    int rc = cg18_results(engine, &res);
    if (rc < 0)
        return rc;
    struct nawical_row rows[CG18_STEPS];
    int n = rows_of(engine, &res, rows);
    char *state = state_of(engine);
    if (state == NULL)
        return SC_ERR_NOMEM;
    c->abandoned[0] = '\0';
    rc = in_transaction(db, c, rows, n, &res, state);
    free(state);
    return rc;
}

int nawical_end(struct db *db, struct nawical *c, const char *reason)
{
    int rc = db_draft_only(db, SQL_STATUS, c->id);
    if (rc < 0)
        return rc;
    struct nawical cur;
    char *state = NULL;
    sqlite3_stmt *st = db_stmt(db, "SELECT " COLS " FROM nawi_calibrations WHERE id = ?1");
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, c->id);
    rc = sqlite3_step(st) == SQLITE_ROW ? read_row(st, &cur, &state) : SC_ERR_DB;
    db_done(st);
    if (rc < 0)
        return rc;
    int readings = strstr(state, "\nreading ") != NULL;
    if (!readings) {
        free(state);
        st = db_stmt(db, "DELETE FROM nawi_calibrations WHERE id = ?1 AND status = 'draft'");
        if (st == NULL)
            return SC_ERR_DB;
        db_bind_text(st, 1, c->id);
        return db_step_done(db, st, "calibration");
    }
    if (reason == NULL || reason[0] == '\0') {
        free(state);
        return sc_error_set(SC_ERR_ARG, _("it has readings: say why it ends without results (the record is kept)"));
    }
    snprintf(c->abandoned, sizeof c->abandoned, "%s", reason);
    c->ended_at[0] = '\0';
    rc = in_transaction(db, c, NULL, 0, NULL, state);
    free(state);
    return rc;
}

int nawical_load(struct db *db, const char *id, struct nawical *c, struct nawical_row **rows,
                 size_t *nrows)
{
    if (rows != NULL)
        *rows = NULL;
    if (nrows != NULL)
        *nrows = 0;
    sqlite3_stmt *st = db_stmt(db, "SELECT " COLS " FROM nawi_calibrations WHERE id = ?1");
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        db_done(st);
        return rc == SQLITE_DONE ? sc_error_set(SC_ERR_NOTFOUND, _("no calibration %s"), id)
                                 : db_fail(db, "calibration");
    }
    rc = read_row(st, c, NULL);
    db_done(st);
    if (rc < 0 || rows == NULL)
        return rc;
    st = db_stmt(db, "SELECT seq, test, position, load_ug, indication_ug, error_ug, coalesce(u_ug, 0), "
                     "coalesce(expanded_ug, 0), coalesce(k, 0) FROM nawi_calibration_rows "
                     "WHERE calibration = ?1 ORDER BY seq");
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, id);
    struct nawical_row *v = calloc(CG18_STEPS, sizeof *v);
    if (v == NULL) {
        db_done(st);
        return SC_ERR_NOMEM;
    }
    size_t n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < CG18_STEPS) {
        struct nawical_row *r = &v[n++];
        r->seq = sqlite3_column_int(st, 0);
        db_col_text(st, 1, r->test, sizeof r->test);
        r->position = sqlite3_column_int(st, 2);
        r->load_ug = sqlite3_column_int64(st, 3);
        r->indication_ug = sqlite3_column_int64(st, 4);
        r->error_ug = sqlite3_column_int64(st, 5);
        r->u_ug = sqlite3_column_int64(st, 6);
        r->expanded_ug = sqlite3_column_int64(st, 7);
        r->k = sqlite3_column_int(st, 8);
    }
    db_done(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        free(v);
        return db_fail(db, "calibration rows");
    }
    *rows = v;
    if (nrows != NULL)
        *nrows = n;
    return SC_OK;
}

int nawical_find(struct db *db, const char *key, struct nawical *c)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT " COLS " FROM nawi_calibrations WHERE id = ?1 OR "
                                   "(certificate_no = ?1 AND certificate_no != '') LIMIT 1");
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, key);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        rc = read_row(st, c, NULL);
        db_done(st);
        return rc;
    }
    db_done(st);
    return rc == SQLITE_DONE
               ? sc_error_set(SC_ERR_NOTFOUND, _("no calibration '%s' (id or number)"), key)
               : db_fail(db, "calibration");
}

int nawical_list(struct db *db, const char *instrument, int (*fn)(const struct nawical *, void *), void *arg)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT " COLS " FROM nawi_calibrations WHERE status = 'committed' "
                                   "AND (?1 IS NULL OR instrument = ?1) ORDER BY ended_at DESC, id");
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, instrument);
    /* Rows are copied out before the callback, which may use the db. */
    struct nawical *rows;
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
