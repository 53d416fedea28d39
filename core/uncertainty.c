#include "core/uncertainty.h"

#include <string.h>

#include "core/error.h"

__extension__ typedef __int128 wide_t;

void unc_init(struct unc_budget *b)
{
    memset(b, 0, sizeof *b);
}

/* ceil(num / den) for num >= 0, den > 0, into int64 µg². */
static int put(struct unc_budget *b, const char *name, wide_t num, wide_t den)
{
    if (b->n == UNC_MAX_TERMS)
        return sc_error_set(SC_ERR_RANGE, "more than %d uncertainty terms", UNC_MAX_TERMS);
    if (num < 0 || den <= 0)
        return sc_error_set(SC_ERR_ARG, "%s: a variance cannot be negative", name);
    wide_t v = (num + den - 1) / den;
    if (v > INT64_MAX / UNC_MAX_TERMS)
        return sc_error_set(SC_ERR_RANGE, "%s: the variance is beyond what this arithmetic holds", name);
    struct unc_term *t = &b->terms[b->n++];
    memset(t, 0, sizeof *t);
    size_t len = strlen(name);
    if (len >= sizeof t->name)
        len = sizeof t->name - 1;
    memcpy(t->name, name, len);
    t->variance_ug2 = (int64_t)v;
    return SC_OK;
}

int unc_add_rect(struct unc_budget *b, const char *name, int64_t a)
{
    if (a < 0)
        return sc_error_set(SC_ERR_ARG, "%s: a half-width cannot be negative", name);
    return put(b, name, (wide_t)a * a, 3);
}

int unc_add_resolution(struct unc_budget *b, const char *name, int64_t d)
{
    if (d < 0)
        return sc_error_set(SC_ERR_ARG, "%s: a resolution cannot be negative", name);
    return put(b, name, (wide_t)d * d, 12);
}

int unc_add_standard(struct unc_budget *b, const char *name, int64_t u)
{
    if (u < 0)
        return sc_error_set(SC_ERR_ARG, "%s: an uncertainty cannot be negative", name);
    return put(b, name, (wide_t)u * u, 1);
}

int unc_add_expanded(struct unc_budget *b, const char *name, int64_t U, int k)
{
    if (U < 0 || k <= 0)
        return sc_error_set(SC_ERR_ARG, "%s: U >= 0 and k > 0", name);
    return put(b, name, (wide_t)U * U, (wide_t)k * k);
}

int unc_add_scaled(struct unc_budget *b, const char *name, int64_t a, int64_t p, int64_t q, int div)
{
    if (q <= 0 || div <= 0 || p < 0)
        return sc_error_set(SC_ERR_ARG, "%s: a scale p/q with p >= 0, q > 0", name);
    if (a < 0)
        a = -a;
    /* (a p / q)² / div = a² p² / (q² div), exact in 128 bits while a p
     * stays below 2^62 (a 5 g eccentricity times 60 t is 3·10^20 µg²: the
     * products are µg × µg) and q² div below 2^126. */
    wide_t ap = (wide_t)a * p;
    if (ap > ((wide_t)1 << 62))
        return sc_error_set(SC_ERR_RANGE, "%s: the term is beyond what this arithmetic holds", name);
    return put(b, name, ap * ap, (wide_t)q * q * div);
}

int unc_variance_of_readings(const int64_t *x, int n, int64_t *out)
{
    if (n < 2)
        return sc_error_set(SC_ERR_ARG, "a standard deviation needs at least 2 readings");
    /* Deviations from the first reading keep the sums small; the sum of
     * squares about the mean, times n, is n Σd² − (Σd)², exact. */
    wide_t sd = 0, sdd = 0;
    for (int i = 0; i < n; i++) {
        wide_t d = (wide_t)x[i] - x[0];
        sd += d;
        sdd += d * d;
    }
    wide_t num = (wide_t)n * sdd - sd * sd, den = (wide_t)n * (n - 1);
    wide_t v = (num + den - 1) / den;
    if (v > INT64_MAX)
        return sc_error_set(SC_ERR_RANGE, "the readings' spread is beyond what this arithmetic holds");
    *out = (int64_t)v;
    return SC_OK;
}

int unc_add_readings(struct unc_budget *b, const char *name, const int64_t *x, int n)
{
    int64_t v;
    int rc = unc_variance_of_readings(x, n, &v);
    return rc < 0 ? rc : put(b, name, v, 1);
}

int unc_add_variance(struct unc_budget *b, const char *name, int64_t v)
{
    return put(b, name, v, 1);
}

int64_t unc_variance(const struct unc_budget *b)
{
    int64_t v = 0;
    for (int i = 0; i < b->n; i++)
        v += b->terms[i].variance_ug2; /* each <= INT64_MAX / UNC_MAX_TERMS */
    return v;
}

/* The smallest q with q² >= v, for v >= 0 in 128 bits. */
static int64_t isqrt_ceil_wide(wide_t v)
{
    if (v <= 0)
        return 0;
    /* Binary search on q in [0, 2^63). */
    int64_t lo = 0, hi = INT64_C(3037000500); /* > sqrt(INT64_MAX) */
    while ((wide_t)hi * hi < v)
        hi *= 2;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if ((wide_t)mid * mid >= v)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

int64_t unc_isqrt_ceil(int64_t v)
{
    return isqrt_ceil_wide(v);
}

int64_t unc_combined(const struct unc_budget *b)
{
    return isqrt_ceil_wide(unc_variance(b));
}

int64_t unc_expanded(const struct unc_budget *b, int k)
{
    return isqrt_ceil_wide((wide_t)k * k * unc_variance(b));
}

int64_t unc_round_up(int64_t ug, int digits)
{
    if (ug <= 0 || digits <= 0)
        return ug;
    int64_t lim = 1;
    for (int i = 0; i < digits; i++)
        lim *= 10;
    int64_t step = 1;
    while (ug / step >= lim)
        step *= 10;
    return (ug + step - 1) / step * step;
}
