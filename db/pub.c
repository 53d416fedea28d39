/* The walks of db/publish.h over any backend's cursors (db/pub_priv.h). */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "db/pub_priv.h"

const char *pub_src_kind(const struct pub_src *src) { return src->ops->kind; }

void pub_src_close(struct pub_src *src)
{
    if (src != NULL)
        src->ops->free(src);
}

int pub_setting(struct pub_src *src, const char *key, char *buf, size_t size)
{
    return src->ops->setting(src, key, buf, size);
}

int pub_rules(struct pub_src *src, const char *path, struct rules *out)
{
    return src->ops->rules(src, path, out);
}

/* ---- strings that live until the record has been handed out ----------- */

/* Blocks that never move, so the pointers into them stay good. */
struct arena_block {
    struct arena_block *next;
    size_t used, size;
    char data[];
};

struct arena {
    struct arena_block *head;
};

static void arena_reset(struct arena *a)
{
    /* Keep the newest block, free the rest. */
    if (a->head == NULL)
        return;
    struct arena_block *b = a->head->next;
    while (b != NULL) {
        struct arena_block *n = b->next;
        free(b);
        b = n;
    }
    a->head->next = NULL;
    a->head->used = 0;
}

static void arena_free(struct arena *a)
{
    arena_reset(a);
    free(a->head);
    a->head = NULL;
}

/* A copy of s (NULL stays NULL); *err set on failure. */
static const char *arena_dup(struct arena *a, const char *s, int *err)
{
    if (s == NULL)
        return NULL;
    size_t n = strlen(s) + 1;
    if (a->head == NULL || a->head->size - a->head->used < n) {
        size_t size = n > 65536 ? n : 65536;
        struct arena_block *b = malloc(sizeof *b + size);
        if (b == NULL) {
            *err = SC_ERR_NOMEM;
            return "";
        }
        b->next = a->head;
        b->used = 0;
        b->size = size;
        a->head = b;
    }
    char *p = a->head->data + a->head->used;
    memcpy(p, s, n);
    a->head->used += n;
    return p;
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap * 2 : 16;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, n * size);
    if (q == NULL)
        return SC_ERR_NOMEM;
    *p = q;
    *cap = n;
    return 0;
}

/* An integer column; INT64_MIN for NULL or text that is not one. */
static int64_t col_i64(const struct pub_ops *o, void *cur, int i)
{
    const char *s = o->col(cur, i);
    if (s == NULL || *s == '\0')
        return INT64_MIN;
    char *end;
    long long v = strtoll(s, &end, 10);
    return *end == '\0' ? (int64_t)v : INT64_MIN;
}

static int cmp_text(const char *a, const char *b) { return strcmp(a ? a : "", b ? b : ""); }

/* ---- one cursor, with its current row ---------------------------------- */

struct cursor {
    const struct pub_ops *o;
    void *cur;
    int state; /* 1: a row is current, 0: done, < 0: failed */
};

static int cursor_open(struct pub_src *src, enum pub_query q, const char *stall, struct cursor *c)
{
    c->o = src->ops;
    c->cur = NULL;
    int rc = c->o->open(src, q, stall, &c->cur);
    if (rc < 0) {
        c->state = rc;
        return rc;
    }
    c->state = c->o->step(c->cur);
    return c->state < 0 ? c->state : 0;
}

static void cursor_next(struct cursor *c)
{
    if (c->state == 1)
        c->state = c->o->step(c->cur);
}

static const char *cursor_col(const struct cursor *c, int i) { return c->o->col(c->cur, i); }

static void cursor_close(struct cursor *c)
{
    if (c->cur != NULL)
        c->o->close(c->cur);
    c->cur = NULL;
}

/* Whether the current row belongs to key (column 0), skipping rows whose
 * key sorts before it (records of a stall the registry does not hold). */
static int cursor_at(struct cursor *c, const char *key)
{
    while (c->state == 1) {
        int d = cmp_text(cursor_col(c, 0), key);
        if (d == 0)
            return 1;
        if (d > 0)
            return 0;
        cursor_next(c);
    }
    return 0;
}

/* ---- markets ------------------------------------------------------------ */

int pub_markets(struct pub_src *src, int (*fn)(const struct pub_market *, void *), void *arg)
{
    struct cursor c;
    int rc = cursor_open(src, PQ_MARKETS, NULL, &c);
    while (rc == 0 && c.state == 1) {
        struct pub_market m = {cursor_col(&c, 0), cursor_col(&c, 1), cursor_col(&c, 2),
                               cursor_col(&c, 3), cursor_col(&c, 4)};
        rc = fn(&m, arg);
        cursor_next(&c);
    }
    if (rc == 0 && c.state < 0)
        rc = c.state;
    cursor_close(&c);
    return rc;
}

static void instrument_from(const struct cursor *c, int col0, struct pub_instrument *in,
                            struct arena *a, int *err)
{
    /* With an arena the strings are copied (the row will move on). */
#define COL(i) (a ? arena_dup(a, cursor_col(c, col0 + (i)), err) : cursor_col(c, col0 + (i)))
    in->code = COL(0);
    in->kind = COL(1);
    in->market = COL(2);
    in->stall = COL(3);
    in->maker = COL(4);
    in->model = COL(5);
    in->klass = COL(6);
    in->max_ug = col_i64(c->o, c->cur, col0 + 7);
    in->e_ug = col_i64(c->o, c->cur, col0 + 8);
    in->mark_no = COL(9);
    in->last_verified = COL(10);
    in->due = COL(11);
    in->active = col_i64(c->o, c->cur, col0 + 12) == 1;
#undef COL
}

int pub_market_instruments(struct pub_src *src,
                           int (*fn)(const struct pub_instrument *, void *), void *arg)
{
    struct cursor c;
    int rc = cursor_open(src, PQ_MARKET_INSTRUMENTS, NULL, &c);
    while (rc == 0 && c.state == 1) {
        struct pub_instrument in;
        instrument_from(&c, 0, &in, NULL, NULL);
        rc = fn(&in, arg);
        cursor_next(&c);
    }
    if (rc == 0 && c.state < 0)
        rc = c.state;
    cursor_close(&c);
    return rc;
}

/* ---- stalls: five ordered queries merged in one pass -------------------- */

struct one_ctx {
    int (*fn)(const struct pub_stall *, void *);
    void *arg;
    int *found;
};

static int one_stall(const struct pub_stall *s, void *arg)
{
    struct one_ctx *o = arg;
    *o->found = 1;
    return o->fn(s, o->arg);
}

struct stall_buf {
    struct arena a;
    struct pub_instrument *ins;
    size_t n_ins, cap_ins;
    struct pub_inspection *isp;
    size_t n_isp, cap_isp;
    struct pub_finding *f;
    size_t n_f, cap_f;
    size_t *f_at;             /* per inspection: its first finding */
    size_t cap_f_at;
    struct pub_reweigh *rw;
    size_t n_rw, cap_rw;
    size_t *rw_at;
    size_t cap_rw_at;
};

static void stall_buf_free(struct stall_buf *b)
{
    arena_free(&b->a);
    free(b->ins);
    free(b->isp);
    free(b->f);
    free(b->f_at);
    free(b->rw);
    free(b->rw_at);
}

/* The inspection a findings or re-weighs row belongs to: the one with its
 * id, at or after *at (both come in the inspections' order). */
static long find_inspection(const struct stall_buf *b, size_t *at, const char *id)
{
    while (*at < b->n_isp && cmp_text(b->isp[*at].id, id) != 0)
        (*at)++;
    return *at < b->n_isp ? (long)*at : -1;
}

static int take_stall(struct stall_buf *b, const char *code, struct cursor *ci,
                      struct cursor *cn, struct cursor *cf, struct cursor *cr)
{
    int err = 0;
    b->n_ins = b->n_isp = b->n_f = b->n_rw = 0;
    for (; cursor_at(ci, code); cursor_next(ci)) {
        if (grow((void **)&b->ins, &b->cap_ins, b->n_ins + 1, sizeof *b->ins) < 0)
            return SC_ERR_NOMEM;
        instrument_from(ci, 1, &b->ins[b->n_ins++], &b->a, &err);
    }
    for (; cursor_at(cn, code); cursor_next(cn)) {
        if (grow((void **)&b->isp, &b->cap_isp, b->n_isp + 1, sizeof *b->isp) < 0 ||
            grow((void **)&b->f_at, &b->cap_f_at, b->n_isp + 1, sizeof *b->f_at) < 0 ||
            grow((void **)&b->rw_at, &b->cap_rw_at, b->n_isp + 1, sizeof *b->rw_at) < 0)
            return SC_ERR_NOMEM;
        struct pub_inspection *p = &b->isp[b->n_isp++];
        memset(p, 0, sizeof *p);
        p->stall = arena_dup(&b->a, cursor_col(cn, 0), &err);
        p->id = arena_dup(&b->a, cursor_col(cn, 1), &err);
        p->market = arena_dup(&b->a, cursor_col(cn, 2), &err);
        p->officer1 = arena_dup(&b->a, cursor_col(cn, 3), &err);
        p->officer2 = arena_dup(&b->a, cursor_col(cn, 4), &err);
        p->draw = arena_dup(&b->a, cursor_col(cn, 5), &err);
        p->started_at = arena_dup(&b->a, cursor_col(cn, 6), &err);
        p->ended_at = arena_dup(&b->a, cursor_col(cn, 7), &err);
    }
    /* Findings, then re-weighs: counted per inspection, stored in order. */
    size_t at = 0;
    for (; cursor_at(cf, code); cursor_next(cf)) {
        long k = find_inspection(b, &at, cursor_col(cf, 1));
        if (k < 0)
            continue; /* a finding of an inspection not read (a draft) */
        if (grow((void **)&b->f, &b->cap_f, b->n_f + 1, sizeof *b->f) < 0)
            return SC_ERR_NOMEM;
        if (b->isp[k].n_findings++ == 0)
            b->f_at[k] = b->n_f;
        struct pub_finding *f = &b->f[b->n_f++];
        f->item = arena_dup(&b->a, cursor_col(cf, 2), &err);
        f->answer = arena_dup(&b->a, cursor_col(cf, 3), &err);
        f->deadline = arena_dup(&b->a, cursor_col(cf, 4), &err);
    }
    at = 0;
    for (; cursor_at(cr, code); cursor_next(cr)) {
        long k = find_inspection(b, &at, cursor_col(cr, 1));
        if (k < 0)
            continue;
        if (grow((void **)&b->rw, &b->cap_rw, b->n_rw + 1, sizeof *b->rw) < 0)
            return SC_ERR_NOMEM;
        if (b->isp[k].n_reweighs++ == 0)
            b->rw_at[k] = b->n_rw;
        struct pub_reweigh *r = &b->rw[b->n_rw++];
        r->goods = arena_dup(&b->a, cursor_col(cr, 2), &err);
        r->category = arena_dup(&b->a, cursor_col(cr, 3), &err);
        r->declared_ug = col_i64(cr->o, cr->cur, 4);
        r->measured_ug = col_i64(cr->o, cr->cur, 5);
        r->allowed_ug = col_i64(cr->o, cr->cur, 6);
        if (r->allowed_ug == INT64_MIN)
            r->allowed_ug = -1;
        r->shortfall_ug = col_i64(cr->o, cr->cur, 7);
        r->unit_price_fen = col_i64(cr->o, cr->cur, 8);
        r->money_short_fen = col_i64(cr->o, cr->cur, 9);
        r->verdict = arena_dup(&b->a, cursor_col(cr, 10), &err);
        r->method = arena_dup(&b->a, cursor_col(cr, 11), &err);
    }
    /* The arrays have stopped moving: point the inspections into them. */
    for (size_t k = 0; k < b->n_isp; k++) {
        b->isp[k].findings = b->isp[k].n_findings ? b->f + b->f_at[k] : NULL;
        b->isp[k].reweighs = b->isp[k].n_reweighs ? b->rw + b->rw_at[k] : NULL;
    }
    const struct cursor *all[] = {ci, cn, cf, cr};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (all[i]->state < 0)
            return all[i]->state;
    return err;
}

static int walk_stalls(struct pub_src *src, const char *only,
                       int (*fn)(const struct pub_stall *, void *), void *arg)
{
    struct cursor cs = {0}, ci = {0}, cn = {0}, cf = {0}, cr = {0};
    struct stall_buf b = {0};
    int rc = cursor_open(src, PQ_STALLS, only, &cs);
    if (rc == 0)
        rc = cursor_open(src, PQ_STALL_INSTRUMENTS, only, &ci);
    if (rc == 0)
        rc = cursor_open(src, PQ_INSPECTIONS, only, &cn);
    if (rc == 0)
        rc = cursor_open(src, PQ_FINDINGS, only, &cf);
    if (rc == 0)
        rc = cursor_open(src, PQ_REWEIGHS, only, &cr);
    while (rc == 0 && cs.state == 1) {
        arena_reset(&b.a);
        const char *code = cursor_col(&cs, 0);
        if ((rc = take_stall(&b, code, &ci, &cn, &cf, &cr)) < 0)
            break;
        struct pub_stall s = {code,
                              cursor_col(&cs, 1),
                              cursor_col(&cs, 2),
                              cursor_col(&cs, 3),
                              cursor_col(&cs, 4),
                              col_i64(cs.o, cs.cur, 5) == 1,
                              b.ins,
                              b.n_ins,
                              b.isp,
                              b.n_isp};
        rc = fn(&s, arg);
        cursor_next(&cs);
    }
    if (rc == 0 && cs.state < 0)
        rc = cs.state;
    cursor_close(&cr);
    cursor_close(&cf);
    cursor_close(&cn);
    cursor_close(&ci);
    cursor_close(&cs);
    stall_buf_free(&b);
    return rc;
}

int pub_stalls(struct pub_src *src, int (*fn)(const struct pub_stall *, void *), void *arg)
{
    return walk_stalls(src, NULL, fn, arg);
}

int pub_stall(struct pub_src *src, const char *code, int (*fn)(const struct pub_stall *, void *),
              void *arg)
{
    int found = 0;
    struct one_ctx o = {fn, arg, &found};
    int rc = walk_stalls(src, code, one_stall, &o);
    if (rc == 0 && !found)
        rc = sc_error_set(SC_ERR_NOTFOUND, "no stall '%s'", code);
    return rc;
}

const char *pub_sql_text(const struct pub_sql *table, enum pub_query q, int filtered,
                         const char *param, char **cache)
{
    char **slot = &cache[(int)q * 2 + (filtered && table[q].stall != NULL)];
    if (*slot != NULL)
        return *slot;
    const struct pub_sql *t = &table[q];
    size_t n = strlen(t->select) + strlen(t->order) + 64 + (t->stall ? strlen(t->stall) : 0);
    char *text = malloc(n);
    if (text == NULL)
        return NULL;
    if (filtered && t->stall != NULL)
        snprintf(text, n, "%s AND %s = %s%s", t->select, t->stall, param, t->order);
    else
        snprintf(text, n, "%s%s", t->select, t->order);
    *slot = text;
    return text;
}

/* ---- draws and certificates ------------------------------------------- */

int pub_draws(struct pub_src *src, int (*fn)(const struct pub_draw *, void *), void *arg)
{
    struct cursor c;
    int rc = cursor_open(src, PQ_DRAWS, NULL, &c);
    while (rc == 0 && c.state == 1) {
        struct pub_draw d = {cursor_col(&c, 0), cursor_col(&c, 1), cursor_col(&c, 2),
                             cursor_col(&c, 3), cursor_col(&c, 4), cursor_col(&c, 5),
                             cursor_col(&c, 6)};
        rc = fn(&d, arg);
        cursor_next(&c);
    }
    if (rc == 0 && c.state < 0)
        rc = c.state;
    cursor_close(&c);
    return rc;
}

int pub_certificates(struct pub_src *src, int (*fn)(const struct pub_certificate *, void *),
                     void *arg)
{
    struct cursor c = {0}, cs = {0};
    struct arena a = {0};
    struct pub_cert_step *steps = NULL;
    size_t cap = 0;
    int rc = cursor_open(src, PQ_CERTS, NULL, &c);
    if (rc == 0)
        rc = cursor_open(src, PQ_CERT_STEPS, NULL, &cs);
    while (rc == 0 && c.state == 1) {
        arena_reset(&a);
        int err = 0;
        const char *id = cursor_col(&c, 0);
        size_t n = 0;
        /* Steps come in the calibrations' order: take this one's. */
        for (; cs.state == 1 && cmp_text(cursor_col(&cs, 0), id) == 0; cursor_next(&cs)) {
            if (grow((void **)&steps, &cap, n + 1, sizeof *steps) < 0) {
                err = SC_ERR_NOMEM;
                break;
            }
            struct pub_cert_step *s = &steps[n++];
            int64_t seq = col_i64(cs.o, cs.cur, 1);
            s->seq = seq == INT64_MIN || seq > INT_MAX ? 0 : (int)seq;
            s->test = arena_dup(&a, cursor_col(&cs, 2), &err);
            s->position = arena_dup(&a, cursor_col(&cs, 3), &err);
            s->load_ug = col_i64(cs.o, cs.cur, 4);
            s->indication_ug = col_i64(cs.o, cs.cur, 5);
            s->error_ug = col_i64(cs.o, cs.cur, 6);
            s->mpe_ug = col_i64(cs.o, cs.cur, 7);
            int64_t pass = col_i64(cs.o, cs.cur, 8);
            s->pass = pass == INT64_MIN ? -1 : pass != 0;
        }
        if ((rc = err) < 0 || (rc = cs.state < 0 ? cs.state : 0) < 0)
            break;
        struct pub_certificate k = {
            id, cursor_col(&c, 1), cursor_col(&c, 2), cursor_col(&c, 3),
            cursor_col(&c, 4), cursor_col(&c, 5), cursor_col(&c, 6), cursor_col(&c, 7),
            cursor_col(&c, 8), cursor_col(&c, 9), cursor_col(&c, 10), cursor_col(&c, 11),
            cursor_col(&c, 12), cursor_col(&c, 13), cursor_col(&c, 14), cursor_col(&c, 15),
            cursor_col(&c, 16), steps, n};
        rc = fn(&k, arg);
        cursor_next(&c);
    }
    if (rc == 0 && c.state < 0)
        rc = c.state;
    cursor_close(&cs);
    cursor_close(&c);
    arena_free(&a);
    free(steps);
    return rc;
}
