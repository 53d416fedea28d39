/* The summary of an inspection: findings, re-weighs, the deduction and the
 * new score (as the score engine computes them), the officers, and Confirm,
 * which commits the whole inspection in one transaction. */
#ifndef STALLCHECK_TUI_SUMMARY_H
#define STALLCHECK_TUI_SUMMARY_H

#include "tui/screen.h"

struct summary_state {
    int busy;
    int scroll;
};

void summary_init(struct summary_state *s);
void summary_handle(struct summary_state *s, struct session *ses, const struct tui_event *ev,
                    struct tui_reaction *rx);
const enum tui_scope *summary_scopes(const struct summary_state *s);
int summary_wants_text(const struct summary_state *s);
void summary_draw(const struct summary_state *s, const struct session *ses);

#endif
