/* The random draw (双随机): see draw.h for the algorithm, step by step. */
#include "core/draw.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

/* Successive 32-bit little-endian words of the keystream.  When the buffer
 * runs out (rejections), the stream is generated again twice as long: a
 * prefix-stable stream gives the same words already read, then new ones. */
struct words {
    draw_keystream_fn keystream;
    const unsigned char *seed;
    unsigned char *buf;
    size_t len, pos;
};

static int words_next(struct words *w, uint32_t *out)
{
    if (w->pos + 4 > w->len) {
        size_t len = w->len ? 2 * w->len : 256;
        unsigned char *b = realloc(w->buf, len);
        if (!b)
            return sc_error_set(SC_ERR_NOMEM, "draw: keystream of %zu bytes", len);
        w->buf = b;
        w->len = len;
        w->keystream(w->buf, w->len, w->seed);
    }
    const unsigned char *p = w->buf + w->pos;
    *out = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    w->pos += 4;
    return 0;
}

/* A uniform integer in [0, n), n >= 1, by rejection (draw.h step 3). */
static int words_uniform(struct words *w, uint32_t n, uint32_t *out)
{
    /* 2^32 mod n, computed in 32 bits: (2^32 - n) mod n. */
    uint32_t rem = (uint32_t)(0u - n) % n;
    uint32_t limit = (uint32_t)(0u - rem); /* 2^32 - rem; 0 stands for 2^32 */
    for (;;) {
        uint32_t x = 0;
        int rc = words_next(w, &x);
        if (rc < 0)
            return rc;
        if (limit == 0 || x < limit) {
            *out = x % n;
            return 0;
        }
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A sorted, deduplicated copy of the pointers (the strings stay the
 * caller's); NULL entries are skipped. */
static const char **sorted_unique(const char *const *v, size_t n, size_t *out_n)
{
    const char **s = malloc((n ? n : 1) * sizeof *s);
    if (!s)
        return NULL;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (v[i])
            s[m++] = v[i];
    qsort(s, m, sizeof *s, cmp_str);
    size_t u = 0;
    for (size_t i = 0; i < m; i++)
        if (u == 0 || strcmp(s[u - 1], s[i]) != 0)
            s[u++] = s[i];
    *out_n = u;
    return s;
}

static int in_sorted(const char **s, size_t n, const char *key)
{
    return n && bsearch(&key, s, n, sizeof *s, cmp_str) != NULL;
}

/* Removes from s every entry found in the sorted set x (keeps order). */
static size_t remove_all(const char **s, size_t n, const char **x, size_t nx)
{
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (!in_sorted(x, nx, s[i]))
            s[u++] = s[i];
    return u;
}

/* Partial Fisher-Yates (draw.h step 4): the first k of p are the drawn. */
static int shuffle_prefix(struct words *w, const char **p, size_t m, size_t k)
{
    for (size_t i = 0; i < k; i++) {
        uint32_t r;
        int rc = words_uniform(w, (uint32_t)(m - i), &r);
        if (rc < 0)
            return rc;
        size_t j = i + r;
        const char *t = p[i];
        p[i] = p[j];
        p[j] = t;
    }
    return 0;
}

void draw_result_free(struct draw_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_stalls; i++)
        free(r->stalls[i].code);
    for (size_t i = 0; i < r->n_officers; i++)
        free(r->officers[i]);
    free(r->stalls);
    free(r->officers);
    memset(r, 0, sizeof *r);
}

int draw_run(const struct draw_input *in, draw_keystream_fn keystream, struct draw_result *out)
{
    memset(out, 0, sizeof *out);
    if (!in || !keystream)
        return sc_error_set(SC_ERR_ARG, "draw: no input or no keystream");
    size_t want_off = in->want_officers ? in->want_officers : DRAW_OFFICERS_DEFAULT;
    if (in->n_stalls > UINT32_MAX || in->n_officers > UINT32_MAX)
        return sc_error_set(SC_ERR_RANGE, "draw: pools larger than 2^32");

    int rc = SC_ERR_NOMEM;
    size_t n_pool = 0, n_follow = 0, n_off = 0, n_rec = 0;
    const char **pool = sorted_unique(in->stalls, in->n_stalls, &n_pool);
    const char **follow = in->include_followups
        ? sorted_unique(in->followups, in->n_followups, &n_follow)
        : sorted_unique(NULL, 0, &n_follow);
    const char **off = sorted_unique(in->officers, in->n_officers, &n_off);
    const char **rec = sorted_unique(in->recused, in->n_recused, &n_rec);
    struct words w = {keystream, in->seed, NULL, 0, 0};
    if (!pool || !follow || !off || !rec) {
        sc_error_set(SC_ERR_NOMEM, "draw: pools");
        goto done;
    }
    n_pool = remove_all(pool, n_pool, follow, n_follow);
    n_off = remove_all(off, n_off, rec, n_rec);
    out->pool_stalls = n_pool;
    out->pool_officers = n_off;
    if (n_off < want_off) {
        rc = sc_error_set(SC_ERR_RANGE,
                          "draw: %zu officer%s on the roster after recusals, %zu needed",
                          n_off, n_off == 1 ? "" : "s", want_off);
        goto done;
    }
    size_t k = in->want_stalls < n_pool ? in->want_stalls : n_pool;
    if ((rc = shuffle_prefix(&w, pool, n_pool, k)) < 0 ||
        (rc = shuffle_prefix(&w, off, n_off, want_off)) < 0)
        goto done;

    rc = SC_ERR_NOMEM;
    out->stalls = calloc(n_follow + k + 1, sizeof *out->stalls);
    out->officers = calloc(want_off, sizeof *out->officers);
    if (!out->stalls || !out->officers) {
        sc_error_set(SC_ERR_NOMEM, "draw: result");
        goto fail;
    }
    for (size_t i = 0; i < n_follow + k; i++) {
        int followup = i < n_follow;
        out->stalls[i].code = strdup(followup ? follow[i] : pool[i - n_follow]);
        out->stalls[i].reason = followup ? DRAW_FOLLOWUP : DRAW_RANDOM;
        if (!out->stalls[i].code)
            goto fail;
        out->n_stalls++;
    }
    for (size_t i = 0; i < want_off; i++) {
        if (!(out->officers[i] = strdup(off[i])))
            goto fail;
        out->n_officers++;
    }
    rc = 0;
    goto done;
fail:
    draw_result_free(out);
done:
    free(w.buf);
    free(pool);
    free(follow);
    free(off);
    free(rec);
    return rc;
}

int draw_result_equal(const struct draw_result *a, const struct draw_result *b)
{
    if (a->n_stalls != b->n_stalls || a->n_officers != b->n_officers)
        return 0;
    for (size_t i = 0; i < a->n_stalls; i++)
        if (a->stalls[i].reason != b->stalls[i].reason ||
            strcmp(a->stalls[i].code, b->stalls[i].code) != 0)
            return 0;
    for (size_t i = 0; i < a->n_officers; i++)
        if (strcmp(a->officers[i], b->officers[i]) != 0)
            return 0;
    return 1;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int draw_seed_parse(const char *hex, unsigned char seed[DRAW_SEED_BYTES])
{
    size_t n = hex ? strlen(hex) : 0;
    if (n != DRAW_SEED_HEX)
        return sc_error_set(SC_ERR_PARSE, "seed: %zu hex digits, %d expected", n, DRAW_SEED_HEX);
    for (size_t i = 0; i < DRAW_SEED_BYTES; i++) {
        int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return sc_error_set(SC_ERR_PARSE, "seed: position %zu: not a hex digit",
                                2 * i + (hi < 0 ? 1 : 2));
        seed[i] = (unsigned char)(hi << 4 | lo);
    }
    return 0;
}

void draw_seed_format(const unsigned char seed[DRAW_SEED_BYTES], char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < DRAW_SEED_BYTES; i++) {
        out[2 * i] = digits[seed[i] >> 4];
        out[2 * i + 1] = digits[seed[i] & 15];
    }
    out[DRAW_SEED_HEX] = '\0';
}
