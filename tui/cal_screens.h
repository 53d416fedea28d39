/* The calibration screens (校准, metrology staff): from the instrument list
 * (3 calibrates the instrument picked), the weight set and the conditions,
 * then each reading (what to place, where, the live reading, capture when
 * stable), then the results with their expanded uncertainty and the
 * calibration certificate.  Leaving keeps the run: its state is stored after
 * every reading and picking the instrument again resumes it.  Pure state
 * machines (tui/screen.h); drawn by tui/cal_draw.c. */
#ifndef STALLCHECK_TUI_CAL_SCREENS_H
#define STALLCHECK_TUI_CAL_SCREENS_H

#include "tui/conditions.h"
#include "tui/screen.h"

struct csetup_state {
    struct conditions form;  /* set, temperature, humidity, test-mode interval */
    int busy;
};
void csetup_handle(void *state, struct session *ses, const struct tui_event *ev,
                   struct tui_reaction *rx);
void csetup_draw(const void *state, const struct session *ses, int foot);

struct cstep_state {
    int busy;
};
void cstep_handle(void *state, struct session *ses, const struct tui_event *ev,
                  struct tui_reaction *rx);
void cstep_draw(const void *state, const struct session *ses, int foot);

struct cdone_state {
    int busy;
    int saved;               /* committed: only going back is left */
    int typing;              /* the reason it ends without results */
    char reason[128];
};
void cdone_handle(void *state, struct session *ses, const struct tui_event *ev,
                  struct tui_reaction *rx);
void cdone_draw(const void *state, const struct session *ses, int foot);
int cdone_typing(const void *state);
/* Once saved, Confirm and Abandon are off the footer; typing, the entry keys. */
const enum tui_scope *cdone_keys(const void *state);

#endif
