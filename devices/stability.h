/* The stability rule for devices that do not say whether a weight is stable
 * (the ascii driver without a flag field, KERN frames with a blank S2):
 *
 *   a reading is stable when it and the window-1 value readings before it
 *   (window readings in a row, all with status ok and the same unit) lie
 *   within d of each other: max - min <= d.
 *
 * window defaults to 5 readings; d defaults to one step of the last digit the
 * device prints (0.01 for "12.34"), i.e. the display no longer moves.  Both
 * are set in a connection string as window=N and d=DECIMAL (in the reading's
 * unit).  Any reading that is not a value with status ok empties the window.
 * Readings whose protocol reports stability pass through unchanged. */
#ifndef STALLCHECK_DEVICES_STABILITY_H
#define STALLCHECK_DEVICES_STABILITY_H

#include <stdbool.h>

#include "core/decimal.h"
#include "devices/reading.h"

#define STABILITY_MAX_WINDOW 64

struct stability {
    int window;          /* readings that must agree, 1..STABILITY_MAX_WINDOW */
    bool have_d;         /* false: one step of the last printed digit */
    struct decimal d;
    int count;           /* readings in the ring */
    int head;
    struct decimal ring[STABILITY_MAX_WINDOW];
    char unit[READING_UNIT_MAX];
};

/* window <= 0 gives the default (5); d NULL gives the default. */
void stability_init(struct stability *s, int window, const struct decimal *d);
/* Parses window=/d= values; SC_ERR_ARG with a message. */
int stability_set(struct stability *s, const char *key, const char *value);
/* Applies the rule to r when its protocol does not report stability: sets
 * r->stable.  Returns r->stable. */
bool stability_update(struct stability *s, struct reading *r);
void stability_reset(struct stability *s);

#endif
