/* Today's stalls: the draw (双随机), follow-ups under a correction deadline
 * (限期整改), and any stall picked by code or scanned.  The market screen:
 * its name and the draw's seed are shown, so anyone can replay the draw. */
#ifndef STALLCHECK_TUI_PICK_H
#define STALLCHECK_TUI_PICK_H

#include "tui/screen.h"

struct pick_state {
    int sel;
    int typing;              /* the officer types a stall code */
    char code[VISIT_CODE_MAX];
    int busy;
    int reader;              /* the one signed in may not inspect (a manager) */
    int fair;                /* ...but may record fair-scale checks (a manager) */
};

void pick_handle(void *state, struct session *ses, const struct tui_event *ev,
                 struct tui_reaction *rx);
void pick_draw(const void *state, const struct session *ses, int foot);
/* A stall code is being typed. */
int pick_typing(const void *state);
/* The keys: an officer's; a manager's (no inspection or draw; the fair
 * scale); a reader's (none of these); or the entry keys while a code is
 * typed. */
const enum tui_scope *pick_keys(const void *state);

#endif
