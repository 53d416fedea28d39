/* Calibration (校准) of a non-automatic weighing instrument after EURAMET
 * cg-18 ("Guidelines on the calibration of non-automatic weighing
 * instruments", version 4.0, 2015), the practice JJF 1847-2020 《电子天平
 * 校准规范》 follows for electronic balances.  A calibration gives results
 * with their uncertainty, not a pass or fail: no conformity is stated and
 * no interval is given (a verification, 检定, is core/procedure.h).
 *
 * The tests (cg-18 clause 5), in order:
 *   repeatability   the same load, near Max, placed CG18_REPEATS times; the
 *                   standard deviation s of the indications (5.1);
 *   eccentricity    about Max/3 at the centre and in the middle of each of
 *                   the four quarters; ΔI_ecc,i = I_i − I_centre (5.3);
 *   errors          CG18_POINTS test loads spread over the range, Min to
 *                   Max, each from zero: E = I − m_ref (5.2).
 *
 * Each error's uncertainty (cg-18 clause 7): u²(E) is the sum of
 *   d0²/12 and dI²/12  the rounding of the indication at zero and at the
 *                      load, d the interval read (7.1.1.1, 7.1.1.2);
 *   s²                 the repeatability, taken for every load (7.1.1.3);
 *   (|ΔI_ecc|max × I / L_ecc)² / 12   the eccentricity: a rectangular
 *                      distribution of half-width |ΔI_ecc|max I / (2 L_ecc)
 *                      (7.1.1.4);
 *   (ΣMPE)² / 3        the reference weights used at their nominal value,
 *                      their class's MPE (R111-1 Table 1) as a rectangular
 *                      half-width; weights combined into one load are
 *                      correlated, so their MPEs add (7.1.2.1);
 *   (ΣMPE / 4)² / 3    air buoyancy, for R111 weights with the air density
 *                      not measured: R111-1 clause 10 keeps its effect within
 *                      MPE / 4 for air within 10 % of 1.2 kg/m³ (7.1.2.3);
 * and U(E) = k u(E) with k = 2 (7.3; about 95 %).  The weights' drift
 * between their calibrations is taken as within their class (their MPE),
 * which their own in-date certificate attests; a set whose calibration has
 * expired is refused.
 *
 * Arithmetic: core/uncertainty.h (integer µg², square roots rounded up, the
 * bound stated there).  Masses are int64 µg.  Like core/procedure.h the
 * engine reads no clock and no port; its state saves as text and a later
 * session resumes it. */
#ifndef STALLCHECK_CORE_CG18_H
#define STALLCHECK_CORE_CG18_H

#include <stddef.h>
#include <stdint.h>

#include "core/day.h"
#include "core/r111.h"
#include "core/reference.h"
#include "core/uncertainty.h"

#define CG18_MAX_WEIGHTS 64
#define CG18_REPEATS 5
#define CG18_POSITIONS 5 /* the centre and four quarters */
#define CG18_POINTS 5
#define CG18_STEPS (CG18_REPEATS + CG18_POSITIONS + CG18_POINTS)
#define CG18_K 2

enum cg18_test { CG18_REPEATABILITY = 0, CG18_ECCENTRICITY, CG18_ERROR };

struct cg18_config {
    int64_t max_ug;          /* the instrument's Max */
    int64_t min_ug;          /* its Min (the first error point); 0 = 20 d */
    int64_t d_ug;            /* the interval read (d, or a finer test mode's) */
    struct reference reference; /* the weight set: REFERENCE_WEIGHTS, in date */
    enum r111_class weight_class;
    size_t n_weights;
    int64_t weights_ug[CG18_MAX_WEIGHTS];
    day_t today;
};

struct cg18_step {
    int index;
    enum cg18_test test;
    int k, of;             /* reading k (1-based) of `of` in its test */
    int position;          /* eccentricity: 0 centre, 1..4 the quarters */
    int64_t load_ug;       /* the load made from the set */
    int64_t target_ug;     /* the load the plan asked for */
    char weights[160];
    char instruction[400];
};

struct cg18_reading {
    int64_t indication_ug;
    int64_t digit_ug;      /* the last digit's value as given; 0 = not known */
    int stable;
};

/* One error of indication with its uncertainty. */
struct cg18_point {
    int64_t load_ug;       /* m_ref: the weights' nominal (conventional) mass */
    int64_t indication_ug;
    int64_t error_ug;      /* E = I − m_ref */
    int64_t u_ug;          /* u(E), rounded up */
    int64_t U_ug;          /* U(E) = k u(E), rounded up */
    int64_t U_report_ug;   /* U(E) rounded up to two significant digits */
    struct unc_budget budget;
};

struct cg18_results {
    int k;                 /* CG18_K */
    int64_t repeat_load_ug;
    int64_t s_ug;          /* the repeatability's standard deviation, rounded up */
    int64_t ecc_load_ug;
    int64_t ecc_max_ug;    /* |ΔI_ecc|max */
    int64_t ecc_ug[CG18_POSITIONS]; /* ΔI_ecc,i (0 at the centre) */
    int npoints;
    struct cg18_point points[CG18_POINTS];
};

struct cg18;

/* Checks the instrument's Max and d, the set (its class, in date on today,
 * weights above Max left aside) and plans the steps.  SC_ERR_RANGE when the
 * set cannot make a load; SC_ERR_EXPIRED; SC_ERR_ARG. */
int cg18_new(const struct cg18_config *cfg, struct cg18 **out);
void cg18_free(struct cg18 *c);
const struct cg18_config *cg18_config_get(const struct cg18 *c);

int cg18_total(const struct cg18 *c);
int cg18_done(const struct cg18 *c);
int cg18_step_get(const struct cg18 *c, int index, struct cg18_step *out);
/* 1 and the step waiting, or 0 when all are done. */
int cg18_current(const struct cg18 *c, struct cg18_step *out);

/* Takes the current step's reading.  SC_ERR_AGAIN unstable; SC_ERR_ARG for
 * a reading coarser than d or not a multiple of it; SC_ERR_RANGE when done. */
int cg18_feed(struct cg18 *c, const struct cg18_reading *r);
int cg18_reading_get(const struct cg18 *c, int index, struct cg18_reading *out);

/* The results once every step is done (SC_ERR_AGAIN before). */
int cg18_results(const struct cg18 *c, struct cg18_results *out);

/* State as text (snprintf-like) and back, readings replayed; the set's date
 * is checked again against today. */
int cg18_save(const struct cg18 *c, char *buf, size_t size);
int cg18_load(const char *text, day_t today, struct cg18 **out);

const char *cg18_test_name(enum cg18_test t); /* "repeatability", "eccentricity", "error" */

#endif
