/* Scores and lists from the database (see db/lists.h). */
#include "db/lists.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/due.h"
#include "core/error.h"
#include "db/internal.h"
#include "db/rules_file.h"

/* ---- events of one stall, grown as rows arrive ------------------------- */

struct lists_priv {
    struct score_event *ev;
    size_t n, cap;
    struct score_finding *f;
    size_t nf, capf;
    size_t *fstart;           /* per event: its first finding */
    int *nfair;               /* per event: re-weighs made at the fair scale */
    char (*ids)[DB_UUID_LEN];
};

static void evbuf_clear(struct lists_priv *b)
{
    b->n = 0;
    b->nf = 0;
}

static void evbuf_free(struct lists_priv *b)
{
    free(b->ev);
    free(b->f);
    free(b->fstart);
    free(b->nfair);
    free(b->ids);
    memset(b, 0, sizeof *b);
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 16;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * size);
    if (q == NULL)
        return sc_error_set(SC_ERR_NOMEM, "lists: %zu events", need);
    *p = q;
    *cap = c;
    return 0;
}

static int evbuf_reserve(struct lists_priv *b)
{
    size_t cap = b->cap;
    if (b->n + 1 <= cap)
        return 0;
    size_t c1 = cap, c2 = cap, c3 = cap, c4 = cap;
    if (grow((void **)&b->ev, &c1, b->n + 1, sizeof *b->ev) < 0 ||
        grow((void **)&b->fstart, &c2, b->n + 1, sizeof *b->fstart) < 0 ||
        grow((void **)&b->nfair, &c3, b->n + 1, sizeof *b->nfair) < 0 ||
        grow((void **)&b->ids, &c4, b->n + 1, sizeof *b->ids) < 0)
        return SC_ERR_NOMEM;
    b->cap = c1;
    return 0;
}

/* Appends an event (its findings follow with evbuf_add_finding). */
static int evbuf_add(struct lists_priv *b, const char *id, day_t day, int reweighs, int shorts,
                     int nfair)
{
    if (evbuf_reserve(b) < 0)
        return SC_ERR_NOMEM;
    size_t i = b->n++;
    snprintf(b->ids[i], DB_UUID_LEN, "%s", id);
    b->ev[i] = (struct score_event){NULL, day, SCORE_EVENT_INSPECTION, NULL, 0, reweighs, shorts};
    b->nfair[i] = nfair;
    b->fstart[i] = b->nf;
    return 0;
}

static int evbuf_add_finding(struct lists_priv *b, enum checklist_item item,
                             enum checklist_answer answer, day_t deadline)
{
    if (grow((void **)&b->f, &b->capf, b->nf + 1, sizeof *b->f) < 0)
        return SC_ERR_NOMEM;
    b->f[b->nf++] = (struct score_finding){item, answer, deadline};
    b->ev[b->n - 1].n_findings++;
    return 0;
}

/* The columns of an event row, in both queries:
 * 0 inspection id, 1 started_at, 2 item, 3 answer, 4 deadline,
 * 5 re-weighs, 6 of them failed, 7 of them at the fair scale. */
static int evbuf_row(struct lists_priv *b, sqlite3_stmt *st, int col0)
{
    const char *id = (const char *)sqlite3_column_text(st, col0);
    if (id == NULL)
        return 0;
    if (b->n == 0 || strcmp(b->ids[b->n - 1], id) != 0) {
        day_t day;
        const char *started = (const char *)sqlite3_column_text(st, col0 + 1);
        if (day_parse(started, &day) < 0)
            return sc_error_set(SC_ERR_INCONSISTENT, "inspection %s: started_at '%s'", id,
                                started ? started : "");
        if (evbuf_add(b, id, day, sqlite3_column_int(st, col0 + 5),
                      sqlite3_column_int(st, col0 + 6), sqlite3_column_int(st, col0 + 7)) < 0)
            return SC_ERR_NOMEM;
    }
    const char *item = (const char *)sqlite3_column_text(st, col0 + 2);
    if (item == NULL)
        return 0;
    const struct checklist_item_info *info = checklist_item_by_id(item);
    if (info == NULL)
        return 0; /* an item this build does not know: not scored */
    day_t deadline = 0;
    const char *dl = (const char *)sqlite3_column_text(st, col0 + 4);
    if (dl != NULL && *dl != '\0' && day_parse(dl, &deadline) < 0)
        deadline = 0;
    return evbuf_add_finding(
        b, info->item, checklist_answer_from_id((const char *)sqlite3_column_text(st, col0 + 3)),
        deadline);
}

/* Points the events at their findings and ids (storage may have moved),
 * and tells fair-scale checks from inspections. */
static void evbuf_finish(struct lists_priv *b)
{
    for (size_t i = 0; i < b->n; i++) {
        struct score_event *e = &b->ev[i];
        e->id = b->ids[i];
        e->findings = e->n_findings ? b->f + b->fstart[i] : NULL;
        if (e->n_findings == 0 && e->reweighs > 0 && b->nfair[i] == e->reweighs)
            e->kind = SCORE_EVENT_FAIRSCALE;
    }
}

/* One stall's events: few rows, so the re-weigh counts are correlated
 * subqueries on reweighs_by_inspection. */
static const char SQL_STALL_EVENTS[] =
    "SELECT i.id, i.started_at, f.item, f.answer, f.deadline,"
    " (SELECT count(*) FROM reweighs r WHERE r.inspection = i.id),"
    " (SELECT count(*) FROM reweighs r WHERE r.inspection = i.id AND r.verdict = 'fail'),"
    " (SELECT count(*) FROM reweighs r WHERE r.inspection = i.id AND r.method = 'fair')"
    " FROM inspections i LEFT JOIN findings f ON f.inspection = i.id"
    " WHERE i.stall = ?1 AND i.status = 'committed'"
    " ORDER BY i.started_at, i.id";

static int load_stall_events(struct db *db, const char *stall, struct lists_priv *b)
{
    sqlite3_stmt *st = db_stmt(db, SQL_STALL_EVENTS);
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, stall);
    int rc, err = 0;
    evbuf_clear(b);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (err == 0)
            err = evbuf_row(b, st, 0);
    if (rc != SQLITE_DONE && err == 0)
        err = db_fail(db, "lists: a stall's inspections");
    db_done(st);
    evbuf_finish(b);
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

int lists_after_commit(struct db *db, const char *stall)
{
    struct rules r;
    int err = lists_rules(db, NULL, &r);
    if (err < 0)
        return err;
    char buf[16];
    day_t today;
    db_today(buf, sizeof buf);
    if ((err = day_parse(buf, &today)) < 0)
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

/* ---- storing a stall's status ------------------------------------------ */

static void fmt_day(day_t d, char buf[11])
{
    day_format(d, buf, 11);
}

static const char SQL_STATUS_GET[] = "SELECT list, since FROM stall_status WHERE stall = ?1";
static const char SQL_STATUS_PUT[] =
    "INSERT INTO stall_status (stall, score, list, since, until, last_inspection, rules,"
    " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
    " ON CONFLICT (stall) DO UPDATE SET score = excluded.score, list = excluded.list,"
    " since = excluded.since, until = excluded.until,"
    " last_inspection = excluded.last_inspection, rules = excluded.rules,"
    " updated_at = excluded.updated_at";
static const char SQL_ENTRY_ADD[] =
    "INSERT INTO list_entries (id, stall, list, since, until, reason, inspection)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

/* Stores res for stall; returns 1 when its list changed. */
static int store_status(struct db *db, const char *stall, const struct score_result *res,
                        const char *last_inspection, const char *rules_id, day_t today)
{
    char old_list[8] = "", old_since[11] = "", since[11] = "", until[11] = "", now[24];
    sqlite3_stmt *st = db_stmt(db, SQL_STATUS_GET);
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, stall);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        db_col_text(st, 0, old_list, sizeof old_list);
        db_col_text(st, 1, old_since, sizeof old_since);
    } else if (rc != SQLITE_DONE) {
        db_done(st);
        return db_fail(db, "lists: stall status");
    }
    db_done(st);
    const char *list = score_list_name(res->list);
    int changed = strcmp(old_list, list) != 0;
    if (res->list == SCORE_LIST_BLACK) {
        fmt_day(res->black_since, since);
        fmt_day(res->black_until, until);
    } else if (!changed && old_since[0] != '\0') {
        snprintf(since, sizeof since, "%s", old_since);
    } else {
        fmt_day(today, since);
    }
    db_now(now, sizeof now);
    st = db_stmt(db, SQL_STATUS_PUT);
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, stall);
    sqlite3_bind_int(st, 2, res->score);
    db_bind_text(st, 3, list);
    db_bind_text_or_null(st, 4, since);
    db_bind_text_or_null(st, 5, until);
    db_bind_text_or_null(st, 6, last_inspection);
    db_bind_text(st, 7, rules_id);
    db_bind_text(st, 8, now);
    int err = db_step_done(db, st, "lists: store stall status");
    if (err < 0 || !changed)
        return err < 0 ? err : 0;
    /* The history: one row per change (a first status of "none" is no
     * change worth a row). */
    if (old_list[0] == '\0' && res->list == SCORE_LIST_NONE)
        return 0;
    char id[DB_UUID_LEN];
    db_uuid_new(id);
    st = db_stmt(db, SQL_ENTRY_ADD);
    if (st == NULL)
        return SC_ERR_DB;
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, stall);
    db_bind_text(st, 3, list);
    db_bind_text(st, 4, since);
    db_bind_text_or_null(st, 5, until);
    db_bind_text(st, 6, res->list == SCORE_LIST_BLACK ? score_black_reason_text(res->black_reason)
                                                        : "");
    db_bind_text_or_null(st, 7, res->list == SCORE_LIST_BLACK ? res->black_event
                                                               : last_inspection);
    err = db_step_done(db, st, "lists: list history");
    return err < 0 ? err : 1;
}

static const char *last_inspection_id(const struct lists_priv *b, day_t as_of)
{
    for (size_t i = b->n; i-- > 0;)
        if (b->ev[i].day <= as_of)
            return b->ids[i];
    return NULL;
}

int lists_update_stall(struct db *db, const struct rules *r, const char *stall, day_t today)
{
    struct lists_priv b = {0};
    int err = load_stall_events(db, stall, &b);
    struct score_result res;
    if (err == 0)
        err = score_compute(r, b.ev, b.n, today, &res);
    if (err < 0) {
        evbuf_free(&b);
        return err;
    }
    char rid[17];
    lists_rules_id(r, rid);
    err = store_status(db, stall, &res, last_inspection_id(&b, today), rid, today);
    score_result_free(&res);
    evbuf_free(&b);
    return err;
}

int lists_preview(struct db *db, const struct rules *r, const char *stall,
                  const struct score_event *visit, struct lists_preview *out)
{
    struct lists_priv b = {0};
    int err = load_stall_events(db, stall, &b);
    if (err == 0 && (err = evbuf_reserve(&b)) == 0)
        evbuf_finish(&b); /* the arrays may have moved */
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
    evbuf_free(&b);
    return err;
}

/* ---- walking many stalls in one ordered pass --------------------------- */

/* Every committed inspection of the chosen stalls in (stall, time) order,
 * its re-weigh counts from one grouped pass over reweighs. */
static const char SQL_ALL_EVENTS[] =
    "SELECT i.stall, i.id, i.started_at, f.item, f.answer, f.deadline,"
    " IFNULL(rw.n, 0), IFNULL(rw.nfail, 0), IFNULL(rw.nfair, 0)"
    " FROM inspections i"
    " LEFT JOIN findings f ON f.inspection = i.id"
    " LEFT JOIN (SELECT inspection, count(*) AS n, sum(verdict = 'fail') AS nfail,"
    "            sum(method = 'fair') AS nfair FROM reweighs GROUP BY inspection) rw"
    "   ON rw.inspection = i.id"
    " WHERE i.status = 'committed' AND (?1 IS NULL OR i.market = ?1)"
    " ORDER BY i.stall, i.started_at";
static const char SQL_STALLS[] =
    "SELECT code, market, name FROM stalls WHERE active = 1 AND (?1 IS NULL OR market = ?1)"
    " ORDER BY code";

struct walk_stall {
    const char *code, *market, *name;
    const struct score_result *res;
    const char *last_inspection;
};

typedef int (*walk_fn)(const struct walk_stall *, void *);
static int walk_all(struct db *db, const struct rules *r, day_t as_of, walk_fn fn, void *arg);

static int walk(struct db *db, const struct rules *r, const char *market, day_t as_of,
                walk_fn fn, void *arg)
{
    if (market == NULL)
        return walk_all(db, r, as_of, fn, arg);
    sqlite3_stmt *ss = db_stmt(db, SQL_STALLS);
    sqlite3_stmt *es = db_stmt(db, SQL_ALL_EVENTS);
    if (ss == NULL || es == NULL) {
        db_done(ss);
        return SC_ERR_DB;
    }
    db_bind_text(ss, 1, market);
    db_bind_text(es, 1, market);
    struct lists_priv b = {0};
    int err = 0, erc = sqlite3_step(es), src;
    int64_t count = 0;
    while (err == 0 && (src = sqlite3_step(ss)) == SQLITE_ROW) {
        const char *code = (const char *)sqlite3_column_text(ss, 0);
        evbuf_clear(&b);
        /* Skip inspections of stalls not listed (closed), then take this
         * stall's rows. */
        while (erc == SQLITE_ROW) {
            const char *s = (const char *)sqlite3_column_text(es, 0);
            int c = strcmp(s ? s : "", code);
            if (c > 0)
                break;
            if (c == 0 && (err = evbuf_row(&b, es, 1)) < 0)
                break;
            erc = sqlite3_step(es);
        }
        if (err < 0)
            break;
        if (erc != SQLITE_ROW && erc != SQLITE_DONE) {
            err = db_fail(db, "lists: inspections");
            break;
        }
        evbuf_finish(&b);
        struct score_result res;
        if ((err = score_compute(r, b.ev, b.n, as_of, &res)) < 0)
            break;
        struct walk_stall w = {code, (const char *)sqlite3_column_text(ss, 1),
                               (const char *)sqlite3_column_text(ss, 2), &res,
                               last_inspection_id(&b, as_of)};
        err = fn(&w, arg);
        score_result_free(&res);
        count++;
    }
    if (err == 0 && src != SQLITE_DONE)
        err = db_fail(db, "lists: stalls");
    db_done(ss);
    db_done(es);
    evbuf_free(&b);
    return err < 0 ? err : (int)(count > INT32_MAX ? INT32_MAX : count);
}

/* ---- the district in one pass: sequential scans, joined in memory ------ */

/* Walking the district through the (stall, time) index and looking up each
 * inspection's findings by its random UUID key reads the file in random
 * order; for the whole district it is faster to scan each table once in
 * its stored order and join in memory (about 80 bytes per inspection). */

struct bulk_ev {
    uint32_t stall;           /* index into the stalls */
    uint32_t seq;             /* scan order: ties keep it */
    day_t day;
    uint16_t reweighs, shorts, fair;
    uint8_t answer[CHECK_ITEM_COUNT];      /* enum checklist_answer; 0: not answered */
    int16_t deadline[CHECK_ITEM_COUNT];    /* days after day; 0: none */
    char id[DB_UUID_LEN];
};

struct bulk_stall {
    char *code, *market, *name;
    int active;
};

/* Open addressing, FNV-1a; slots hold index + 1 (0 = empty). */
struct strhash {
    uint32_t *slot;
    size_t mask;
};

static uint64_t fnv(const char *s)
{
    uint64_t h = UINT64_C(1469598103934665603);
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
    /* Mixed (MurmurHash3's finaliser): FNV's low bits alone cluster on
     * keys that differ only near the end, and the table uses low bits. */
    h ^= h >> 33;
    h *= UINT64_C(0xff51afd7ed558ccd);
    h ^= h >> 33;
    return h;
}

static int strhash_init(struct strhash *h, size_t n)
{
    size_t cap = 16;
    while (cap < 2 * n + 1)
        cap *= 2;
    h->slot = calloc(cap, sizeof *h->slot);
    h->mask = cap - 1;
    return h->slot ? 0 : sc_error_set(SC_ERR_NOMEM, "lists: %zu keys", n);
}

/* The slot for key: an empty one, or the one holding key (key_of gives the
 * string of an index). */
static uint32_t *strhash_find(const struct strhash *h, const char *key,
                              const char *(*key_of)(const void *, uint32_t), const void *ctx)
{
    for (size_t i = fnv(key) & h->mask;; i = (i + 1) & h->mask)
        if (h->slot[i] == 0 || strcmp(key_of(ctx, h->slot[i] - 1), key) == 0)
            return &h->slot[i];
}

struct bulk {
    struct bulk_stall *stalls;
    size_t nstalls;
    struct bulk_ev *ev;
    size_t nev, cap;
    struct strhash by_code, by_id;
};

static const char *stall_key(const void *ctx, uint32_t i)
{
    return ((const struct bulk *)ctx)->stalls[i].code;
}

static const char *ev_key(const void *ctx, uint32_t i)
{
    return ((const struct bulk *)ctx)->ev[i].id;
}

static void bulk_free(struct bulk *k)
{
    for (size_t i = 0; i < k->nstalls; i++) {
        free(k->stalls[i].code);
        free(k->stalls[i].market);
        free(k->stalls[i].name);
    }
    free(k->stalls);
    free(k->ev);
    free(k->by_code.slot);
    free(k->by_id.slot);
}

static char *col_dup(sqlite3_stmt *st, int i)
{
    const char *t = (const char *)sqlite3_column_text(st, i);
    return strdup(t ? t : "");
}

static int bulk_stalls(struct db *db, struct bulk *k)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT count(*) FROM stalls");
    if (st == NULL)
        return SC_ERR_DB;
    size_t n = sqlite3_step(st) == SQLITE_ROW ? (size_t)sqlite3_column_int64(st, 0) : 0;
    db_done(st);
    k->stalls = calloc(n ? n : 1, sizeof *k->stalls);
    if (k->stalls == NULL || strhash_init(&k->by_code, n) < 0)
        return sc_error_set(SC_ERR_NOMEM, "lists: %zu stalls", n);
    st = db_stmt(db, "SELECT code, market, name, active FROM stalls ORDER BY code");
    if (st == NULL)
        return SC_ERR_DB;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && k->nstalls < n) {
        struct bulk_stall *b = &k->stalls[k->nstalls];
        b->code = col_dup(st, 0);
        b->market = col_dup(st, 1);
        b->name = col_dup(st, 2);
        b->active = sqlite3_column_int(st, 3);
        if (!b->code || !b->market || !b->name) {
            db_done(st);
            return sc_error_set(SC_ERR_NOMEM, "lists: stalls");
        }
        *strhash_find(&k->by_code, b->code, stall_key, k) = (uint32_t)++k->nstalls;
    }
    db_done(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, "lists: stalls");
}

static int bulk_inspections(struct db *db, struct bulk *k)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT count(*) FROM inspections");
    if (st == NULL)
        return SC_ERR_DB;
    size_t n = sqlite3_step(st) == SQLITE_ROW ? (size_t)sqlite3_column_int64(st, 0) : 0;
    db_done(st);
    k->cap = n ? n : 1;
    k->ev = malloc(k->cap * sizeof *k->ev);
    if (k->ev == NULL || strhash_init(&k->by_id, n) < 0)
        return sc_error_set(SC_ERR_NOMEM, "lists: %zu inspections", n);
    st = db_stmt(db, "SELECT id, stall, started_at FROM inspections WHERE status = 'committed'");
    if (st == NULL)
        return SC_ERR_DB;
    int rc, err = 0;
    while (err == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW && k->nev < k->cap) {
        const char *id = (const char *)sqlite3_column_text(st, 0);
        const char *stall = (const char *)sqlite3_column_text(st, 1);
        const char *started = (const char *)sqlite3_column_text(st, 2);
        uint32_t s = *strhash_find(&k->by_code, stall ? stall : "", stall_key, k);
        if (id == NULL || s == 0)
            continue; /* a stall no longer in the registry */
        struct bulk_ev *e = &k->ev[k->nev];
        memset(e, 0, sizeof *e);
        if (day_parse(started, &e->day) < 0) {
            err = sc_error_set(SC_ERR_INCONSISTENT, "inspection %s: started_at '%s'", id,
                               started ? started : "");
            break;
        }
        e->stall = s - 1;
        e->seq = (uint32_t)k->nev;
        snprintf(e->id, sizeof e->id, "%s", id);
        uint32_t *slot = strhash_find(&k->by_id, e->id, ev_key, k);
        if (*slot == 0)
            *slot = (uint32_t)++k->nev;
    }
    db_done(st);
    if (err == 0 && rc != SQLITE_DONE && rc != SQLITE_ROW)
        err = db_fail(db, "lists: inspections");
    return err;
}

static int bulk_findings(struct db *db, struct bulk *k)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT inspection, item, answer, deadline FROM findings");
    if (st == NULL)
        return SC_ERR_DB;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(st, 0);
        uint32_t i = *strhash_find(&k->by_id, id ? id : "", ev_key, k);
        if (i == 0)
            continue; /* a draft's */
        const struct checklist_item_info *info =
            checklist_item_by_id((const char *)sqlite3_column_text(st, 1));
        if (info == NULL)
            continue;
        struct bulk_ev *e = &k->ev[i - 1];
        e->answer[info->item] =
            (uint8_t)checklist_answer_from_id((const char *)sqlite3_column_text(st, 2));
        const char *dl = (const char *)sqlite3_column_text(st, 3);
        day_t d;
        if (dl != NULL && *dl != '\0' && day_parse(dl, &d) == 0 && d > e->day &&
            d - e->day < INT16_MAX)
            e->deadline[info->item] = (int16_t)(d - e->day);
    }
    db_done(st);
    return rc == SQLITE_DONE ? 0 : db_fail(db, "lists: findings");
}

static int bulk_reweighs(struct db *db, struct bulk *k)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT inspection, verdict = 'fail', method = 'fair'"
                                   " FROM reweighs");
    if (st == NULL)
        return SC_ERR_DB;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(st, 0);
        uint32_t i = *strhash_find(&k->by_id, id ? id : "", ev_key, k);
        if (i == 0)
            continue;
        struct bulk_ev *e = &k->ev[i - 1];
        e->reweighs++;
        e->shorts += (uint16_t)sqlite3_column_int(st, 1);
        e->fair += (uint16_t)sqlite3_column_int(st, 2);
    }
    db_done(st);
    return rc == SQLITE_DONE ? 0 : db_fail(db, "lists: re-weighs");
}

static int bulk_cmp(const void *a, const void *b)
{
    const struct bulk_ev *x = a, *y = b;
    if (x->stall != y->stall)
        return x->stall < y->stall ? -1 : 1;
    if (x->day != y->day)
        return x->day < y->day ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int walk_all(struct db *db, const struct rules *r, day_t as_of, walk_fn fn, void *arg)
{
    db_exec(db, "PRAGMA mmap_size = 1073741824; PRAGMA cache_size = -65536");
    struct bulk k = {0};
    int err = bulk_stalls(db, &k);
    if (err == 0)
        err = bulk_inspections(db, &k);
    if (err == 0)
        err = bulk_findings(db, &k);
    if (err == 0)
        err = bulk_reweighs(db, &k);
    if (err < 0) {
        bulk_free(&k);
        return err;
    }
    /* The hash is done with; the events go to (stall, time) order. */
    free(k.by_id.slot);
    k.by_id.slot = NULL;
    if (k.nev > 0)
        qsort(k.ev, k.nev, sizeof *k.ev, bulk_cmp);

    struct lists_priv b = {0};
    int64_t count = 0;
    size_t e = 0;
    for (size_t s = 0; s < k.nstalls && err == 0; s++) {
        evbuf_clear(&b);
        for (; e < k.nev && k.ev[e].stall == s && err == 0; e++) {
            const struct bulk_ev *x = &k.ev[e];
            err = evbuf_add(&b, x->id, x->day, x->reweighs, x->shorts, x->fair);
            for (int i = 0; i < CHECK_ITEM_COUNT && err == 0; i++)
                if (x->answer[i] != ANSWER_NONE)
                    err = evbuf_add_finding(&b, (enum checklist_item)i,
                                            (enum checklist_answer)x->answer[i],
                                            x->deadline[i] ? x->day + x->deadline[i] : 0);
        }
        if (err < 0 || !k.stalls[s].active)
            continue;
        evbuf_finish(&b);
        struct score_result res;
        if ((err = score_compute(r, b.ev, b.n, as_of, &res)) < 0)
            break;
        struct walk_stall w = {k.stalls[s].code, k.stalls[s].market, k.stalls[s].name, &res,
                               last_inspection_id(&b, as_of)};
        err = fn(&w, arg);
        score_result_free(&res);
        count++;
    }
    evbuf_free(&b);
    bulk_free(&k);
    return err < 0 ? err : (int)(count > INT32_MAX ? INT32_MAX : count);
}

struct recompute {
    struct db *db;
    char rid[17];
    day_t today;
    int counts[3];
};

static int recompute_one(const struct walk_stall *w, void *arg)
{
    struct recompute *rc = arg;
    rc->counts[w->res->list]++;
    int err = store_status(rc->db, w->code, w->res, w->last_inspection, rc->rid, rc->today);
    return err < 0 ? err : 0;
}

int64_t lists_recompute(struct db *db, const struct rules *r, const char *market, day_t today)
{
    return lists_recompute_counts(db, r, market, today, NULL);
}

int64_t lists_recompute_counts(struct db *db, const struct rules *r, const char *market,
                               day_t today, int counts[3])
{
    struct recompute rc = {.db = db, .today = today};
    lists_rules_id(r, rc.rid);
    int err = db_begin(db);
    if (err < 0)
        return err;
    int n = walk(db, r, market, today, recompute_one, &rc);
    if (n < 0) {
        db_rollback(db);
        return n;
    }
    err = db_commit(db);
    if (err == 0 && counts != NULL)
        memcpy(counts, rc.counts, sizeof rc.counts);
    return err < 0 ? err : n;
}

/* ---- reading the list -------------------------------------------------- */

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
    row->black_reason = w->res->black_reason;
    row->since = w->res->black_since;
    row->until = w->res->black_until;
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
    (void)today;
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
    err = load_stall_events(db, stall, out->priv);
    if (err == 0)
        err = score_compute(r, out->priv->ev, out->priv->n, as_of, &out->res);
    if (err < 0) {
        evbuf_free(out->priv);
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
        evbuf_free(s->priv);
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
    char from[11], to[11];
    fmt_day(day_add_months(as_of, -r->window_months) + 1, from);
    fmt_day(as_of + 1, to);
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
