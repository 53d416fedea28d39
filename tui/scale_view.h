/* What the scale panel shows for a reading (the scale, verification,
 * re-weigh and cheating-check screens draw it): kept apart from curses so
 * the decision is tested without a terminal. */
#ifndef STALLCHECK_TUI_SCALE_VIEW_H
#define STALLCHECK_TUI_SCALE_VIEW_H

#include <stddef.h>

#include <stdint.h>

#include "devices/reading.h"
#include "tui/color.h"
#include "tui/session.h"

/* A device's reading as the screens keep it: the text as printed, the mass
 * in µg when it is one, the state (overload, underload, the device's
 * error and its words), the frame's bytes. */
void scale_reading(struct tui_reading *t, const struct reading *r, uint64_t seq);

/* The reading a verdict is judged on, as the record keeps it (evidence):
 * the frame's bytes as read, the value and unit as the scale printed them,
 * its protocol, stable, and the instrument's code. */
void scale_evidence(const struct tui_scale *sc, const char *instrument, struct visit_reading *out);

/* Why reading r cannot be captured for a verdict though it came (a msgid
 * for the status line: overload, underload, the device's error), or NULL:
 * an overloaded scale is not "no weight yet". */
const char *scale_out_of_range(const struct tui_reading *r);

struct scale_view {
    char text[96];           /* "  1.235 kg NET", "OVERLOAD: above Max" */
    enum tui_role role;
    const char *tag;         /* "[stable]", "[moving]", or NULL */
    enum tui_role tag_role;
};

/* The reading r as the panel's line.  A reading with no value says why:
 * overload, underload, the device's error; never an empty weight. */
void scale_view(const struct tui_reading *r, struct scale_view *out);

#endif
