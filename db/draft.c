#include "db/draft.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "db/internal.h"

int draft_save(struct db *db, const char *id, const char *officer, const char *stall,
               const char *body)
{
    char now[24];
    db_now(now, sizeof now);
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO drafts (id, officer, stall, body, updated_at) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (id) DO UPDATE SET "
                                   "officer = ?2, stall = ?3, body = ?4, updated_at = ?5");
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, officer);
    db_bind_text(st, 3, stall);
    db_bind_text(st, 4, body);
    db_bind_text(st, 5, now);
    return db_step_done(db, st, "draft");
}

int draft_load(struct db *db, const char *id, char **body)
{
    *body = NULL;
    sqlite3_stmt *st = db_stmt(db, "SELECT body FROM drafts WHERE id = ?1");
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const unsigned char *text = sqlite3_column_text(st, 0);
        *body = strdup(text != NULL ? (const char *)text : "");
        db_done(st);
        return *body != NULL ? 0 : SC_ERR_NOMEM;
    }
    db_done(st);
    if (rc != SQLITE_DONE)
        return db_fail(db, "draft");
    return sc_error_set(SC_ERR_NOTFOUND, _("no draft %s"), id);
}

int draft_latest(struct db *db, const char *officer, const char *stall, struct draft_info *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = db_stmt(db, "SELECT id, officer, stall, updated_at FROM drafts "
                                   "WHERE (?1 IS NULL OR officer = ?1) "
                                   "AND (?2 IS NULL OR stall = ?2) "
                                   "ORDER BY updated_at DESC, id LIMIT 1");
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, officer);
    db_bind_text(st, 2, stall);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        db_col_text(st, 0, out->id, sizeof out->id);
        db_col_text(st, 1, out->officer, sizeof out->officer);
        db_col_text(st, 2, out->stall, sizeof out->stall);
        db_col_text(st, 3, out->updated_at, sizeof out->updated_at);
        db_done(st);
        return 0;
    }
    db_done(st);
    if (rc != SQLITE_DONE)
        return db_fail(db, "draft");
    return sc_error_set(SC_ERR_NOTFOUND, _("no draft"));
}

int draft_delete(struct db *db, const char *id)
{
    sqlite3_stmt *st = db_stmt(db, "DELETE FROM drafts WHERE id = ?1");
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, id);
    return db_step_done(db, st, "draft");
}

int64_t draft_count(struct db *db)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT count(*) FROM drafts");
    if (st == NULL)
        return SC_ERR_DB;
    int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    db_done(st);
    return n;
}

int db_draft_start(struct db *db, const char *status_sql, char *id, char *started_at,
                   size_t size)
{
    if (id[0] == '\0')
        db_record_id(db, id);
    if (started_at[0] == '\0')
        db_now(started_at, size);
    return db_still_draft(db, status_sql, id);
}

int db_still_draft(struct db *db, const char *status_sql, const char *id)
{
    char status[16];
    int rc = db_text_of(db, status_sql, id, status, sizeof status, "calibration");
    if (rc < 0)
        return rc;
    if (rc == 1 && strcmp(status, "committed") == 0)
        return sc_error_set(SC_ERR_EXISTS, _("calibration %s is already committed"), id);
    return 0;
}

int db_draft_only(struct db *db, const char *status_sql, const char *id)
{
    char status[16];
    int rc = db_text_of(db, status_sql, id, status, sizeof status, "calibration");
    if (rc <= 0)
        return rc < 0 ? rc : sc_error_set(SC_ERR_NOTFOUND, _("no calibration %s"), id);
    if (strcmp(status, "draft") != 0)
        return sc_error_set(SC_ERR_EXISTS, _("calibration %s is committed: it stays"), id);
    return 0;
}
