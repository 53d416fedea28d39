/* Stalls' lines as stored: see lists_store.h. */
#include "db/lists_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/utf8.h"
#include "db/registry.h"

/* A stall's line as stored (stall_status), every field text or a number:
 * since / until are the black listing's, as the score engine gives them, so
 * the same records give the same line wherever and whenever computed. */
struct status_line {
    int score;
    const char *list, *reason;
    char since[11], until[11], as_of[11], valid_until[11];
    int inspections, followups;
};

static void status_line(struct status_line *l, const struct score_result *res)
{
    memset(l, 0, sizeof *l);
    l->score = res->score;
    l->list = score_list_name(res->list);
    l->reason = res->list == SCORE_LIST_BLACK ? score_black_reason_key(res->black_reason) : "";
    if (res->list == SCORE_LIST_BLACK) {
        day_format(res->black_since, l->since, 11);
        day_format(res->black_until, l->until, 11);
    }
    day_format(res->as_of, l->as_of, 11);
    if (res->valid_until != 0)
        day_format(res->valid_until, l->valid_until, 11);
    l->inspections = res->inspections;
    l->followups = (int)res->n_followups;
}

/* What is compared to skip a write: everything but as_of and updated_at
 * (a line that did not change stands from the day it was computed). */
static uint64_t hash_text(uint64_t h, const char *s)
{
    for (; s != NULL && *s; s++)
        h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
    return (h ^ '|') * UINT64_C(1099511628211);
}

static uint64_t line_hash(const struct status_line *l, const char *last, const char *rules)
{
    uint64_t h = UINT64_C(1469598103934665603);
    int64_t nums[3] = {l->score, l->inspections, l->followups};
    for (int i = 0; i < 3; i++)
        h = (h ^ (uint64_t)nums[i]) * UINT64_C(1099511628211);
    const char *texts[] = {l->list, l->reason, l->since, l->until, l->valid_until, last, rules};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        h = hash_text(h, texts[i]);
    return h;
}

/* The same from a stored row: columns as in LISTS_SQL_STATUS_OLD from col 1. */
const char LISTS_SQL_STATUS_OLD[] =
    "SELECT stall, score, list, reason, IFNULL(since, ''), IFNULL(until, ''), inspections,"
    " followups, IFNULL(valid_until, ''), IFNULL(last_inspection, ''), rules"
    " FROM stall_status";
static const char SQL_STATUS_OLD_ONE[] =
    "SELECT stall, score, list, reason, IFNULL(since, ''), IFNULL(until, ''), inspections,"
    " followups, IFNULL(valid_until, ''), IFNULL(last_inspection, ''), rules"
    " FROM stall_status WHERE stall = ?1";

void lists_old_from_row(sqlite3_stmt *st, struct old_status *o)
{
    struct status_line l = {0};
    l.score = sqlite3_column_int(st, 1);
    l.list = (const char *)sqlite3_column_text(st, 2);
    l.reason = (const char *)sqlite3_column_text(st, 3);
    db_col_text(st, 4, l.since, sizeof l.since);
    db_col_text(st, 5, l.until, sizeof l.until);
    l.inspections = sqlite3_column_int(st, 6);
    l.followups = sqlite3_column_int(st, 7);
    db_col_text(st, 8, l.valid_until, sizeof l.valid_until);
    if (l.list == NULL)
        l.list = "";
    if (l.reason == NULL)
        l.reason = "";
    o->have = 1;
    if (score_list_parse(l.list, &o->list) < 0)
        o->list = SCORE_LIST_NONE;
    o->hash = line_hash(&l, (const char *)sqlite3_column_text(st, 9),
                        (const char *)sqlite3_column_text(st, 10));
}


/* Writing lines: a recompute writes 100,000s, so they go in batches of
 * STORE_BATCH rows per INSERT (SQLite's cost per statement run is several
 * times its cost per row); the rest, and one stall's, one by one. */
#define STORE_BATCH 32
#define STATUS_COLS "(stall, score, list, since, until, last_inspection, rules, updated_at," \
                    " reason, inspections, followups, as_of, valid_until)"
#define STATUS_VALUES "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define STATUS_UPSERT                                                                      \
    " ON CONFLICT (stall) DO UPDATE SET score = excluded.score, list = excluded.list,"    \
    " since = excluded.since, until = excluded.until,"                                     \
    " last_inspection = excluded.last_inspection, rules = excluded.rules,"                 \
    " updated_at = excluded.updated_at, reason = excluded.reason,"                         \
    " inspections = excluded.inspections, followups = excluded.followups,"                 \
    " as_of = excluded.as_of, valid_until = excluded.valid_until"
#define ENTRY_COLS "(stall, list, since, until, reason, inspection)"
#define ENTRY_VALUES "(?, ?, ?, ?, ?, ?)"

struct store_line {
    char stall[REG_CODE];
    struct status_line l;
    char last[DB_UUID_LEN];
};

struct store_entry {
    char stall[REG_CODE], since[11], until[11];
    const char *list, *reason;
    char inspection[DB_UUID_LEN];
};

struct lists_store {
    struct db *db;
    const char *rules_id, *now;
    struct store_line line[STORE_BATCH];
    struct store_entry entry[STORE_BATCH];
    int nline, nentry;
};

/* Text that lives in the batch until the statement has run, or NULL for
 * "" (no copy: db_bind_text_or_null copies). */
static void bind_or_null(sqlite3_stmt *st, int i, const char *text)
{
    if (text == NULL || text[0] == '\0')
        sqlite3_bind_null(st, i);
    else
        db_bind_static(st, i, text);
}

/* "INSERT INTO table cols VALUES v, v, ... [tail]" with n rows. */
static const char *batch_sql(char *buf, size_t size, const char *table, const char *cols,
                             const char *values, int n, const char *tail)
{
    if (buf[0] != '\0')
        return buf;
    int k = snprintf(buf, size, "INSERT INTO %s %s VALUES ", table, cols);
    for (int i = 0; i < n && k < (int)size; i++)
        k += snprintf(buf + k, size - (size_t)k, "%s%s", i ? ", " : "", values);
    if (k < (int)size)
        snprintf(buf + k, size - (size_t)k, "%s", tail);
    return buf;
}

static int store_flush_lines(struct lists_store *w)
{
    static char many[STORE_BATCH * 40 + 1024];
    const char *sql = batch_sql(many, sizeof many, "stall_status", STATUS_COLS, STATUS_VALUES,
                                STORE_BATCH, STATUS_UPSERT);
    for (int done = 0; done < w->nline;) {
        static char one[1024];
        int n = w->nline - done >= STORE_BATCH ? STORE_BATCH : 1;
        sqlite3_stmt *st = db_stmt(w->db, n == 1 ? batch_sql(one, sizeof one, "stall_status",
                                                             STATUS_COLS, STATUS_VALUES, 1,
                                                             STATUS_UPSERT)
                                                 : sql);
        if (st == NULL)
            return SC_ERR_DB;
        for (int i = 0; i < n; i++) {
            const struct store_line *x = &w->line[done + i];
            int c = i * 13;
            db_bind_static(st, c + 1, x->stall);
            sqlite3_bind_int(st, c + 2, x->l.score);
            db_bind_static(st, c + 3, x->l.list);
            bind_or_null(st, c + 4, x->l.since);
            bind_or_null(st, c + 5, x->l.until);
            bind_or_null(st, c + 6, x->last);
            db_bind_static(st, c + 7, w->rules_id);
            db_bind_static(st, c + 8, w->now);
            db_bind_static(st, c + 9, x->l.reason);
            sqlite3_bind_int(st, c + 10, x->l.inspections);
            sqlite3_bind_int(st, c + 11, x->l.followups);
            db_bind_static(st, c + 12, x->l.as_of);
            bind_or_null(st, c + 13, x->l.valid_until);
        }
        int err = db_step_done(w->db, st, "lists: store stall status");
        if (err < 0)
            return err;
        done += n;
    }
    w->nline = 0;
    return 0;
}

static int store_flush_entries(struct lists_store *w)
{
    static char many[STORE_BATCH * 24 + 256], one[256];
    const char *sql = batch_sql(many, sizeof many, "list_entries", ENTRY_COLS, ENTRY_VALUES,
                                STORE_BATCH, "");
    for (int done = 0; done < w->nentry;) {
        int n = w->nentry - done >= STORE_BATCH ? STORE_BATCH : 1;
        sqlite3_stmt *st = db_stmt(w->db, n == 1 ? batch_sql(one, sizeof one, "list_entries",
                                                             ENTRY_COLS, ENTRY_VALUES, 1, "")
                                                 : sql);
        if (st == NULL)
            return SC_ERR_DB;
        for (int i = 0; i < n; i++) {
            const struct store_entry *x = &w->entry[done + i];
            int c = i * 6;
            db_bind_static(st, c + 1, x->stall);
            db_bind_static(st, c + 2, x->list);
            db_bind_static(st, c + 3, x->since);
            bind_or_null(st, c + 4, x->until);
            db_bind_static(st, c + 5, x->reason);
            bind_or_null(st, c + 6, x->inspection);
        }
        int err = db_step_done(w->db, st, "lists: list history");
        if (err < 0)
            return err;
        done += n;
    }
    w->nentry = 0;
    return 0;
}

/* Writes what is buffered (before anything reads stall_status again). */
int lists_store_flush(struct lists_store *w)
{
    int err = store_flush_lines(w);
    return err < 0 ? err : store_flush_entries(w);
}

int lists_store_status(struct lists_store *w, const char *stall, const struct score_result *res,
                       const char *last_inspection, const struct old_status *old)
{
    struct status_line l;
    status_line(&l, res);
    if (old->have && old->hash == line_hash(&l, last_inspection, w->rules_id))
        return 0;
    int err;
    if (w->nline == STORE_BATCH && (err = store_flush_lines(w)) < 0)
        return err;
    struct store_line *x = &w->line[w->nline++];
    utf8_copy(x->stall, sizeof x->stall, stall);
    x->l = l;
    utf8_copy(x->last, sizeof x->last, last_inspection);
    int changed = old->have ? old->list != res->list : res->list != SCORE_LIST_NONE;
    if (!changed)
        return 0;
    /* The history: one row per change of list, dated the day it was seen
     * (a first status of "none" is no change worth a row). */
    if (w->nentry == STORE_BATCH && (err = store_flush_entries(w)) < 0)
        return err;
    struct store_entry *e = &w->entry[w->nentry++];
    utf8_copy(e->stall, sizeof e->stall, stall);
    e->list = l.list;
    if (res->list == SCORE_LIST_BLACK)
        memcpy(e->since, l.since, sizeof e->since);
    else
        day_format(res->as_of, e->since, 11);
    memcpy(e->until, l.until, sizeof e->until);
    e->reason = res->list == SCORE_LIST_BLACK ? score_black_reason_text(res->black_reason) : "";
    utf8_copy(e->inspection, sizeof e->inspection,
              res->list == SCORE_LIST_BLACK ? res->black_event : last_inspection);
    return 1;
}

int lists_old_status_one(struct db *db, const char *stall, struct old_status *o)
{
    memset(o, 0, sizeof *o);
    sqlite3_stmt *st = db_stmt(db, SQL_STATUS_OLD_ONE);
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, stall);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        lists_old_from_row(st, o);
    db_done(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, "lists: stall status");
}


struct lists_store *lists_store_new(struct db *db, const char *rules_id, const char *now)
{
    struct lists_store *w = calloc(1, sizeof *w);
    if (w == NULL) {
        sc_error_set(SC_ERR_NOMEM, "lists: stall status");
        return NULL;
    }
    *w = (struct lists_store){.db = db, .rules_id = rules_id, .now = now};
    return w;
}

void lists_store_free(struct lists_store *w)
{
    free(w);
}
