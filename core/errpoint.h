/* Determining the error of a weighing instrument's indication.
 *
 * A digital scale rounds to its scale interval, so reading it directly gives
 * the error only to ± ½ interval: too coarse against an MPE of ½ e.  R76-1
 * Annex A.4.4.3 (the error-point method, "changeover point"): at load L the
 * scale shows I; small weights of 0.1 e are added one by one until the
 * indication steps up unambiguously to I + e; with ΔL the weights added,
 * the indication before rounding was P = I + ½ e − ΔL, and the error is
 *
 *     E = P − L = I + ½ e − ΔL − L.
 *
 * The error at or near zero, E0, is found the same way; the corrected error
 * Ec = E − E0 is what is compared with the MPE.  A scale with a test mode that
 * shows a finer interval (at most 0.2 e) gives the error directly: E = I − L.
 *
 * Masses are int64 µg. */
#ifndef STALLCHECK_CORE_ERRPOINT_H
#define STALLCHECK_CORE_ERRPOINT_H

#include <stdint.h>

/* E = I + ½ step − ΔL − L, step being the displayed interval (e, or the
 * test mode's finer one).  SC_ERR_ARG when step is not even and positive,
 * I is not a multiple of step, ΔL is negative or larger than step (the
 * indication would not have been I), or L is negative. */
int errpoint_error(int64_t step_ug, int64_t indication_ug, int64_t added_ug, int64_t load_ug,
                   int64_t *error_ug);

/* The direct method: E = I − L, for a display of interval `resolution`
 * (the test mode's d) no larger than e / 5 (SC_ERR_ARG otherwise, or when
 * I is not a multiple of the resolution). */
int errpoint_direct(int64_t e_ug, int64_t resolution_ug, int64_t indication_ug, int64_t load_ug,
                    int64_t *error_ug);

/* Ec = E − E0 (R76-1 A.4.4.3). */
int64_t errpoint_corrected(int64_t error_ug, int64_t zero_error_ug);

#endif
