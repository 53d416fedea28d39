/* Making a test load from a set of weights: the combination of the set's
 * weights whose sum lies in a window and is nearest a target.  Used by the
 * verification procedure (core/procedure.h) and the calibration
 * (core/cg18.h) to ask only for loads the declared set can make. */
#ifndef STALLCHECK_CORE_LOADS_H
#define STALLCHECK_CORE_LOADS_H

#include <stddef.h>
#include <stdint.h>

#define LOADS_MAX_WEIGHTS 64

/* Among the weights w[i] with bit i set in avail (n <= 64), the combination
 * whose sum lies in [lo, hi] nearest to target (0 when the window holds 0
 * and nothing is nearer): SC_OK with *sum and *mask, or -1 when none. */
int loads_compose(const int64_t *w, size_t n, uint64_t avail, int64_t lo, int64_t hi,
                  int64_t target, int64_t *sum, uint64_t *mask);

/* The weights of mask, largest first as they go on the receptor:
 * "10 kg + 5 kg + 200 mg". */
void loads_text(const int64_t *w, size_t n, uint64_t mask, char *buf, size_t size);

/* A weight's nominal value as printed on it: "10 kg", "500 g", "200 mg". */
void loads_nominal(int64_t ug, char *buf, size_t size);

#endif
