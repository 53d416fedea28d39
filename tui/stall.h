/* The stall card: operator, licence, instruments with their verification due
 * dates (an overdue scale is a finding to record), the last inspections, the
 * current integrity score (诚信) and list status (红黑榜).  The hub of an
 * inspection: every step starts here. */
#ifndef STALLCHECK_TUI_STALL_H
#define STALLCHECK_TUI_STALL_H

#include "tui/screen.h"

struct stall_state {
    int reader; /* the one signed in may not inspect (a manager): the card is read */
};

void stall_handle(void *state, struct session *ses, const struct tui_event *ev,
                  struct tui_reaction *rx);
void stall_draw(const void *state, const struct session *ses, int foot);

/* The keys: the inspection's steps to one who may inspect; to a reader
 * (a manager) only the stall's history. */
const enum tui_scope *stall_keys(const void *state);

/* Whether any of the stall's instruments is past its verification due date. */
int stall_overdue(const struct session *ses);

#endif
