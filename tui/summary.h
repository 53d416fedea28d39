/* The summary of an inspection: findings, re-weighs, the deduction and the
 * new score (as the score engine computes them), the officers, and Confirm,
 * which commits the whole inspection in one transaction. */
#ifndef STALLCHECK_TUI_SUMMARY_H
#define STALLCHECK_TUI_SUMMARY_H

#include "tui/screen.h"

struct summary_state {
    int busy;
    int scroll;
    int complete;            /* every item answered: Confirm is offered */
};

void summary_handle(void *state, struct session *ses, const struct tui_event *ev,
                    struct tui_reaction *rx);
void summary_draw(const void *state, const struct session *ses, int foot);
/* The keys: Confirm only once every checklist item is answered. */
const enum tui_scope *summary_keys(const void *state);

#endif
