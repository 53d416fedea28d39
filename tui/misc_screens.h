/* The small screens: resuming an unfinished inspection found at start (after
 * a kill -9 or a dead battery), the history list, and the help screen
 * generated from the key table. */
#ifndef STALLCHECK_TUI_MISC_SCREENS_H
#define STALLCHECK_TUI_MISC_SCREENS_H

#include "tui/screen.h"

struct resume_state {
    int busy;
    int confirm_discard;   /* 2 pressed once: what would be lost is shown */
};
void resume_handle(void *state, struct session *ses, const struct tui_event *ev,
                   struct tui_reaction *rx);
void resume_draw(const void *state, const struct session *ses, int foot);

struct history_state {
    int sel;
};
void history_handle(void *state, struct session *ses, const struct tui_event *ev,
                    struct tui_reaction *rx);
void history_draw(const void *state, const struct session *ses, int foot);

struct help_state {
    int scroll;
    int placed;      /* opened at the keys of the screen below */
};
void help_handle(void *state, struct session *ses, const struct tui_event *ev,
                 struct tui_reaction *rx);
void help_draw(const void *state, const struct session *ses, int foot);

#endif
