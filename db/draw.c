/* Recording and reading back the random draw: see draw.h. */
#include "db/draw.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "db/audit.h"
#include "db/internal.h"

struct strv {
    char **v;
    size_t n, cap;
};

static int strv_add(struct strv *s, const char *text)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 16;
        char **v = realloc(s->v, cap * sizeof *v);
        if (!v)
            return sc_error_set(SC_ERR_NOMEM, "draw: pools");
        s->v = v;
        s->cap = cap;
    }
    if (!(s->v[s->n] = strdup(text)))
        return sc_error_set(SC_ERR_NOMEM, "draw: pools");
    s->n++;
    return 0;
}

static void strv_free(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void draw_pools_free(struct draw_pools *p)
{
    if (!p)
        return;
    strv_free(p->stalls, p->n_stalls);
    strv_free(p->followups, p->n_followups);
    strv_free(p->officers, p->n_officers);
    strv_free(p->recused, p->n_recused);
    memset(p, 0, sizeof *p);
}

static int column_list(struct db *db, const char *sql, const char *market, struct strv *out)
{
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st)
        return SC_ERR_DB;
    db_bind_text(st, 1, market);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        if (strv_add(out, t ? t : "") < 0) {
            db_done(st);
            return SC_ERR_NOMEM;
        }
    }
    db_done(st);
    return rc == SQLITE_DONE ? 0 : db_fail(db, "draw");
}

int draw_pools_load(struct db *db, const char *market, struct draw_pools *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = db_stmt(db, "SELECT 1 FROM markets WHERE code = ?1");
    if (!st)
        return SC_ERR_DB;
    db_bind_text(st, 1, market);
    int found = sqlite3_step(st) == SQLITE_ROW;
    db_done(st);
    if (!found)
        return sc_error_set(SC_ERR_NOTFOUND, "no market %s", market);
    struct strv s = {0}, f = {0}, o = {0}, r = {0};
    int rc;
    if ((rc = column_list(db, "SELECT code FROM stalls WHERE market = ?1 AND active = 1 "
                              "ORDER BY code", market, &s)) < 0 ||
        /* Under a correction deadline: a failed item of a committed
         * inspection whose follow-up is still open. */
        (rc = column_list(db, "SELECT DISTINCT i.stall FROM findings f "
                              "JOIN inspections i ON i.id = f.inspection "
                              "JOIN stalls s ON s.code = i.stall "
                              "WHERE f.followup = 'open' AND i.status = 'committed' "
                              "AND s.market = ?1 AND s.active = 1 ORDER BY i.stall",
                          market, &f)) < 0 ||
        /* The roster: every active inspecting officer (?1 is bound, unused). */
        (rc = column_list(db, "SELECT badge FROM officers WHERE role = 'officer' AND active = 1 "
                              "AND ?1 IS NOT NULL ORDER BY badge", market, &o)) < 0 ||
        (rc = column_list(db, "SELECT badge FROM officer_recusals WHERE market = ?1 "
                              "ORDER BY badge", market, &r)) < 0) {
        strv_free(s.v, s.n);
        strv_free(f.v, f.n);
        strv_free(o.v, o.n);
        strv_free(r.v, r.n);
        return rc;
    }
    *out = (struct draw_pools){s.v, s.n, f.v, f.n, o.v, o.n, r.v, r.n};
    return 0;
}

void draw_pools_input(const struct draw_pools *p, struct draw_input *in)
{
    in->stalls = (const char *const *)p->stalls;
    in->n_stalls = p->n_stalls;
    in->followups = (const char *const *)p->followups;
    in->n_followups = p->n_followups;
    in->officers = (const char *const *)p->officers;
    in->n_officers = p->n_officers;
    in->recused = (const char *const *)p->recused;
    in->n_recused = p->n_recused;
}

/* ---- canonical text ------------------------------------------------------ */

struct text {
    char *p;
    size_t len, cap;
    int bad;
};

static void text_line(struct text *t, const char *key, const char *value)
{
    if (t->bad)
        return;
    if (strchr(value, '\n')) {
        t->bad = SC_ERR_ARG;
        sc_error_set(SC_ERR_ARG, "draw: '%s' holds a newline", value);
        return;
    }
    size_t n = strlen(key) + 1 + strlen(value) + 1;
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 1024;
        while (cap < t->len + n + 1)
            cap *= 2;
        char *p = realloc(t->p, cap);
        if (!p) {
            t->bad = SC_ERR_NOMEM;
            sc_error_set(SC_ERR_NOMEM, "draw: text");
            return;
        }
        t->p = p;
        t->cap = cap;
    }
    t->len += (size_t)sprintf(t->p + t->len, "%s %s\n", key, value);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A sorted copy of a pool, for the canonical text: the draw sorts its pools
 * too, so the order the caller had them in is not part of the record. */
static void text_pool(struct text *t, const char *key, const char *const *v, size_t n)
{
    const char **s = malloc((n ? n : 1) * sizeof *s);
    if (!s) {
        t->bad = SC_ERR_NOMEM;
        return;
    }
    if (n)
        memcpy(s, v, n * sizeof *s);
    qsort(s, n, sizeof *s, cmp_str);
    for (size_t i = 0; i < n; i++)
        if (i == 0 || strcmp(s[i], s[i - 1]) != 0)
            text_line(t, key, s[i]);
    free(s);
}

static void inputs_text(struct text *t, const char *market, const struct draw_input *in)
{
    char num[32];
    text_line(t, "draw", "1");
    text_line(t, "market", market);
    snprintf(num, sizeof num, "%zu", in->want_stalls);
    text_line(t, "stalls", num);
    snprintf(num, sizeof num, "%zu", in->want_officers ? in->want_officers : DRAW_OFFICERS_DEFAULT);
    text_line(t, "officers", num);
    text_line(t, "followups", in->include_followups ? "1" : "0");
    text_pool(t, "stall", in->stalls, in->n_stalls);
    text_pool(t, "followup", in->followups, in->n_followups);
    text_pool(t, "officer", in->officers, in->n_officers);
    text_pool(t, "recused", in->recused, in->n_recused);
}

static void result_text(struct text *t, const struct draw_result *r)
{
    for (size_t i = 0; i < r->n_stalls; i++) {
        char line[128];
        snprintf(line, sizeof line, "%s %s", r->stalls[i].code,
                 r->stalls[i].reason == DRAW_FOLLOWUP ? "followup" : "random");
        text_line(t, "stall", line);
    }
    for (size_t i = 0; i < r->n_officers; i++)
        text_line(t, "officer", r->officers[i]);
}

int draw_save(struct db *db, const char *market, const char *made_by,
              const struct draw_input *in, const struct draw_result *r, char id[DB_UUID_LEN])
{
    struct text inputs = {0}, result = {0};
    inputs_text(&inputs, market, in);
    result_text(&result, r);
    int rc = inputs.bad ? inputs.bad : result.bad;
    if (rc < 0)
        goto out;
    char seed[DRAW_SEED_HEX + 1], now[24];
    draw_seed_format(in->seed, seed);
    db_now(now, sizeof now);
    db_record_id(db, id);
    if ((rc = db_begin(db)) < 0)
        goto out;
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO draws (id, made_at, made_by, market, seed, "
                                   "inputs, result, device) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
                                   "?7, ?8)");
    if (!st) {
        rc = SC_ERR_DB;
        goto fail;
    }
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, now);
    db_bind_text_or_null(st, 3, made_by);
    db_bind_text(st, 4, market);
    db_bind_text(st, 5, seed);
    db_bind_text(st, 6, inputs.p);
    db_bind_text(st, 7, result.p ? result.p : "");
    db_bind_text(st, 8, db_device_id(db));
    if ((rc = db_step_done(db, st, "draw")) < 0)
        goto fail;
    for (size_t i = 0; i < r->n_stalls; i++) {
        st = db_stmt(db, "INSERT INTO draw_stalls (draw, seq, stall, followup) "
                         "VALUES (?1, ?2, ?3, ?4)");
        if (!st) {
            rc = SC_ERR_DB;
            goto fail;
        }
        db_bind_text(st, 1, id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i + 1);
        db_bind_text(st, 3, r->stalls[i].code);
        sqlite3_bind_int(st, 4, r->stalls[i].reason == DRAW_FOLLOWUP);
        if ((rc = db_step_done(db, st, "draw")) < 0)
            goto fail;
    }
    for (size_t i = 0; i < r->n_officers; i++) {
        st = db_stmt(db, "INSERT INTO draw_officers (draw, seq, badge) VALUES (?1, ?2, ?3)");
        if (!st) {
            rc = SC_ERR_DB;
            goto fail;
        }
        db_bind_text(st, 1, id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i + 1);
        db_bind_text(st, 3, r->officers[i]);
        if ((rc = db_step_done(db, st, "draw")) < 0)
            goto fail;
    }
    int64_t seq = audit_append(db, "draw", id);
    if (seq < 0) {
        rc = (int)seq;
        goto fail;
    }
    rc = db_commit(db);
    goto out;
fail:
    db_rollback(db);
out:
    free(inputs.p);
    free(result.p);
    return rc;
}

/* ---- reading back -------------------------------------------------------- */

void draw_record_free(struct draw_record *r)
{
    if (!r)
        return;
    draw_pools_free(&r->pools);
    draw_result_free(&r->recorded);
    memset(r, 0, sizeof *r);
}

static int parse_inputs(const char *text, struct draw_record *r)
{
    struct strv s = {0}, f = {0}, o = {0}, x = {0};
    int rc = 0, lineno = 0, version = 0;
    const char *p = text;
    while (*p && rc == 0) {
        lineno++;
        size_t n = strcspn(p, "\n");
        char line[256];
        if (n >= sizeof line) {
            rc = sc_error_set(SC_ERR_PARSE, "draw %s: inputs line %d: too long", r->id, lineno);
            break;
        }
        memcpy(line, p, n);
        line[n] = '\0';
        p += n + (p[n] == '\n');
        char *sp = strchr(line, ' ');
        if (!sp) {
            rc = sc_error_set(SC_ERR_PARSE, "draw %s: inputs line %d: no value", r->id, lineno);
            break;
        }
        *sp = '\0';
        const char *key = line, *val = sp + 1;
        if (strcmp(key, "draw") == 0)
            version = atoi(val);
        else if (strcmp(key, "market") == 0)
            snprintf(r->market, sizeof r->market, "%s", val);
        else if (strcmp(key, "stalls") == 0)
            r->in.want_stalls = (size_t)strtoull(val, NULL, 10);
        else if (strcmp(key, "officers") == 0)
            r->in.want_officers = (size_t)strtoull(val, NULL, 10);
        else if (strcmp(key, "followups") == 0)
            r->in.include_followups = strcmp(val, "1") == 0;
        else if (strcmp(key, "stall") == 0)
            rc = strv_add(&s, val);
        else if (strcmp(key, "followup") == 0)
            rc = strv_add(&f, val);
        else if (strcmp(key, "officer") == 0)
            rc = strv_add(&o, val);
        else if (strcmp(key, "recused") == 0)
            rc = strv_add(&x, val);
        else
            rc = sc_error_set(SC_ERR_PARSE, "draw %s: inputs line %d: unknown '%s'", r->id,
                              lineno, key);
    }
    if (rc == 0 && version != 1)
        rc = sc_error_set(SC_ERR_UNSUPPORTED, "draw %s: algorithm version %d unknown", r->id,
                          version);
    r->pools = (struct draw_pools){s.v, s.n, f.v, f.n, o.v, o.n, x.v, x.n};
    draw_pools_input(&r->pools, &r->in);
    return rc;
}

int draw_load(struct db *db, const char *id, struct draw_record *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = db_stmt(db, "SELECT id, made_at, coalesce(made_by, ''), market, seed, "
                                   "inputs FROM draws WHERE id = ?1");
    if (!st)
        return SC_ERR_DB;
    db_bind_text(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        db_done(st);
        return rc == SQLITE_DONE ? sc_error_set(SC_ERR_NOTFOUND, "no draw %s", id)
                                 : db_fail(db, "draw");
    }
    db_col_text(st, 0, out->id, sizeof out->id);
    db_col_text(st, 1, out->made_at, sizeof out->made_at);
    db_col_text(st, 2, out->made_by, sizeof out->made_by);
    db_col_text(st, 3, out->market, sizeof out->market);
    db_col_text(st, 4, out->seed, sizeof out->seed);
    char *inputs = strdup((const char *)sqlite3_column_text(st, 5));
    db_done(st);
    if (!inputs)
        return sc_error_set(SC_ERR_NOMEM, "draw: inputs");
    rc = parse_inputs(inputs, out);
    free(inputs);
    if (rc == 0)
        rc = draw_seed_parse(out->seed, out->in.seed);
    if (rc < 0) {
        draw_record_free(out);
        return rc;
    }
    /* The recorded result, from its rows. */
    struct strv codes = {0}, offs = {0}, reasons = {0};
    st = db_stmt(db, "SELECT stall, followup FROM draw_stalls WHERE draw = ?1 ORDER BY seq");
    if (!st)
        return SC_ERR_DB;
    db_bind_text(st, 1, id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        strv_add(&reasons, sqlite3_column_int(st, 1) ? "1" : "0");
        strv_add(&codes, (const char *)sqlite3_column_text(st, 0));
    }
    db_done(st);
    st = db_stmt(db, "SELECT badge FROM draw_officers WHERE draw = ?1 ORDER BY seq");
    if (!st)
        return SC_ERR_DB;
    db_bind_text(st, 1, id);
    while (sqlite3_step(st) == SQLITE_ROW)
        strv_add(&offs, (const char *)sqlite3_column_text(st, 0));
    db_done(st);
    out->recorded.stalls = calloc(codes.n + 1, sizeof *out->recorded.stalls);
    if (!out->recorded.stalls || codes.n != reasons.n) {
        strv_free(reasons.v, reasons.n);
        strv_free(codes.v, codes.n);
        strv_free(offs.v, offs.n);
        draw_record_free(out);
        return sc_error_set(SC_ERR_NOMEM, "draw: result");
    }
    for (size_t i = 0; i < codes.n; i++) {
        out->recorded.stalls[i].code = codes.v[i];
        out->recorded.stalls[i].reason = reasons.v[i][0] == '1' ? DRAW_FOLLOWUP : DRAW_RANDOM;
    }
    strv_free(reasons.v, reasons.n);
    out->recorded.n_stalls = codes.n;
    free(codes.v);
    out->recorded.officers = offs.v;
    out->recorded.n_officers = offs.n;
    /* Its audit entry: the record as stored must hash as recorded then. */
    struct audit_entry e;
    char now_hash[AUDIT_HASH_HEX];
    out->audited = audit_latest(db, "draw", id, &e) == 0 &&
                   audit_content_hash(db, "draw", id, now_hash) == 0 &&
                   strcmp(now_hash, e.content_hash) == 0;
    return 0;
}

/* ---- the whole draw ------------------------------------------------------ */

void draw_keystream(void *out, size_t len, const unsigned char seed[DRAW_SEED_BYTES])
{
    randombytes_buf_deterministic(out, len, seed);
}

int draw_make(struct db *db, const char *market, const char *made_by, size_t want_stalls,
              size_t want_officers, int include_followups, const unsigned char *seed,
              struct draw_record *out)
{
    memset(out, 0, sizeof *out);
    if (sodium_init() < 0)
        return sc_error_set(SC_ERR, "draw: libsodium would not start");
    struct draw_input in = {0};
    in.want_stalls = want_stalls;
    in.want_officers = want_officers;
    in.include_followups = include_followups;
    if (seed)
        memcpy(in.seed, seed, DRAW_SEED_BYTES);
    else
        randombytes_buf(in.seed, sizeof in.seed);
    struct draw_pools pools;
    int rc = draw_pools_load(db, market, &pools);
    if (rc < 0)
        return rc;
    draw_pools_input(&pools, &in);
    struct draw_result r;
    if ((rc = draw_run(&in, draw_keystream, &r)) < 0) {
        char why[256];
        snprintf(why, sizeof why, "%s", sc_error_message());
        sc_error_set(rc, "market %s: %s", market, why);
        draw_pools_free(&pools);
        return rc;
    }
    char id[DB_UUID_LEN];
    rc = draw_save(db, market, made_by, &in, &r, id);
    size_t pool_stalls = r.pool_stalls, pool_officers = r.pool_officers;
    draw_result_free(&r);
    draw_pools_free(&pools);
    if (rc < 0 || (rc = draw_load(db, id, out)) < 0)
        return rc;
    out->recorded.pool_stalls = pool_stalls;
    out->recorded.pool_officers = pool_officers;
    return 0;
}

int draw_replay(const struct draw_record *rec, struct draw_result *again)
{
    int rc = draw_run(&rec->in, draw_keystream, again);
    if (rc < 0)
        return rc;
    return draw_result_equal(again, &rec->recorded) ? 0 : 1;
}
