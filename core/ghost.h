/* The cheating-scale check (鬼秤, guǐchèng: a scale that reads true when
 * verified and cheats in use, switched by a remote, a key code or a pen).
 *
 * The protocol, run unannounced by the officer:
 *
 *   for each round (at least GHOST_MIN_ROUNDS):
 *     "before": at each load (at least GHOST_MIN_LOADS, e.g. from
 *               ghost_suggest_loads), check weights or the same goods go on
 *               the stall's scale and the reference (the weights' nominal
 *               value, or the officer's reference scale): one observation;
 *     the vendor then uses the scale as they normally do: their own key
 *     presses (tare, zero, price keys, the "function" keys);
 *     "after":  the same loads again.
 *
 * Every observation's error in use is E = stall reading − reference.  The
 * verdict flags a scale
 *   - whose readings of the same load disagree by more than the in-service
 *     MPE (R76-1 3.6.1 for the spread, ×2 in service 3.5.2): within one
 *     phase (GHOST_INCONSISTENT), or only between before and after the
 *     vendor's key presses (GHOST_SWITCHED: the signature of a key code);
 *   - whose error in use differs from its error at verification (recorded
 *     on its certificate) by more than the verification MPE for the load
 *     (GHOST_DRIFTED: a genuine scale may drift within its tolerances, not
 *     by a whole tolerance);
 *   - whose error exceeds the in-service MPE (GHOST_OUT_OF_TOLERANCE).
 *
 * The verdict names the reference used; a reference whose calibration has
 * expired is refused (SC_ERR_EXPIRED), and so is one whose own MPE (when
 * declared) is more than 1/3 of the MPE it checks (R76-1 3.7.1).
 * Masses int64 µg; dates day_t (no clock in core). */
#ifndef STALLCHECK_CORE_GHOST_H
#define STALLCHECK_CORE_GHOST_H

#include <stddef.h>
#include <stdint.h>

#include "core/day.h"
#include "core/r76.h"
#include "core/reference.h"

#define GHOST_MIN_LOADS 3
#define GHOST_MIN_ROUNDS 2
#define GHOST_MAX_LOADS 8
#define GHOST_MAX_OBS 128

enum ghost_phase { GHOST_BEFORE = 0, GHOST_AFTER = 1 };

struct ghost_obs {
    int load;              /* 0..GHOST_MAX_LOADS-1: which of the protocol's loads */
    enum ghost_phase phase;
    int round;             /* 1, 2, ... */
    int64_t stall_ug;      /* the stall's scale */
    int64_t reference_ug;  /* the weights' nominal value or the reference scale */
};

struct ghost_check {
    struct r76_instrument instrument; /* the stall's scale as on its plate */
    struct reference reference;
    day_t today;
    /* Its errors at its last verification, per load (optional). */
    int has_verified[GHOST_MAX_LOADS];
    int64_t verified_error_ug[GHOST_MAX_LOADS];
    size_t n_obs;
    struct ghost_obs obs[GHOST_MAX_OBS];
};

enum ghost_flag {
    GHOST_OUT_OF_TOLERANCE = 1,
    GHOST_INCONSISTENT = 2,
    GHOST_SWITCHED = 4,
    GHOST_DRIFTED = 8,
};

enum ghost_outcome {
    GHOST_CLEAR = 0,   /* the whole protocol run, nothing found */
    GHOST_SUSPECT,     /* at least one flag: the reason says what */
    GHOST_INCOMPLETE,  /* nothing found, but the protocol was not run in full */
};

struct ghost_verdict {
    enum ghost_outcome outcome;
    unsigned flags;
    int loads, rounds;                 /* complete loads and rounds found */
    int64_t worst_error_ug;            /* the error in use furthest from zero */
    enum reference_kind reference_kind;
    char reference_id[REFERENCE_ID_MAX];
    day_t reference_valid_until;
    char reason[640];
};

/* Loads for the protocol on a scale of this class, Max and e: 100 e,
 * 500 e and 2 000 e (typical purchases, the first MPE change point, and a
 * heavy one), those below Max.  Returns how many (<= 3). */
int ghost_suggest_loads(const struct r76_instrument *in, int64_t out_ug[3]);

/* Judges the observations.  SC_ERR_EXPIRED / SC_ERR_INCONSISTENT for the
 * reference as above, SC_ERR_UNSUPPORTED for a multi-interval scale,
 * SC_ERR_ARG for an observation out of range. */
int ghost_judge(const struct ghost_check *c, struct ghost_verdict *v);

const char *ghost_flag_name(enum ghost_flag f);

#endif
