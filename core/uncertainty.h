/* Measurement uncertainty in well-bounded integer arithmetic (GUM; JJF
 * 1059.1-2012), for the calibration of weighing instruments (EURAMET cg-18,
 * core/cg18.h).
 *
 * A budget is a list of standard-uncertainty contributions, each kept as its
 * variance in µg², an integer rounded UP from its exact value (a rectangular
 * half-width a gives a²/3, a resolution d gives d²/12, readings give s², ...;
 * exact products in 128 bits, then one ceiling division).  The combined
 * standard uncertainty and the expanded uncertainty are integer square
 * roots rounded up: the smallest q with q² >= (k² ×) the summed variance.
 *
 * The bound.  Let V be the exact combined variance (a rational number) and
 * V' the sum of the m rounded-up terms: V <= V' < V + m.  The reported
 * U' = ceil(sqrt(k² V')) satisfies U <= U' < U + 1 + k m / (2 sqrt V) µg,
 * with U = k sqrt V the exact expanded uncertainty: never understated, and
 * over by less than 1 µg plus a term that is below 0.1 µg for any budget
 * that holds a resolution of 1 mg or more (sqrt V >= 408 µg).  Certificates
 * then round U up to two significant digits (unc_round_up), as cg-18 7.4
 * and JJF 1059.1 allow: "rounded up" keeps it on the safe side.
 *
 * Limits: each variance must fit in int64 µg² (a standard uncertainty up
 * to about 3 kg); SC_ERR_RANGE beyond. */
#ifndef STALLCHECK_CORE_UNCERTAINTY_H
#define STALLCHECK_CORE_UNCERTAINTY_H

#include <stdint.h>

#define UNC_MAX_TERMS 16

struct unc_term {
    char name[32];        /* "repeatability", "resolution at zero", ... */
    int64_t variance_ug2; /* u², rounded up */
};

struct unc_budget {
    int n;
    struct unc_term terms[UNC_MAX_TERMS];
};

void unc_init(struct unc_budget *b);

/* A rectangular distribution of half-width a (a²/3): a weight's MPE, a
 * drift limit. */
int unc_add_rect(struct unc_budget *b, const char *name, int64_t half_width_ug);
/* The rounding of a digital indication of interval d (d²/12). */
int unc_add_resolution(struct unc_budget *b, const char *name, int64_t d_ug);
/* A standard uncertainty already known (u²). */
int unc_add_standard(struct unc_budget *b, const char *name, int64_t u_ug);
/* An expanded uncertainty U with its coverage factor k ((U/k)²). */
int unc_add_expanded(struct unc_budget *b, const char *name, int64_t U_ug, int k);
/* (a × p / q)² / div: a term scaled to a load, e.g. cg-18's eccentricity
 * (ΔI_ecc,max × I / L_ecc)² / 12. */
int unc_add_scaled(struct unc_budget *b, const char *name, int64_t a_ug, int64_t p, int64_t q, int div);
/* The experimental standard deviation of n >= 2 readings (s², n − 1 in the
 * denominator): a repeatability. */
int unc_add_readings(struct unc_budget *b, const char *name, const int64_t *x_ug, int n);
/* A variance already computed (from unc_variance_of_readings). */
int unc_add_variance(struct unc_budget *b, const char *name, int64_t variance_ug2);

/* s² of n >= 2 readings, rounded up (µg²); SC_ERR_ARG for n < 2. */
int unc_variance_of_readings(const int64_t *x_ug, int n, int64_t *variance_ug2);

/* The combined variance (µg²), the combined standard uncertainty and the
 * expanded uncertainty for coverage factor k, both rounded up (µg). */
int64_t unc_variance(const struct unc_budget *b);
int64_t unc_combined(const struct unc_budget *b);
int64_t unc_expanded(const struct unc_budget *b, int k);

/* The smallest q >= 0 with q² >= v. */
int64_t unc_isqrt_ceil(int64_t v);

/* Rounds up to `digits` significant digits: (415, 2) -> 420,
 * (239444, 2) -> 240000, (100, 2) -> 100. */
int64_t unc_round_up(int64_t ug, int digits);

#endif
