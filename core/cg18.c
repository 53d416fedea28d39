#include "core/cg18.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/loads.h"
#include "core/mass.h"

struct plan {
    enum cg18_test test;
    int k, of, position;
    int64_t load, target;
    uint64_t mask;
};

struct cg18 {
    struct cg18_config cfg;
    int total, done;
    struct plan steps[CG18_STEPS];
    struct cg18_reading readings[CG18_STEPS];
};

static const char *const names[] = {"repeatability", "eccentricity", "error"};

const char *cg18_test_name(enum cg18_test t)
{
    return t >= CG18_REPEATABILITY && t <= CG18_ERROR ? names[t] : "?";
}

static void grams(int64_t ug, char *buf, size_t size)
{
    char num[24];
    mass_format(ug, MASS_G, num, sizeof num);
    snprintf(buf, size, "%s g", num);
}

/* The set's load nearest target in [lo, hi]. */
static int make(struct cg18 *c, uint64_t avail, int64_t target, int64_t lo, int64_t hi, const char *what,
                int64_t *load, uint64_t *mask)
{
    if (loads_compose(c->cfg.weights_ug, c->cfg.n_weights, avail, lo, hi, target, load, mask) == 0 &&
        *load > 0)
        return SC_OK;
    char t[40], a[40], b[40];
    grams(target, t, sizeof t);
    grams(lo, a, sizeof a);
    grams(hi, b, sizeof b);
    return sc_error_set(SC_ERR_RANGE, "the weight set '%s' cannot make the %s load: about %s, between "
                        "%s and %s", c->cfg.reference.id, what, t, a, b);
}

static int plan(struct cg18 *c, uint64_t avail)
{
    int64_t max = c->cfg.max_ug, load;
    uint64_t mask;
    int rc;
    /* cg-18 5.1: one load, near Max, placed again and again. */
    if ((rc = make(c, avail, max, max - max / 10, max, "repeatability", &load, &mask)) < 0)
        return rc;
    for (int i = 0; i < CG18_REPEATS; i++)
        c->steps[c->total++] = (struct plan){CG18_REPEATABILITY, i + 1, CG18_REPEATS, 0, load, max, mask};
    /* cg-18 5.3: about Max/3 at the centre and on each quarter. */
    int64_t third = max / 3;
    if ((rc = make(c, avail, third, third - third / 10, third + third / 10, "eccentricity", &load, &mask)) < 0)
        return rc;
    for (int i = 0; i < CG18_POSITIONS; i++)
        c->steps[c->total++] = (struct plan){CG18_ECCENTRICITY, i + 1, CG18_POSITIONS, i, load, third, mask};
    /* cg-18 5.2: test loads spread over the range, Min to Max. */
    int64_t min = c->cfg.min_ug;
    static const int quarters[CG18_POINTS] = {0, 1, 2, 3, 4};
    for (int i = 0; i < CG18_POINTS; i++) {
        int64_t t = quarters[i] == 0 ? min : max / 4 * quarters[i];
        int64_t lo = quarters[i] == 0 ? min : t - t / 10, hi = quarters[i] == 0 ? 2 * min
                                                              : quarters[i] == 4 ? max : t + t / 10;
        if ((rc = make(c, avail, t, lo, hi, i == 0 ? "Min" : i == 4 ? "Max" : "test", &load, &mask)) < 0)
            return rc;
        c->steps[c->total++] = (struct plan){CG18_ERROR, i + 1, CG18_POINTS, 0, load, t, mask};
    }
    return SC_OK;
}

int cg18_new(const struct cg18_config *cfg, struct cg18 **out)
{
    *out = NULL;
    if (cfg->max_ug <= 0 || cfg->d_ug <= 0 || cfg->d_ug > cfg->max_ug)
        return sc_error_set(SC_ERR_ARG, "Max and the interval read d must be above 0, d no more than Max");
    if (cfg->min_ug < 0 || cfg->min_ug >= cfg->max_ug)
        return sc_error_set(SC_ERR_ARG, "Min must be below Max");
    if (cfg->weight_class <= R111_NONE || cfg->weight_class >= R111_CLASS_COUNT)
        return sc_error_set(SC_ERR_ARG, "declare the weight set's OIML R111 class");
    if (cfg->reference.kind != REFERENCE_WEIGHTS)
        return sc_error_set(SC_ERR_ARG, "a calibration needs a weight set as its reference");
    int rc = reference_check(&cfg->reference, cfg->today);
    if (rc < 0)
        return rc;
    if (cfg->n_weights == 0 || cfg->n_weights > CG18_MAX_WEIGHTS)
        return sc_error_set(SC_ERR_ARG, "the weight set must list 1 to %d weights", CG18_MAX_WEIGHTS);
    uint64_t avail = 0;
    for (size_t i = 0; i < cfg->n_weights; i++) {
        int64_t mpe;
        if (cfg->weights_ug[i] <= 0)
            return sc_error_set(SC_ERR_ARG, "weight %zu of the set is not above 0", i + 1);
        if ((rc = r111_mpe(cfg->weight_class, cfg->weights_ug[i], &mpe)) < 0)
            return rc;
        if (cfg->weights_ug[i] <= cfg->max_ug)
            avail |= UINT64_C(1) << i;
    }
    struct cg18 *c = calloc(1, sizeof *c);
    if (c == NULL)
        return sc_error_set(SC_ERR_NOMEM, "no memory for a calibration");
    c->cfg = *cfg;
    if (c->cfg.min_ug == 0)
        c->cfg.min_ug = 20 * cfg->d_ug;
    if ((rc = plan(c, avail)) < 0) {
        free(c);
        return rc;
    }
    *out = c;
    return SC_OK;
}

void cg18_free(struct cg18 *c)
{
    free(c);
}

const struct cg18_config *cg18_config_get(const struct cg18 *c)
{
    return &c->cfg;
}

int cg18_total(const struct cg18 *c)
{
    return c->total;
}

int cg18_done(const struct cg18 *c)
{
    return c->done;
}

int cg18_step_get(const struct cg18 *c, int index, struct cg18_step *out)
{
    if (index < 0 || index >= c->total)
        return sc_error_set(SC_ERR_RANGE, "no step %d", index);
    const struct plan *s = &c->steps[index];
    memset(out, 0, sizeof *out);
    out->index = index;
    out->test = s->test;
    out->k = s->k;
    out->of = s->of;
    out->position = s->position;
    out->load_ug = s->load;
    out->target_ug = s->target;
    loads_text(c->cfg.weights_ug, c->cfg.n_weights, s->mask, out->weights, sizeof out->weights);
    char load[40], d[40];
    grams(s->load, load, sizeof load);
    grams(c->cfg.d_ug, d, sizeof d);
    static const char *const where[CG18_POSITIONS] = {"at the centre", "in the middle of quarter 1",
                                                      "in the middle of quarter 2",
                                                      "in the middle of quarter 3",
                                                      "in the middle of quarter 4"};
    switch (s->test) {
    case CG18_REPEATABILITY:
        snprintf(out->instruction, sizeof out->instruction,
                 "Repeatability %d/%d: zero the scale, place %s (%s) at the centre, read it to %s, "
                 "take it off",
                 s->k, s->of, load, out->weights, d);
        break;
    case CG18_ECCENTRICITY:
        snprintf(out->instruction, sizeof out->instruction,
                 "Eccentricity %d/%d: zero the scale, place %s (%s) %s, read it to %s", s->k, s->of,
                 load, out->weights, where[s->position], d);
        break;
    case CG18_ERROR:
        snprintf(out->instruction, sizeof out->instruction,
                 "Error of indication %d/%d: zero the scale, place %s (%s) at the centre, read it to %s",
                 s->k, s->of, load, out->weights, d);
        break;
    }
    return SC_OK;
}

int cg18_current(const struct cg18 *c, struct cg18_step *out)
{
    if (c->done >= c->total)
        return 0;
    int rc = cg18_step_get(c, c->done, out);
    return rc < 0 ? rc : 1;
}

int cg18_feed(struct cg18 *c, const struct cg18_reading *r)
{
    if (c->done >= c->total)
        return sc_error_set(SC_ERR_RANGE, "the calibration is finished");
    if (!r->stable)
        return sc_error_set(SC_ERR_AGAIN, "the reading is not stable: wait for the stable sign");
    char d[40], ind[40];
    grams(c->cfg.d_ug, d, sizeof d);
    grams(r->indication_ug, ind, sizeof ind);
    /* The rounding terms are those of d: a reading given to coarser digits,
     * or not on the interval, is not a reading at d. */
    if (r->digit_ug < 0 || r->digit_ug > c->cfg.d_ug)
        return sc_error_set(SC_ERR_ARG, "the reading %s is given coarser than d = %s", ind, d);
    if (r->indication_ug % c->cfg.d_ug != 0)
        return sc_error_set(SC_ERR_ARG, "the reading %s is not a multiple of d = %s", ind, d);
    c->readings[c->done++] = *r;
    return SC_OK;
}

int cg18_reading_get(const struct cg18 *c, int index, struct cg18_reading *out)
{
    if (index < 0 || index >= c->done)
        return sc_error_set(SC_ERR_RANGE, "no reading %d yet", index);
    *out = c->readings[index];
    return SC_OK;
}

static int64_t mpe_of(const struct cg18 *c, uint64_t mask)
{
    int64_t sum = 0, one = 0;
    for (size_t i = 0; i < c->cfg.n_weights; i++)
        if (mask & (UINT64_C(1) << i) && r111_mpe(c->cfg.weight_class, c->cfg.weights_ug[i], &one) == 0)
            sum += one;
    return sum;
}

int cg18_results(const struct cg18 *c, struct cg18_results *out)
{
    memset(out, 0, sizeof *out);
    if (c->done < c->total)
        return sc_error_set(SC_ERR_AGAIN, "%d of %d readings taken", c->done, c->total);
    out->k = CG18_K;
    int64_t rep[CG18_REPEATS], s2 = 0;
    int nrep = 0, rc;
    int64_t centre = 0;
    for (int i = 0; i < c->total; i++) {
        const struct plan *s = &c->steps[i];
        if (s->test == CG18_REPEATABILITY) {
            rep[nrep++] = c->readings[i].indication_ug;
            out->repeat_load_ug = s->load;
        } else if (s->test == CG18_ECCENTRICITY) {
            out->ecc_load_ug = s->load;
            if (s->position == 0)
                centre = c->readings[i].indication_ug;
            int64_t di = c->readings[i].indication_ug - centre;
            out->ecc_ug[s->position] = di;
            if ((di < 0 ? -di : di) > out->ecc_max_ug)
                out->ecc_max_ug = di < 0 ? -di : di;
        }
    }
    if ((rc = unc_variance_of_readings(rep, nrep, &s2)) < 0)
        return rc;
    out->s_ug = unc_isqrt_ceil(s2);
    for (int i = 0; i < c->total; i++) {
        const struct plan *s = &c->steps[i];
        if (s->test != CG18_ERROR)
            continue;
        struct cg18_point *pt = &out->points[out->npoints++];
        pt->load_ug = s->load;
        pt->indication_ug = c->readings[i].indication_ug;
        pt->error_ug = pt->indication_ug - s->load;
        struct unc_budget *b = &pt->budget;
        unc_init(b);
        int64_t w = mpe_of(c, s->mask);
        /* cg-18 7.1.1 (indication) and 7.1.2 (reference weights). */
        if ((rc = unc_add_resolution(b, "rounding at zero", c->cfg.d_ug)) < 0 ||
            (rc = unc_add_resolution(b, "rounding at the load", c->cfg.d_ug)) < 0 ||
            (rc = unc_add_variance(b, "repeatability", s2)) < 0 ||
            (rc = unc_add_scaled(b, "eccentricity", out->ecc_max_ug, pt->indication_ug > 0 ? pt->indication_ug : 0,
                                 2 * out->ecc_load_ug, 3)) < 0 ||
            (rc = unc_add_rect(b, "reference weights", w)) < 0 ||
            (rc = unc_add_scaled(b, "air buoyancy", w, 1, 4, 3)) < 0)
            return rc;
        pt->u_ug = unc_combined(b);
        pt->U_ug = unc_expanded(b, CG18_K);
        pt->U_report_ug = unc_round_up(pt->U_ug, 2);
    }
    return SC_OK;
}

/* ---- saving ------------------------------------------------------------- */

#define CG18_MAGIC "stallcheck-cg18 1"

int cg18_save(const struct cg18 *c, char *buf, size_t size)
{
    char until[16];
    day_format(c->cfg.reference.valid_until, until, sizeof until);
    size_t len = 0;
    char tmp[64];
#define PUT(...)                                                                            \
    do {                                                                                    \
        int n_ = snprintf(len < size ? buf + len : NULL, len < size ? size - len : 0, __VA_ARGS__); \
        if (n_ > 0)                                                                         \
            len += (size_t)n_;                                                              \
    } while (0)
    if (size)
        buf[0] = '\0';
    PUT("%s\nmax %" PRId64 "\nmin %" PRId64 "\nd %" PRId64 "\nweight-class %s\n", CG18_MAGIC,
        c->cfg.max_ug, c->cfg.min_ug, c->cfg.d_ug, r111_class_code(c->cfg.weight_class));
    PUT("reference %s %s\nweights", until, c->cfg.reference.id);
    for (size_t i = 0; i < c->cfg.n_weights; i++) {
        snprintf(tmp, sizeof tmp, " %" PRId64, c->cfg.weights_ug[i]);
        PUT("%s", tmp);
    }
    PUT("\n");
    for (int i = 0; i < c->done; i++)
        PUT("reading %d %" PRId64 " %" PRId64 "\n", i, c->readings[i].indication_ug, c->readings[i].digit_ug);
#undef PUT
    if (len > INT32_MAX)
        return sc_error_set(SC_ERR_RANGE, "calibration state too large");
    return (int)len;
}

static int bad(int line, const char *why)
{
    return sc_error_set(SC_ERR_PARSE, "calibration state, line %d: %s", line, why);
}

static int num(const char *s, int64_t *out)
{
    char *end;
    if (*s == '\0')
        return -1;
    long long v = strtoll(s, &end, 10);
    if (*end != '\0')
        return -1;
    *out = v;
    return 0;
}

int cg18_load(const char *text, day_t today, struct cg18 **out)
{
    *out = NULL;
    struct cg18_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.today = today;
    struct cg18 *c = NULL;
    int line = 0, seen = 0, rc = SC_OK;
    char buf[2048];
    for (const char *cur = text ? text : ""; *cur && rc == SC_OK;) {
        const char *nl = strchr(cur, '\n');
        size_t n = nl ? (size_t)(nl - cur) : strlen(cur);
        line++;
        if (n >= sizeof buf) {
            rc = bad(line, "line too long");
            break;
        }
        memcpy(buf, cur, n);
        buf[n] = '\0';
        cur += n + (nl ? 1 : 0);
        if (line == 1) {
            if (strcmp(buf, CG18_MAGIC) != 0)
                rc = bad(line, "not a stallcheck calibration (version 1)");
            continue;
        }
        char *val = strchr(buf, ' ');
        if (val == NULL) {
            rc = bad(line, "expected 'key value'");
            break;
        }
        *val++ = '\0';
        int64_t v;
        if (strcmp(buf, "reading") == 0) {
            if (c == NULL) {
                if (seen != 0x3f) {
                    rc = bad(line, "a reading before the whole header");
                    break;
                }
                if ((rc = cg18_new(&cfg, &c)) < 0)
                    break;
            }
            char a[24], b[24], d[24], extra[2];
            struct cg18_reading r = {.stable = 1};
            if (sscanf(val, "%23s %23s %23s %1s", a, b, d, extra) != 3 || num(a, &v) < 0 || v != c->done ||
                num(b, &r.indication_ug) < 0 || num(d, &r.digit_ug) < 0) {
                rc = bad(line, "expected 'reading STEP INDICATION DIGIT' in order");
                break;
            }
            if ((rc = cg18_feed(c, &r)) < 0) {
                char why[256];
                snprintf(why, sizeof why, "%s", sc_error_message());
                rc = sc_error_set(rc, "calibration state, line %d: %s", line, why);
            }
            continue;
        }
        if (c != NULL) {
            rc = bad(line, "header after the readings");
            break;
        }
        static const char *const keys[] = {"max", "min", "d", "weight-class", "reference", "weights"};
        int k = -1;
        for (int i = 0; i < 6; i++)
            if (strcmp(buf, keys[i]) == 0)
                k = i;
        if (k < 0 || (seen & (1 << k))) {
            rc = bad(line, k < 0 ? "unknown key" : "key given twice");
            break;
        }
        seen |= 1 << k;
        if (k <= 2) {
            if (num(val, &v) < 0 || v < 0) {
                rc = bad(line, "not a mass in micrograms");
                break;
            }
            *(k == 0 ? &cfg.max_ug : k == 1 ? &cfg.min_ug : &cfg.d_ug) = v;
        } else if (k == 3) {
            if (r111_class_parse(val, &cfg.weight_class) < 0)
                rc = bad(line, "not an OIML R111 class");
        } else if (k == 4) {
            char until[16];
            int used = 0;
            day_t u;
            if (sscanf(val, "%15s %n", until, &used) != 1 || used == 0 || day_parse(until, &u) < 0 ||
                reference_init(&cfg.reference, REFERENCE_WEIGHTS, val + used, u, 0) < 0)
                rc = bad(line, "expected 'reference VALID-UNTIL ID'");
        } else {
            char *save = NULL;
            for (char *tok = strtok_r(val, " ", &save); tok && rc == SC_OK; tok = strtok_r(NULL, " ", &save)) {
                if (cfg.n_weights == CG18_MAX_WEIGHTS || num(tok, &v) < 0)
                    rc = bad(line, "too many weights, or not a mass");
                else
                    cfg.weights_ug[cfg.n_weights++] = v;
            }
        }
    }
    if (rc == SC_OK && c == NULL) {
        if (line == 0)
            rc = bad(1, "empty");
        else if (seen != 0x3f)
            rc = bad(line, "the header is incomplete");
        else
            rc = cg18_new(&cfg, &c);
    }
    if (rc < 0) {
        cg18_free(c);
        return rc;
    }
    *out = c;
    return SC_OK;
}
