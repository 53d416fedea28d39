#include "core/procedure.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errpoint.h"
#include "core/error.h"
#include "core/mass.h"

/* One planned step: what to place, with which of the set's weights. */
struct plan {
    enum proc_test test;
    int k, of;
    int64_t load, target, tare, extra;
    int segment, series, unloading, after_extra;
    uint64_t mask; /* the set's weights making load (bit i = weights_ug[i]) */
    uint64_t tare_mask;
};

struct proc {
    struct proc_config cfg;
    int64_t e, d, max, min, display;
    int total, done;
    struct plan steps[PROC_MAX_STEPS];
    struct proc_reading readings[PROC_MAX_STEPS];
    struct proc_result results[PROC_MAX_STEPS];
    int64_t zero_error, tare_zero_error;
};

static const char *const test_names[PROC_TEST_COUNT] = {
    "zero", "weighing", "eccentricity", "repeatability", "tare", "discrimination",
};

const char *proc_test_name(enum proc_test t)
{
    return t >= 0 && t < PROC_TEST_COUNT ? test_names[t] : "?";
}

/* ---- masses as text --------------------------------------------------- */

struct mtext {
    char s[40];
};

/* "2500 g", "-0.5 g": grams, exact. */
static struct mtext gs(int64_t ug)
{
    struct mtext t;
    char num[32];
    mass_format(ug, MASS_G, num, sizeof num);
    snprintf(t.s, sizeof t.s, "%s g", num);
    return t;
}

/* "+0.5 g" for errors. */
static struct mtext signed_gs(int64_t ug)
{
    struct mtext t;
    char num[32];
    mass_format(ug, MASS_G, num, sizeof num);
    snprintf(t.s, sizeof t.s, "%s%s g", ug > 0 ? "+" : "", num);
    return t;
}

/* A weight's nominal value as printed on it: "10 kg", "500 g", "200 mg". */
static struct mtext nominal(int64_t ug)
{
    struct mtext t;
    char num[32];
    int64_t unit = ug >= MASS_KG ? MASS_KG : ug >= MASS_G ? MASS_G : ug >= MASS_MG ? MASS_MG : 1;
    mass_format(ug, unit, num, sizeof num);
    snprintf(t.s, sizeof t.s, "%s %s", num,
             unit == MASS_KG ? "kg" : unit == MASS_G ? "g" : unit == MASS_MG ? "mg" : "ug");
    return t;
}

/* ---- composing loads from the weight set ------------------------------- */

struct composer {
    const int64_t *w;
    int order[PROC_MAX_WEIGHTS]; /* available weights, largest first */
    int n;
    int64_t suffix[PROC_MAX_WEIGHTS + 1];
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

/* The combination of available weights whose sum lies in [lo, hi] nearest
 * to target; -1 when there is none. */
static int compose(const struct proc *p, uint64_t avail, int64_t lo, int64_t hi, int64_t target,
                   int64_t *sum, uint64_t *mask)
{
    struct composer c;
    memset(&c, 0, sizeof c);
    c.w = p->cfg.weights_ug;
    for (size_t i = 0; i < p->cfg.n_weights; i++)
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

static void mask_text(const struct proc *p, uint64_t mask, char *buf, size_t size)
{
    /* Largest first, as they go on the receptor. */
    int idx[PROC_MAX_WEIGHTS], n = 0;
    for (size_t i = 0; i < p->cfg.n_weights; i++)
        if (mask & (UINT64_C(1) << i))
            idx[n++] = (int)i;
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && p->cfg.weights_ug[idx[j]] > p->cfg.weights_ug[idx[j - 1]]; j--) {
            int t = idx[j];
            idx[j] = idx[j - 1];
            idx[j - 1] = t;
        }
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0; i < n && len < size; i++)
        len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? " + " : "",
                                nominal(p->cfg.weights_ug[idx[i]]).s);
}

/* ---- planning ---------------------------------------------------------- */

enum window { W_MIN, W_CHANGE, W_AROUND, W_MAX, W_FILL };

static void window_of(enum window kind, int64_t t, int64_t *lo, int64_t *hi)
{
    switch (kind) {
    case W_MIN:    *lo = t; *hi = 2 * t; break;        /* Min .. 2 Min */
    case W_CHANGE: *lo = t - t / 10; *hi = t; break;   /* stays in the stricter band */
    case W_AROUND: *lo = t - t / 10; *hi = t + t / 10; break;
    case W_MAX:    *lo = t - t / 20; *hi = t; break;   /* never above Max */
    case W_FILL:   *lo = t - t / 3; *hi = t + t / 3; break; /* any load between the others */
    }
}

static int add_step(struct proc *p, const struct plan *s)
{
    if (p->total >= PROC_MAX_STEPS)
        return sc_error_set(SC_ERR_RANGE, "more than %d steps planned", PROC_MAX_STEPS);
    p->steps[p->total++] = *s;
    return SC_OK;
}

static int make_load(struct proc *p, uint64_t avail, enum window kind, int64_t target,
                     enum proc_test test, const char *what, int64_t *load, uint64_t *mask)
{
    int64_t lo = target, hi = target;
    window_of(kind, target, &lo, &hi);
    if (compose(p, avail, lo, hi, target, load, mask) < 0)
        return sc_error_set(SC_ERR_RANGE,
                            "the weight set '%s' cannot make a load for the %s test (%s): "
                            "about %s, between %s and %s; declare a set that can",
                            p->cfg.reference.id, proc_test_name(test), what, gs(target).s,
                            gs(lo).s, gs(hi).s);
    return SC_OK;
}

struct target {
    int64_t t;
    enum window kind;
    const char *what;
};

/* The loads of a weighing test from Min up to `top` (Max, or what is left
 * above a tare): Min, the MPE change points below top, 50 % and all of top,
 * at least 5 (R76-1 A.4.4.1).  Returns how many, ascending. */
static int weighing_targets(const struct proc *p, int64_t top, uint64_t avail, struct target ts[12])
{
    int n = 0;
    ts[n++] = (struct target){p->min, W_MIN, "Min"};
    int64_t cp[2];
    int ncp = r76_change_points(p->cfg.instrument.cls, p->e, top, cp);
    for (int i = 0; i < ncp; i++)
        if (cp[i] < top && cp[i] > p->min)
            ts[n++] = (struct target){cp[i], W_CHANGE, "an MPE change point"};
    ts[n++] = (struct target){top / 2, W_AROUND, "50 %"};
    ts[n++] = (struct target){top, W_MAX, top == p->max ? "Max" : "up to Max"};
    /* No fewer than 5 loads: fill with other fractions of top far
     * (> 10 %) from those already there. */
    static const int fill[][2] = {{1, 4}, {3, 4}, {1, 10}, {9, 10}, {3, 8}, {5, 8}};
    /* First the fractions the set makes exactly, then any near one. */
    for (int exact = 1; exact >= 0; exact--) {
        for (size_t f = 0; n < 5 && f < sizeof fill / sizeof fill[0]; f++) {
            int64_t t = top / fill[f][1] * fill[f][0], sum;
            uint64_t mask;
            int clash = t <= p->min;
            for (int i = 0; i < n && !clash; i++)
                clash = dist(t, ts[i].t) <= ts[i].t / 10;
            if (clash || (exact && compose(p, avail, t, t, t, &sum, &mask) < 0))
                continue;
            ts[n++] = (struct target){t, exact ? W_AROUND : W_FILL, "a fill load"};
        }
    }
    /* ascending; drop a duplicate (a change point at 50 %) */
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && ts[j].t < ts[j - 1].t; j--) {
            struct target x = ts[j];
            ts[j] = ts[j - 1];
            ts[j - 1] = x;
        }
    int m = 0;
    for (int i = 0; i < n; i++) {
        if (m > 0 && ts[i].t == ts[m - 1].t) {
            if (ts[i].kind == W_CHANGE)
                ts[m - 1] = ts[i];
            continue;
        }
        ts[m++] = ts[i];
    }
    if (m < 5)
        return sc_error_set(SC_ERR_RANGE, "cannot find 5 distinct loads between Min and %s",
                            gs(top).s);
    return m;
}

static int plan_weighing(struct proc *p, uint64_t all)
{
    struct target ts[12];
    int n = weighing_targets(p, p->max, all, ts);
    if (n < 0)
        return n;
    int64_t loads[12];
    uint64_t masks[12];
    for (int i = 0; i < n; i++) {
        int rc = make_load(p, all, ts[i].kind, ts[i].t, PROC_WEIGHING, ts[i].what, &loads[i], &masks[i]);
        if (rc < 0)
            return rc;
    }
    /* R76-1 A.4.4.1: loading up to Max, then unloading to zero. */
    int of = 2 * n - 1, k = 0;
    for (int i = 0; i < n; i++) {
        struct plan s = {.test = PROC_WEIGHING, .k = ++k, .of = of, .load = loads[i], .target = ts[i].t,
                         .mask = masks[i]};
        int rc = add_step(p, &s);
        if (rc < 0)
            return rc;
    }
    for (int i = n - 2; i >= 0; i--) {
        struct plan s = {.test = PROC_WEIGHING, .k = ++k, .of = of, .load = loads[i], .target = ts[i].t,
                         .mask = masks[i], .unloading = 1};
        int rc = add_step(p, &s);
        if (rc < 0)
            return rc;
    }
    return SC_OK;
}

/* R76-1 A.4.6.1, 3.5.3.3: a tare, tared; then the weighing test on net
 * loads up to what is left to Max (loading only), each judged against the
 * net load's MPE.  The tare's value is free: about 1/3 Max first, then other
 * fractions until the set, less the tare's weights, makes every net load. */
static int plan_one_tare(struct proc *p, uint64_t all, int64_t target, struct plan *steps, int *count)
{
    int64_t tare;
    uint64_t tare_mask;
    int rc = make_load(p, all, W_AROUND, target, PROC_TARE, "the tare", &tare, &tare_mask);
    if (rc < 0)
        return rc;
    uint64_t rest = all & ~tare_mask;
    struct target ts[12];
    int n = weighing_targets(p, p->max - tare, rest, ts);
    if (n < 0)
        return n;
    steps[0] = (struct plan){.test = PROC_TARE, .k = 1, .of = n + 1, .load = tare, .target = tare,
                             .tare = tare, .mask = tare_mask, .tare_mask = tare_mask};
    for (int i = 0; i < n; i++) {
        int64_t load;
        uint64_t mask;
        char what[64];
        snprintf(what, sizeof what, "net %s, with the tare on", ts[i].what);
        if ((rc = make_load(p, rest, ts[i].kind, ts[i].t, PROC_TARE, what, &load, &mask)) < 0)
            return rc;
        steps[i + 1] = (struct plan){.test = PROC_TARE, .k = i + 2, .of = n + 1, .load = tare + load,
                                     .target = tare + ts[i].t, .tare = tare,
                                     .mask = mask | tare_mask, .tare_mask = tare_mask};
    }
    *count = n + 1;
    return SC_OK;
}

static int plan_tare(struct proc *p, uint64_t all)
{
    static const int fractions[][2] = {{1, 3}, {1, 4}, {1, 5}, {1, 10}, {2, 5}, {1, 2}};
    struct plan steps[13];
    int count = 0, rc = SC_ERR_RANGE;
    char first_error[400] = "";
    for (size_t f = 0; f < sizeof fractions / sizeof fractions[0]; f++) {
        rc = plan_one_tare(p, all, p->max / fractions[f][1] * fractions[f][0], steps, &count);
        if (rc == SC_OK)
            break;
        if (first_error[0] == '\0')
            snprintf(first_error, sizeof first_error, "%s", sc_error_message());
    }
    if (rc < 0)
        return sc_error_set(rc, "%s (tried tares from 1/10 to 1/2 Max)", first_error);
    for (int i = 0; i < count; i++)
        if ((rc = add_step(p, &steps[i])) < 0)
            return rc;
    return SC_OK;
}

static int plan_all(struct proc *p)
{
    uint64_t all = p->cfg.n_weights == 64 ? UINT64_MAX : (UINT64_C(1) << p->cfg.n_weights) - 1;
    int rc;
    int64_t load;
    uint64_t mask;

    /* 1. zero: R76-1 4.5.2, A.4.2.3. */
    struct plan z = {.test = PROC_ZERO, .k = 1, .of = 1};
    if ((rc = add_step(p, &z)) < 0)
        return rc;

    /* 2. weighing: R76-1 A.4.4.1. */
    if ((rc = plan_weighing(p, all)) < 0)
        return rc;

    /* 3. eccentricity: R76-1 3.6.2.1: 1/3 Max for up to 4 support points;
     * 3.6.2.2: Max / (n − 1) on each of n > 4 (the additive tare T+ these
     * add to Max is not declared here, so not counted); A.4.7. */
    int seg = p->cfg.segments;
    int64_t t = seg <= 4 ? p->max / 3 : p->max / (seg - 1);
    if ((rc = make_load(p, all, W_AROUND, t, PROC_ECCENTRICITY, "1/3 Max", &load, &mask)) < 0)
        return rc;
    for (int i = 1; i <= seg; i++) {
        struct plan s = {.test = PROC_ECCENTRICITY, .k = i, .of = seg, .load = load, .target = t,
                         .segment = i, .mask = mask};
        if ((rc = add_step(p, &s)) < 0)
            return rc;
    }

    /* 4. repeatability: R76-1 A.4.10: two series, about 50 % and close to
     * Max; 10 weighings each for Max < 1 000 kg, at least 3 otherwise. */
    int count = p->max < 1000 * MASS_KG ? 10 : 3;
    for (int series = 1; series <= 2; series++) {
        int64_t target = series == 1 ? p->max / 2 : p->max;
        rc = make_load(p, all, series == 1 ? W_AROUND : W_MAX, target, PROC_REPEATABILITY,
                       series == 1 ? "about 50 % Max" : "near Max", &load, &mask);
        if (rc < 0)
            return rc;
        for (int i = 1; i <= count; i++) {
            struct plan s = {.test = PROC_REPEATABILITY, .k = (series - 1) * count + i, .of = 2 * count,
                             .load = load, .target = target, .series = series, .mask = mask};
            if ((rc = add_step(p, &s)) < 0)
                return rc;
        }
    }

    /* 5. tare. */
    if ((rc = plan_tare(p, all)) < 0)
        return rc;

    /* 6. discrimination: R76-1 3.8, A.4.8.2: at Min, ½ Max and Max, 1.4 d;
     * for digital indication only where d >= 5 mg (3.8.2). */
    if (p->d < 5 * MASS_MG)
        return SC_OK;
    struct target dt[3] = {{p->min, W_MIN, "Min"}, {p->max / 2, W_AROUND, "1/2 Max"},
                           {p->max, W_MAX, "Max"}};
    for (int i = 0; i < 3; i++) {
        if ((rc = make_load(p, all, dt[i].kind, dt[i].t, PROC_DISCRIMINATION, dt[i].what, &load, &mask)) < 0)
            return rc;
        for (int after = 0; after <= 1; after++) {
            struct plan s = {.test = PROC_DISCRIMINATION, .k = 2 * i + after + 1, .of = 6, .load = load,
                             .target = dt[i].t, .mask = mask, .after_extra = after,
                             .extra = p->d / 5 * 7};
            if ((rc = add_step(p, &s)) < 0)
                return rc;
        }
    }
    return SC_OK;
}

int proc_new(const struct proc_config *cfg, struct proc **out)
{
    *out = NULL;
    struct r76_instrument in = cfg->instrument;
    int rc = r76_instrument_check(&in);
    if (rc < 0)
        return rc;
    if (in.scheme != R76_SINGLE)
        return sc_error_set(SC_ERR_UNSUPPORTED,
                            "the verification procedure handles single-interval instruments: a "
                            "multi-interval one needs its tests in every partial range "
                            "(R76-1 3.3), which is not built yet");
    if (cfg->stage != R76_VERIFICATION && cfg->stage != R76_IN_SERVICE)
        return sc_error_set(SC_ERR_ARG, "no such stage");
    if (cfg->reference.kind != REFERENCE_WEIGHTS)
        return sc_error_set(SC_ERR_ARG, "a verification needs a weight set as its reference");
    if ((rc = reference_check(&cfg->reference, cfg->today)) < 0)
        return rc;
    if (cfg->n_weights == 0 || cfg->n_weights > PROC_MAX_WEIGHTS)
        return sc_error_set(SC_ERR_ARG, "the weight set must list 1 to %d weights", PROC_MAX_WEIGHTS);
    for (size_t i = 0; i < cfg->n_weights; i++)
        if (cfg->weights_ug[i] <= 0 || cfg->weights_ug[i] > in.max_ug[0])
            return sc_error_set(SC_ERR_ARG, "weight %zu of the set: %s is not between 0 and Max",
                                i + 1, gs(cfg->weights_ug[i]).s);
    if (cfg->segments < 0 || cfg->segments > 16)
        return sc_error_set(SC_ERR_ARG, "segments must be 0 (= 4) to 16");
    int64_t e = in.e_ug[0], d = in.d_ug ? in.d_ug : e;
    int64_t display = cfg->resolution_ug ? cfg->resolution_ug : d;
    if (display < 0 || display > e || !r76_interval_valid(display) || display % 2 != 0)
        return sc_error_set(SC_ERR_ARG,
                            "the display interval %s must be 1, 2 or 5 × 10^k and no larger than e",
                            gs(display).s);

    struct proc *p = calloc(1, sizeof *p);
    if (p == NULL)
        return sc_error_set(SC_ERR_NOMEM, "no memory for a procedure");
    p->cfg = *cfg;
    p->cfg.instrument = in;
    if (p->cfg.segments == 0)
        p->cfg.segments = 4;
    p->e = e;
    p->d = d;
    p->display = display;
    p->max = in.max_ug[0];
    p->min = in.min_ug;
    if (p->min == 0 && (rc = r76_min_limit(in.cls, e, in.d_ug, &p->min)) < 0) {
        free(p);
        return rc;
    }
    if ((rc = plan_all(p)) < 0) {
        free(p);
        return rc;
    }
    *out = p;
    return SC_OK;
}

void proc_free(struct proc *p)
{
    free(p);
}

const struct proc_config *proc_config_get(const struct proc *p)
{
    return &p->cfg;
}

int proc_total(const struct proc *p)
{
    return p->total;
}

int proc_done(const struct proc *p)
{
    return p->done;
}

/* ---- steps ------------------------------------------------------------- */

static void instruction(const struct proc *p, const struct plan *s, const char *weights, char *buf,
                        size_t size)
{
    const char *how = p->display * 5 <= p->e
                          ? "enter the indication (test mode)"
                          : "add 0.1 e weights until the indication steps up by e; enter the "
                            "indication before the step and the weights added";
    char load[272]; /* mass + " (" + weights + ")" + the adaptation */
    char adapted[80] = "";
    /* A load the set cannot make exactly is adapted, and the step says so
     * (fill loads have no exact value to miss). */
    int64_t asked = s->target - s->tare, made = s->load - s->tare;
    if (asked != made && s->test != PROC_DISCRIMINATION)
        snprintf(adapted, sizeof adapted, "; %s asked, the set makes this", gs(asked).s);
    snprintf(load, sizeof load, "%s%s%s%s%s", gs(made).s, weights[0] ? " (" : "", weights,
             adapted, weights[0] ? ")" : "");
    switch (s->test) {
    case PROC_ZERO:
        snprintf(buf, size, "Zero: empty the receptor and set zero; %s", how);
        break;
    case PROC_WEIGHING:
        snprintf(buf, size, "Weighing %d/%d (%s): place %s at the centre; %s", s->k, s->of,
                 s->unloading ? "unloading" : "loading", load, how);
        break;
    case PROC_ECCENTRICITY:
        snprintf(buf, size, "Eccentricity %d/%d: place %s in the middle of segment %d; %s", s->k,
                 s->of, load, s->segment, how);
        break;
    case PROC_REPEATABILITY:
        snprintf(buf, size,
                 "Repeatability series %d, %d/%d: place %s at the centre (remove it and let the "
                 "indication return to zero between weighings); %s",
                 s->series, (s->k - 1) % (s->of / 2) + 1, s->of / 2, load, how);
        break;
    case PROC_TARE:
        if (s->k == 1)
            snprintf(buf, size, "Tare: place the tare %s (%s) and tare it (net 0); %s",
                     gs(s->tare).s, weights, how);
        else
            snprintf(buf, size, "Tare %d/%d: with the tare on, add net %s; %s", s->k, s->of, load, how);
        break;
    case PROC_DISCRIMINATION:
        /* R76-1 A.4.8.2 (digital indication): I with the load and ten
         * 0.1 d weights; remove them until I − d, put one back, add 1.4 d:
         * the indication must be I + d. */
        if (!s->after_extra)
            snprintf(buf, size,
                     "Discrimination at %s: place it with ten 0.1 d weights; enter the "
                     "indication I",
                     load);
        else
            snprintf(buf, size,
                     "Discrimination at %s: take the 0.1 d weights off one by one until the "
                     "indication drops to I - d, put one back, then gently add %s (1.4 d); "
                     "enter the indication (it must reach I + d)",
                     gs(s->load).s, gs(s->extra).s);
        break;
    default:
        buf[0] = '\0';
    }
}

int proc_step_get(const struct proc *p, int index, struct proc_step *out)
{
    if (index < 0 || index >= p->total)
        return sc_error_set(SC_ERR_RANGE, "no step %d (0 to %d)", index, p->total - 1);
    const struct plan *s = &p->steps[index];
    memset(out, 0, sizeof *out);
    out->index = index;
    out->test = s->test;
    out->k = s->k;
    out->of = s->of;
    out->load_ug = s->load;
    out->target_ug = s->target;
    out->tare_ug = s->tare;
    out->net_ug = s->load - s->tare;
    out->segment = s->segment;
    out->series = s->series;
    out->unloading = s->unloading;
    out->after_extra = s->after_extra;
    out->extra_ug = s->extra;
    /* The tare test's net step lists the net weights only. */
    mask_text(p, s->mask & ~(s->k > 1 ? s->tare_mask : 0), out->weights, sizeof out->weights);
    instruction(p, s, out->weights, out->instruction, sizeof out->instruction);
    return SC_OK;
}

int proc_current(const struct proc *p, struct proc_step *out)
{
    if (p->done >= p->total)
        return 0;
    int rc = proc_step_get(p, p->done, out);
    return rc < 0 ? rc : 1;
}

/* ---- judging ----------------------------------------------------------- */

static void verdict_line(struct proc_result *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void verdict_line(struct proc_result *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->reason, sizeof r->reason, fmt, ap);
    va_end(ap);
}

static int64_t abs64(int64_t v)
{
    return v < 0 ? -v : v;
}

int proc_feed(struct proc *p, const struct proc_reading *rd, struct proc_result *out)
{
    if (p->done >= p->total)
        return sc_error_set(SC_ERR_RANGE, "the procedure is finished: no step waits for a reading");
    if (!rd->stable)
        return sc_error_set(SC_ERR_AGAIN, "the reading is not stable: wait for the stable sign");
    const struct plan *s = &p->steps[p->done];
    struct proc_result r;
    memset(&r, 0, sizeof r);
    r.index = p->done;
    r.test = s->test;
    r.indication_ug = rd->indication_ug;
    r.added_ug = rd->added_ug;
    int rc;

    if (s->test == PROC_DISCRIMINATION) {
        /* R76-1 3.8, A.4.8.2: after the procedure the indication must be
         * I + d.  More than d is not a discrimination fault (the 1.4 d is
         * below 2 d, so it can only come from an error that the weighing
         * test judges); the first reading only records I. */
        r.error_ug = 0;
        if (!s->after_extra) {
            r.pass = 1;
            verdict_line(&r, "discrimination at %s: I = %s", gs(s->load).s,
                         gs(rd->indication_ug).s);
        } else {
            int64_t rise = rd->indication_ug - p->readings[p->done - 1].indication_ug;
            r.corrected_ug = rise;
            r.limit_ug = p->d;
            r.judged = 1;
            r.pass = rise >= p->d;
            verdict_line(&r, "discrimination at %s: the indication ends %s above I, %s d = %s (R76-1 3.8, A.4.8.2)",
                         gs(s->load).s, gs(rise).s, r.pass ? "at least" : "less than", gs(p->d).s);
        }
    } else {
        /* The load the indication should show: the net load once tared. */
        int64_t shown = s->test == PROC_TARE ? s->load - s->tare : s->load;
        if (rd->added_ug == PROC_DIRECT)
            rc = errpoint_direct(p->e, p->display, rd->indication_ug, shown, &r.error_ug);
        else
            rc = errpoint_error(p->display, rd->indication_ug, rd->added_ug, shown, &r.error_ug);
        if (rc < 0)
            return rc;
        r.judged = 1;
        int first_tare = s->test == PROC_TARE && s->k == 1;
        if (s->test == PROC_ZERO || first_tare) {
            /* R76-1 4.5.2: after zero-setting the zero error is within
             * ±0.25 e; the tare device sets net zero to the same accuracy
             * (R76-1 4.6.3). */
            r.corrected_ug = r.error_ug;
            r.limit_ug = p->e / 4;
            r.pass = abs64(r.error_ug) <= r.limit_ug;
            verdict_line(&r, "%s: E0 = %s %s \xc2\xb1%s (\xc2\xbc e, R76-1 %s)",
                         first_tare ? "net zero after taring" : "zero", signed_gs(r.error_ug).s,
                         r.pass ? "within" : "outside", gs(r.limit_ug).s, first_tare ? "4.6.3" : "4.5.2");
        } else {
            /* R76-1 A.4.4.3: Ec = E − E0; Table 6 (×2 in service, 3.5.2),
             * the net load's MPE under a tare (3.5.3.3). */
            int64_t e0 = s->test == PROC_TARE ? p->tare_zero_error : p->zero_error;
            r.corrected_ug = errpoint_corrected(r.error_ug, e0);
            int64_t mpe;
            if ((rc = r76_instrument_mpe(&p->cfg.instrument, shown, p->cfg.stage, &mpe)) < 0)
                return rc;
            r.limit_ug = mpe;
            r.pass = abs64(r.corrected_ug) <= mpe;
            const char *clause = s->test == PROC_ECCENTRICITY ? "3.6.2, A.4.7"
                                 : s->test == PROC_TARE       ? "3.5.3.3, A.4.6.1"
                                                              : "Table 6, A.4.4";
            char where[48] = "";
            if (s->test == PROC_ECCENTRICITY)
                snprintf(where, sizeof where, " on segment %d", s->segment);
            else if (s->test == PROC_TARE)
                snprintf(where, sizeof where, " net");
            verdict_line(&r, "%s %s%s: Ec = %s %s MPE \xc2\xb1%s (R76-1 %s)", proc_test_name(s->test),
                         gs(shown).s, where, signed_gs(r.corrected_ug).s, r.pass ? "within" : "exceeds",
                         gs(mpe).s, clause);
            if (s->test == PROC_REPEATABILITY) {
                /* R76-1 3.6.1: within a series, the largest difference
                 * between results no more than the MPE for the load; at
                 * the series' last reading. */
                int last = s->k % (s->of / 2) == 0;
                if (last) {
                    int64_t lo = r.error_ug, hi = r.error_ug;
                    for (int i = p->done - 1; i >= 0 && p->steps[i].test == PROC_REPEATABILITY &&
                                              p->steps[i].series == s->series;
                         i--) {
                        lo = p->results[i].error_ug < lo ? p->results[i].error_ug : lo;
                        hi = p->results[i].error_ug > hi ? p->results[i].error_ug : hi;
                    }
                    int spread_ok = hi - lo <= mpe;
                    char single[sizeof r.reason];
                    snprintf(single, sizeof single, "%s", r.reason);
                    verdict_line(&r, "repeatability series %d at %s: results differ by %s, %s MPE "
                                     "\xc2\xb1%s (R76-1 3.6.1); last %s",
                                 s->series, gs(shown).s, gs(hi - lo).s,
                                 spread_ok ? "within" : "more than", gs(mpe).s, single);
                    r.pass = r.pass && spread_ok;
                }
            }
        }
        if (s->test == PROC_ZERO)
            p->zero_error = r.error_ug;
        if (first_tare)
            p->tare_zero_error = r.error_ug;
    }
    p->readings[p->done] = *rd;
    p->results[p->done] = r;
    p->done++;
    if (out)
        *out = r;
    return SC_OK;
}

int proc_result_get(const struct proc *p, int index, struct proc_result *out)
{
    if (index < 0 || index >= p->done)
        return sc_error_set(SC_ERR_RANGE, "no result %d yet (%d readings taken)", index, p->done);
    *out = p->results[index];
    return SC_OK;
}

int proc_verdict_get(const struct proc *p, struct proc_verdict *v)
{
    memset(v, 0, sizeof *v);
    v->done = p->done;
    v->total = p->total;
    v->first_failure = -1;
    snprintf(v->reference_id, sizeof v->reference_id, "%s", p->cfg.reference.id);
    v->reference_valid_until = p->cfg.reference.valid_until;
    for (int i = 0; i < p->done; i++) {
        if (p->results[i].pass)
            continue;
        if (v->failures++ == 0) {
            v->first_failure = i;
            v->failed_test = p->results[i].test;
        }
    }
    char until[16];
    day_format(p->cfg.reference.valid_until, until, sizeof until);
    const struct r76_instrument *in = &p->cfg.instrument;
    if (v->failures > 0) {
        v->outcome = PROC_FAIL;
        char more[48] = "";
        if (v->failures > 1)
            snprintf(more, sizeof more, " (and %d more)", v->failures - 1);
        snprintf(v->reason, sizeof v->reason, "fails the %s test: %s%s%s; weight set %s",
                 proc_test_name(v->failed_test), p->results[v->first_failure].reason, more,
                 p->done < p->total ? "; procedure not finished" : "", p->cfg.reference.id);
    } else if (p->done < p->total) {
        v->outcome = PROC_INCOMPLETE;
        snprintf(v->reason, sizeof v->reason, "%d of %d readings taken; next: %s %d/%d", p->done,
                 p->total, proc_test_name(p->steps[p->done].test), p->steps[p->done].k,
                 p->steps[p->done].of);
    } else {
        v->outcome = PROC_PASS;
        snprintf(v->reason, sizeof v->reason,
                 "passes: zero, weighing, eccentricity, repeatability, tare and discrimination, "
                 "%d readings, class %s, Max %s, e = %s, %s MPE; weight set %s (valid until %s)",
                 p->total, r76_class_name(in->cls), gs(in->max_ug[0]).s, gs(in->e_ug[0]).s,
                 p->cfg.stage == R76_IN_SERVICE ? "in-service" : "verification", p->cfg.reference.id,
                 until);
    }
    return SC_OK;
}

/* ---- saving and loading ------------------------------------------------ */

#define PROC_MAGIC "stallcheck-procedure 1"

struct out {
    char *buf;
    size_t size, len;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct out *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t room = o->len < o->size ? o->size - o->len : 0;
    int n = vsnprintf(room ? o->buf + o->len : NULL, room, fmt, ap);
    va_end(ap);
    if (n > 0)
        o->len += (size_t)n;
}

int proc_save(const struct proc *p, char *buf, size_t size)
{
    struct out o = {buf, size, 0};
    if (size)
        buf[0] = '\0';
    const struct proc_config *c = &p->cfg;
    const struct r76_instrument *in = &c->instrument;
    char until[16];
    day_format(c->reference.valid_until, until, sizeof until);
    put(&o, "%s\n", PROC_MAGIC);
    put(&o, "class %s\n", r76_class_name(in->cls));
    put(&o, "max %" PRId64 "\nmin %" PRId64 "\ne %" PRId64 "\nd %" PRId64 "\n", in->max_ug[0],
        in->min_ug, in->e_ug[0], in->d_ug);
    put(&o, "stage %s\n", c->stage == R76_IN_SERVICE ? "in-service" : "verification");
    put(&o, "resolution %" PRId64 "\nsegments %d\n", c->resolution_ug, c->segments);
    put(&o, "reference %s %" PRId64 " %s\n", until, c->reference.mpe_ug, c->reference.id);
    put(&o, "weights");
    for (size_t i = 0; i < c->n_weights; i++)
        put(&o, " %" PRId64, c->weights_ug[i]);
    put(&o, "\n");
    for (int i = 0; i < p->done; i++) {
        if (p->readings[i].added_ug == PROC_DIRECT)
            put(&o, "reading %d %" PRId64 " direct\n", i, p->readings[i].indication_ug);
        else
            put(&o, "reading %d %" PRId64 " %" PRId64 "\n", i, p->readings[i].indication_ug,
                p->readings[i].added_ug);
    }
    if (o.len > INT32_MAX)
        return sc_error_set(SC_ERR_RANGE, "procedure state too large");
    return (int)o.len;
}

/* Strict integer: optional '-', digits, nothing else. */
static int parse_i64(const char *s, int64_t *out)
{
    const char *p = s;
    if (*p == '-')
        p++;
    if (*p < '0' || *p > '9')
        return -1;
    int64_t v = 0;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (v > (INT64_MAX - (*p - '0')) / 10)
            return -1;
        v = v * 10 + (*p - '0');
    }
    if (*p != '\0')
        return -1;
    *out = s[0] == '-' ? -v : v;
    return 0;
}

static int bad(int line, const char *why)
{
    return sc_error_set(SC_ERR_PARSE, "procedure state, line %d: %s", line, why);
}

int proc_load(const char *text, day_t today, struct proc **out)
{
    *out = NULL;
    if (text == NULL)
        return sc_error_set(SC_ERR_ARG, "no procedure state given");
    struct proc_config cfg;
    memset(&cfg, 0, sizeof cfg);
    enum r76_class cls = 0;
    int64_t max = -1, min = -1, e = -1, d = -1;
    int seen = 0; /* bit per header key */
    struct proc *p = NULL;
    int line = 0;
    char buf[1024];
    const char *cur = text;
    while (*cur) {
        line++;
        const char *nl = strchr(cur, '\n');
        size_t n = nl ? (size_t)(nl - cur) : strlen(cur);
        if (n >= sizeof buf) {
            proc_free(p);
            return bad(line, "line too long");
        }
        memcpy(buf, cur, n);
        buf[n] = '\0';
        cur += n + (nl ? 1 : 0);
        if (line == 1) {
            if (strcmp(buf, PROC_MAGIC) != 0)
                return bad(line, "not a stallcheck procedure (version 1)");
            continue;
        }
        char *sp = strchr(buf, ' ');
        if (sp == NULL) {
            proc_free(p);
            return bad(line, "expected 'key value'");
        }
        *sp = '\0';
        const char *key = buf, *val = sp + 1;
        int64_t v;
        int rc = SC_OK;
        if (strcmp(key, "reading") == 0) {
            if (p == NULL) {
                if (seen != 0x3ff)
                    return bad(line, "a reading before the whole header");
                struct r76_instrument *in = &cfg.instrument;
                r76_instrument_single(in, cls, max, min, e, d);
                cfg.today = today;
                if ((rc = proc_new(&cfg, &p)) < 0)
                    return rc;
            }
            char idx[24], ind[24], add[24], extra[2];
            if (sscanf(val, "%23s %23s %23s %1s", idx, ind, add, extra) != 3) {
                proc_free(p);
                return bad(line, "expected 'reading STEP INDICATION ADDED'");
            }
            struct proc_reading r = {0, 0, 1};
            int64_t step;
            if (parse_i64(idx, &step) < 0 || step != p->done || parse_i64(ind, &r.indication_ug) < 0 ||
                (strcmp(add, "direct") == 0 ? (r.added_ug = PROC_DIRECT, 0) : parse_i64(add, &r.added_ug)) < 0) {
                proc_free(p);
                return bad(line, "a reading out of order or not a number");
            }
            if ((rc = proc_feed(p, &r, NULL)) < 0) {
                char why[300];
                snprintf(why, sizeof why, "%s", sc_error_message());
                proc_free(p);
                return sc_error_set(rc, "procedure state, line %d: %s", line, why);
            }
            continue;
        }
        if (p != NULL)
            return proc_free(p), bad(line, "header after the readings");
        static const char *const keys[] = {"class", "max", "min", "e", "d", "stage",
                                           "resolution", "segments", "reference", "weights"};
        int k = -1;
        for (int i = 0; i < 10; i++)
            if (strcmp(key, keys[i]) == 0)
                k = i;
        if (k < 0)
            return bad(line, "unknown key");
        if (seen & (1 << k))
            return bad(line, "key given twice");
        seen |= 1 << k;
        switch (k) {
        case 0:
            if (r76_class_parse(val, &cls) < 0)
                return bad(line, "not an accuracy class");
            break;
        case 1: case 2: case 3: case 4: case 6:
            if (parse_i64(val, &v) < 0 || v < 0)
                return bad(line, "not a mass in micrograms");
            if (k == 1) max = v;
            else if (k == 2) min = v;
            else if (k == 3) e = v;
            else if (k == 4) d = v;
            else cfg.resolution_ug = v;
            break;
        case 5:
            if (strcmp(val, "verification") == 0)
                cfg.stage = R76_VERIFICATION;
            else if (strcmp(val, "in-service") == 0)
                cfg.stage = R76_IN_SERVICE;
            else
                return bad(line, "stage is verification or in-service");
            break;
        case 7:
            if (parse_i64(val, &v) < 0 || v < 0 || v > 16)
                return bad(line, "segments must be 0 to 16");
            cfg.segments = (int)v;
            break;
        case 8: {
            char until[16], mpe[24];
            int used = 0;
            if (sscanf(val, "%15s %23s %n", until, mpe, &used) != 2 || used == 0) {
                return bad(line, "expected 'reference VALID-UNTIL MPE ID'");
            }
            day_t u;
            int64_t m;
            if (day_parse(until, &u) < 0 || parse_i64(mpe, &m) < 0)
                return bad(line, "bad date or MPE in the reference");
            if (reference_init(&cfg.reference, REFERENCE_WEIGHTS, val + used, u, m) < 0)
                return bad(line, "bad reference id");
            break;
        }
        case 9: {
            char *save = NULL;
            char *vals = (char *)val;
            for (char *tok = strtok_r(vals, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
                if (cfg.n_weights == PROC_MAX_WEIGHTS || parse_i64(tok, &v) < 0)
                    return bad(line, "too many weights, or not a mass in micrograms");
                cfg.weights_ug[cfg.n_weights++] = v;
            }
            break;
        }
        }
    }
    if (line == 0)
        return bad(1, "empty");
    if (p == NULL) {
        if (seen != 0x3ff)
            return bad(line, "the header is incomplete");
        r76_instrument_single(&cfg.instrument, cls, max, min, e, d);
        cfg.today = today;
        int rc = proc_new(&cfg, &p);
        if (rc < 0)
            return rc;
    }
    *out = p;
    return SC_OK;
}
