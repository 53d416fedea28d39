/* The officer's own references: a set of check weights, or a reference
 * scale (the fair scale 公平秤 or a more accurate one).  Every verdict that
 * rests on one records which, and a reference whose own calibration has
 * expired is refused: a verdict from an out-of-date reference does not
 * stand (计量法 Art. 9: standards used must be verified and in date).
 * core has no clock: the caller passes today's date. */
#ifndef STALLCHECK_CORE_REFERENCE_H
#define STALLCHECK_CORE_REFERENCE_H

#include <stdint.h>

#include "core/day.h"

enum reference_kind {
    REFERENCE_WEIGHTS = 1, /* a weight set (砝码) */
    REFERENCE_SCALE,       /* a reference scale */
};

#define REFERENCE_ID_MAX 48

struct reference {
    enum reference_kind kind;
    char id[REFERENCE_ID_MAX];  /* certificate or serial number, as printed */
    day_t valid_until;          /* the last day its calibration is valid */
    int64_t mpe_ug;             /* its own MPE; 0 = not given */
};

/* Fills a reference; SC_ERR_ARG for an empty id, one too long, or one with
 * control characters (it goes on certificates and into stored state). */
int reference_init(struct reference *ref, enum reference_kind kind, const char *id,
                   day_t valid_until, int64_t mpe_ug);

/* SC_OK when in date on `today` (the last valid day included);
 * SC_ERR_EXPIRED otherwise, saying which reference and since when. */
int reference_check(const struct reference *ref, day_t today);

/* "weight set" / "reference scale". */
const char *reference_kind_name(enum reference_kind kind);

#endif
