/* The cheating-scale check (鬼秤): both scales live side by side, so the
 * officer can put the same goods on the stall's scale and the reference
 * scale and watch for a reading that jumps (a chip switched by a remote, a
 * pen or a key code).  The officer records what was seen: 1 no sign of a
 * cheating device, 2 a sign of one; either answers the checklist item. */
#ifndef STALLCHECK_TUI_GHOST_SCREEN_H
#define STALLCHECK_TUI_GHOST_SCREEN_H

#include "tui/screen.h"

struct ghost_state {
    int step;
};

void ghost_init(struct ghost_state *s);
void ghost_handle(struct ghost_state *s, struct session *ses, const struct tui_event *ev,
                  struct tui_reaction *rx);
const enum tui_scope *ghost_scopes(const struct ghost_state *s);
int ghost_wants_text(const struct ghost_state *s);
void ghost_draw(const struct ghost_state *s, const struct session *ses);

#endif
