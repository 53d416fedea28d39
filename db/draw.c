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
        return sc_error_set(SC_ERR_NOTFOUND, _("no market %s"), market);
    struct strv s = {0}, f = {0}, o = {0}, r = {0};
    int rc;
    if ((rc = column_list(db, "SELECT code FROM stalls WHERE market = ?1 AND active = 1 "
                              "ORDER BY code", market, &s)) < 0 ||
        /* Under a correction deadline: a failed item of a committed
         * inspection whose follow-up is still open; one that opened (a
         * failed item with a deadline) closes only with an audit entry of
         * its closing, whatever the state column says. */
        (rc = column_list(db, "SELECT DISTINCT i.stall FROM findings f "
                              "JOIN inspections i ON i.id = f.inspection "
                              "JOIN stalls s ON s.code = i.stall "
                              "WHERE i.status = 'committed' AND s.market = ?1 AND s.active = 1 "
                              "AND (f.followup = 'open' OR (f.answer IN ('fail', 'broken', "
                              "'missing') AND coalesce(f.deadline, '') <> '' AND NOT EXISTS "
                              "(SELECT 1 FROM audit_log a WHERE a.kind = 'followup' "
                              "AND a.record = f.inspection || '/' || f.item))) "
                              "ORDER BY i.stall",
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

/* One line of text holds no control character (a newline would forge a
 * line of the record; the others would drive a terminal that shows it). */
static int one_line(const char *value)
{
    for (const unsigned char *p = (const unsigned char *)value; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return 0;
    return 1;
}

static void text_line(struct text *t, const char *key, const char *value)
{
    if (t->bad)
        return;
    if (!one_line(value)) {
        t->bad = SC_ERR_ARG;
        sc_error_set(SC_ERR_ARG, "draw: %s: a control character in '%s'", key, value);
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

static const char *const kind_ids[] = {"production", "redraw", "drill", "legacy"};

const char *draw_kind_id(enum draw_kind k)
{
    return (unsigned)k < 4 ? kind_ids[k] : "legacy";
}

/* 1 when text has a line "KEY VALUE" after its first (any value when
 * value is NULL). */
static int has_line(const char *text, const char *key, const char *value)
{
    size_t kl = strlen(key), vl = value ? strlen(value) : 0;
    for (const char *p = strchr(text, '\n'); p; p = strchr(p + 1, '\n')) {
        const char *v = p + 1 + kl;
        if (strncmp(p + 1, key, kl) != 0 || p[1 + kl] != ' ')
            continue;
        if (!value || (strncmp(v + 1, value, vl) == 0 && v[1 + vl] == '\n'))
            return 1;
    }
    return 0;
}

int draw_days_agree(const char *inputs, const char *kind, const char *day,
                    const char *made_at)
{
    if (!inputs || !kind)
        return 0;
    if (strcmp(kind, "legacy") == 0) {
        size_t n = made_at ? strnlen(made_at, 10) : 0;
        return !has_line(inputs, "kind", NULL) && day && strlen(day) == n &&
               strncmp(day, made_at, n) == 0;
    }
    return has_line(inputs, "kind", kind) && has_line(inputs, "day", day ? day : "");
}

/* What the record says of itself besides the pools: the kind and day, and
 * for a redraw what it replaces and why. */
struct draw_meta {
    enum draw_kind kind;
    const char *day;
    const char *replaces;
    const char *reason;
};

static void inputs_text(struct text *t, const char *market, const struct draw_input *in,
                        const struct draw_meta *m)
{
    char num[32];
    text_line(t, "draw", "1");
    text_line(t, "market", market);
    snprintf(num, sizeof num, "%zu", in->want_stalls);
    text_line(t, "stalls", num);
    snprintf(num, sizeof num, "%zu", in->want_officers ? in->want_officers : DRAW_OFFICERS_DEFAULT);
    text_line(t, "officers", num);
    text_line(t, "followups", in->include_followups ? "1" : "0");
    text_line(t, "kind", draw_kind_id(m->kind));
    text_line(t, "day", m->day);
    if (m->kind == DRAW_REDRAW) {
        text_line(t, "replaces", m->replaces);
        text_line(t, "reason", m->reason);
    }
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

/* Records a draw made from in (its seed and pools) with result r; fills
 * id.  Its own (nested) transaction, audited. */
static int draw_save(struct db *db, const char *market, const char *made_by,
                     const struct draw_input *in, const struct draw_result *r,
                     const struct draw_meta *m, char id[DB_UUID_LEN])
{
    struct text inputs = {0}, result = {0};
    inputs_text(&inputs, market, in, m);
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
                                   "inputs, result, device, kind, day, canon) VALUES (?1, ?2, ?3, "
                                   "?4, ?5, ?6, ?7, ?8, ?9, ?10, 2)");
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
    db_bind_text(st, 9, draw_kind_id(m->kind));
    db_bind_text(st, 10, m->day);
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

/* The next line of a record's text at *p into line (moving *p past it);
 * SC_ERR_PARSE naming the part and line when it is too long. */
static int next_line(const char **p, char line[256], const char *id, const char *part,
                     int lineno)
{
    size_t n = strcspn(*p, "\n");
    if (n >= 256)
        return sc_error_set(SC_ERR_PARSE, "draw %s: %s line %d: too long", id, part, lineno);
    memcpy(line, *p, n);
    line[n] = '\0';
    *p += n + ((*p)[n] == '\n');
    return 0;
}

static int parse_inputs(const char *text, struct draw_record *r)
{
    struct strv s = {0}, f = {0}, o = {0}, x = {0};
    int rc = 0, lineno = 0, version = 0, has_kind = 0;
    r->kind = DRAW_LEGACY;
    const char *p = text;
    while (*p && rc == 0) {
        char line[256];
        if ((rc = next_line(&p, line, r->id, "inputs", ++lineno)) < 0)
            break;
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
        else if (strcmp(key, "kind") == 0) {
            has_kind = 1;
            r->kind = DRAW_LEGACY;
            for (int k = 0; k < 3; k++)
                if (strcmp(val, kind_ids[k]) == 0)
                    r->kind = (enum draw_kind)k;
            if (r->kind == DRAW_LEGACY)
                rc = sc_error_set(SC_ERR_PARSE, "draw %s: inputs line %d: kind '%s' unknown",
                                  r->id, lineno, val);
        } else if (strcmp(key, "day") == 0)
            snprintf(r->day, sizeof r->day, "%s", val);
        else if (strcmp(key, "replaces") == 0)
            snprintf(r->replaces, sizeof r->replaces, "%s", val);
        else if (strcmp(key, "reason") == 0)
            snprintf(r->reason, sizeof r->reason, "%s", val);
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
    if (!has_kind) /* made before kinds: its day is the UTC date it was made */
        snprintf(r->day, sizeof r->day, "%.10s", r->made_at);
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

/* "stall CODE random|followup" and "officer BADGE" lines into r->recorded. */
static int parse_result(const char *text, struct draw_record *r)
{
    struct strv codes = {0}, offs = {0};
    size_t cap = 0;
    int rc = 0, lineno = 0;
    for (const char *p = text; *p && rc == 0;) {
        char line[256];
        if ((rc = next_line(&p, line, r->id, "result", ++lineno)) < 0)
            break;
        char *why = NULL;
        if (strncmp(line, "stall ", 6) == 0 && (why = strchr(line + 6, ' ')) != NULL) {
            *why++ = '\0';
            int follow = strcmp(why, "followup") == 0;
            if (!follow && strcmp(why, "random") != 0) {
                rc = sc_error_set(SC_ERR_PARSE, "draw %s: result line %d: '%s' is not random "
                                  "or followup", r->id, lineno, why);
                break;
            }
            if ((rc = strv_add(&codes, line + 6)) < 0)
                break;
            if (codes.n > cap) {
                cap = codes.n * 2;
                void *q = realloc(r->recorded.stalls, cap * sizeof *r->recorded.stalls);
                if (q == NULL) {
                    rc = sc_error_set(SC_ERR_NOMEM, "draw: result");
                    break;
                }
                r->recorded.stalls = q;
            }
            r->recorded.stalls[codes.n - 1].reason = follow ? DRAW_FOLLOWUP : DRAW_RANDOM;
        } else if (strncmp(line, "officer ", 8) == 0) {
            rc = strv_add(&offs, line + 8);
        } else if (line[0] != '\0') {
            rc = sc_error_set(SC_ERR_PARSE, "draw %s: result line %d: '%s' is not a stall or "
                              "an officer", r->id, lineno, line);
        }
    }
    for (size_t i = 0; i < codes.n && r->recorded.stalls != NULL; i++)
        r->recorded.stalls[i].code = codes.v[i];
    free(codes.v);
    r->recorded.n_stalls = r->recorded.stalls != NULL ? codes.n : 0;
    r->recorded.officers = offs.v;
    r->recorded.n_officers = offs.n;
    return rc;
}

int draw_record_parse(const char *text, struct draw_record *out)
{
    memset(out, 0, sizeof *out);
    const char *inputs = strstr(text, "[inputs]\n"), *result = strstr(text, "\n[result]\n");
    if (inputs == NULL || result == NULL || result < inputs)
        return sc_error_set(SC_ERR_PARSE, "a draw's record has an [inputs] and a [result] part");
    /* The head: "key value" lines. */
    for (const char *p = text; p < inputs;) {
        size_t n = strcspn(p, "\n");
        char line[256];
        snprintf(line, sizeof line, "%.*s", (int)(n < sizeof line ? n : sizeof line - 1), p);
        p += n + (p[n] == '\n');
        char *sp = strchr(line, ' ');
        const char *val = sp ? sp + 1 : "";
        if (sp)
            *sp = '\0';
        if (strcmp(line, "id") == 0)
            snprintf(out->id, sizeof out->id, "%s", val);
        else if (strcmp(line, "made_at") == 0)
            snprintf(out->made_at, sizeof out->made_at, "%s", val);
        else if (strcmp(line, "made_by") == 0)
            snprintf(out->made_by, sizeof out->made_by, "%s", val);
        else if (strcmp(line, "seed") == 0)
            snprintf(out->seed, sizeof out->seed, "%s", val);
    }
    size_t in_len = (size_t)(result - (inputs + 9));
    char *in_text = strndup(inputs + 9, in_len);
    if (in_text == NULL)
        return sc_error_set(SC_ERR_NOMEM, "draw: inputs");
    int rc = parse_inputs(in_text, out);
    free(in_text);
    if (rc == 0)
        rc = draw_seed_parse(out->seed, out->in.seed);
    if (rc == 0)
        rc = parse_result(result + 10, out);
    if (rc < 0)
        draw_record_free(out);
    return rc;
}

/* ---- the whole draw ------------------------------------------------------ */

void draw_keystream(void *out, size_t len, const unsigned char seed[DRAW_SEED_BYTES])
{
    randombytes_buf_deterministic(out, len, seed);
}

/* The id of the market's standing draw on day (its latest production draw
 * or redraw) into id; 0 when found, SC_ERR_NOTFOUND when none. */
static int standing(struct db *db, const char *market, const char *day, char id[DB_UUID_LEN])
{
    sqlite3_stmt *st = db_stmt(db, "SELECT id FROM draws WHERE market = ?1 AND day = ?2 "
                                   "AND kind IN ('production', 'redraw') "
                                   "ORDER BY made_at DESC, rowid DESC LIMIT 1");
    if (!st)
        return SC_ERR_DB;
    db_bind_text(st, 1, market);
    db_bind_text(st, 2, day);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        db_col_text(st, 0, id, DB_UUID_LEN);
    db_done(st);
    if (rc == SQLITE_ROW)
        return 0;
    return rc == SQLITE_DONE ? SC_ERR_NOTFOUND : db_fail(db, "draw");
}

int draw_today(struct db *db, const char *market, struct draw_record *out)
{
    memset(out, 0, sizeof *out);
    char day[16], id[DB_UUID_LEN];
    db_today(day, sizeof day);
    int rc = standing(db, market, day, id);
    if (rc == SC_ERR_NOTFOUND)
        return sc_error_set(SC_ERR_NOTFOUND, _("market %s has no draw on %s"), market, day);
    return rc < 0 ? rc : draw_load(db, id, out);
}

/* The day's rule, inside the draw's transaction: what stands decides
 * whether this kind of draw may be made, and what a redraw replaces. */
static int day_rule(struct db *db, const struct draw_request *req, const char *day,
                    char replaces[DB_UUID_LEN])
{
    replaces[0] = '\0';
    if (req->kind == DRAW_DRILL)
        return 0;
    int rc = standing(db, req->market, day, replaces);
    if (rc < 0 && rc != SC_ERR_NOTFOUND)
        return rc;
    int stands = rc == 0;
    if (req->kind == DRAW_PRODUCTION && stands)
        return sc_error_set(SC_ERR_EXISTS,
                            _("market %s's draw of %s is made (%s): it stands; drawing again "
                              "is a redraw, with its reason on the public record"),
                            req->market, day, replaces);
    if (req->kind == DRAW_REDRAW && !stands)
        return sc_error_set(SC_ERR_NOTFOUND,
                            _("market %s has no draw on %s to redraw: make the day's draw"),
                            req->market, day);
    return 0;
}

static int check_request(const struct draw_request *req)
{
    if (req->kind != DRAW_PRODUCTION && req->kind != DRAW_REDRAW && req->kind != DRAW_DRILL)
        return sc_error_set(SC_ERR_ARG, "draw: a draw is a production draw, a redraw or a drill");
    if (req->seed != NULL && req->kind != DRAW_DRILL)
        return sc_error_set(SC_ERR_ARG, "draw: a chosen seed draws only a drill; the day's "
                                        "draw takes the system's randomness");
    if (req->want_stalls < 1)
        return sc_error_set(SC_ERR_ARG, "draw: at least one stall is drawn");
    if (req->kind == DRAW_REDRAW) {
        const char *r = req->reason ? req->reason : "";
        while (*r == ' ')
            r++;
        if (*r == '\0')
            return sc_error_set(SC_ERR_ARG, "draw: a redraw needs its reason");
        if (strlen(req->reason) > DRAW_REASON_MAX || !one_line(req->reason))
            return sc_error_set(SC_ERR_ARG, "draw: a redraw's reason is one line of at most "
                                            "%d bytes, no control characters",
                                DRAW_REASON_MAX);
    }
    return 0;
}

/* draw_run's refusal, after the market: a roster too small for the draw
 * in the screen's language (core has no gettext), else core's words. */
static void draw_run_refused(const char *market, int rc, const struct draw_input *in,
                             const struct draw_result *r)
{
    size_t want = in->want_officers ? in->want_officers : DRAW_OFFICERS_DEFAULT;
    if (rc == SC_ERR_RANGE && r->pool_officers < want) {
        sc_error_set(rc,
                     ngettext("market %s: %zu officer on the roster after recusals, %zu needed",
                              "market %s: %zu officers on the roster after recusals, %zu needed",
                              r->pool_officers),
                     market, r->pool_officers, want);
        return;
    }
    char why[256];
    snprintf(why, sizeof why, "%s", sc_error_message());
    sc_error_set(rc, "market %s: %s", market, why);
}

int draw_make(struct db *db, const struct draw_request *req, struct draw_record *out)
{
    memset(out, 0, sizeof *out);
    int rc = check_request(req);
    if (rc < 0)
        return rc;
    if (sodium_init() < 0)
        return sc_error_set(SC_ERR, "draw: libsodium would not start");
    struct draw_input in = {0};
    in.want_stalls = req->want_stalls;
    in.want_officers = req->want_officers;
    in.include_followups = req->include_followups;
    if (req->seed)
        memcpy(in.seed, req->seed, DRAW_SEED_BYTES);
    else
        randombytes_buf(in.seed, sizeof in.seed);
    char day[16], replaces[DB_UUID_LEN];
    db_today(day, sizeof day);
    /* The rule, the pools and the record in one IMMEDIATE transaction: two
     * draws at once cannot both be the day's (the unique index agrees). */
    if ((rc = db_begin(db)) < 0)
        return rc;
    if ((rc = day_rule(db, req, day, replaces)) < 0) {
        db_rollback(db);
        return rc;
    }
    struct draw_pools pools;
    if ((rc = draw_pools_load(db, req->market, &pools)) < 0) {
        db_rollback(db);
        return rc;
    }
    draw_pools_input(&pools, &in);
    struct draw_result r;
    if ((rc = draw_run(&in, draw_keystream, &r)) < 0) {
        draw_run_refused(req->market, rc, &in, &r);
        draw_pools_free(&pools);
        db_rollback(db);
        return rc;
    }
    if (r.n_stalls == 0) { /* a draw of nothing would stand as the day's and inspect none */
        draw_result_free(&r);
        draw_pools_free(&pools);
        db_rollback(db);
        return sc_error_set(SC_ERR_RANGE, _("market %s has no active stall to draw"),
                            req->market);
    }
    struct draw_meta meta = {req->kind, day, replaces, req->reason ? req->reason : ""};
    char id[DB_UUID_LEN];
    rc = draw_save(db, req->market, req->made_by, &in, &r, &meta, id);
    size_t pool_stalls = r.pool_stalls, pool_officers = r.pool_officers;
    draw_result_free(&r);
    draw_pools_free(&pools);
    if (rc < 0) {
        db_rollback(db);
        return rc;
    }
    if ((rc = db_commit(db)) < 0 || (rc = draw_load(db, id, out)) < 0)
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
