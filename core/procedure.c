#include "core/procedure.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errpoint.h"
#include "core/error.h"
#include "core/loads.h"
#include "core/mass.h"
#include "core/r111.h"

/* One planned step: what to place, with which of the set's weights. */
struct plan {
    enum proc_test test;
    int k, of;
    int64_t load, target, tare, extra;
    int segment, series, unloading, after_extra;
    int centre, zero_return, item; /* item: index into the regulation's check list */
    uint64_t mask; /* the set's weights making load (bit i = weights_ug[i]) */
    uint64_t tare_mask;
};

struct proc {
    struct proc_config cfg;
    const struct proc_regulation *reg;
    const struct check_item *items;
    int nitems;
    int64_t e, d, max, min, display;
    int64_t zero_load;   /* the load E0 is found at: 0, or about 10 e with zero-tracking */
    uint64_t zero_mask;
    uint64_t usable;     /* the set's weights no heavier than Max */
    int total, done;
    struct plan steps[PROC_MAX_STEPS];
    struct proc_reading readings[PROC_MAX_STEPS];
    struct proc_result results[PROC_MAX_STEPS];
    int64_t zero_error, tare_zero_error;
};

static const char *const test_names[PROC_TEST_COUNT] = {
    "zero", "weighing", "eccentricity", "repeatability", "tare", "discrimination",
    "general", "levelling", "pre-load", "price",
};

static const char *const kind_names[] = {"subsequent", "first", "in-service"};

const char *proc_kind_name(enum proc_kind k)
{
    return k >= PROC_SUBSEQUENT && k <= PROC_IN_SERVICE ? kind_names[k] : "?";
}

int proc_kind_parse(const char *text, enum proc_kind *out)
{
    for (int k = PROC_SUBSEQUENT; k <= PROC_IN_SERVICE; k++)
        if (text != NULL && strcmp(text, kind_names[k]) == 0) {
            *out = (enum proc_kind)k;
            return SC_OK;
        }
    return sc_error_set(SC_ERR_PARSE, "'%s': the kind of verification is first, subsequent or "
                        "in-service", text ? text : "");
}

/* ---- regulations and their general technical check --------------------- */

static const struct proc_regulation jjg539 = {
    "JJG 539-2016", "数字指示秤检定规程", "Digital Indicating Scales"};
static const struct proc_regulation jjg1204 = {
    "JJG 1204-2025", "电子计价秤检定规程", "Electronic Price Computing Scales"};

const struct proc_regulation *proc_regulation_for(int price_computing, day_t day)
{
    /* JJG 1204-2025 《电子计价秤检定规程（试行）》: published 2025-01-08, in
     * force 2027-01-08 (its cover page). */
    return price_computing && day >= day_from_ymd(2027, 1, 8) ? &jjg1204 : &jjg539;
}

const struct proc_regulation *proc_regulation(const struct proc *p)
{
    return p->reg;
}

/* One item of the general technical check (通用技术要求). */
struct check_item {
    const char *code;
    const char *what;   /* what the officer checks, for the instruction */
    const char *clause;
    int needs_text;
};

/* JJG 539-2016's general technical requirements as quoted in secondary
 * sources (its own text could not be read): appearance, the markings on the
 * plate, metrological security (seals, no access to adjustment), and no
 * cheating function. */
static const struct check_item items539[] = {
    {"appearance", "appearance: undamaged, display complete and legible", "JJG 539-2016", 0},
    {"markings", "markings: plate with maker, model, serial, class, Max, Min, e, approval mark",
     "JJG 539-2016", 0},
    {"security", "metrological security: seals intact, adjustment not accessible", "JJG 539-2016", 0},
    {"no-cheating", "no cheating function (no hidden keys, codes or remote control)", "JJG 539-2016", 0},
};

/* JJG 1204-2025 clause 6 (general technical requirements), from its table
 * of contents; 6.7 (level indicator) is the levelling step and 6.9 (price
 * computation) the price test. */
static const struct check_item items1204[] = {
    {"type-approval", "the scale agrees with its type-approval certificate", "JJG 1204-2025 6.1", 0},
    {"identity", "identity marks complete: production code, repair code, verification code "
                 "and seal",
     "JJG 1204-2025 6.2", 0},
    {"software", "software identification: read it from the display and type it in",
     "JJG 1204-2025 6.3", 1},
    {"self-lock", "self-lock: the scale locks when opened or its parameters are changed",
     "JJG 1204-2025 6.4", 0},
    {"security", "security: seals intact, adjustment not accessible, no cheating function",
     "JJG 1204-2025 6.5", 0},
    {"markings", "legal marks and the instrument's markings", "JJG 1204-2025 6.13", 0},
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

/* "12.34" from 1234 分. */
static void yuan(int64_t fen, char *buf, size_t size)
{
    snprintf(buf, size, "%s%" PRId64 ".%02" PRId64, fen < 0 ? "-" : "", (fen < 0 ? -fen : fen) / 100,
             (fen < 0 ? -fen : fen) % 100);
}

static int64_t dist(int64_t a, int64_t b)
{
    return a > b ? a - b : b - a;
}

static int compose(const struct proc *p, uint64_t avail, int64_t lo, int64_t hi, int64_t target,
                   int64_t *sum, uint64_t *mask)
{
    return loads_compose(p->cfg.weights_ug, p->cfg.n_weights, avail, lo, hi, target, sum, mask);
}

static void mask_text(const struct proc *p, uint64_t mask, char *buf, size_t size)
{
    loads_text(p->cfg.weights_ug, p->cfg.n_weights, mask, buf, size);
}

/* ---- planning ---------------------------------------------------------- */

enum window { W_MIN, W_CHANGE, W_AROUND, W_MAX, W_FILL, W_TEN_E };

static void window_of(enum window kind, int64_t t, int64_t *lo, int64_t *hi)
{
    switch (kind) {
    case W_MIN:    *lo = t; *hi = 2 * t; break;        /* Min .. 2 Min */
    case W_CHANGE: *lo = t - t / 10; *hi = t; break;   /* stays in the stricter band */
    case W_AROUND: *lo = t - t / 10; *hi = t + t / 10; break;
    case W_MAX:    *lo = t - t / 20; *hi = t; break;   /* never above Max */
    case W_FILL:   *lo = t - t / 3; *hi = t + t / 3; break; /* any load between the others */
    case W_TEN_E:  *lo = t; *hi = 2 * t; break;        /* 10 e to 20 e: out of zero-tracking */
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
    /* R76-1 A.4.4.1: loading up to Max, then unloading back to zero, the
     * last reading at zero (or at the zero-tracking load E0 was found at). */
    int of = 2 * n, k = 0;
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
    struct plan back = {.test = PROC_WEIGHING, .k = ++k, .of = of, .load = p->zero_load,
                        .target = p->cfg.zero_tracking ? 10 * p->e : 0, .mask = p->zero_mask,
                        .unloading = 1, .zero_return = 1};
    return add_step(p, &back);
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
    /* With zero-tracking the net zero is found at about 10 e net too. */
    int64_t z = 0;
    uint64_t zmask = 0;
    if (p->cfg.zero_tracking &&
        (rc = make_load(p, rest, W_TEN_E, 10 * p->e, PROC_TARE,
                        "net 10 e, out of the zero-tracking range", &z, &zmask)) < 0)
        return rc;
    steps[0] = (struct plan){.test = PROC_TARE, .k = 1, .of = n + 1, .load = tare + z,
                             .target = tare + (z ? 10 * p->e : 0), .tare = tare,
                             .mask = tare_mask | zmask, .tare_mask = tare_mask};
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
    uint64_t all = p->usable;
    int rc;
    int64_t load;
    uint64_t mask;

    /* 1. the general technical check, one item a step. */
    for (int i = 0; i < p->nitems; i++) {
        struct plan g = {.test = PROC_GENERAL, .k = i + 1, .of = p->nitems, .item = i};
        if ((rc = add_step(p, &g)) < 0)
            return rc;
    }
    /* 2. levelled by its level indicator (R76-1 3.9.1.1; JJG 1204-2025 6.7). */
    struct plan lv = {.test = PROC_LEVELLING, .k = 1, .of = 1};
    if ((rc = add_step(p, &lv)) < 0)
        return rc;
    /* 3. pre-loaded once to Max before the first weighing test (R76-1 A.4.3). */
    if ((rc = make_load(p, all, W_MAX, p->max, PROC_PRELOAD, "Max", &load, &mask)) < 0)
        return rc;
    struct plan pre = {.test = PROC_PRELOAD, .k = 1, .of = 1, .load = load, .target = p->max, .mask = mask};
    if ((rc = add_step(p, &pre)) < 0)
        return rc;

    /* 4. zero: R76-1 4.5.2, A.4.2.3.  Zero-tracking would follow small
     * weights at zero: the indication is brought out of its range by about
     * 10 e and E0 is found there (A.4.2.3.2). */
    if (p->cfg.zero_tracking &&
        (rc = make_load(p, all, W_TEN_E, 10 * p->e, PROC_ZERO,
                        "about 10 e, out of the zero-tracking range", &p->zero_load, &p->zero_mask)) < 0)
        return rc;
    struct plan z = {.test = PROC_ZERO, .k = 1, .of = 1, .load = p->zero_load,
                     .target = p->cfg.zero_tracking ? 10 * p->e : 0, .mask = p->zero_mask};
    if ((rc = add_step(p, &z)) < 0)
        return rc;

    /* 5. weighing: R76-1 A.4.4.1. */
    if ((rc = plan_weighing(p, all)) < 0)
        return rc;

    /* 6. eccentricity: R76-1 3.6.2.1: 1/3 Max for up to 4 support points,
     * at the centre and then in each quarter (A.4.7; JJG 539's positions 1
     * to 5); 3.6.2.2: Max / (n − 1) on each of n > 4 (the additive tare T+
     * these add to Max is not declared here, so not counted). */
    int seg = p->cfg.segments;
    int centre = seg <= 4;
    int64_t t = seg <= 4 ? p->max / 3 : p->max / (seg - 1);
    if ((rc = make_load(p, all, W_AROUND, t, PROC_ECCENTRICITY, "1/3 Max", &load, &mask)) < 0)
        return rc;
    for (int i = centre ? 0 : 1; i <= seg; i++) {
        struct plan s = {.test = PROC_ECCENTRICITY, .k = i + centre, .of = seg + centre, .load = load,
                         .target = t, .segment = i, .centre = i == 0, .mask = mask};
        if ((rc = add_step(p, &s)) < 0)
            return rc;
    }

    /* 7. repeatability: R76-1 A.4.10: two series, about 50 % and close to
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

    /* 8. tare. */
    if ((rc = plan_tare(p, all)) < 0)
        return rc;

    /* 9. discrimination: R76-1 3.8, A.4.8.2: at Min, ½ Max and Max, 1.4 d;
     * for digital indication only where d >= 5 mg (3.8.2). */
    if (p->d >= 5 * MASS_MG) {
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
    }

    /* 10. price: JJG 1204-2025 6.9 (计价功能); R76-1 4.14: the price to pay
     * from the weight shown and the unit price, at 50 % Max and at Max. */
    if (p->cfg.price_computing) {
        struct target pt[2] = {{p->max / 2, W_AROUND, "50 % Max"}, {p->max, W_MAX, "Max"}};
        for (int i = 0; i < 2; i++) {
            if ((rc = make_load(p, all, pt[i].kind, pt[i].t, PROC_PRICE, pt[i].what, &load, &mask)) < 0)
                return rc;
            struct plan s = {.test = PROC_PRICE, .k = i + 1, .of = 2, .load = load, .target = pt[i].t,
                             .mask = mask};
            if ((rc = add_step(p, &s)) < 0)
                return rc;
        }
    }
    return SC_OK;
}

/* The weights a step's judged reading rests on: the net weights under a
 * tare (the tare's own are tared away), nothing for steps judged without a
 * load from the set. */
static uint64_t judged_weights(const struct plan *s)
{
    switch (s->test) {
    case PROC_ZERO:
    case PROC_WEIGHING:
    case PROC_ECCENTRICITY:
    case PROC_REPEATABILITY:
    case PROC_TARE:
        return s->mask & ~s->tare_mask;
    default:
        return 0;
    }
}

/* R76-1 3.7.1: every load the set makes for a judged reading has weights
 * whose MPEs add up to no more than 1/3 of the scale's MPE for that load.
 * 1 when all fit in class cls; 0 with the first step that does not (*bad,
 * *wmpe, *smpe); < 0 for a weight Table 1 does not have. */
static int weights_fit(const struct proc *p, enum r111_class cls, int *bad, int64_t *wmpe, int64_t *smpe)
{
    for (int i = 0; i < p->total; i++) {
        const struct plan *s = &p->steps[i];
        uint64_t m = judged_weights(s);
        if (m == 0)
            continue;
        int64_t sum = 0, one;
        for (size_t w = 0; w < p->cfg.n_weights; w++) {
            if (!(m & (UINT64_C(1) << w)))
                continue;
            int rc = r111_mpe(cls, p->cfg.weights_ug[w], &one);
            if (rc < 0)
                return rc;
            sum += one;
        }
        int64_t mpe;
        int rc = r76_instrument_mpe(&p->cfg.instrument, s->load - s->tare, p->cfg.stage, &mpe);
        if (rc < 0)
            return rc;
        if (!r111_fit(sum, mpe)) {
            *bad = i;
            *wmpe = sum;
            *smpe = mpe;
            return 0;
        }
    }
    return 1;
}

static int check_weights(struct proc *p)
{
    int bad = -1;
    int64_t wmpe = 0, smpe = 0;
    int rc = weights_fit(p, p->cfg.weight_class, &bad, &wmpe, &smpe);
    if (rc < 0) {
        char why[240];
        snprintf(why, sizeof why, "%s", sc_error_message());
        return sc_error_set(rc, "the weight set '%s' (class %s): %s", p->cfg.reference.id,
                            r111_class_name(p->cfg.weight_class), why);
    }
    if (rc == 1)
        return SC_OK;
    /* The least accurate class that would do, for the message. */
    const char *better = NULL;
    for (int c = R111_M3; c >= R111_E1 && better == NULL; c--) {
        int b;
        int64_t w, m;
        if (weights_fit(p, (enum r111_class)c, &b, &w, &m) == 1)
            better = r111_class_name((enum r111_class)c);
    }
    const struct plan *s = &p->steps[bad];
    char tail[80] = "";
    if (better != NULL)
        snprintf(tail, sizeof tail, "; use class %s or better", better);
    return sc_error_set(SC_ERR_RANGE,
                        "the weight set '%s' (class %s) is not accurate enough for the %s test at "
                        "%s: its weights' MPE add up to \xc2\xb1%s, more than 1/3 of the scale's MPE "
                        "\xc2\xb1%s (R76-1 3.7.1)%s",
                        p->cfg.reference.id, r111_class_name(p->cfg.weight_class),
                        proc_test_name(s->test), gs(s->load - s->tare).s, gs(wmpe).s, gs(smpe).s, tail);
}

static const struct proc_regulation *regulation_by_code(const char *code)
{
    if (strcmp(code, jjg539.code) == 0)
        return &jjg539;
    if (strcmp(code, jjg1204.code) == 0)
        return &jjg1204;
    return NULL;
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
    if (cfg->kind < PROC_SUBSEQUENT || cfg->kind > PROC_IN_SERVICE)
        return sc_error_set(SC_ERR_ARG, "no such kind of verification");
    if ((cfg->kind == PROC_IN_SERVICE) != (cfg->stage == R76_IN_SERVICE))
        return sc_error_set(SC_ERR_ARG, "an in-service inspection, and only it, is judged against "
                            "the in-service MPE (twice the verification MPE)");
    if (cfg->weight_class <= R111_NONE || cfg->weight_class >= R111_CLASS_COUNT)
        return sc_error_set(SC_ERR_ARG, "declare the weight set's OIML R111 class: the weights "
                            "must be within 1/3 of the scale's MPE (R76-1 3.7.1)");
    if (cfg->reference.kind != REFERENCE_WEIGHTS)
        return sc_error_set(SC_ERR_ARG, "a verification needs a weight set as its reference");
    if ((rc = reference_check(&cfg->reference, cfg->today)) < 0)
        return rc;
    if (cfg->n_weights == 0 || cfg->n_weights > PROC_MAX_WEIGHTS)
        return sc_error_set(SC_ERR_ARG, "the weight set must list 1 to %d weights", PROC_MAX_WEIGHTS);
    uint64_t usable = 0;
    for (size_t i = 0; i < cfg->n_weights; i++) {
        if (cfg->weights_ug[i] <= 0)
            return sc_error_set(SC_ERR_ARG, "weight %zu of the set: %s is not a mass above 0",
                                i + 1, gs(cfg->weights_ug[i]).s);
        /* A kit's weights above Max (its 10 kg on a 6 kg scale) stay aside. */
        if (cfg->weights_ug[i] <= in.max_ug[0])
            usable |= UINT64_C(1) << i;
    }
    if (usable == 0)
        return sc_error_set(SC_ERR_RANGE, "every weight of the set '%s' is heavier than Max %s",
                            cfg->reference.id, gs(in.max_ug[0]).s);
    if (cfg->segments < 0 || cfg->segments > 16)
        return sc_error_set(SC_ERR_ARG, "segments must be 0 (= 4) to 16");
    if (cfg->unit_price_fen < 0 || cfg->unit_price_fen > 100000000 || cfg->price_step_fen < 0 ||
        cfg->price_step_fen > 10000)
        return sc_error_set(SC_ERR_ARG, "the price test's unit price (0 to 1 000 000 yuan/kg) or "
                            "price interval (0 to 100 yuan) is out of range");
    const struct proc_regulation *reg = proc_regulation_for(cfg->price_computing, cfg->today);
    if (cfg->regulation[0] != '\0' && (reg = regulation_by_code(cfg->regulation)) == NULL)
        return sc_error_set(SC_ERR_ARG, "'%s' is not a regulation this procedure follows", cfg->regulation);
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
    if (p->cfg.unit_price_fen == 0)
        p->cfg.unit_price_fen = 1234; /* 12.34 yuan/kg: every digit of the amount moves */
    if (p->cfg.price_step_fen == 0)
        p->cfg.price_step_fen = 1;
    p->reg = reg;
    snprintf(p->cfg.regulation, sizeof p->cfg.regulation, "%s", reg->code);
    p->items = reg == &jjg1204 ? items1204 : items539;
    p->nitems = reg == &jjg1204 ? (int)(sizeof items1204 / sizeof items1204[0])
                                : (int)(sizeof items539 / sizeof items539[0]);
    p->usable = usable;
    p->e = e;
    p->d = d;
    p->display = display;
    p->max = in.max_ug[0];
    p->min = in.min_ug;
    if (p->min == 0 && (rc = r76_min_limit(in.cls, e, in.d_ug, &p->min)) < 0) {
        free(p);
        return rc;
    }
    if ((rc = plan_all(p)) < 0 || (rc = check_weights(p)) < 0) {
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
    case PROC_GENERAL: {
        const struct check_item *it = &p->items[s->item];
        snprintf(buf, size, "General check %d/%d (%s): %s; answer pass or fail%s", s->k, s->of,
                 it->clause, it->what, it->needs_text ? ", with what the scale shows" : "");
        break;
    }
    case PROC_LEVELLING:
        snprintf(buf, size, "Levelling: level the scale by its level indicator (bubble centred); "
                            "answer pass when level, fail when it cannot be levelled");
        break;
    case PROC_PRELOAD:
        snprintf(buf, size, "Pre-load: place %s once and take it off (R76-1 A.4.3); answer pass when "
                            "done",
                 load);
        break;
    case PROC_ZERO:
        if (p->cfg.zero_tracking)
            snprintf(buf, size, "Zero: empty the receptor and set zero, then place %s to take the "
                                "scale out of its zero-tracking range (about 10 e); %s",
                     load, how);
        else
            snprintf(buf, size, "Zero: empty the receptor and set zero; %s", how);
        break;
    case PROC_WEIGHING:
        if (s->zero_return && s->load > 0)
            snprintf(buf, size, "Weighing %d/%d (back to zero): take every load off, then place %s "
                                "(out of zero-tracking); %s",
                     s->k, s->of, load, how);
        else if (s->zero_return)
            snprintf(buf, size, "Weighing %d/%d (back to zero): take every load off; %s", s->k,
                     s->of, how);
        else
            snprintf(buf, size, "Weighing %d/%d (%s): place %s at the centre; %s", s->k, s->of,
                     s->unloading ? "unloading" : "loading", load, how);
        break;
    case PROC_ECCENTRICITY:
        if (s->centre)
            snprintf(buf, size, "Eccentricity %d/%d: place %s at the centre; %s", s->k, s->of, load,
                     how);
        else
            snprintf(buf, size, "Eccentricity %d/%d: place %s in the middle of segment %d; %s", s->k,
                     s->of, load, s->segment, how);
        break;
    case PROC_PRICE: {
        char price[32];
        yuan(p->cfg.unit_price_fen, price, sizeof price);
        snprintf(buf, size, "Price %d/%d: place %s; key in the unit price %s yuan/kg; enter the "
                            "weight and the price to pay shown",
                 s->k, s->of, load, price);
        break;
    }
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
    out->centre = s->centre;
    out->zero_return = s->zero_return;
    out->answer_step = s->test == PROC_GENERAL || s->test == PROC_LEVELLING || s->test == PROC_PRELOAD;
    if (s->test == PROC_GENERAL) {
        snprintf(out->item, sizeof out->item, "%s", p->items[s->item].code);
        out->needs_text = p->items[s->item].needs_text;
    }
    if (s->test == PROC_PRICE)
        out->unit_price_fen = p->cfg.unit_price_fen;
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

/* What an answer carries goes into the saved state, one line: printable,
 * no line breaks. */
static int check_text(const char *t)
{
    size_t n = strnlen(t, PROC_TEXT_MAX);
    if (n == PROC_TEXT_MAX)
        return sc_error_set(SC_ERR_ARG, "the text is longer than %d bytes", PROC_TEXT_MAX - 1);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)t[i] < 0x20 || t[i] == 0x7f)
            return sc_error_set(SC_ERR_ARG, "the text has a control character");
    if (n > 0 && (t[0] == ' ' || t[n - 1] == ' '))
        return sc_error_set(SC_ERR_ARG, "the text starts or ends with a space");
    return SC_OK;
}

/* A reading must come at the resolution the run declared.  A scale left
 * showing whole e while a finer test-mode interval was declared would have
 * its rounding taken for its error (a true +6 g at 10 kg read as +5 g): so a
 * reading coarser than the declared interval is refused, and under a
 * declared test mode, or for the direct method, a reading whose digits are
 * not known is refused too (R76-1 3.5.3.2, A.4.4.3). */
static int check_digits(const struct proc *p, const struct plan *s, const struct proc_reading *rd)
{
    if (rd->digit_ug < 0)
        return sc_error_set(SC_ERR_ARG, "a reading's digit cannot be negative");
    /* Discrimination is read on the normal display, d (R76-1 A.4.8.2). */
    if (s->test == PROC_DISCRIMINATION) {
        if (rd->digit_ug > p->d)
            return sc_error_set(SC_ERR_ARG, "the reading %s came with %s digits, coarser than d = %s",
                                gs(rd->indication_ug).s, gs(rd->digit_ug).s, gs(p->d).s);
        return SC_OK;
    }
    if (rd->digit_ug > p->display)
        return sc_error_set(SC_ERR_ARG,
                            "the reading %s came with %s digits, coarser than the %s interval declared "
                            "for this verification: %s",
                            gs(rd->indication_ug).s, gs(rd->digit_ug).s, gs(p->display).s,
                            p->display < p->d ? "the scale is not in its test mode; switch it, or "
                                                "verify without a test-mode interval (the "
                                                "error-point method)"
                                              : "the scale's d is not what its plate says");
    if (rd->digit_ug == 0 && (p->display < p->d || rd->added_ug == PROC_DIRECT))
        return sc_error_set(SC_ERR_ARG,
                            "the reading %s came without its digits: a direct reading at %s needs "
                            "them (read it from the scale's interface, or type it as shown, e.g. "
                            "\"10005.5\")",
                            gs(rd->indication_ug).s, gs(p->display).s);
    return SC_OK;
}

/* The price to pay, in 分: weight (µg) × unit price (分/kg), to the nearest
 * multiple of step, halves up.  __int128: 10^14 µg × 10^8 分/kg fits. */
__extension__ typedef __int128 wide_t;

static int64_t price_to_pay(int64_t ug, int64_t fen_per_kg, int64_t step)
{
    wide_t num = (wide_t)ug * fen_per_kg;    /* 分 × 10^9 */
    wide_t unit = (wide_t)step * MASS_KG;    /* one step, × 10^9 */
    wide_t q = (num * 2 + unit) / (unit * 2); /* nearest, halves up (num >= 0) */
    return (int64_t)(q * step);
}

int proc_digit_of(const char *text, int64_t unit_ug, int64_t *digit_ug)
{
    const char *c = text;
    if (c == NULL || unit_ug <= 0)
        return sc_error_set(SC_ERR_PARSE, "no reading");
    while (*c == ' ')
        c++;
    if (*c == '+' || *c == '-')
        c++;
    int digits = 0, decimals = -1;
    for (; *c; c++) {
        if (*c >= '0' && *c <= '9') {
            digits++;
            if (decimals >= 0)
                decimals++;
        } else if (*c == '.' && decimals < 0) {
            decimals = 0;
        } else {
            break;
        }
    }
    while (*c == ' ')
        c++;
    if (digits == 0 || *c != '\0')
        return sc_error_set(SC_ERR_PARSE, "'%s' is not a plain decimal reading", text);
    int64_t d = unit_ug;
    for (int i = 0; i < (decimals > 0 ? decimals : 0); i++) {
        if (d % 10 != 0)
            return sc_error_set(SC_ERR_PARSE, "'%s' has digits finer than 1 ug", text);
        d /= 10;
    }
    *digit_ug = d;
    return SC_OK;
}

/* A step answered pass or fail: the general check, levelling, the pre-load. */
static int feed_answer(struct proc *p, const struct plan *s, const struct proc_reading *rd,
                       struct proc_result *r)
{
    if (rd->answer != PROC_YES && rd->answer != PROC_NO)
        return sc_error_set(SC_ERR_ARG, "this step takes an answer (pass or fail), not a reading");
    int rc;
    if ((rc = check_text(rd->text)) < 0)
        return rc;
    r->answer = rd->answer;
    snprintf(r->text, sizeof r->text, "%s", rd->text);
    r->indication_ug = 0;
    r->added_ug = 0;
    r->pass = rd->answer == PROC_YES;
    r->judged = 1;
    if (s->test == PROC_GENERAL) {
        const struct check_item *it = &p->items[s->item];
        if (it->needs_text && r->pass && r->text[0] == '\0')
            return sc_error_set(SC_ERR_ARG, "type in what the scale shows (%s)", it->what);
        verdict_line(r, "general check: %s %s%s%s%s (%s)", it->code, r->pass ? "passes" : "fails",
                     r->text[0] ? " [" : "", r->text, r->text[0] ? "]" : "", it->clause);
    } else if (s->test == PROC_LEVELLING) {
        verdict_line(r, "levelling: %s (R76-1 3.9.1.1; JJG 1204-2025 6.7)",
                     r->pass ? "levelled by its level indicator" : "cannot be levelled");
    } else {
        /* The pre-load is done, not judged: it cannot fail. */
        if (!r->pass)
            return sc_error_set(SC_ERR_ARG, "pre-load the scale to Max once before the tests "
                                "(R76-1 A.4.3), then answer pass");
        r->judged = 0;
        verdict_line(r, "pre-loaded to %s (R76-1 A.4.3)", gs(s->load).s);
    }
    return SC_OK;
}

/* JJG 1204-2025 6.9; R76-1 4.14: the price to pay is the weight shown
 * times the unit price, rounded to the nearest price interval (halves up,
 * as the re-weigh's money short is). */
static int feed_price(struct proc *p, const struct plan *s, const struct proc_reading *rd,
                      struct proc_result *r)
{
    if (rd->indication_ug < 0 || rd->amount_fen < 0)
        return sc_error_set(SC_ERR_ARG, "a price step takes the weight and the price to pay shown");
    r->amount_fen = rd->amount_fen;
    r->expected_fen = price_to_pay(rd->indication_ug, p->cfg.unit_price_fen, p->cfg.price_step_fen);
    r->judged = 1;
    r->pass = r->amount_fen == r->expected_fen;
    char shown[32], want[32], unit[32];
    yuan(r->amount_fen, shown, sizeof shown);
    yuan(r->expected_fen, want, sizeof want);
    yuan(p->cfg.unit_price_fen, unit, sizeof unit);
    verdict_line(r, "price at %s: %s x %s yuan/kg shows %s yuan, %s %s yuan (JJG 1204-2025 6.9)",
                 gs(s->load).s, gs(rd->indication_ug).s, unit, shown,
                 r->pass ? "equal to" : "should be", want);
    return SC_OK;
}

/* R76-1 3.8, A.4.8.2: after the procedure the indication must be I + d.
 * More than d is not a discrimination fault (the 1.4 d is below 2 d, so it
 * can only come from an error that the weighing test judges); the first
 * reading only records I. */
static void feed_discrimination(const struct proc *p, const struct plan *s,
                                const struct proc_reading *rd, struct proc_result *r)
{
    r->error_ug = 0;
    if (!s->after_extra) {
        r->pass = 1;
        verdict_line(r, "discrimination at %s: I = %s", gs(s->load).s, gs(rd->indication_ug).s);
        return;
    }
    int64_t rise = rd->indication_ug - p->readings[p->done - 1].indication_ug;
    r->corrected_ug = rise;
    r->limit_ug = p->d;
    r->judged = 1;
    r->pass = rise >= p->d;
    verdict_line(r, "discrimination at %s: the indication ends %s above I, %s d = %s (R76-1 3.8, A.4.8.2)",
                 gs(s->load).s, gs(rise).s, r->pass ? "at least" : "less than", gs(p->d).s);
}

/* R76-1 3.6.1: within a series, the largest difference between results no
 * more than the MPE for the load; judged at the series' last reading. */
static void feed_spread(const struct proc *p, const struct plan *s, int64_t shown, int64_t mpe,
                        struct proc_result *r)
{
    if (s->k % (s->of / 2) != 0)
        return;
    int64_t lo = r->error_ug, hi = r->error_ug;
    for (int i = p->done - 1;
         i >= 0 && p->steps[i].test == PROC_REPEATABILITY && p->steps[i].series == s->series; i--) {
        lo = p->results[i].error_ug < lo ? p->results[i].error_ug : lo;
        hi = p->results[i].error_ug > hi ? p->results[i].error_ug : hi;
    }
    int spread_ok = hi - lo <= mpe;
    char single[sizeof r->reason];
    snprintf(single, sizeof single, "%s", r->reason);
    verdict_line(r, "repeatability series %d at %s: results differ by %s, %s MPE "
                    "\xc2\xb1%s (R76-1 3.6.1); last %s",
                 s->series, gs(shown).s, gs(hi - lo).s, spread_ok ? "within" : "more than",
                 gs(mpe).s, single);
    r->pass = r->pass && spread_ok;
}

/* A zero, or the net zero after the first taring: R76-1 4.5.2, after
 * zero-setting the zero error is within ±0.25 e; the tare device sets net
 * zero to the same accuracy (R76-1 4.6.3). */
static void feed_zero(const struct proc *p, int first_tare, struct proc_result *r)
{
    r->corrected_ug = r->error_ug;
    r->limit_ug = p->e / 4;
    r->pass = abs64(r->error_ug) <= r->limit_ug;
    verdict_line(r, "%s: E0 = %s %s \xc2\xb1%s (\xc2\xbc e, R76-1 %s)",
                 first_tare ? "net zero after taring" : "zero", signed_gs(r->error_ug).s,
                 r->pass ? "within" : "outside", gs(r->limit_ug).s, first_tare ? "4.6.3" : "4.5.2");
}

/* R76-1 A.4.4.3: Ec = E − E0; Table 6 (×2 in service, 3.5.2), the net
 * load's MPE under a tare (3.5.3.3). */
static int feed_mpe(const struct proc *p, const struct plan *s, int64_t shown, struct proc_result *r)
{
    int64_t e0 = s->test == PROC_TARE ? p->tare_zero_error : p->zero_error;
    r->corrected_ug = errpoint_corrected(r->error_ug, e0);
    int64_t mpe;
    int rc;
    if ((rc = r76_instrument_mpe(&p->cfg.instrument, shown, p->cfg.stage, &mpe)) < 0)
        return rc;
    r->limit_ug = mpe;
    r->pass = abs64(r->corrected_ug) <= mpe;
    const char *clause = s->test == PROC_ECCENTRICITY ? "3.6.2, A.4.7"
                         : s->test == PROC_TARE       ? "3.5.3.3, A.4.6.1"
                                                      : "Table 6, A.4.4";
    char where[48] = "";
    if (s->test == PROC_ECCENTRICITY)
        snprintf(where, sizeof where, " on segment %d", s->segment);
    else if (s->test == PROC_TARE)
        snprintf(where, sizeof where, " net");
    verdict_line(r, "%s %s%s: Ec = %s %s MPE \xc2\xb1%s (R76-1 %s)", proc_test_name(s->test),
                 gs(shown).s, where, signed_gs(r->corrected_ug).s, r->pass ? "within" : "exceeds",
                 gs(mpe).s, clause);
    if (s->test == PROC_REPEATABILITY)
        feed_spread(p, s, shown, mpe, r);
    return SC_OK;
}

/* A step judged by the error of its indication: zero, weighing, tare,
 * eccentricity, repeatability. */
static int feed_error(struct proc *p, const struct plan *s, const struct proc_reading *rd,
                      struct proc_result *r)
{
    /* The load the indication should show: the net load once tared. */
    int64_t shown = s->test == PROC_TARE ? s->load - s->tare : s->load;
    int rc;
    if (rd->added_ug == PROC_DIRECT)
        rc = errpoint_direct(p->e, p->display, rd->indication_ug, shown, &r->error_ug);
    else
        rc = errpoint_error(p->display, rd->indication_ug, rd->added_ug, shown, &r->error_ug);
    if (rc < 0)
        return rc;
    r->judged = 1;
    int first_tare = s->test == PROC_TARE && s->k == 1;
    if (s->test == PROC_ZERO || first_tare)
        feed_zero(p, first_tare, r);
    else if ((rc = feed_mpe(p, s, shown, r)) < 0)
        return rc;
    if (s->test == PROC_ZERO)
        p->zero_error = r->error_ug;
    if (first_tare)
        p->tare_zero_error = r->error_ug;
    return SC_OK;
}

/* Judges one step's reading by the kind of step it is. */
static int feed_step(struct proc *p, const struct plan *s, const struct proc_reading *rd,
                     struct proc_result *r)
{
    int rc;
    if (s->test == PROC_GENERAL || s->test == PROC_LEVELLING || s->test == PROC_PRELOAD)
        return feed_answer(p, s, rd, r);
    if (rd->answer != 0)
        return sc_error_set(SC_ERR_ARG, "this step takes a reading, not an answer");
    if (s->test == PROC_PRICE)
        return feed_price(p, s, rd, r);
    if ((rc = check_digits(p, s, rd)) < 0)
        return rc;
    if (s->test == PROC_DISCRIMINATION) {
        feed_discrimination(p, s, rd, r);
        return SC_OK;
    }
    return feed_error(p, s, rd, r);
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
    int rc = feed_step(p, s, rd, &r);
    if (rc < 0)
        return rc;
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
    v->regulation = p->reg;
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
        /* The tests done, in order, once each. */
        char tests[160] = "";
        size_t len = 0;
        for (int i = 0; i < p->total; i++) {
            if (p->steps[i].test == PROC_PRELOAD || (i > 0 && p->steps[i - 1].test == p->steps[i].test))
                continue;
            len += (size_t)snprintf(tests + len, len < sizeof tests ? sizeof tests - len : 0, "%s%s",
                                    len ? ", " : "", proc_test_name(p->steps[i].test));
            if (len >= sizeof tests)
                len = sizeof tests - 1;
        }
        snprintf(v->reason, sizeof v->reason,
                 "passes %s: %s; %d steps, class %s, Max %s, e = %s, %s MPE; weight set %s "
                 "(class %s, valid until %s)",
                 p->reg->code, tests, p->total, r76_class_name(in->cls), gs(in->max_ug[0]).s,
                 gs(in->e_ug[0]).s, p->cfg.stage == R76_IN_SERVICE ? "in-service" : "verification",
                 p->cfg.reference.id, r111_class_name(p->cfg.weight_class), until);
    }
    return SC_OK;
}

/* ---- saving and loading ------------------------------------------------ */

#define PROC_MAGIC "stallcheck-procedure 2"

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
    put(&o, "kind %s\n", proc_kind_name(c->kind));
    put(&o, "resolution %" PRId64 "\nsegments %d\n", c->resolution_ug, c->segments);
    put(&o, "zero-tracking %d\nprice-computing %d\n", c->zero_tracking ? 1 : 0, c->price_computing ? 1 : 0);
    put(&o, "unit-price %" PRId64 "\nprice-step %" PRId64 "\n", c->unit_price_fen, c->price_step_fen);
    put(&o, "regulation %s\n", p->reg->code);
    put(&o, "weight-class %s\n", r111_class_code(c->weight_class));
    put(&o, "reference %s %" PRId64 " %s\n", until, c->reference.mpe_ug, c->reference.id);
    put(&o, "weights");
    for (size_t i = 0; i < c->n_weights; i++)
        put(&o, " %" PRId64, c->weights_ug[i]);
    put(&o, "\n");
    for (int i = 0; i < p->done; i++) {
        const struct proc_reading *r = &p->readings[i];
        if (r->answer)
            put(&o, "answer %d %s%s%s\n", i, r->answer == PROC_YES ? "yes" : "no", r->text[0] ? " " : "",
                r->text);
        else if (p->steps[i].test == PROC_PRICE)
            put(&o, "price %d %" PRId64 " %" PRId64 "\n", i, r->indication_ug, r->amount_fen);
        else if (r->added_ug == PROC_DIRECT)
            put(&o, "reading %d %" PRId64 " direct %" PRId64 "\n", i, r->indication_ug, r->digit_ug);
        else
            put(&o, "reading %d %" PRId64 " %" PRId64 " %" PRId64 "\n", i, r->indication_ug, r->added_ug,
                r->digit_ug);
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

static const char *const header_keys[] = {
    "class", "max", "min", "e", "d", "stage", "resolution", "segments", "reference", "weights",
    "kind", "zero-tracking", "price-computing", "unit-price", "price-step", "regulation", "weight-class",
};
#define HEADER_KEYS ((int)(sizeof header_keys / sizeof header_keys[0]))
#define HEADER_ALL ((1 << HEADER_KEYS) - 1)

struct loader {
    struct proc_config cfg;
    enum r76_class cls;
    int64_t max, min, e, d;
    int seen;
};

/* One header line; SC_OK or an SC_ERR_PARSE naming the line. */
static int load_header(struct loader *l, int line, const char *key, char *val)
{
    int k = -1;
    for (int i = 0; i < HEADER_KEYS; i++)
        if (strcmp(key, header_keys[i]) == 0)
            k = i;
    if (k < 0)
        return bad(line, "unknown key");
    if (l->seen & (1 << k))
        return bad(line, "key given twice");
    l->seen |= 1 << k;
    struct proc_config *cfg = &l->cfg;
    int64_t v;
    switch (k) {
    case 0:
        if (r76_class_parse(val, &l->cls) < 0)
            return bad(line, "not an accuracy class");
        return SC_OK;
    case 1: case 2: case 3: case 4: case 6: case 13: case 14:
        if (parse_i64(val, &v) < 0 || v < 0)
            return bad(line, "not a whole number of micrograms or fen");
        *(k == 1 ? &l->max : k == 2 ? &l->min : k == 3 ? &l->e : k == 4 ? &l->d
          : k == 6 ? &cfg->resolution_ug : k == 13 ? &cfg->unit_price_fen : &cfg->price_step_fen) = v;
        return SC_OK;
    case 5:
        if (strcmp(val, "verification") == 0)
            cfg->stage = R76_VERIFICATION;
        else if (strcmp(val, "in-service") == 0)
            cfg->stage = R76_IN_SERVICE;
        else
            return bad(line, "stage is verification or in-service");
        return SC_OK;
    case 7:
        if (parse_i64(val, &v) < 0 || v < 0 || v > 16)
            return bad(line, "segments must be 0 to 16");
        cfg->segments = (int)v;
        return SC_OK;
    case 8: {
        char until[16], mpe[24];
        int used = 0;
        if (sscanf(val, "%15s %23s %n", until, mpe, &used) != 2 || used == 0)
            return bad(line, "expected 'reference VALID-UNTIL MPE ID'");
        day_t u;
        int64_t m;
        if (day_parse(until, &u) < 0 || parse_i64(mpe, &m) < 0)
            return bad(line, "bad date or MPE in the reference");
        if (reference_init(&cfg->reference, REFERENCE_WEIGHTS, val + used, u, m) < 0)
            return bad(line, "bad reference id");
        return SC_OK;
    }
    case 9: {
        char *save = NULL;
        for (char *tok = strtok_r(val, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
            if (cfg->n_weights == PROC_MAX_WEIGHTS || parse_i64(tok, &v) < 0)
                return bad(line, "too many weights, or not a mass in micrograms");
            cfg->weights_ug[cfg->n_weights++] = v;
        }
        return SC_OK;
    }
    case 10:
        if (proc_kind_parse(val, &cfg->kind) < 0)
            return bad(line, "kind is first, subsequent or in-service");
        return SC_OK;
    case 11: case 12:
        if (strcmp(val, "0") != 0 && strcmp(val, "1") != 0)
            return bad(line, "expected 0 or 1");
        *(k == 11 ? &cfg->zero_tracking : &cfg->price_computing) = val[0] == '1';
        return SC_OK;
    case 15:
        if (regulation_by_code(val) == NULL)
            return bad(line, "not a regulation this procedure follows");
        snprintf(cfg->regulation, sizeof cfg->regulation, "%s", val);
        return SC_OK;
    default:
        if (r111_class_parse(val, &cfg->weight_class) < 0)
            return bad(line, "not an OIML R111 weight class");
        return SC_OK;
    }
}

/* One "reading", "answer" or "price" line, fed to the procedure. */
static int load_reading(struct proc *p, int line, const char *key, const char *val)
{
    struct proc_reading r;
    memset(&r, 0, sizeof r);
    r.stable = 1;
    char idx[24], a[24], b[24], c[24], extra[2];
    int64_t step;
    int n = sscanf(val, "%23s %23s %23s %23s %1s", idx, a, b, c, extra);
    if (n < 2 || parse_i64(idx, &step) < 0 || step != p->done)
        return bad(line, "a reading out of order or not a number");
    if (strcmp(key, "answer") == 0) {
        if (strcmp(a, "yes") != 0 && strcmp(a, "no") != 0)
            return bad(line, "an answer is yes or no");
        r.answer = a[0] == 'y' ? PROC_YES : PROC_NO;
        const char *t = strchr(val, ' ');
        t = t ? strchr(t + 1, ' ') : NULL;
        if (t != NULL && strlen(t + 1) >= sizeof r.text)
            return bad(line, "the answer's text is too long");
        if (t != NULL)
            snprintf(r.text, sizeof r.text, "%s", t + 1);
    } else if (strcmp(key, "price") == 0) {
        if (n != 3 || parse_i64(a, &r.indication_ug) < 0 || parse_i64(b, &r.amount_fen) < 0)
            return bad(line, "expected 'price STEP WEIGHT AMOUNT'");
    } else {
        if (n != 4 || parse_i64(a, &r.indication_ug) < 0 || parse_i64(c, &r.digit_ug) < 0 ||
            (strcmp(b, "direct") == 0 ? (r.added_ug = PROC_DIRECT, 0) : parse_i64(b, &r.added_ug)) < 0)
            return bad(line, "expected 'reading STEP INDICATION ADDED DIGIT'");
    }
    int rc = proc_feed(p, &r, NULL);
    if (rc < 0) {
        char why[300];
        snprintf(why, sizeof why, "%s", sc_error_message());
        return sc_error_set(rc, "procedure state, line %d: %s", line, why);
    }
    return SC_OK;
}

static int load_start(struct loader *l, int line, day_t today, struct proc **p)
{
    if (l->seen != HEADER_ALL)
        return bad(line, "the header is incomplete");
    r76_instrument_single(&l->cfg.instrument, l->cls, l->max, l->min, l->e, l->d);
    l->cfg.today = today;
    return proc_new(&l->cfg, p);
}

int proc_load(const char *text, day_t today, struct proc **out)
{
    *out = NULL;
    if (text == NULL)
        return sc_error_set(SC_ERR_ARG, "no procedure state given");
    struct loader l;
    memset(&l, 0, sizeof l);
    struct proc *p = NULL;
    int line = 0, rc = SC_OK;
    char buf[1024];
    const char *cur = text;
    while (*cur && rc == SC_OK) {
        line++;
        const char *nl = strchr(cur, '\n');
        size_t n = nl ? (size_t)(nl - cur) : strlen(cur);
        if (n >= sizeof buf) {
            rc = bad(line, "line too long");
            break;
        }
        memcpy(buf, cur, n);
        buf[n] = '\0';
        cur += n + (nl ? 1 : 0);
        if (line == 1) {
            if (strcmp(buf, PROC_MAGIC) != 0)
                rc = bad(line, strcmp(buf, "stallcheck-procedure 1") == 0
                                   ? "saved by an older stallcheck, without the weight set's class "
                                     "and the general check: start the verification again"
                                   : "not a stallcheck procedure (version 2)");
            continue;
        }
        char *sp = strchr(buf, ' ');
        if (sp == NULL) {
            rc = bad(line, "expected 'key value'");
            break;
        }
        *sp = '\0';
        const char *key = buf;
        char *val = sp + 1;
        if (strcmp(key, "reading") == 0 || strcmp(key, "answer") == 0 || strcmp(key, "price") == 0) {
            if (p == NULL && (rc = load_start(&l, line, today, &p)) < 0)
                break;
            rc = load_reading(p, line, key, val);
        } else if (p != NULL) {
            rc = bad(line, "header after the readings");
        } else {
            rc = load_header(&l, line, key, val);
        }
    }
    if (rc == SC_OK && line == 0)
        rc = bad(1, "empty");
    if (rc == SC_OK && p == NULL)
        rc = load_start(&l, line, today, &p);
    if (rc < 0) {
        proc_free(p);
        return rc;
    }
    *out = p;
    return SC_OK;
}
