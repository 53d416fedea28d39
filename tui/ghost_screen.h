/* The cheating-scale check (鬼秤), step by step as core/ghost.h lays it
 * down: for each round, the suggested loads on the stall's scale and the
 * reference scale ("before"), then the vendor uses the scale as usual (their
 * own key presses), then the same loads again ("after").  Both scales are
 * live on screen; each observation is recorded when both are stable.  After
 * GHOST_MIN_ROUNDS rounds core judges, and the verdict answers the
 * checklist's "no cheating device" item.  A device seen (a remote, a pen) is
 * recorded at once with 2. */
#ifndef STALLCHECK_TUI_GHOST_SCREEN_H
#define STALLCHECK_TUI_GHOST_SCREEN_H

#include "core/ghost.h"
#include "tui/screen.h"

struct ghost_state {
    int ready;               /* the stall's scale and the reference are known */
    const char *problem;     /* msgid: why the protocol cannot run */
    int judged;
    struct ghost_check check; /* the plate, the reference, today; the loads and
                                 observations are the visit's (visit.ghost) */
    struct ghost_verdict verdict;
};

void ghost_handle(void *state, struct session *ses, const struct tui_event *ev,
                  struct tui_reaction *rx);
/* The verdict's grounds in the screen's language ("Suspect: its error
 * changed after the vendor's key presses (3 loads, ...)"). */
void ghost_verdict_words(const struct ghost_verdict *v, char *buf, size_t size);
void ghost_draw(const void *state, const struct session *ses, int foot);

#endif
