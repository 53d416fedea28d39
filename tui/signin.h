/* Sign-in: badge number and PIN.  The PIN is checked by the database
 * (db/officer.h, with lockout); this screen only collects and shows. */
#ifndef STALLCHECK_TUI_SIGNIN_H
#define STALLCHECK_TUI_SIGNIN_H

#include "tui/screen.h"

struct signin_state {
    char badge[VISIT_CODE_MAX];
    char pin[16];
    int field;          /* 0 badge, 1 PIN */
    int busy;           /* waiting for the check */
};

void signin_handle(void *state, struct session *ses, const struct tui_event *ev,
                   struct tui_reaction *rx);
void signin_draw(const void *state, const struct session *ses, int foot);

#endif
