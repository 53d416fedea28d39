/* The inspection aggregate: one transaction per committed inspection. */
#include "db/inspection.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/checklist.h"
#include "core/reweigh.h"
#include "core/error.h"
#include "db/audit.h"
#include "db/internal.h"

static int validate(const struct inspection *in)
{
    if (in->stall[0] == '\0')
        return sc_error_set(SC_ERR_ARG, _("inspection: no stall"));
    if (in->officer1[0] == '\0')
        return sc_error_set(SC_ERR_ARG, _("inspection: no officer"));
    if (in->officer2[0] != '\0' && strcmp(in->officer1, in->officer2) == 0)
        return sc_error_set(SC_ERR_ARG, _("inspection: the two officers must differ"));
    if (in->started_at[0] == '\0')
        return sc_error_set(SC_ERR_ARG, _("inspection: no start time"));
    for (size_t i = 0; i < in->nfindings; i++) {
        const struct finding *f = &in->findings[i];
        const struct checklist_item_info *item = checklist_item_by_id(f->item);
        if (item == NULL)
            return sc_error_set(SC_ERR_ARG, _("inspection: unknown checklist item '%s'"), f->item);
        enum checklist_answer a = checklist_answer_from_id(f->answer);
        if (a == ANSWER_NONE || !checklist_answer_valid(item->item, a))
            return sc_error_set(SC_ERR_ARG, _("inspection: '%s' is not an answer to %s"),
                                f->answer, f->item);
        for (size_t j = 0; j < i; j++)
            if (strcmp(in->findings[j].item, f->item) == 0)
                return sc_error_set(SC_ERR_ARG, _("inspection: %s answered twice"), f->item);
    }
    for (size_t i = 0; i < in->nreweighs; i++) {
        const struct reweigh *r = &in->reweighs[i];
        /* 《零售商品称重计量监督管理办法》: shortfall = charged - re-weighed;
         * pass when shortfall <= the allowed negative deviation (Art. 5);
         * outside the table there is no verdict.  A record that disagrees
         * with its own numbers is refused, never stored. */
        if (r->shortfall_ug != r->declared_ug - r->measured_ug)
            return sc_error_set(SC_ERR_INCONSISTENT,
                                _("re-weigh %zu: shortfall is not declared - measured"), i + 1);
        enum reweigh_outcome want = reweigh_outcome_of(r->has_allowed, r->allowed_ug,
                                                       r->shortfall_ug);
        if (r->verdict != want)
            return sc_error_set(SC_ERR_INCONSISTENT, _("re-weigh %zu: verdict '%s' should be %s"),
                                i + 1, reweigh_outcome_id(r->verdict), reweigh_outcome_id(want));
        if ((unsigned)r->method >= REWEIGH_AT_COUNT)
            return sc_error_set(SC_ERR_ARG, _("re-weigh %zu: no such method"), i + 1);
        if (r->category[0] == '\0')
            return sc_error_set(SC_ERR_ARG, _("re-weigh %zu: no category"), i + 1);
    }
    return 0;
}

static int finish(struct db *db, int rc)
{
    if (rc < 0) {
        db_rollback(db);
        return rc;
    }
    int c = db_commit(db);
    return c < 0 ? c : rc;
}

/* A draft with this id is replaced; a committed one is never overwritten. */
static int clear_draft(struct db *db, const char *id)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT status FROM inspections WHERE id = ?1");
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, id);
    int rc = sqlite3_step(st);
    char status[12] = "";
    if (rc == SQLITE_ROW)
        db_col_text(st, 0, status, sizeof status);
    db_done(st);
    if (rc == SQLITE_DONE)
        return 0;
    if (rc != SQLITE_ROW)
        return db_fail(db, "inspection");
    if (strcmp(status, "draft") != 0)
        return sc_error_set(SC_ERR_EXISTS, _("inspection %s is already committed"), id);
    st = db_stmt(db, "DELETE FROM inspections WHERE id = ?1");
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, id);
    return db_step_done(db, st, "inspection");
}

static int stall_market(struct db *db, const char *stall, char *market, size_t size)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT market FROM stalls WHERE code = ?1");
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, stall);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        db_col_text(st, 0, market, size);
    db_done(st);
    if (rc == SQLITE_ROW)
        return 0;
    if (rc != SQLITE_DONE)
        return db_fail(db, "inspection");
    return sc_error_set(SC_ERR_NOTFOUND, _("no stall %s"), stall);
}

static int officer_known(struct db *db, const char *badge)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT active FROM officers WHERE badge = ?1");
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, badge);
    int rc = sqlite3_step(st);
    int active = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    db_done(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_fail(db, "inspection");
    if (rc == SQLITE_DONE)
        return sc_error_set(SC_ERR_NOTFOUND, _("no officer with badge %s"), badge);
    if (!active)
        return sc_error_set(SC_ERR_DENIED, _("officer %s is not active"), badge);
    return 0;
}

/* "INSERT INTO findings ... VALUES (...), (...)" for n rows, built once
 * per n and kept (the statement cache is keyed by the text). */
#define FINDINGS_PER_STMT 16
static const char *findings_sql(size_t n)
{
    static char sql[FINDINGS_PER_STMT][FINDINGS_PER_STMT * 40 + 160];
    char *p = sql[n - 1];
    if (p[0] == '\0') {
        size_t len = (size_t)snprintf(p, sizeof sql[0], "INSERT INTO findings (inspection, "
                                                        "item, answer, note, deadline, "
                                                        "followup, stall) VALUES ");
        for (size_t k = 0; k < n; k++)
            len += (size_t)snprintf(p + len, sizeof sql[0] - len,
                                    "%s(?%zu, ?%zu, ?%zu, ?%zu, ?%zu, ?%zu, ?%zu)",
                                    k ? ", " : "", 7 * k + 1, 7 * k + 2, 7 * k + 3, 7 * k + 4,
                                    7 * k + 5, 7 * k + 6, 7 * k + 7);
    }
    return p;
}

/* Follow-ups (限期整改): open findings of this stall's earlier inspections
 * on an item answered now are closed by this answer: corrected when it
 * passes, not-corrected when it fails; an item answered n/a stays open. */
/* The follow-ups this commit closed: each gets an audit entry after the
 * inspection's own (the district checks it against that inspection). */
static _Thread_local struct closed_followup {
    char inspection[DB_UUID_LEN];
    char item[32];
} closed[64];
static _Thread_local int nclosed;

static int close_followups(struct db *db, const struct inspection *in)
{
    struct closed_followup open[64];
    int n = 0;
    nclosed = 0;
    sqlite3_stmt *st = db_stmt(db, "SELECT f.inspection, f.item FROM findings f "
                                   "INDEXED BY findings_open_by_stall "
                                   "JOIN inspections i ON i.id = f.inspection "
                                   "WHERE f.stall = ?1 AND f.followup = 'open' "
                                   "AND f.inspection <> ?2 AND i.started_at <= ?3");
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_static(st, 1, in->stall);
    db_bind_static(st, 2, in->id);
    db_bind_static(st, 3, in->started_at);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < 64) {
        db_col_text(st, 0, open[n].inspection, sizeof open[n].inspection);
        db_col_text(st, 1, open[n].item, sizeof open[n].item);
        n++;
    }
    db_done(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_fail(db, "follow-up");
    for (int k = 0; k < n; k++) {
        const struct finding *now = NULL;
        for (size_t i = 0; i < in->nfindings; i++)
            if (strcmp(in->findings[i].item, open[k].item) == 0)
                now = &in->findings[i];
        if (now == NULL || checklist_answer_from_id(now->answer) == ANSWER_NA)
            continue;
        int failed = checklist_answer_failed(checklist_answer_from_id(now->answer));
        st = db_stmt(db, "UPDATE findings SET followup = ?3, followup_inspection = ?4 "
                         "WHERE inspection = ?1 AND item = ?2");
        if (st == NULL)
            return SC_ERR_DB;
        db_bind_static(st, 1, open[k].inspection);
        db_bind_static(st, 2, open[k].item);
        db_bind_static(st, 3, failed ? "not-corrected" : "corrected");
        db_bind_static(st, 4, in->id);
        if ((rc = db_step_done(db, st, "follow-up")) < 0)
            return rc;
        closed[nclosed++] = open[k];
    }
    return 0;
}

/* Each follow-up closed: its state is a record of its own (audit kind
 * "followup", record "INSPECTION/ITEM"), since it decides the draw. */
static int audit_followups(struct db *db)
{
    for (int k = 0; k < nclosed; k++) {
        char record[72];
        snprintf(record, sizeof record, "%.36s/%.31s", closed[k].inspection, closed[k].item);
        int64_t seq = audit_append(db, "followup", record);
        if (seq < 0)
            return (int)seq;
    }
    nclosed = 0;
    return 0;
}

static const char SQL_READING_OF_INSPECTION[] =
    "INSERT INTO measurements (id, inspection, instrument, taken_at, driver, raw, value, unit, "
    "value_ug, stable) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
static const char SQL_READING_OF_CALIBRATION[] =
    "INSERT INTO measurements (id, calibration, instrument, taken_at, driver, raw, value, unit, "
    "value_ug, stable) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";

int db_measurement_put(struct db *db, const char *parent_col, const char *parent,
                       const char *instrument, const struct measurement *m, const char *now)
{
    sqlite3_stmt *st = db_stmt(db, strcmp(parent_col, "calibration") == 0
                                       ? SQL_READING_OF_CALIBRATION
                                       : SQL_READING_OF_INSPECTION);
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_static(st, 1, m->id);
    db_bind_static(st, 2, parent);
    db_bind_text_or_null(st, 3, instrument);
    db_bind_static(st, 4, m->taken_at[0] ? m->taken_at : now);
    db_bind_static(st, 5, m->driver);
    if (m->raw != NULL)
        sqlite3_bind_blob(st, 6, m->raw, (int)m->raw_len, SQLITE_STATIC);
    db_bind_static(st, 7, m->value);
    db_bind_static(st, 8, m->unit);
    if (m->has_value_ug)
        sqlite3_bind_int64(st, 9, m->value_ug);
    sqlite3_bind_int(st, 10, m->stable ? 1 : 0);
    return db_step_done(db, st, "measurement");
}

static int insert_rows(struct db *db, struct inspection *in, const char *now)
{
    sqlite3_stmt *st = db_stmt(
        db, "INSERT INTO inspections (id, stall, market, officer1, officer2, draw, started_at, "
            "ended_at, status, device, place, note, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
            "?7, ?8, 'committed', ?9, ?10, ?11, ?12)");
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_static(st, 1, in->id);
    db_bind_static(st, 2, in->stall);
    db_bind_static(st, 3, in->market);
    db_bind_static(st, 4, in->officer1);
    db_bind_text_or_null(st, 5, in->officer2);
    db_bind_text_or_null(st, 6, in->draw);
    db_bind_static(st, 7, in->started_at);
    db_bind_static(st, 8, in->ended_at);
    db_bind_static(st, 9, in->device);
    db_bind_static(st, 10, in->place);
    db_bind_static(st, 11, in->note);
    db_bind_static(st, 12, now);
    int rc = db_step_done(db, st, "inspection");
    if (rc < 0)
        return rc;
    /* All findings in one statement: a generator commits a million
     * inspections, and one statement per row is most of the cost. */
    for (size_t done = 0; done < in->nfindings;) {
        size_t n = in->nfindings - done < FINDINGS_PER_STMT ? in->nfindings - done
                                                             : FINDINGS_PER_STMT;
        st = db_stmt(db, findings_sql(n));
        if (st == NULL)
            return SC_ERR_DB;
        for (size_t k = 0; k < n; k++) {
            const struct finding *f = &in->findings[done + k];
            int failed = checklist_answer_failed(checklist_answer_from_id(f->answer));
            int b = (int)k * 7;
            db_bind_static(st, b + 1, in->id);
            db_bind_static(st, b + 2, f->item);
            db_bind_static(st, b + 3, f->answer);
            db_bind_static(st, b + 4, f->note);
            db_bind_text_or_null(st, b + 5, f->deadline);
            db_bind_static(st, b + 6, failed && f->deadline[0] ? "open" : "none");
            db_bind_static(st, b + 7, in->stall);
        }
        if ((rc = db_step_done(db, st, "finding")) < 0)
            return rc;
        done += n;
    }
    for (size_t i = 0; i < in->nmeasurements; i++) {
        struct measurement *m = &in->measurements[i];
        /* A reading's id is this device's (db_record_id), whoever made it
         * up before the commit: the re-weighs that cite it follow. */
        if (db_record_id_owner(m->id, strlen(m->id), db_device_id(db)) != 1) {
            char old[DB_UUID_LEN];
            memcpy(old, m->id, sizeof old);
            db_record_id(db, m->id);
            for (size_t k = 0; k < in->nreweighs; k++)
                if (old[0] && strcmp(in->reweighs[k].measurement, old) == 0)
                    memcpy(in->reweighs[k].measurement, m->id, DB_UUID_LEN);
        }
        if ((rc = db_measurement_put(db, "inspection", in->id, m->instrument, m, now)) < 0)
            return rc;
    }
    for (size_t i = 0; i < in->nreweighs; i++) {
        struct reweigh *r = &in->reweighs[i];
        if (r->id[0] == '\0')
            db_record_id(db, r->id);
        st = db_stmt(db, "INSERT INTO reweighs (id, inspection, seq, goods, category, "
                         "declared_ug, measured_ug, unit_price_fen, allowed_ug, shortfall_ug, "
                         "money_short_fen, verdict, method, reference_instrument, weight_set, "
                         "measurement) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
                         "?12, ?13, ?14, ?15, ?16)");
        if (st == NULL)
            return SC_ERR_DB;
        db_bind_static(st, 1, r->id);
        db_bind_static(st, 2, in->id);
        sqlite3_bind_int64(st, 3, (int64_t)i + 1);
        db_bind_static(st, 4, r->goods);
        db_bind_static(st, 5, r->category);
        sqlite3_bind_int64(st, 6, r->declared_ug);
        sqlite3_bind_int64(st, 7, r->measured_ug);
        sqlite3_bind_int64(st, 8, r->unit_price_fen);
        if (r->has_allowed)
            sqlite3_bind_int64(st, 9, r->allowed_ug);
        sqlite3_bind_int64(st, 10, r->shortfall_ug);
        sqlite3_bind_int64(st, 11, r->money_short_fen);
        db_bind_static(st, 12, reweigh_outcome_id(r->verdict));
        db_bind_static(st, 13, reweigh_at_id(r->method));
        db_bind_text_or_null(st, 14, r->reference_instrument);
        db_bind_text_or_null(st, 15, r->weight_set);
        db_bind_text_or_null(st, 16, r->measurement);
        if ((rc = db_step_done(db, st, "re-weigh")) < 0)
            return rc;
    }
    return close_followups(db, in);
}

static const char *or_null(const char *s)
{
    return s[0] ? s : NULL;
}

/* The inspection's canonical content (db/audit.h) from what was just
 * written, in the order and with the types audit.c's queries for
 * "inspection" read back: the row, findings by item, measurements by id,
 * re-weighs by seq.  test_db and test_demo_data check it against the
 * rebuild from the rows. */
static void canonical(const struct inspection *in, const char *now, struct audit_canon *c)
{
    audit_canon_query(c, 1);
    audit_canon_row(c);
    audit_canon_text(c, "id", in->id);
    audit_canon_text(c, "stall", in->stall);
    audit_canon_text(c, "market", in->market);
    audit_canon_text(c, "officer1", in->officer1);
    audit_canon_text(c, "officer2", or_null(in->officer2));
    audit_canon_text(c, "draw", or_null(in->draw));
    audit_canon_text(c, "started_at", in->started_at);
    audit_canon_text(c, "ended_at", in->ended_at);
    audit_canon_text(c, "status", "committed");
    audit_canon_text(c, "device", in->device);
    audit_canon_text(c, "place", in->place);
    audit_canon_text(c, "note", in->note);

    audit_canon_query(c, 2);
    size_t order[64], n = in->nfindings < 64 ? in->nfindings : 64;
    for (size_t i = 0; i < n; i++) {
        size_t k = i;
        while (k > 0 && strcmp(in->findings[order[k - 1]].item, in->findings[i].item) > 0) {
            order[k] = order[k - 1];
            k--;
        }
        order[k] = i;
    }
    for (size_t i = 0; i < n; i++) {
        const struct finding *f = &in->findings[order[i]];
        audit_canon_row(c);
        audit_canon_text(c, "item", f->item);
        audit_canon_text(c, "answer", f->answer);
        audit_canon_text(c, "note", f->note);
        audit_canon_text(c, "deadline", or_null(f->deadline));
    }

    audit_canon_query(c, 3);
    n = in->nmeasurements < 64 ? in->nmeasurements : 64;
    for (size_t i = 0; i < n; i++) {
        size_t k = i;
        while (k > 0 && strcmp(in->measurements[order[k - 1]].id, in->measurements[i].id) > 0) {
            order[k] = order[k - 1];
            k--;
        }
        order[k] = i;
    }
    for (size_t i = 0; i < n; i++) {
        const struct measurement *m = &in->measurements[order[i]];
        audit_canon_row(c);
        audit_canon_text(c, "id", m->id);
        audit_canon_text(c, "instrument", or_null(m->instrument));
        audit_canon_text(c, "taken_at", m->taken_at[0] ? m->taken_at : now);
        audit_canon_text(c, "driver", m->driver);
        audit_canon_blob(c, "raw", m->raw, m->raw_len);
        audit_canon_text(c, "value", m->value);
        audit_canon_text(c, "unit", m->unit);
        if (m->has_value_ug)
            audit_canon_int(c, "value_ug", m->value_ug);
        else
            audit_canon_text(c, "value_ug", NULL);
        audit_canon_int(c, "stable", m->stable ? 1 : 0);
    }

    audit_canon_query(c, 4);
    for (size_t i = 0; i < in->nreweighs; i++) {
        const struct reweigh *r = &in->reweighs[i];
        audit_canon_row(c);
        audit_canon_text(c, "id", r->id);
        audit_canon_int(c, "seq", (int64_t)i + 1);
        audit_canon_text(c, "goods", r->goods);
        audit_canon_text(c, "category", r->category);
        audit_canon_int(c, "declared_ug", r->declared_ug);
        audit_canon_int(c, "measured_ug", r->measured_ug);
        audit_canon_int(c, "unit_price_fen", r->unit_price_fen);
        if (r->has_allowed)
            audit_canon_int(c, "allowed_ug", r->allowed_ug);
        else
            audit_canon_text(c, "allowed_ug", NULL);
        audit_canon_int(c, "shortfall_ug", r->shortfall_ug);
        audit_canon_int(c, "money_short_fen", r->money_short_fen);
        audit_canon_text(c, "verdict", reweigh_outcome_id(r->verdict));
        audit_canon_text(c, "method", reweigh_at_id(r->method));
        audit_canon_text(c, "reference_instrument", or_null(r->reference_instrument));
        audit_canon_text(c, "weight_set", or_null(r->weight_set));
        audit_canon_text(c, "measurement", or_null(r->measurement));
    }
}

int inspection_commit(struct db *db, struct inspection *in)
{
    int rc = validate(in);
    if (rc < 0)
        return rc;
    char now[24];
    db_now(now, sizeof now);
    if (in->id[0] == '\0')
        db_record_id(db, in->id);
    if (in->ended_at[0] == '\0')
        snprintf(in->ended_at, sizeof in->ended_at, "%s", now);
    if (in->device[0] == '\0')
        snprintf(in->device, sizeof in->device, "%s", db_device_id(db));
    if ((rc = db_begin(db)) < 0)
        return rc;
    if (in->market[0] == '\0' &&
        (rc = stall_market(db, in->stall, in->market, sizeof in->market)) < 0)
        return finish(db, rc);
    /* A generator (db_bulk) writes fresh ids and known officers: the
     * foreign keys still hold it to the registry. */
    if (!db_is_bulk(db)) {
        if ((rc = officer_known(db, in->officer1)) < 0)
            return finish(db, rc);
        if (in->officer2[0] != '\0' && (rc = officer_known(db, in->officer2)) < 0)
            return finish(db, rc);
        if ((rc = clear_draft(db, in->id)) < 0)
            return finish(db, rc);
    }
    if ((rc = insert_rows(db, in, now)) < 0) {
        if (rc == SC_ERR_INCONSISTENT) /* a foreign key: say which kinds */
            rc = sc_error_set(rc, _("inspection: %s (an unknown stall, market, instrument, "
                                  "weight set or draw?)"),
                              sc_error_message());
        return finish(db, rc);
    }
    /* Hashed from memory: with more than 64 findings or measurements (never
     * in practice) the rows are read back instead. */
    int64_t seq;
    if (in->nfindings <= 64 && in->nmeasurements <= 64) {
        static _Thread_local struct audit_canon c;
        c.len = 0;
        c.oom = 0;
        canonical(in, now, &c);
        seq = audit_append_canonical(db, "inspection", in->id, &c);
    } else {
        seq = audit_append(db, "inspection", in->id);
    }
    if (seq < 0)
        return finish(db, (int)seq);
    int rc2 = audit_followups(db);
    if (rc2 < 0)
        return finish(db, rc2);
    snprintf(in->status, sizeof in->status, "committed");
    return finish(db, 0);
}

/* ---- reading ---- */

void inspection_free(struct inspection *in)
{
    if (in == NULL)
        return;
    for (size_t i = 0; i < in->nmeasurements; i++)
        free((void *)in->measurements[i].raw);
    free(in->findings);
    free(in->measurements);
    free(in->reweighs);
    free(in);
}

static int count_rows(struct db *db, const char *sql, const char *id, size_t *n)
{
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, id);
    *n = sqlite3_step(st) == SQLITE_ROW ? (size_t)sqlite3_column_int64(st, 0) : 0;
    db_done(st);
    return 0;
}

int inspection_load(struct db *db, const char *id, struct inspection **out)
{
    *out = NULL;
    sqlite3_stmt *st = db_stmt(db, "SELECT id, stall, market, officer1, officer2, draw, "
                                   "started_at, ended_at, status, device, place, note "
                                   "FROM inspections WHERE id = ?1");
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        db_done(st);
        return rc == SQLITE_DONE ? sc_error_set(SC_ERR_NOTFOUND, _("no inspection %s"), id)
                                 : db_fail(db, "inspection");
    }
    struct inspection *in = calloc(1, sizeof *in);
    if (in == NULL) {
        db_done(st);
        return sc_error_set(SC_ERR_NOMEM, NULL);
    }
    db_col_text(st, 0, in->id, sizeof in->id);
    db_col_text(st, 1, in->stall, sizeof in->stall);
    db_col_text(st, 2, in->market, sizeof in->market);
    db_col_text(st, 3, in->officer1, sizeof in->officer1);
    db_col_text(st, 4, in->officer2, sizeof in->officer2);
    db_col_text(st, 5, in->draw, sizeof in->draw);
    db_col_text(st, 6, in->started_at, sizeof in->started_at);
    db_col_text(st, 7, in->ended_at, sizeof in->ended_at);
    db_col_text(st, 8, in->status, sizeof in->status);
    db_col_text(st, 9, in->device, sizeof in->device);
    db_col_text(st, 10, in->place, sizeof in->place);
    db_col_text(st, 11, in->note, sizeof in->note);
    db_done(st);

    size_t nf, nm, nr;
    count_rows(db, "SELECT count(*) FROM findings WHERE inspection = ?1", id, &nf);
    count_rows(db, "SELECT count(*) FROM measurements WHERE inspection = ?1", id, &nm);
    count_rows(db, "SELECT count(*) FROM reweighs WHERE inspection = ?1", id, &nr);
    in->findings = calloc(nf ? nf : 1, sizeof *in->findings);
    in->measurements = calloc(nm ? nm : 1, sizeof *in->measurements);
    in->reweighs = calloc(nr ? nr : 1, sizeof *in->reweighs);
    if (!in->findings || !in->measurements || !in->reweighs) {
        inspection_free(in);
        return sc_error_set(SC_ERR_NOMEM, NULL);
    }
    st = db_stmt(db, "SELECT item, answer, note, deadline FROM findings WHERE inspection = ?1 "
                     "ORDER BY item");
    db_bind_text(st, 1, id);
    while (in->nfindings < nf && sqlite3_step(st) == SQLITE_ROW) {
        struct finding *f = &in->findings[in->nfindings++];
        db_col_text(st, 0, f->item, sizeof f->item);
        db_col_text(st, 1, f->answer, sizeof f->answer);
        db_col_text(st, 2, f->note, sizeof f->note);
        db_col_text(st, 3, f->deadline, sizeof f->deadline);
    }
    db_done(st);
    st = db_stmt(db, "SELECT id, instrument, taken_at, driver, raw, value, unit, value_ug, "
                     "stable FROM measurements WHERE inspection = ?1 ORDER BY taken_at, id");
    db_bind_text(st, 1, id);
    while (in->nmeasurements < nm && sqlite3_step(st) == SQLITE_ROW) {
        struct measurement *m = &in->measurements[in->nmeasurements++];
        db_col_text(st, 0, m->id, sizeof m->id);
        db_col_text(st, 1, m->instrument, sizeof m->instrument);
        db_col_text(st, 2, m->taken_at, sizeof m->taken_at);
        db_col_text(st, 3, m->driver, sizeof m->driver);
        int len = sqlite3_column_bytes(st, 4);
        if (sqlite3_column_type(st, 4) == SQLITE_BLOB) {
            unsigned char *raw = malloc(len ? (size_t)len : 1);
            if (raw != NULL) {
                memcpy(raw, sqlite3_column_blob(st, 4), (size_t)len);
                m->raw = raw;
                m->raw_len = (size_t)len;
            }
        }
        db_col_text(st, 5, m->value, sizeof m->value);
        db_col_text(st, 6, m->unit, sizeof m->unit);
        m->has_value_ug = sqlite3_column_type(st, 7) != SQLITE_NULL;
        m->value_ug = sqlite3_column_int64(st, 7);
        m->stable = sqlite3_column_int(st, 8);
    }
    db_done(st);
    st = db_stmt(db, "SELECT id, goods, category, declared_ug, measured_ug, unit_price_fen, "
                     "allowed_ug, shortfall_ug, money_short_fen, verdict, method, "
                     "reference_instrument, weight_set, measurement FROM reweighs "
                     "WHERE inspection = ?1 ORDER BY seq, id");
    db_bind_text(st, 1, id);
    while (in->nreweighs < nr && sqlite3_step(st) == SQLITE_ROW) {
        struct reweigh *r = &in->reweighs[in->nreweighs++];
        db_col_text(st, 0, r->id, sizeof r->id);
        db_col_text(st, 1, r->goods, sizeof r->goods);
        db_col_text(st, 2, r->category, sizeof r->category);
        r->declared_ug = sqlite3_column_int64(st, 3);
        r->measured_ug = sqlite3_column_int64(st, 4);
        r->unit_price_fen = sqlite3_column_int64(st, 5);
        r->has_allowed = sqlite3_column_type(st, 6) != SQLITE_NULL;
        r->allowed_ug = sqlite3_column_int64(st, 6);
        r->shortfall_ug = sqlite3_column_int64(st, 7);
        r->money_short_fen = sqlite3_column_int64(st, 8);
        char verdict[12], method[12];
        db_col_text(st, 9, verdict, sizeof verdict);
        db_col_text(st, 10, method, sizeof method);
        /* The table's CHECK constraints hold both to the names. */
        reweigh_outcome_parse(verdict, &r->verdict);
        reweigh_at_parse(method, &r->method);
        db_col_text(st, 11, r->reference_instrument, sizeof r->reference_instrument);
        db_col_text(st, 12, r->weight_set, sizeof r->weight_set);
        db_col_text(st, 13, r->measurement, sizeof r->measurement);
    }
    db_done(st);
    *out = in;
    return 0;
}

int inspection_history(struct db *db, const char *stall, int with_drafts,
                       int (*fn)(const struct inspection_summary *, void *), void *arg)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(
            db_sqlite(db),
            "SELECT i.id, i.started_at, i.ended_at, i.officer1, i.officer2, i.status, "
            "(SELECT count(*) FROM findings f WHERE f.inspection = i.id "
            "  AND f.answer IN ('fail', 'broken', 'missing')), "
            "(SELECT count(*) FROM reweighs r WHERE r.inspection = i.id), "
            "(SELECT count(*) FROM reweighs r WHERE r.inspection = i.id AND r.verdict = 'fail') "
            "FROM inspections i WHERE i.stall = ?1 AND (?2 OR i.status = 'committed') "
            "ORDER BY i.started_at DESC, i.id",
            -1, &st, NULL) != SQLITE_OK)
        return db_fail(db, "inspection");
    db_bind_text(st, 1, stall);
    sqlite3_bind_int(st, 2, with_drafts ? 1 : 0);
    int rc, ret = 0;
    struct inspection_summary s;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        memset(&s, 0, sizeof s);
        db_col_text(st, 0, s.id, sizeof s.id);
        db_col_text(st, 1, s.started_at, sizeof s.started_at);
        db_col_text(st, 2, s.ended_at, sizeof s.ended_at);
        db_col_text(st, 3, s.officer1, sizeof s.officer1);
        db_col_text(st, 4, s.officer2, sizeof s.officer2);
        db_col_text(st, 5, s.status, sizeof s.status);
        s.nfailed = sqlite3_column_int(st, 6);
        s.nreweighs = sqlite3_column_int(st, 7);
        s.nreweighs_failed = sqlite3_column_int(st, 8);
        if ((ret = fn(&s, arg)) != 0)
            break;
    }
    if (ret == 0 && rc != SQLITE_DONE)
        ret = db_fail(db, "inspection");
    sqlite3_finalize(st);
    return ret;
}

int64_t inspection_count(struct db *db)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT count(*) FROM inspections WHERE status = 'committed'");
    if (st == NULL)
        return SC_ERR_DB;
    int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : SC_ERR_DB;
    db_done(st);
    return n;
}
