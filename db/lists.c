/* Scores and lists from the database (see db/lists.h). */
#include "db/lists.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/due.h"
#include "core/error.h"
#include "core/utf8.h"
#include "core/score_events.h"
#include "db/internal.h"
#include "db/lists_store.h"
#include "db/rules_file.h"
#include "db/zone.h"

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 16;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * size);
    if (q == NULL)
        return sc_error_set(SC_ERR_NOMEM, "lists: %zu rows", need);
    *p = q;
    *cap = c;
    return 0;
}

static void fmt_day(day_t d, char buf[11])
{
    day_format(d, buf, 11);
}

/* ---- one stall's events ------------------------------------------------ */

struct lists_priv {
    struct score_events ev;
};

/* One stall's events: few rows, so the re-weigh counts are correlated
 * subqueries on reweighs_by_inspection.  Columns: 0 inspection id,
 * 1 started_at, 2 item, 3 answer, 4 deadline, 5 re-weighs, 6 of them
 * failed, 7 of them at the fair scale. */
static const char SQL_STALL_EVENTS[] =
    "SELECT i.id, i.started_at, f.item, f.answer, f.deadline,"
    " (SELECT count(*) FROM reweighs r WHERE r.inspection = i.id),"
    " (SELECT count(*) FROM reweighs r WHERE r.inspection = i.id AND r.verdict = 'fail'),"
    " (SELECT count(*) FROM reweighs r WHERE r.inspection = i.id AND r.method = 'fair')"
    " FROM inspections i LEFT JOIN findings f ON f.inspection = i.id"
    " WHERE i.stall = ?1 AND i.status = 'committed'"
    " ORDER BY i.started_at, i.id";

int lists_event_add(struct score_events *b, const char *id, const char *started_at,
                    int reweighs, int shorts, int fair)
{
    day_t day;
    if (zone_day_of(started_at, &day) < 0)
        return sc_error_set(SC_ERR_INCONSISTENT, "inspection %s: started_at '%s' is not a UTC "
                            "time", id ? id : "", started_at ? started_at : "");
    return score_events_add_day(b, id, started_at, day, reweighs, shorts, fair);
}

/* Adds a row of the columns above (from col0 on) to b. */
static int events_row(struct score_events *b, sqlite3_stmt *st, int col0)
{
    const char *id = (const char *)sqlite3_column_text(st, col0);
    if (id == NULL)
        return 0;
    if (b->n == 0 || strcmp(b->ids[b->n - 1], id) != 0) {
        int err = lists_event_add(b, id, (const char *)sqlite3_column_text(st, col0 + 1),
                                  sqlite3_column_int(st, col0 + 5),
                                  sqlite3_column_int(st, col0 + 6),
                                  sqlite3_column_int(st, col0 + 7));
        if (err < 0)
            return err;
    }
    const char *item = (const char *)sqlite3_column_text(st, col0 + 2);
    if (item == NULL)
        return 0;
    return score_events_finding(b, item, (const char *)sqlite3_column_text(st, col0 + 3),
                                (const char *)sqlite3_column_text(st, col0 + 4));
}

static int load_stall_events(struct db *db, const char *stall, struct score_events *b)
{
    sqlite3_stmt *st = db_stmt(db, SQL_STALL_EVENTS);
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, stall);
    int rc, err = 0;
    score_events_clear(b);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (err == 0)
            err = events_row(b, st, 0);
    if (rc != SQLITE_DONE && err == 0)
        err = db_fail(db, "lists: a stall's inspections");
    db_done(st);
    score_events_finish(b);
    return err;
}

int lists_rules(struct db *db, const char *path, struct rules *out)
{
    /* A file named for one command is that command's (a what-if); what
     * decides stored statuses is the rules in force, audited. */
    if (path != NULL && *path != '\0')
        return rules_file_load(path, out);
    if (db == NULL) {
        rules_default(out);
        return 0;
    }
    return rules_in_force(db, out, NULL, NULL, 0);
}

static int today_of(day_t *today)
{
    char buf[16];
    db_today(buf, sizeof buf);
    return day_parse(buf, today);
}

int lists_after_commit(struct db *db, const char *stall)
{
    struct rules r;
    day_t today;
    int err = lists_rules(db, NULL, &r);
    if (err < 0 || (err = today_of(&today)) < 0)
        return err;
    return lists_update_stall(db, &r, stall, today);
}

/* ---- the rules' fingerprint -------------------------------------------- */

void lists_rules_id(const struct rules *r, char out[17])
{
    char text[4096];
    int n = rules_format(r, text, sizeof text);
    if (n >= (int)sizeof text)
        n = (int)sizeof text - 1;
    uint64_t h = UINT64_C(1469598103934665603);
    for (int i = 0; i < n; i++) {
        h ^= (unsigned char)text[i];
        h *= UINT64_C(1099511628211);
    }
    snprintf(out, 17, "%016llx", (unsigned long long)h);
}

/* ---- storing one stall's line (db/lists_store.h) --------------------- */

int lists_update_stall(struct db *db, const struct rules *r, const char *stall, day_t today)
{
    struct score_events b = {0};
    struct old_status old;
    struct score_result res;
    int err = load_stall_events(db, stall, &b);
    if (err == 0)
        err = lists_old_status_one(db, stall, &old);
    if (err == 0)
        err = score_compute(r, b.ev, b.n, today, &res);
    if (err < 0) {
        score_events_free(&b);
        return err;
    }
    char rid[17], now[24];
    lists_rules_id(r, rid);
    db_now(now, sizeof now);
    struct lists_store *w = lists_store_new(db, rid, now);
    if (w == NULL)
        err = SC_ERR_NOMEM;
    else {
        err = lists_store_status(w, stall, &res, score_events_last(&b, today), &old);
        int ferr = lists_store_flush(w);
        err = ferr < 0 ? ferr : err;
        lists_store_free(w);
    }
    score_result_free(&res);
    score_events_free(&b);
    return err;
}

int lists_preview(struct db *db, const struct rules *r, const char *stall,
                  const struct score_event *visit, struct lists_preview *out)
{
    struct score_events b = {0};
    int err = load_stall_events(db, stall, &b);
    if (err == 0)
        err = score_events_reserve(&b);
    struct score_result before, after;
    if (err == 0)
        err = score_compute(r, b.ev, b.n, visit->day, &before);
    if (err == 0) {
        b.ev[b.n] = *visit;
        err = score_compute(r, b.ev, b.n + 1, visit->day, &after);
        if (err < 0)
            score_result_free(&before);
    }
    if (err == 0) {
        out->score_before = before.score;
        out->score_after = after.score;
        out->list_before = before.list;
        out->list_after = after.list;
        out->deduction = before.score - after.score;
        score_result_free(&before);
        score_result_free(&after);
    }
    score_events_free(&b);
    return err;
}

/* ---- walking many stalls ----------------------------------------------- */

/* Every committed inspection of a market's stalls in (stall, time) order,
 * its re-weigh counts from one grouped pass over reweighs. */
static const char SQL_MARKET_EVENTS[] =
    "SELECT i.stall, i.id, i.started_at, f.item, f.answer, f.deadline,"
    " IFNULL(rw.n, 0), IFNULL(rw.nfail, 0), IFNULL(rw.nfair, 0)"
    " FROM inspections i"
    " LEFT JOIN findings f ON f.inspection = i.id"
    " LEFT JOIN (SELECT inspection, count(*) AS n, sum(verdict = 'fail') AS nfail,"
    "            sum(method = 'fair') AS nfair FROM reweighs GROUP BY inspection) rw"
    "   ON rw.inspection = i.id"
    " WHERE i.status = 'committed' AND i.market = ?1"
    " ORDER BY i.stall, i.started_at, i.id";
static const char SQL_STALLS[] =
    "SELECT code, market, name FROM stalls WHERE active = 1 AND market = ?1 ORDER BY code";

struct walk_stall {
    const char *code, *market, *name;
    const struct score_result *res;
    const char *last_inspection;
    const struct old_status *old;          /* as stored; NULL: not read */
};

typedef int (*walk_fn)(const struct walk_stall *, void *);
static int walk_all(struct db *db, const struct rules *r, day_t as_of, walk_fn fn, void *arg);

static int walk(struct db *db, const struct rules *r, const char *market, day_t as_of,
                walk_fn fn, void *arg)
{
    if (market == NULL)
        return walk_all(db, r, as_of, fn, arg);
    sqlite3_stmt *ss = db_stmt(db, SQL_STALLS);
    sqlite3_stmt *es = db_stmt(db, SQL_MARKET_EVENTS);
    if (ss == NULL || es == NULL) {
        db_done(ss);
        return SC_ERR_DB;
    }
    db_bind_text(ss, 1, market);
    db_bind_text(es, 1, market);
    struct score_events b = {0};
    int err = 0, erc = sqlite3_step(es), src;
    int64_t count = 0;
    while (err == 0 && (src = sqlite3_step(ss)) == SQLITE_ROW) {
        const char *code = (const char *)sqlite3_column_text(ss, 0);
        score_events_clear(&b);
        /* Skip inspections of stalls not listed (closed), then take this
         * stall's rows. */
        while (erc == SQLITE_ROW) {
            const char *s = (const char *)sqlite3_column_text(es, 0);
            int c = strcmp(s ? s : "", code);
            if (c > 0)
                break;
            if (c == 0 && (err = events_row(&b, es, 1)) < 0)
                break;
            erc = sqlite3_step(es);
        }
        if (err < 0)
            break;
        if (erc != SQLITE_ROW && erc != SQLITE_DONE) {
            err = db_fail(db, "lists: inspections");
            break;
        }
        score_events_finish(&b);
        struct score_result res;
        if ((err = score_compute(r, b.ev, b.n, as_of, &res)) < 0)
            break;
        struct walk_stall w = {code, (const char *)sqlite3_column_text(ss, 1),
                               (const char *)sqlite3_column_text(ss, 2), &res,
                               score_events_last(&b, as_of), NULL};
        err = fn(&w, arg);
        score_result_free(&res);
        count++;
    }
    if (err == 0 && src != SQLITE_DONE)
        err = db_fail(db, "lists: stalls");
    db_done(ss);
    db_done(es);
    score_events_free(&b);
    return err < 0 ? err : (int)(count > INT32_MAX ? INT32_MAX : count);
}

/* ---- the district in one pass: each table scanned once ----------------- */

/* Walking the district through the (stall, time) index and looking up each
 * inspection's findings by its key reads the file in random order (a few
 * microseconds a probe); for the whole district it is faster to read each
 * table once in its stored order and join in memory:
 *  - the inspections' ids from the id index (id order, drafts left out);
 *  - the failed findings (stored in (inspection, item) order) and the
 *    re-weighs: their inspection found by id at a cursor that mostly just
 *    steps, else by binary search;
 *  - the (stall, started_at) index, which covers the rest: the inspections
 *    grouped by stall, matched to the stalls (in code order) by a merge and
 *    to their ids by rowid;
 * then the inspections are gathered once into stall order, and everything
 * after reads them in sequence (but for their ids, at the one read each): the few answers that can close a follow-up
 * are looked up by key, in key order, and each stall is scored.  Most
 * findings pass, and are never read. */

/* An inspection as read, in id order. */
struct bulk_rec {
    char id[DB_UUID_LEN];
    uint16_t reweighs, shorts, fair;
    uint8_t answer[CHECK_ITEM_COUNT];      /* enum checklist_answer of failed items */
    int64_t rowid;
};

/* An inspection in (stall, started_at) order, from the index. */
struct bulk_at {
    uint32_t rec;
    day_t day;
    char started[SCORE_EVENTS_STARTED];
};

/* An inspection gathered into stall order (its time in the bulk_at of the
 * same place, its id in the bulk_rec of its rank). */
struct bulk_ev {
    uint8_t all_read;                      /* every finding read (bulk_passes) */
    uint16_t reweighs, shorts, fair;
    uint8_t answer[CHECK_ITEM_COUNT];      /* enum checklist_answer; 0: not read, or not */
                                           /* answered; ANSWER_ABSENT: looked up, none */
    int16_t deadline[CHECK_ITEM_COUNT];    /* days after the inspection's; 0: none */
    uint32_t rank;                         /* its place in id order: its bulk_rec */
};
#define ANSWER_ABSENT 0x7f

/* A failed finding's deadline, kept aside until the events know their day. */
struct bulk_deadline {
    uint32_t rec;
    int item;
    day_t day;
};

struct bulk_stall {
    char *code, *market, *name;
    int active;
    size_t first, n;                       /* its inspections in at and ev */
    struct old_status old;                 /* stall_status as stored */
};

struct bulk {
    struct bulk_stall *stalls;             /* in code order */
    size_t nstalls;
    struct bulk_rec *rec;                  /* committed inspections, id order */
    size_t nrec;
    uint32_t *rowmap;                      /* rowid -> rec + 1 (dense rowids); else NULL */
    uint32_t *byrowid;                     /* else: rec in rowid order */
    int64_t maxrowid;
    size_t hint;                           /* the cursor of rec_find */
    struct bulk_deadline *dl;
    size_t ndl, capdl;
    struct bulk_at *at;                    /* stall order */
    struct bulk_ev *ev;                    /* stall order, after bulk_gather */
    size_t nat;
};

static void bulk_free(struct bulk *k)
{
    for (size_t i = 0; i < k->nstalls; i++) {
        free(k->stalls[i].code);
        free(k->stalls[i].market);
        free(k->stalls[i].name);
    }
    free(k->stalls);
    free(k->rec);
    free(k->rowmap);
    free(k->byrowid);
    free(k->dl);
    free(k->at);
    free(k->ev);
}

static char *col_dup(sqlite3_stmt *st, int i)
{
    const char *t = (const char *)sqlite3_column_text(st, i);
    return strdup(t ? t : "");
}

static void copy_col(char *dst, size_t size, sqlite3_stmt *st, int i)
{
    const char *t = (const char *)sqlite3_column_text(st, i);
    size_t n = t ? (size_t)sqlite3_column_bytes(st, i) : 0;
    if (n >= size)
        n = size - 1;
    memcpy(dst, t ? t : "", n);
    dst[n] = '\0';
}

/* The stall of a code (binary search: the stalls are in code order), or -1. */
static int64_t stall_find(const struct bulk *k, const char *code)
{
    size_t lo = 0, hi = k->nstalls;
    while (code != NULL && lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(k->stalls[mid].code, code);
        if (c == 0)
            return (int64_t)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* The inspection of an id: at the cursor or just after it (rows read in
 * key order), else by binary search; -1 when not committed. */
static int64_t rec_find(struct bulk *k, const char *id)
{
    for (size_t i = k->hint; i < k->nrec && i < k->hint + 2; i++)
        if (strcmp(k->rec[i].id, id) == 0)
            return (int64_t)(k->hint = i);
    size_t lo = 0, hi = k->nrec;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(k->rec[mid].id, id);
        if (c == 0)
            return (int64_t)(k->hint = mid);
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* The inspection of a rowid, or -1. */
static int64_t rec_of_rowid(const struct bulk *k, int64_t rowid)
{
    if (k->rowmap != NULL)
        return rowid >= 0 && rowid <= k->maxrowid ? (int64_t)k->rowmap[rowid] - 1 : -1;
    size_t lo = 0, hi = k->nrec;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int64_t r = k->rec[k->byrowid[mid]].rowid;
        if (r == rowid)
            return k->byrowid[mid];
        if (r < rowid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static int bulk_stalls(struct db *db, struct bulk *k)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT count(*) FROM stalls");
    if (st == NULL)
        return SC_ERR_DB;
    size_t n = sqlite3_step(st) == SQLITE_ROW ? (size_t)sqlite3_column_int64(st, 0) : 0;
    db_done(st);
    k->stalls = calloc(n ? n : 1, sizeof *k->stalls);
    if (k->stalls == NULL)
        return sc_error_set(SC_ERR_NOMEM, "lists: %zu stalls", n);
    st = db_stmt(db, "SELECT code, market, name, active FROM stalls ORDER BY code");
    if (st == NULL)
        return SC_ERR_DB;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && k->nstalls < n) {
        struct bulk_stall *b = &k->stalls[k->nstalls++];
        b->code = col_dup(st, 0);
        b->market = col_dup(st, 1);
        b->name = col_dup(st, 2);
        b->active = sqlite3_column_int(st, 3);
        if (!b->code || !b->market || !b->name) {
            db_done(st);
            return sc_error_set(SC_ERR_NOMEM, "lists: stalls");
        }
    }
    db_done(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_fail(db, "lists: stalls");
    /* What is stored now, to write only what changed. */
    if ((st = db_stmt(db, LISTS_SQL_STATUS_OLD)) == NULL)
        return SC_ERR_DB;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t s = stall_find(k, (const char *)sqlite3_column_text(st, 0));
        if (s >= 0)
            lists_old_from_row(st, &k->stalls[s].old);
    }
    db_done(st);
    return rc == SQLITE_DONE ? 0 : db_fail(db, "lists: stall status");
}

static int rowid_cmp(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int rec_rowid_cmp(const void *a, const void *b, void *ctx)
{
    const struct bulk_rec *rec = ctx;
    return rowid_cmp(&rec[*(const uint32_t *)a].rowid, &rec[*(const uint32_t *)b].rowid);
}

/* The committed inspections' ids in id order, from the id index alone;
 * the drafts (few, by their partial index) left out. */
static int bulk_ids(struct db *db, struct bulk *k)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT count(*), max(rowid) FROM inspections");
    if (st == NULL)
        return SC_ERR_DB;
    size_t n = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        n = (size_t)sqlite3_column_int64(st, 0);
        k->maxrowid = sqlite3_column_int64(st, 1);
    }
    db_done(st);
    int64_t *drafts = NULL;
    size_t ndrafts = 0, capd = 0;
    int rc, err = 0;
    if ((st = db_stmt(db, "SELECT rowid FROM inspections WHERE status = 'draft'")) == NULL)
        return SC_ERR_DB;
    while (err == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW)
        if ((err = grow((void **)&drafts, &capd, ndrafts + 1, sizeof *drafts)) == 0)
            drafts[ndrafts++] = sqlite3_column_int64(st, 0);
    db_done(st);
    if (err == 0 && rc != SQLITE_DONE)
        err = db_fail(db, "lists: drafts");
    if (ndrafts > 0)
        qsort(drafts, ndrafts, sizeof *drafts, rowid_cmp);
    k->rec = malloc((n ? n : 1) * sizeof *k->rec);
    if (err == 0 && k->rec == NULL)
        err = sc_error_set(SC_ERR_NOMEM, "lists: %zu inspections", n);
    if (err == 0 && (st = db_stmt(db, "SELECT rowid, id FROM inspections ORDER BY id")) == NULL)
        err = SC_ERR_DB;
    while (err == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW && k->nrec < n) {
        int64_t rowid = sqlite3_column_int64(st, 0);
        if (sqlite3_column_type(st, 1) == SQLITE_NULL ||
            (ndrafts > 0 && bsearch(&rowid, drafts, ndrafts, sizeof *drafts, rowid_cmp)))
            continue;
        struct bulk_rec *r = &k->rec[k->nrec++];
        memset(r, 0, sizeof *r);
        r->rowid = rowid;
        copy_col(r->id, sizeof r->id, st, 1);
    }
    if (err == 0) {
        db_done(st);
        if (rc != SQLITE_DONE && rc != SQLITE_ROW)
            err = db_fail(db, "lists: inspections");
    }
    free(drafts);
    if (err < 0)
        return err;
    /* Dense rowids (the usual): a map from rowid; else a sorted index. */
    if (k->maxrowid >= 0 && (uint64_t)k->maxrowid <= 4 * (uint64_t)k->nrec + 1024) {
        k->rowmap = calloc((size_t)k->maxrowid + 1, sizeof *k->rowmap);
        if (k->rowmap == NULL)
            return sc_error_set(SC_ERR_NOMEM, "lists: %zu inspections", k->nrec);
        for (size_t i = 0; i < k->nrec; i++)
            if (k->rec[i].rowid >= 0 && k->rec[i].rowid <= k->maxrowid)
                k->rowmap[k->rec[i].rowid] = (uint32_t)i + 1;
        return 0;
    }
    if ((k->byrowid = malloc((k->nrec ? k->nrec : 1) * sizeof *k->byrowid)) == NULL)
        return sc_error_set(SC_ERR_NOMEM, "lists: %zu inspections", k->nrec);
    for (size_t i = 0; i < k->nrec; i++)
        k->byrowid[i] = (uint32_t)i;
    qsort_r(k->byrowid, k->nrec, sizeof *k->byrowid, rec_rowid_cmp, k->rec);
    return 0;
}

/* Item and answer ids to their enums in a probe or two: the findings'
 * scan decodes two ids per row, millions of rows.  Open addressing over
 * (length, first and last byte); the ids come from core/checklist.h. */
struct idtab {
    int16_t slot[64];                      /* value + 1; 0: empty */
    const char *id[16];
    size_t len[16];
};

static unsigned id_hash(const char *s, size_t n)
{
    return (unsigned)(n * 7 + (unsigned char)s[0] * 3 + (unsigned char)s[n ? n - 1 : 0]) & 63;
}

static void idtab_add(struct idtab *t, int value, const char *id)
{
    size_t n = strlen(id);
    t->id[value] = id;
    t->len[value] = n;
    unsigned h = id_hash(id, n);
    while (t->slot[h] != 0)
        h = (h + 1) & 63;
    t->slot[h] = (int16_t)(value + 1);
}

static int idtab_find(const struct idtab *t, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0)
        return -1;
    for (unsigned h = id_hash(s, n); t->slot[h] != 0; h = (h + 1) & 63) {
        int v = t->slot[h] - 1;
        if (t->len[v] == n && memcmp(t->id[v], s, n) == 0)
            return v;
    }
    return -1;
}

static const struct idtab *item_tab(void)
{
    static struct idtab t;
    static int made;
    if (!made) {
        size_t n;
        const struct checklist_item_info *items = checklist_items(&n);
        for (size_t i = 0; i < n && i < 16; i++)
            idtab_add(&t, (int)items[i].item, items[i].id);
        made = 1;
    }
    return &t;
}

static const struct idtab *answer_tab(void)
{
    static struct idtab t;
    static int made;
    if (!made) {
        for (int a = ANSWER_PASS; a < ANSWER_COUNT && a < 16; a++)
            idtab_add(&t, a, checklist_answer_id((enum checklist_answer)a));
        made = 1;
    }
    return &t;
}

/* A finding's answer onto its inspection (columns item, answer, deadline
 * from col0): before bulk_gather a failed one (its deadline aside, for
 * want of the day), after it any (bulk_passes). */
static int finding_item(sqlite3_stmt *st, int col0, int *item, int *answer)
{
    *item = idtab_find(item_tab(), (const char *)sqlite3_column_text(st, col0));
    *answer = idtab_find(answer_tab(), (const char *)sqlite3_column_text(st, col0 + 1));
    return *item >= 0; /* an item this build does not know: not scored */
}

static int finding_deadline(sqlite3_stmt *st, int col, day_t *d)
{
    const char *text = (const char *)sqlite3_column_text(st, col);
    return text != NULL && *text != '\0' && day_parse(text, d) == 0;
}

/* The engine counts a deadline only after the inspection's day
 * (core/score.c); one further than int16_t days is as good as none ever
 * reached. */
static int16_t deadline_offset(day_t deadline, day_t day)
{
    if (deadline <= day)
        return 0;
    return (int16_t)(deadline - day < INT16_MAX ? deadline - day : INT16_MAX);
}

/* The failed findings: they count.  A passing answer only closes a
 * follow-up (core/score.h's score_answer_passes), n/a counts for nothing,
 * so the few answers that can matter are looked up afterwards
 * (bulk_passes); most findings pass, and leaving them in SQLite saves most
 * of the rows' cost. */
static const char *sql_failed(void)
{
    static char sql[256];
    if (sql[0] == '\0') {
        /* Every answer but the failed ones left out, the commonest
         * ("pass") first: answer <> 'a' AND ... stops at the first test
         * for most rows, where SQLite 3.40 runs IN (...) as a probe of a
         * temporary index per row. */
        int n = snprintf(sql, sizeof sql,
                         "SELECT inspection, item, answer, deadline FROM findings WHERE 1");
        for (int a = ANSWER_PASS; a < ANSWER_COUNT; a++)
            if (!checklist_answer_failed((enum checklist_answer)a))
                n += snprintf(sql + n, sizeof sql - (size_t)n, " AND answer <> '%s'",
                              checklist_answer_id((enum checklist_answer)a));
    }
    return sql;
}

static int bulk_findings(struct db *db, struct bulk *k)
{
    sqlite3_stmt *st = db_stmt(db, sql_failed());
    if (st == NULL)
        return SC_ERR_DB;
    int rc, err = 0, item, answer;
    day_t d;
    k->hint = 0;
    while (err == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(st, 0);
        int64_t x = id ? rec_find(k, id) : -1;
        if (x < 0 || !finding_item(st, 1, &item, &answer) || answer < 0)
            continue; /* a draft's, or not known to this build */
        k->rec[x].answer[item] = (uint8_t)answer;
        if (finding_deadline(st, 3, &d) &&
            (err = grow((void **)&k->dl, &k->capdl, k->ndl + 1, sizeof *k->dl)) == 0)
            k->dl[k->ndl++] = (struct bulk_deadline){(uint32_t)x, item, d};
    }
    db_done(st);
    if (err < 0)
        return err;
    return rc == SQLITE_DONE ? 0 : db_fail(db, "lists: findings");
}

/* The re-weighs: counted from their inspection index alone (id order, so
 * the cursor just steps); the few short or made at the fair scale read
 * from the table. */
static int bulk_reweighs(struct db *db, struct bulk *k)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT inspection FROM reweighs ORDER BY inspection");
    if (st == NULL)
        return SC_ERR_DB;
    int rc;
    k->hint = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(st, 0);
        int64_t x = id ? rec_find(k, id) : -1;
        if (x >= 0)
            k->rec[x].reweighs++;
    }
    db_done(st);
    if (rc != SQLITE_DONE)
        return db_fail(db, "lists: re-weighs");
    if ((st = db_stmt(db, "SELECT inspection, verdict = 'fail', method = 'fair' FROM reweighs"
                          " WHERE verdict = 'fail' OR method = 'fair'")) == NULL)
        return SC_ERR_DB;
    k->hint = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(st, 0);
        int64_t x = id ? rec_find(k, id) : -1;
        if (x < 0)
            continue;
        k->rec[x].shorts += (uint16_t)sqlite3_column_int(st, 1);
        k->rec[x].fair += (uint16_t)sqlite3_column_int(st, 2);
    }
    db_done(st);
    return rc == SQLITE_DONE ? 0 : db_fail(db, "lists: re-weighs");
}

/* The inspections by stall from the (stall, started_at) index alone. */
static int bulk_by_stall(struct db *db, struct bulk *k)
{
    k->at = malloc((k->nrec ? k->nrec : 1) * sizeof *k->at);
    if (k->at == NULL)
        return sc_error_set(SC_ERR_NOMEM, "lists: %zu inspections", k->nrec);
    sqlite3_stmt *st = db_stmt(db, "SELECT stall, started_at, rowid FROM inspections"
                                   " INDEXED BY inspections_by_stall ORDER BY stall, started_at");
    if (st == NULL)
        return SC_ERR_DB;
    int rc, err = 0;
    size_t s = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t x = rec_of_rowid(k, sqlite3_column_int64(st, 2));
        const char *code = (const char *)sqlite3_column_text(st, 0);
        if (x < 0 || code == NULL || k->nat >= k->nrec)
            continue; /* a draft */
        /* Both in code order: the stall is here or further on. */
        int c = -1;
        while (s < k->nstalls && (c = strcmp(k->stalls[s].code, code)) < 0)
            s++;
        if (s >= k->nstalls)
            break;
        if (c > 0)
            continue; /* a stall no longer in the registry */
        struct bulk_at *at = &k->at[k->nat];
        at->rec = (uint32_t)x;
        copy_col(at->started, sizeof at->started, st, 1);
        if (zone_day_of(at->started, &at->day) < 0) {
            err = sc_error_set(SC_ERR_INCONSISTENT, "inspection %s: started_at '%s' is not a UTC "
                               "time",
                               k->rec[x].id, at->started);
            break;
        }
        struct bulk_stall *b = &k->stalls[s];
        if (b->n == 0)
            b->first = k->nat;
        b->n++;
        k->nat++;
    }
    db_done(st);
    if (err < 0)
        return err;
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : db_fail(db, "lists: inspections");
}

/* The engine's order of a stall's inspections (core/score_events.h: day,
 * started_at, id); the index gave (started_at, rowid). */
static int at_before(const struct bulk *k, const struct bulk_at *x, const struct bulk_at *y)
{
    if (x->day != y->day)
        return x->day < y->day;
    int c = strcmp(x->started, y->started);
    return c != 0 ? c < 0 : strcmp(k->rec[x->rec].id, k->rec[y->rec].id) < 0;
}

/* The inspections gathered into stall order (the one pass that reads them
 * out of order), each stall's in the engine's order; the deadlines put on
 * now that the days are known. */
static int bulk_gather(struct bulk *k)
{
    for (size_t s = 0; s < k->nstalls; s++) {
        struct bulk_at *o = k->at + k->stalls[s].first;
        for (size_t i = 1; i < k->stalls[s].n; i++)
            for (size_t j = i; j > 0 && at_before(k, &o[j], &o[j - 1]); j--) {
                struct bulk_at t = o[j];
                o[j] = o[j - 1];
                o[j - 1] = t;
            }
    }
    k->ev = malloc((k->nat ? k->nat : 1) * sizeof *k->ev);
    uint32_t *pos = malloc((k->nrec ? k->nrec : 1) * sizeof *pos);
    if (k->ev == NULL || pos == NULL) {
        free(pos);
        return sc_error_set(SC_ERR_NOMEM, "lists: %zu inspections", k->nrec);
    }
    memset(pos, 0xff, (k->nrec ? k->nrec : 1) * sizeof *pos);
    for (size_t j = 0; j < k->nat; j++) {
        const struct bulk_rec *r = &k->rec[k->at[j].rec];
        struct bulk_ev *e = &k->ev[j];
        memset(e, 0, sizeof *e);
        e->reweighs = r->reweighs;
        e->shorts = r->shorts;
        e->fair = r->fair;
        memcpy(e->answer, r->answer, sizeof e->answer);
        e->rank = k->at[j].rec;
        pos[k->at[j].rec] = (uint32_t)j;
    }
    for (size_t i = 0; i < k->ndl; i++) {
        uint32_t j = pos[k->dl[i].rec];
        if (j != UINT32_MAX)
            k->ev[j].deadline[k->dl[i].item] = deadline_offset(k->dl[i].day, k->at[j].day);
    }
    free(pos);
    return 0;
}

struct lookup {
    uint32_t ev, rank;                     /* rank: the inspection's place in id order */
    int item;                              /* -1: every finding of the inspection */
};

static int lookup_cmp(const void *a, const void *b)
{
    const struct lookup *x = a, *y = b;
    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    return x->item - y->item;
}

static int lookup_add(struct lookup **lk, size_t *n, size_t *cap, struct lookup l)
{
    if (grow((void **)lk, cap, *n + 1, sizeof **lk) < 0)
        return SC_ERR_NOMEM;
    (*lk)[(*n)++] = l;
    return 0;
}

/* One stall's lookups for this round (bulk_passes): 1 when it made some. */
static int stall_lookups(const struct bulk *k, const struct rules *r, const struct bulk_stall *bs,
                         struct lookup **lk, size_t *n, size_t *cap)
{
    int pending[CHECK_ITEM_COUNT] = {0}, blocked[CHECK_ITEM_COUNT] = {0};
    size_t before = *n;
    for (size_t j = bs->first; j < bs->first + bs->n; j++) {
        const struct bulk_ev *e = &k->ev[j];
        int any = 0;
        for (int i = 0; i < CHECK_ITEM_COUNT; i++)
            any |= e->answer[i] != ANSWER_NONE && e->answer[i] != ANSWER_ABSENT;
        if (!any && !e->all_read && e->reweighs > 0 && e->fair == e->reweighs)
            /* A fair-scale check, or an inspection whose answers all
             * passed: read it whole; the rest of the stall waits. */
            return lookup_add(lk, n, cap, (struct lookup){(uint32_t)j, e->rank, -1}) < 0
                       ? SC_ERR_NOMEM
                       : 1;
        for (int i = 0; i < CHECK_ITEM_COUNT; i++) {
            enum checklist_answer a = (enum checklist_answer)e->answer[i];
            if (checklist_answer_failed(a)) {
                /* Only a follow-up's closing answer matters (core/score.c). */
                day_t day = k->at[j].day;
                if (score_followup_due(r, day, e->deadline[i] ? day + e->deadline[i] : 0) != 0)
                    pending[i] = 1;
            }
            else if (!pending[i] || blocked[i])
                continue;
            else if (a == ANSWER_NONE && !e->all_read) {
                blocked[i] = 1;
                if (lookup_add(lk, n, cap, (struct lookup){(uint32_t)j, e->rank, i}) < 0)
                    return SC_ERR_NOMEM;
            } else if (score_answer_passes(a))
                pending[i] = 0;
        }
    }
    return *n > before;
}

/* The passes that can matter, looked up by the findings' key, in key order
 * (neighbouring pages).  Walking each stall's inspections in the engine's
 * order: after an item failed and opened a follow-up (score_followup_due),
 * the next answer to it not read yet may be a pass that closes it (once
 * open, a follow-up stays open through failures: looking up more than the
 * engine needs changes nothing); an inspection with re-weighs all at the fair scale and
 * no failure may be a fair-scale check, or one whose answers all passed:
 * it is read whole.  Rounds, each over the stalls that looked something up
 * in the last, until nothing is left: an item with no answer in one
 * inspection is looked for in the next. */
static int bulk_passes(struct db *db, const struct rules *r, struct bulk *k)
{
    uint8_t *again = malloc(k->nstalls ? k->nstalls : 1);
    if (again == NULL)
        return sc_error_set(SC_ERR_NOMEM, "lists: %zu stalls", k->nstalls);
    memset(again, 1, k->nstalls ? k->nstalls : 1);
    struct lookup *lk = NULL;
    size_t n, cap = 0;
    int err = 0;
    do {
        n = 0;
        for (size_t s = 0; s < k->nstalls && err >= 0; s++)
            if (again[s] && (err = stall_lookups(k, r, &k->stalls[s], &lk, &n, &cap)) >= 0)
                again[s] = (uint8_t)err;
        if (err < 0)
            break;
        err = 0;
        if (n > 0)
            qsort(lk, n, sizeof *lk, lookup_cmp);
        for (size_t i = 0; i < n && err == 0; i++) {
            struct bulk_ev *e = &k->ev[lk[i].ev];
            int want = lk[i].item, rc, item, answer;
            sqlite3_stmt *st = db_stmt(db, want < 0 ? "SELECT item, answer, deadline FROM findings"
                                                      " WHERE inspection = ?1"
                                                    : "SELECT item, answer, deadline FROM findings"
                                                      " WHERE inspection = ?1 AND item = ?2");
            if (st == NULL) {
                err = SC_ERR_DB;
                break;
            }
            db_bind_static(st, 1, k->rec[e->rank].id);
            if (want >= 0)
                db_bind_static(st, 2, item_tab()->id[want]);
            while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                day_t d;
                if (!finding_item(st, 0, &item, &answer))
                    continue;
                e->answer[item] = (uint8_t)(answer < 0 ? ANSWER_ABSENT : answer);
                if (answer >= 0 && checklist_answer_failed((enum checklist_answer)answer) &&
                    finding_deadline(st, 2, &d))
                    e->deadline[item] = deadline_offset(d, k->at[lk[i].ev].day);
            }
            db_done(st);
            if (rc != SQLITE_DONE)
                err = db_fail(db, "lists: findings");
            if (want < 0)
                e->all_read = 1;
            else if (e->answer[want] == ANSWER_NONE)
                e->answer[want] = ANSWER_ABSENT; /* never looked up again */
        }
    } while (err == 0 && n > 0);
    free(lk);
    free(again);
    return err;
}

/* One stall's events from the joined rows. */
static int bulk_stall_events(const struct bulk *k, const struct bulk_stall *s,
                             struct score_events *b)
{
    score_events_clear(b);
    for (size_t j = s->first; j < s->first + s->n; j++) {
        const struct bulk_ev *x = &k->ev[j];
        const struct bulk_at *at = &k->at[j];
        int err = score_events_add_day(b, k->rec[x->rank].id, at->started, at->day, x->reweighs,
                                       x->shorts, x->fair);
        if (err < 0)
            return err;
        for (int i = 0; i < CHECK_ITEM_COUNT; i++)
            if (x->answer[i] != ANSWER_NONE && x->answer[i] != ANSWER_ABSENT &&
                (err = score_events_finding_decoded(b, (enum checklist_item)i,
                                                    (enum checklist_answer)x->answer[i],
                                                    x->deadline[i] ? at->day + x->deadline[i]
                                                                   : 0)) < 0)
                return err;
    }
    score_events_finish(b);
    return 0;
}

static int walk_all(struct db *db, const struct rules *r, day_t as_of, walk_fn fn, void *arg)
{
    struct bulk k = {0};
    int err = bulk_stalls(db, &k);
    if (err == 0)
        err = bulk_ids(db, &k);
    if (err == 0)
        err = bulk_findings(db, &k);
    if (err == 0)
        err = bulk_reweighs(db, &k);
    if (err == 0)
        err = bulk_by_stall(db, &k);
    if (err == 0)
        err = bulk_gather(&k);
    if (err == 0)
        err = bulk_passes(db, r, &k);
    struct score_events b = {0};
    int64_t count = 0;
    for (size_t s = 0; s < k.nstalls && err == 0; s++) {
        if (!k.stalls[s].active)
            continue;
        if ((err = bulk_stall_events(&k, &k.stalls[s], &b)) < 0)
            break;
        struct score_result res;
        if ((err = score_compute(r, b.ev, b.n, as_of, &res)) < 0)
            break;
        struct walk_stall w = {k.stalls[s].code, k.stalls[s].market, k.stalls[s].name, &res,
                               score_events_last(&b, as_of), &k.stalls[s].old};
        err = fn(&w, arg);
        score_result_free(&res);
        count++;
    }
    score_events_free(&b);
    bulk_free(&k);
    return err < 0 ? err : (int)(count > INT32_MAX ? INT32_MAX : count);
}

struct recompute {
    struct db *db;
    char rid[17], now[24];
    int counts[3];
    struct lists_store *w;
};

static int recompute_one(const struct walk_stall *w, void *arg)
{
    struct recompute *rc = arg;
    rc->counts[w->res->list]++;
    struct old_status one;
    const struct old_status *old = w->old;
    if (old == NULL) {
        /* The market's walk: what is buffered goes first. */
        int err = lists_store_flush(rc->w);
        if (err < 0 || (err = lists_old_status_one(rc->db, w->code, &one)) < 0)
            return err;
        old = &one;
    }
    int err = lists_store_status(rc->w, w->code, w->res, w->last_inspection, old);
    return err < 0 ? err : 0;
}

int64_t lists_recompute(struct db *db, const struct rules *r, const char *market, day_t today)
{
    return lists_recompute_counts(db, r, market, today, NULL);
}

/* The recompute writes rows whose values it has just read or made: the
 * stall and inspection they name come from the same transaction, and list
 * is score_list_name's.  So foreign keys and CHECKs are not looked up again
 * per row (SQLite 3.40 builds a temporary b-tree for each run of a
 * "list IN (...)" CHECK: a third of the recompute's time).  Only outside a
 * transaction (SQLite ignores foreign_keys inside one) and not in bulk
 * mode, which has them off already. */
static int trusted_writes(struct db *db, int on)
{
    return db_exec(db, on ? "PRAGMA foreign_keys = OFF; PRAGMA ignore_check_constraints = ON"
                          : "PRAGMA foreign_keys = ON; PRAGMA ignore_check_constraints = OFF");
}

int64_t lists_recompute_counts(struct db *db, const struct rules *r, const char *market,
                               day_t today, int counts[3])
{
    struct recompute rc = {.db = db};
    lists_rules_id(r, rc.rid);
    db_now(rc.now, sizeof rc.now);
    if ((rc.w = lists_store_new(db, rc.rid, rc.now)) == NULL)
        return SC_ERR_NOMEM;
    int trusted = db_depth(db) == 0 && !db_is_bulk(db);
    int err = trusted ? trusted_writes(db, 1) : 0, n = 0;
    if (err == 0 && (err = db_begin(db)) == 0) {
        n = walk(db, r, market, today, recompute_one, &rc);
        err = n < 0 ? n : lists_store_flush(rc.w);
        err = err < 0 ? (db_rollback(db), err) : db_commit(db);
    }
    if (trusted)
        trusted_writes(db, 0);
    lists_store_free(rc.w);
    if (err < 0)
        return err;
    if (counts != NULL)
        memcpy(counts, rc.counts, sizeof rc.counts);
    return n;
}

/* ---- reading the list -------------------------------------------------- */

/* Every listed stall with its stored line and whether that line stands on
 * ?3 (today) under the rules ?2 (computed with them, on or before today,
 * and not lapsed since). */
static const char SQL_STATUS_READ[] =
    "SELECT s.code, s.market, s.name, st.score, st.list, st.since, st.until, st.reason,"
    " st.inspections, st.followups,"
    " IFNULL(st.rules = ?2 AND st.as_of <= ?3 AND (st.valid_until IS NULL OR st.valid_until > ?3),"
    "        0)"
    " FROM stalls s LEFT JOIN stall_status st ON st.stall = s.code"
    " WHERE s.active = 1 AND (?1 IS NULL OR s.market = ?1) ORDER BY s.code";

static void day_col(sqlite3_stmt *st, int i, day_t *out)
{
    const char *t = (const char *)sqlite3_column_text(st, i);
    if (t == NULL || day_parse(t, out) < 0)
        *out = 0;
}

/* Reads the stored lines: with fn, every line (all fresh); without, the
 * codes of the stale ones into *stale.  Returns the stalls read. */
static int status_read(struct db *db, const struct rules *r, const char *market, day_t today,
                       int (*fn)(const struct lists_row *, void *), void *arg,
                       char (**stale)[REG_CODE], size_t *nstale)
{
    char rid[17], day[11];
    lists_rules_id(r, rid);
    fmt_day(today, day);
    sqlite3_stmt *st = db_stmt(db, SQL_STATUS_READ);
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, market);
    db_bind_text(st, 2, rid);
    db_bind_text(st, 3, day);
    int rc, err = 0, count = 0;
    size_t cap = 0;
    while (err == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        count++;
        if (fn == NULL) {
            if (sqlite3_column_int(st, 10))
                continue;
            if ((err = grow((void **)stale, &cap, *nstale + 1, sizeof **stale)) < 0)
                break;
            db_col_text(st, 0, (*stale)[(*nstale)++], REG_CODE);
            continue;
        }
        struct lists_row row;
        memset(&row, 0, sizeof row);
        db_col_text(st, 0, row.stall, sizeof row.stall);
        db_col_text(st, 1, row.market, sizeof row.market);
        db_col_text(st, 2, row.name, sizeof row.name);
        row.score = sqlite3_column_int(st, 3);
        row.grade = score_grade_of(r, row.score);
        if (score_list_parse((const char *)sqlite3_column_text(st, 4), &row.list) < 0)
            row.list = SCORE_LIST_NONE;
        day_col(st, 5, &row.since);
        day_col(st, 6, &row.until);
        row.black_reason = score_black_reason_from_key((const char *)sqlite3_column_text(st, 7));
        row.inspections = sqlite3_column_int(st, 8);
        row.followups = sqlite3_column_int(st, 9);
        err = fn(&row, arg);
    }
    if (err == 0 && rc != SQLITE_DONE)
        err = db_fail(db, "lists: stall status");
    db_done(st);
    return err < 0 ? err : count;
}

/* Brings the stored lines of market up to today: the stale ones one by
 * one, or all in one pass when many are. */
static int status_refresh(struct db *db, const struct rules *r, const char *market, day_t today)
{
    char (*stale)[REG_CODE] = NULL;
    size_t n = 0;
    int total = status_read(db, r, market, today, NULL, NULL, &stale, &n);
    int err = total < 0 ? total : 0;
    if (err == 0 && n > 0 && n * 8 > (size_t)total) {
        int64_t done = lists_recompute(db, r, market, today);
        err = done < 0 ? (int)done : 0;
    } else if (err == 0 && n > 0 && (err = db_begin(db)) == 0) {
        for (size_t i = 0; i < n && err >= 0; i++)
            err = lists_update_stall(db, r, stale[i], today);
        err = err < 0 ? (db_rollback(db), err) : db_commit(db);
    }
    free(stale);
    return err;
}

struct each {
    int (*fn)(const struct lists_row *, void *);
    void *arg;
};

static void row_from(struct lists_row *row, const struct walk_stall *w)
{
    memset(row, 0, sizeof *row);
    snprintf(row->stall, sizeof row->stall, "%s", w->code);
    snprintf(row->market, sizeof row->market, "%s", w->market ? w->market : "");
    snprintf(row->name, sizeof row->name, "%s", w->name ? w->name : "");
    row->score = w->res->score;
    row->list = w->res->list;
    row->grade = w->res->grade;
    if (w->res->list == SCORE_LIST_BLACK) {
        row->black_reason = w->res->black_reason;
        row->since = w->res->black_since;
        row->until = w->res->black_until;
    }
    row->inspections = w->res->inspections;
    row->followups = (int)w->res->n_followups;
}

static int each_one(const struct walk_stall *w, void *arg)
{
    struct each *e = arg;
    struct lists_row row;
    row_from(&row, w);
    return e->fn(&row, e->arg);
}

int lists_each(struct db *db, const struct rules *r, const char *market, day_t as_of,
               day_t today, int (*fn)(const struct lists_row *, void *), void *arg)
{
    /* Today's list under the rules in force is the stored one, brought up
     * to date; another day's, or under other rules (a what-if), is
     * computed from the history, nothing stored.  A database that cannot
     * be written (read-only, busy) is read the long way too. */
    struct rules force;
    if (as_of == today && lists_rules(db, NULL, &force) == 0 && rules_equal(&force, r) &&
        status_refresh(db, r, market, today) == 0)
        return status_read(db, r, market, today, fn, arg, NULL, NULL);
    struct each e = {fn, arg};
    return walk(db, r, market, as_of, each_one, &e);
}

/* ---- one stall, explained ---------------------------------------------- */

int lists_stall_score(struct db *db, const struct rules *r, const char *stall, day_t as_of,
                      struct lists_stall *out)
{
    memset(out, 0, sizeof *out);
    int err = registry_find_stall(db, stall, &out->stall);
    if (err < 0)
        return err == SC_ERR_NOTFOUND ? sc_error_set(err, "no stall '%s'", stall) : err;
    if (registry_find_market(db, out->stall.market, &out->market) < 0)
        memset(&out->market, 0, sizeof out->market);
    out->priv = calloc(1, sizeof *out->priv);
    if (out->priv == NULL)
        return sc_error_set(SC_ERR_NOMEM, "lists: stall");
    err = load_stall_events(db, stall, &out->priv->ev);
    if (err == 0)
        err = score_compute(r, out->priv->ev.ev, out->priv->ev.n, as_of, &out->res);
    if (err < 0) {
        score_events_free(&out->priv->ev);
        free(out->priv);
        out->priv = NULL;
    }
    return err;
}

void lists_stall_free(struct lists_stall *s)
{
    if (s == NULL)
        return;
    score_result_free(&s->res);
    if (s->priv != NULL) {
        score_events_free(&s->priv->ev);
        free(s->priv);
        s->priv = NULL;
    }
}

/* ---- follow-ups -------------------------------------------------------- */

const char *lists_followup_status_name(enum lists_followup_status s)
{
    switch (s) {
    case LISTS_FOLLOWUP_DUE: return "due";
    case LISTS_FOLLOWUP_OVERDUE: return "overdue";
    case LISTS_FOLLOWUP_PENDING: break;
    }
    return "pending";
}

struct fu_collect {
    struct lists_followup *v;
    size_t n, cap;
    int all;
    day_t today;
};

static int fu_one(const struct walk_stall *w, void *arg)
{
    struct fu_collect *c = arg;
    for (size_t i = 0; i < w->res->n_followups; i++) {
        const struct score_followup *f = &w->res->followups[i];
        enum lists_followup_status s = f->due > c->today    ? LISTS_FOLLOWUP_PENDING
                                       : f->due == c->today ? LISTS_FOLLOWUP_DUE
                                                            : LISTS_FOLLOWUP_OVERDUE;
        if (!c->all && s == LISTS_FOLLOWUP_PENDING)
            continue;
        if (grow((void **)&c->v, &c->cap, c->n + 1, sizeof *c->v) < 0)
            return SC_ERR_NOMEM;
        struct lists_followup *o = &c->v[c->n++];
        memset(o, 0, sizeof *o);
        snprintf(o->stall, sizeof o->stall, "%s", w->code);
        snprintf(o->market, sizeof o->market, "%s", w->market ? w->market : "");
        snprintf(o->name, sizeof o->name, "%s", w->name ? w->name : "");
        snprintf(o->inspection, sizeof o->inspection, "%s", f->event_id ? f->event_id : "");
        o->item = f->item;
        o->opened = f->opened;
        o->due = f->due;
        o->unfixed = f->unfixed;
        o->status = s;
    }
    return 0;
}

static int fu_cmp(const void *a, const void *b)
{
    const struct lists_followup *x = a, *y = b;
    if (x->due != y->due)
        return x->due < y->due ? -1 : 1;
    int c = strcmp(x->stall, y->stall);
    return c ? c : (int)x->item - (int)y->item;
}

int lists_followups(struct db *db, const struct rules *r, const char *market, day_t today,
                    int all, int (*fn)(const struct lists_followup *, void *), void *arg)
{
    struct fu_collect c = {.all = all, .today = today};
    int err = walk(db, r, market, today, fu_one, &c);
    if (err >= 0) {
        if (c.n > 0)
            qsort(c.v, c.n, sizeof *c.v, fu_cmp);
        err = 0;
        for (size_t i = 0; i < c.n && err == 0; i++)
            err = fn(&c.v[i], arg);
    }
    free(c.v);
    return err;
}

/* ---- markets ----------------------------------------------------------- */

int lists_permille(int num, int den)
{
    if (den <= 0)
        return 0;
    return (int)(((int64_t)num * 2000 + den) / (2 * (int64_t)den));
}

struct mk_collect {
    struct lists_market *v;
    size_t n;
};

static int mk_one(const struct walk_stall *w, void *arg)
{
    struct mk_collect *c = arg;
    for (size_t i = 0; i < c->n; i++) {
        if (strcmp(c->v[i].code, w->market ? w->market : "") != 0)
            continue;
        c->v[i].fig.stalls++;
        if (w->res->list == SCORE_LIST_RED)
            c->v[i].fig.red++;
        else if (w->res->list == SCORE_LIST_BLACK)
            c->v[i].fig.black++;
        else
            c->v[i].fig.none++;
        break;
    }
    return 0;
}

static int mk_add(const struct market *m, void *arg)
{
    struct mk_collect *c = arg;
    struct lists_market *v = realloc(c->v, (c->n + 1) * sizeof *v);
    if (v == NULL)
        return SC_ERR_NOMEM;
    c->v = v;
    memset(&v[c->n], 0, sizeof v[c->n]);
    snprintf(v[c->n].code, sizeof v[c->n].code, "%s", m->code);
    snprintf(v[c->n].name, sizeof v[c->n].name, "%s", m->name);
    c->n++;
    return 0;
}

static int mk_cmp(const void *pa, const void *pb)
{
    const struct lists_market *a = pa, *b = pb;
    int c = market_cmp(&a->fig, &b->fig);
    return c != 0 ? c : strcmp(a->code, b->code);
}

static const char SQL_MK_SCALES[] =
    "SELECT due FROM instruments"
    " WHERE market = ?1 AND active = 1 AND stall IS NOT NULL AND kind <> 'meter'";
static const char SQL_MK_FAIR[] =
    "SELECT count(*) FROM instruments WHERE market = ?1 AND active = 1 AND kind = 'fair'";
static const char SQL_MK_REWEIGHS[] =
    "SELECT count(*), IFNULL(sum(r.verdict = 'pass'), 0) FROM reweighs r"
    " JOIN inspections i ON i.id = r.inspection"
    " WHERE i.market = ?1 AND i.status = 'committed' AND i.started_at >= ?2"
    " AND i.started_at < ?3";

static int mk_figures(struct db *db, const struct rules *r, struct lists_market *m, day_t as_of)
{
    /* The window's days are legal days: from the first moment of its
     * first day to the first of the day after as_of, in UTC as stored. */
    char from[24], to[24];
    int err = zone_day_start(day_add_months(as_of, -r->window_months) + 1, from, sizeof from);
    if (err < 0 || (err = zone_day_start(as_of + 1, to, sizeof to)) < 0)
        return err;
    sqlite3_stmt *st = db_stmt(db, SQL_MK_SCALES);
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, m->code);
    /* Counted here, judged by core/due.h: never verified is not verified. */
    while (sqlite3_step(st) == SQLITE_ROW) {
        const unsigned char *due = sqlite3_column_text(st, 0);
        m->fig.scales++;
        m->fig.scales_verified += !due_overdue(due != NULL ? (const char *)due : "", as_of);
    }
    db_done(st);
    if ((st = db_stmt(db, SQL_MK_FAIR)) == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, m->code);
    if (sqlite3_step(st) == SQLITE_ROW)
        m->fig.fair_scales = sqlite3_column_int(st, 0);
    db_done(st);
    if ((st = db_stmt(db, SQL_MK_REWEIGHS)) == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, m->code);
    db_bind_text(st, 2, from);
    db_bind_text(st, 3, to);
    if (sqlite3_step(st) == SQLITE_ROW) {
        m->fig.reweighs = sqlite3_column_int(st, 0);
        m->fig.reweighs_pass = sqlite3_column_int(st, 1);
    }
    db_done(st);
    m->status = market_status_of(r, &m->fig);
    return 0;
}

int lists_markets(struct db *db, const struct rules *r, day_t as_of, day_t today,
                  struct lists_market **out, size_t *n)
{
    (void)today;
    struct mk_collect c = {0};
    int err = registry_list_markets(db, mk_add, &c);
    if (err >= 0)
        err = walk(db, r, NULL, as_of, mk_one, &c);
    for (size_t i = 0; err >= 0 && i < c.n; i++)
        err = mk_figures(db, r, &c.v[i], as_of);
    if (err < 0) {
        free(c.v);
        return err;
    }
    if (c.n > 0)
        qsort(c.v, c.n, sizeof *c.v, mk_cmp);
    for (size_t i = 0; i < c.n; i++)
        c.v[i].rank = (int)i + 1;
    *out = c.v;
    *n = c.n;
    return 0;
}
