#include "core/loads.h"

#include <stdio.h>
#include <string.h>

#include "core/mass.h"

void loads_nominal(int64_t ug, char *buf, size_t size)
{
    char num[32];
    int64_t unit = ug >= MASS_KG ? MASS_KG : ug >= MASS_G ? MASS_G : ug >= MASS_MG ? MASS_MG : 1;
    mass_format(ug, unit, num, sizeof num);
    snprintf(buf, size, "%s %s", num,
             unit == MASS_KG ? "kg" : unit == MASS_G ? "g" : unit == MASS_MG ? "mg" : "ug");
}

/* ---- composing loads from the weight set ------------------------------- */

struct composer {
    const int64_t *w;
    int order[LOADS_MAX_WEIGHTS]; /* available weights, largest first */
    int n;
    int64_t suffix[LOADS_MAX_WEIGHTS + 1];
    int64_t lo, hi, target;
    int64_t best_sum, best_dist;
    uint64_t best_mask;
    long nodes;
};

static int64_t dist(int64_t a, int64_t b)
{
    return a > b ? a - b : b - a;
}

/* Depth-first over include/exclude, largest weights first; equal weights
 * are taken as a count (excluding one skips its equals), and a sum at or
 * above the target is never improved by adding more. */
static void compose_dfs(struct composer *c, int i, int64_t sum, uint64_t mask)
{
    if (c->best_dist == 0 || ++c->nodes > 400000)
        return;
    if (sum > c->hi || sum + c->suffix[i] < c->lo)
        return;
    if (sum >= c->lo && dist(sum, c->target) < c->best_dist) {
        c->best_dist = dist(sum, c->target);
        c->best_sum = sum;
        c->best_mask = mask;
    }
    if (i == c->n || sum >= c->target)
        return;
    int w = c->order[i];
    compose_dfs(c, i + 1, sum + c->w[w], mask | (UINT64_C(1) << w));
    int j = i + 1;
    while (j < c->n && c->w[c->order[j]] == c->w[w])
        j++;
    compose_dfs(c, j, sum, mask);
}

static int cmp_desc(const void *a, const void *b, const int64_t *w)
{
    int64_t x = w[*(const int *)a], y = w[*(const int *)b];
    return x < y ? 1 : x > y ? -1 : 0;
}

int loads_compose(const int64_t *w, size_t n, uint64_t avail, int64_t lo, int64_t hi,
                  int64_t target, int64_t *sum, uint64_t *mask)
{
    struct composer c;
    memset(&c, 0, sizeof c);
    c.w = w;
    for (size_t i = 0; i < n && i < LOADS_MAX_WEIGHTS; i++)
        if (avail & (UINT64_C(1) << i))
            c.order[c.n++] = (int)i;
    /* insertion sort, largest first (n <= 64) */
    for (int i = 1; i < c.n; i++)
        for (int j = i; j > 0 && cmp_desc(&c.order[j - 1], &c.order[j], c.w) > 0; j--) {
            int t = c.order[j];
            c.order[j] = c.order[j - 1];
            c.order[j - 1] = t;
        }
    c.suffix[c.n] = 0;
    for (int i = c.n - 1; i >= 0; i--)
        c.suffix[i] = c.suffix[i + 1] + c.w[c.order[i]];
    c.lo = lo;
    c.hi = hi;
    c.target = target;
    c.best_dist = INT64_MAX;
    if (lo <= 0 && hi >= 0) {
        c.best_dist = dist(0, target);
        c.best_sum = 0;
    }
    compose_dfs(&c, 0, 0, 0);
    if (c.best_dist == INT64_MAX)
        return -1;
    *sum = c.best_sum;
    *mask = c.best_mask;
    return 0;
}

void loads_text(const int64_t *w, size_t nw, uint64_t mask, char *buf, size_t size)
{
    /* Largest first, as they go on the receptor. */
    int idx[LOADS_MAX_WEIGHTS], n = 0;
    for (size_t i = 0; i < nw && i < LOADS_MAX_WEIGHTS; i++)
        if (mask & (UINT64_C(1) << i))
            idx[n++] = (int)i;
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && w[idx[j]] > w[idx[j - 1]]; j--) {
            int t = idx[j];
            idx[j] = idx[j - 1];
            idx[j - 1] = t;
        }
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0; i < n && len < size; i++) {
        char one[40];
        loads_nominal(w[idx[i]], one, sizeof one);
        len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? " + " : "", one);
    }
}

