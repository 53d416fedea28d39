/* The scale: the live reading of the stall's scale or the officer's
 * reference scale, a stable mark, zero and tare; when the scale is offline,
 * why, and a retry key. */
#ifndef STALLCHECK_TUI_SCALE_SCREEN_H
#define STALLCHECK_TUI_SCALE_SCREEN_H

#include "tui/screen.h"

struct scale_state {
    int which;   /* SCALE_STALL or SCALE_REFERENCE */
};

void scale_handle(void *state, struct session *ses, const struct tui_event *ev,
                  struct tui_reaction *rx);
void scale_draw(const void *state, const struct session *ses, int foot);

/* Whether the scale's last reading may be captured for a test (online, a
 * value, no overload, stable); when not, the status line says why.  The
 * value of its last digit as the driver gave it ("10005.0 g": 0.1 g) goes
 * to *digit_ug (0 when not known). */
int scale_capturable(const struct tui_scale *sc, struct session *ses, int64_t *digit_ug);

/* Draws one scale's state in at most rows rows from y: its protocol, the
 * value large enough to read in glare, stable/unstable; offline, its port
 * and why, wrapped.  Returns the rows used.  Shared with re-weigh, the
 * cheating-scale check and the verification steps. */
int scale_draw_panel(const struct tui_scale *sc, int y, int rows, const char *label);
/* The same on one row ("label: 480 g [stable]") while the scale is
 * online, where a form leaves no room for two; offline, the panel's two
 * rows (the reason is never cut).  Returns the rows used. */
int scale_draw_line(const struct tui_scale *sc, int y, const char *label);

#endif
